"""A feedback case's lifecycle: open → resolved; the one function that moves it, audited."""

from awards.announcements.models import CaseStatus, Feedback
from awards.core import states

TRANSITIONS = {CaseStatus.open: {CaseStatus.resolved}, CaseStatus.resolved: set()}
VERBS = {CaseStatus.resolved: "resolve"}


def transition(feedback: Feedback, to: CaseStatus, *, by, note: str = "", extra: dict | None = None):
    """Move the case to `to` (409 naming both states otherwise), audited as `feedback.<verb>`."""
    return states.transition(feedback, to, table=TRANSITIONS, by=by, note=note,
                             action=f"feedback.{VERBS.get(to, to)}", extra=extra)
