"""The dossier workflow of CONTRACT §4: the transition table and the one function that changes `.status`."""

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from awards.core import states
from awards.core.db import DomainError
from awards.nominations import notices
from awards.nominations.models import Nomination, NominationEvent, NominationStatus

S = NominationStatus
STATUS_LABELS = S.labels()
FINAL = frozenset({S.awarded, S.withdrawn, S.not_awarded})  # nothing moves a dossier on from these
BEFORE_AWARD = set(S) - FINAL
EDITABLE = frozenset({S.draft, S.returned})  # the unit prepares the dossier, or supplements a returned one
# dossiers that dropped out without the award: they do not block a new dossier for the same subject, award and
# year, do not count towards the CSTĐCS quota and do not go on paper unless asked for by status
DROPPED = frozenset({S.withdrawn, S.rejected, S.failed, S.not_awarded})
TRANSITIONS: dict[NominationStatus, set[NominationStatus]] = {
    S.draft: {S.submitted},
    S.submitted: {S.returned, S.appraised, S.rejected},
    S.returned: {S.submitted},
    # awarded directly when no council vote is due; a level that does not decide the award proposes it upward
    # (issue 18, CONTRACT §5): to the next awarding unit above, which appraises it (`submitted` there), or to an
    # authority outside the system (`forwarded`)
    S.appraised: {S.in_council, S.public_review, S.awarded, S.submitted, S.forwarded},
    S.rejected: set(),
    S.in_council: {S.passed, S.failed},
    S.passed: {S.public_review, S.awarded, S.submitted, S.forwarded},
    S.failed: {S.in_council},  # a second round for a narrow miss (RULES §5: at most 2 rounds)
    S.public_review: {S.in_council, S.awarded, S.returned, S.rejected, S.submitted, S.forwarded},  # publicity
    # may precede the council (NĐ 98 Art 46); upheld public feedback sends the dossier back or rejects it
    S.forwarded: {S.awarded, S.not_awarded},  # the answer from outside, recorded by the secretariat
    S.not_awarded: set(),
    S.awarded: set(),
    S.withdrawn: set(),
}
for _status in BEFORE_AWARD:
    TRANSITIONS[_status] = TRANSITIONS[_status] | {S.withdrawn}
NEEDS_NOTE = {S.returned, S.rejected, S.withdrawn, S.not_awarded}  # a reason the unit can read
# Why a dossier may not move on, registered by later steps (an open public complaint: NĐ 152 Art 4.4);
# each returns a reason or None. Withdrawal is never frozen.
FREEZES: list[Callable[[Nomination], str | None]] = []
# Why a dossier may not leave its level yet (forwarded upward), registered by later steps with the same gate as a
# decision (announcements.decisions.why_not_decidable: the council passed it, its listing is over, no open case)
LEAVE_GATES: list[Callable[[Nomination], str | None]] = []
REFUSED = _l("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.")


def transition(nomination: Nomination, to: str, *, by, note: str = "") -> NominationEvent:
    """Move the dossier to `to` if the table allows it (409 otherwise), with who, when and why in its history;
    the people concerned are told (notices.moved)."""
    target = S.get(to, to)
    if target in TRANSITIONS.get(S.get(nomination.status), set()):
        for frozen in FREEZES if target != S.withdrawn else ():
            reason = frozen(nomination)
            if reason:
                raise DomainError(reason, code="frozen")
        if target in NEEDS_NOTE and not (note or "").strip():
            raise DomainError(_("Cần ghi lý do."), status=400, code="validation_error", field="reason")
    note = (note or "").strip()
    events = []

    def history(current, new):
        events.append(NominationEvent(nomination=nomination, from_status=current, status=new,
                                      by_id=getattr(by, "id", None), note=note,
                                      handling_unit_id=nomination.handling_unit_id))
        return events[-1]

    states.transition(nomination, target, table=TRANSITIONS, by=by, note=note, history=history,
                      action=f"nomination.{target}", refusal=REFUSED)
    notices.moved(nomination, target, note=note, by=by)  # who is told of this step (nominations/notices.py)
    return events[0]
