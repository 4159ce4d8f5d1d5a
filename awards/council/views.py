"""Council pages (Hội đồng Thi đua – Khen thưởng): councils and their seats, sessions with their agenda and voting
window, a member's agenda, ballot, recusals and review of each dossier, the results and the minutes.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect (flash) or render.
Managers (admin, staff) see and run everything; a council member sees the councils they sit on and those
councils' sessions (others are 404), and the chair may open and close a session."""

from flask import Blueprint, abort
from flask_login import current_user

from awards.catalog import services as catalog
from awards.catalog.forms import ATTACHMENT_LABELS
from awards.core.permissions import MANAGERS, Role
from awards.council import queries
from awards.council.forms import BALLOT_LABELS, ROLE_LABELS, SESSION_STATUS
from awards.council.models import CouncilSession
from awards.nominations.forms import KIND_LABELS, SUBJECT_LABELS
from awards.nominations.states import STATUS_LABELS

bp = Blueprint("council", __name__, url_prefix="/council")

VIEWERS = (*MANAGERS, Role.council_member)
SESSION_BADGES = {"draft": "text-bg-secondary", "open": "text-bg-success", "closed": "text-bg-dark"}


@bp.context_processor
def _labels():
    return {"SEAT_ROLES": ROLE_LABELS, "SESSION_STATUS": SESSION_STATUS, "SESSION_BADGES": SESSION_BADGES,
            "BALLOT_LABELS": BALLOT_LABELS, "STATUS_LABELS": STATUS_LABELS, "NOMINATION_KINDS": KIND_LABELS,
            "SUBJECT_TYPES": SUBJECT_LABELS, "ATTACHMENT_LABELS": ATTACHMENT_LABELS}


def load_session(session_id: int) -> CouncilSession:
    """The session, or 404 when it does not exist or the user may not see it."""
    session = queries.session_by_id(session_id)
    if session is None or not queries.may_view(current_user, session):
        abort(404)
    return session


def ballot_kind(session: CouncilSession, item, awards: dict) -> str:
    """How the item is voted: fixed at opening; before, as the catalog says today."""
    if session.status != "draft":
        return item.ballot
    award = awards.get(item.nomination.award_code)
    return award.ballot if award else item.ballot


def council_awards() -> dict:
    """The award types a council votes on, in catalog order."""
    return {code: award for code, award in catalog.award_types().items() if award.council_vote}


# the pages live on this blueprint, in their own modules
from awards.council import council_views, result_views, session_views, vote_views  # noqa: E402,F401
