"""Who may see and run councils and sessions: one predicate per question, for the pages, the API and the
services alike. Managers (admin, staff) see and run everything; a council member sees the councils they sit on
and those councils' sessions, and the chair may open and close a session."""

from flask import abort

from awards.core.permissions import MANAGERS, Role
from awards.council import queries
from awards.council.models import Council, CouncilSession

VIEWERS = (*MANAGERS, Role.council_member)


def sits_on(user, council: Council) -> bool:
    """Managers see every council; a member the councils they sit on."""
    return user.is_manager or any(m.user_id == user.id for m in council.members)


def is_seated(user, session: CouncilSession) -> bool:
    """The user has a seat in the session (the snapshot taken at opening, or the council's list before)."""
    return queries.seat(session, user) is not None


def is_chair(user, session: CouncilSession) -> bool:
    member = queries.seat(session, user)
    return member is not None and member.role == "chair"


def may_view(user, session: CouncilSession) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_manager or is_seated(user, session) or sits_on(user, session.council)


def may_run(user, session: CouncilSession) -> bool:
    """Staff, or the council's chair: who opens and closes a session."""
    return user.is_authenticated and (user.is_manager or is_chair(user, session))


def may_edit_agenda(user, session: CouncilSession) -> bool:
    """Managers change a session's agenda while it is a draft."""
    return user.is_manager and session.status == "draft"


def load_council(code: str, user) -> Council:
    """The council, or 404 when it does not exist or the user does not sit on it."""
    council = queries.council_by_code(code)
    if council is None or not sits_on(user, council):
        abort(404)
    return council


def load_session(session_id: int, user) -> CouncilSession:
    """The session, or 404 when it does not exist or the user may not see it."""
    session = queries.session_by_id(session_id)
    if session is None or not may_view(user, session):
        abort(404)
    return session
