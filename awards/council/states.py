"""A council session's lifecycle: draft → open (voting) → closed (counted); the one function that moves it."""

from awards.core import states
from awards.council.models import CouncilSession, SessionStatus

TRANSITIONS = {
    SessionStatus.draft: {SessionStatus.open},
    SessionStatus.open: {SessionStatus.closed},
    SessionStatus.closed: set(),  # a second round is a new session
}


def transition(session: CouncilSession, to: SessionStatus, *, by, note: str = "", action: str | None = None,
               extra: dict | None = None):
    """Move the session to `to` (409 naming both states otherwise), audited as `council.session.<verb>`."""
    verb = {SessionStatus.open: "open", SessionStatus.closed: "close"}.get(to, str(to))
    return states.transition(session, to, table=TRANSITIONS, by=by, note=note,
                             action=action or f"council.session.{verb}", extra=extra)
