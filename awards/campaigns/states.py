"""The lifecycles of campaigns and advanced examples: transition tables and the one function that moves them."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from awards.core import audit
from awards.core.db import DomainError

CAMPAIGN_STATUS = {"draft": _l("Bản nháp"), "launched": _l("Đã phát động"), "closed": _l("Đã kết thúc")}
CAMPAIGN_TRANSITIONS = {"draft": {"launched"}, "launched": {"closed"}, "closed": set()}

EXAMPLE_STAGES = {
    "discovered": _l("Phát hiện"),
    "nurtured": _l("Bồi dưỡng"),
    "summarised": _l("Tổng kết"),
    "replicated": _l("Nhân rộng"),
}
EXAMPLE_TRANSITIONS = {"discovered": {"nurtured"}, "nurtured": {"summarised"}, "summarised": {"replicated"},
                       "replicated": set()}


def transition(obj, to: str, *, by, note: str = "", field: str = "status", table=None) -> None:
    """Move `obj.<field>` to `to` if the table allows it (else a 409 naming both states); audited."""
    table = table or (CAMPAIGN_TRANSITIONS if field == "status" else EXAMPLE_TRANSITIONS)
    labels = CAMPAIGN_STATUS if field == "status" else EXAMPLE_STAGES
    current = getattr(obj, field)
    if to not in table.get(current, set()):
        raise DomainError(_("Không thể chuyển từ “%(a)s” sang “%(b)s”.", a=labels.get(current, current),
                            b=labels.get(to, to)), code="wrong_state")
    setattr(obj, field, to)
    audit.record(f"{type(obj).__name__.lower()}.{to}", obj, by=by, before={field: current},
                 after={field: to, "note": note})
