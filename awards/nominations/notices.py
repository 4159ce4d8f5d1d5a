"""Who is told of each step of a dossier, and what they read (issue 19). `states.transition` calls `moved` after
every change of status, so every door (a page, the API, a bulk pass, a council's close, a feedback case) tells
the same people; the feedback service calls `feedback_received`.

Every step first finishes the task notices about the dossier's previous step (the secretariat's "chờ thẩm định"
once it is appraised or returned, the unit's "trả lại để bổ sung" once it is submitted again): they stop showing
"Mới". The notice of a step never goes to the person who took it.

STEPS holds one line per status that tells someone. "forwarded" and "answered" (a dossier sent to a higher
level, and its answer) are listed already: they start telling the unit as soon as the workflow has those statuses.
A dossier's award is told to its unit by the decision (announcements.decisions: one notice per unit and decision).
"""

from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from awards.catalog import services as catalog
from awards.notifications import queries as recipients
from awards.notifications.services import finish, notify

ABOUT = "nomination"


class Step(NamedTuple):
    kind: str
    to: str  # "secretariat" or "unit"
    subject: object  # %(t)s: "#12 Nguyễn Văn A — Chiến sĩ thi đua cơ sở"
    body: object  # %(n)s: the transition's note (a reason, a tally, a session's or a list's title), %(u)s: the
    # unit; None: the note as it is


STEPS: dict[str, Step] = {
    "submitted": Step("nomination_submitted", "secretariat", _l("Hồ sơ chờ thẩm định: %(t)s"),
                      _l("Đơn vị: %(u)s.")),
    "returned": Step("nomination_returned", "unit", _l("Hồ sơ được trả lại để bổ sung: %(t)s"),
                     _l("Lý do: %(n)s")),
    "appraised": Step("nomination_appraised", "unit", _l("Hồ sơ đạt thẩm định: %(t)s"), ""),
    "rejected": Step("nomination_rejected", "unit", _l("Hồ sơ không đạt: %(t)s"), _l("Lý do: %(n)s")),
    "in_council": Step("nomination_in_council", "unit", _l("Hồ sơ được đưa ra Hội đồng xét: %(t)s"),
                       _l("Phiên họp: %(n)s")),
    "passed": Step("nomination_passed", "unit", _l("Hội đồng thông qua hồ sơ: %(t)s"), _l("Kết quả: %(n)s")),
    "failed": Step("nomination_failed", "unit", _l("Hội đồng không thông qua hồ sơ: %(t)s"), _l("Kết quả: %(n)s")),
    "public_review": Step("nomination_listed", "unit", _l("Hồ sơ được công khai lấy ý kiến: %(t)s"),
                          _l("Danh sách: %(n)s")),
    "forwarded": Step("nomination_forwarded", "unit", _l("Hồ sơ được trình cấp trên: %(t)s"), None),
    "answered": Step("nomination_answered", "unit", _l("Cấp trên đã trả lời hồ sơ: %(t)s"), None),
}


def title(nomination) -> str:
    """"#12 Nguyễn Văn A — Chiến sĩ thi đua cơ sở": the number, the nominee, the award's name (never its code)."""
    award = catalog.known_award(nomination.award_code)
    return f"#{nomination.id} {nomination.subject_name} — {award.name if award else nomination.award_code}"


def _people(to: str, nomination) -> list:
    return recipients.secretariat() if to == "secretariat" else recipients.unit_officers(nomination.unit)


def moved(nomination, target: str, *, note: str = "", by=None) -> None:
    """The dossier has just moved to `target`: finish the previous step's tasks, tell whom STEPS names."""
    finish(ABOUT, nomination.id)
    step = STEPS.get(str(target))
    if step is None:
        return
    people = [u for u in _people(step.to, nomination) if by is None or u.id != getattr(by, "id", None)]
    if step.body is None or (not note and "%(n)s" in str(step.body)):
        body = note or ""
    else:
        body = str(step.body) % {"n": note, "u": nomination.unit.name}
    notify(people, step.kind, str(step.subject) % {"t": title(nomination)}, body,
           f"/nominations/{nomination.id}", about=(ABOUT, nomination.id))


def feedback_received(nomination) -> None:
    """Someone wrote about the unit's dossier during its public review: the unit is told that, never who wrote
    or what (the secretariat handles the case)."""
    notify(recipients.unit_officers(nomination.unit), "nomination_feedback",
           _("Có ý kiến phản ánh về hồ sơ: %(t)s", t=title(nomination)),
           _("Thường trực Hội đồng Thi đua – Khen thưởng đang xem xét ý kiến này; đơn vị sẽ được thông báo kết quả."),
           f"/nominations/{nomination.id}", about=(ABOUT, nomination.id))
