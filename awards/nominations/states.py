"""The dossier workflow of CONTRACT §4: the transition table and the one function that changes `.status`."""

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from awards.core import audit
from awards.core.db import DomainError
from awards.extensions import db
from awards.nominations.models import Nomination, NominationEvent

STATUS_LABELS = {
    "draft": _l("Đang soạn"), "submitted": _l("Đã nộp"), "returned": _l("Trả lại để bổ sung"),
    "appraised": _l("Đã thẩm định đạt"), "rejected": _l("Không đạt thẩm định"), "in_council": _l("Hội đồng đang xét"),
    "passed": _l("Hội đồng thông qua"), "failed": _l("Hội đồng không thông qua"),
    "public_review": _l("Đang công khai lấy ý kiến"), "awarded": _l("Đã khen thưởng"), "withdrawn": _l("Đã rút"),
}
BEFORE_AWARD = set(STATUS_LABELS) - {"awarded", "withdrawn"}
EDITABLE = frozenset({"draft", "returned"})  # the unit prepares the dossier, or supplements a returned one
# dossiers that dropped out without the award: they do not block a new dossier for the same subject, award and
# year, do not count towards the CSTĐCS quota and do not go on paper unless asked for by status
DROPPED = frozenset({"withdrawn", "rejected", "failed"})
TRANSITIONS: dict[str, set[str]] = {
    "draft": {"submitted"},
    "submitted": {"returned", "appraised", "rejected"},
    "returned": {"submitted"},
    "appraised": {"in_council", "public_review", "awarded"},  # awarded directly when no council vote is due
    "rejected": set(),
    "in_council": {"passed", "failed"},
    "passed": {"public_review", "awarded"},
    "failed": {"in_council"},  # a second round for a narrow miss (RULES §5: at most 2 rounds)
    "public_review": {"in_council", "awarded", "returned", "rejected"},  # publicity may precede the council
    # (NĐ 98 Art 46); upheld public feedback sends the dossier back or rejects it
    "awarded": set(),
    "withdrawn": set(),
}
for _status in BEFORE_AWARD:
    TRANSITIONS[_status] = TRANSITIONS[_status] | {"withdrawn"}
NEEDS_NOTE = {"returned", "rejected", "withdrawn"}  # a reason the unit can read
# Why a dossier may not move on, registered by later steps (an open public complaint: NĐ 152 Art 4.4);
# each returns a reason or None. Withdrawal is never frozen.
FREEZES: list[Callable[[Nomination], str | None]] = []


def transition(nomination: Nomination, to: str, *, by, note: str = "") -> NominationEvent:
    """Move the dossier to `to` if the table allows it (409 otherwise), with who, when and why in its history."""
    current = nomination.status
    if to not in TRANSITIONS.get(current, set()):
        raise DomainError(_("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.",
                            a=STATUS_LABELS.get(current, current), b=STATUS_LABELS.get(to, to)), code="wrong_state")
    for frozen in FREEZES if to != "withdrawn" else ():
        reason = frozen(nomination)
        if reason:
            raise DomainError(reason, code="frozen")
    if to in NEEDS_NOTE and not (note or "").strip():
        raise DomainError(_("Cần ghi lý do."), status=400, code="validation_error", field="reason")
    nomination.status = to
    event = NominationEvent(nomination=nomination, from_status=current, status=to, by_id=getattr(by, "id", None),
                            note=(note or "").strip())
    db.session.add(event)  # SQLAlchemy 2 does not cascade a backref into the session
    audit.record(f"nomination.{to}", nomination, by=by, before={"status": current}, after={"status": to,
                                                                                          "note": event.note})
    return event
