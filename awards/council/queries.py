"""Reading councils and sessions: who sits where, what a member sees, how an item is voted."""

from sqlalchemy import func, select

from awards.catalog import services as catalog
from awards.council import rules
from awards.council.models import (
    BallotCast,
    BallotReceipt,
    Council,
    CouncilMember,
    CouncilSession,
    Recusal,
    ReviewMark,
    SessionItem,
    SessionMember,
)
from awards.extensions import db


def council_by_code(code: str) -> Council | None:
    return db.session.scalar(select(Council).where(Council.code == code))


def session_by_id(session_id: int) -> CouncilSession | None:
    return db.session.get(CouncilSession, session_id)


def councils_stmt(user):
    """Managers see every council; a member sees the councils they sit on."""
    stmt = select(Council).order_by(Council.code)
    if user.is_manager:
        return stmt
    return stmt.where(Council.id.in_(select(CouncilMember.council_id).where(CouncilMember.user_id == user.id)))


def sessions_stmt(user, council_id: int | None = None, status: str | None = None):
    """Sessions newest first, of the councils the user may see."""
    stmt = select(CouncilSession).order_by(CouncilSession.id.desc())
    if not user.is_manager:
        stmt = stmt.where(CouncilSession.council_id.in_(
            select(CouncilMember.council_id).where(CouncilMember.user_id == user.id)) | CouncilSession.id.in_(
            select(SessionMember.session_id).where(SessionMember.user_id == user.id)))
    if council_id is not None:
        stmt = stmt.where(CouncilSession.council_id == council_id)
    if status:
        stmt = stmt.where(CouncilSession.status == status)
    return stmt


def seat(session: CouncilSession, user) -> SessionMember | CouncilMember | None:
    """The user's seat for this session: the snapshot taken at opening, or the council's list before."""
    if session.status == "draft":
        return next((m for m in session.council.members if m.user_id == user.id), None)
    return db.session.get(SessionMember, (session.id, user.id))


def seats(session: CouncilSession) -> list:
    return list(session.council.members) if session.status == "draft" else list(session.members)


def has_voted(session: CouncilSession, user) -> bool:
    return db.session.get(BallotCast, (session.id, user.id)) is not None


def ballots_cast(session: CouncilSession) -> int:
    return db.session.scalar(select(func.count()).select_from(BallotCast).where(BallotCast.session_id == session.id))


def voters(session: CouncilSession) -> set[int]:
    """Who has cast a ballot (present); the rest of the members are absent. Never what they chose."""
    return set(db.session.scalars(select(BallotCast.user_id).where(BallotCast.session_id == session.id)))


def recusals(session: CouncilSession) -> list[Recusal]:
    return list(db.session.scalars(select(Recusal).where(Recusal.session_id == session.id).order_by(
        Recusal.nomination_id, Recusal.user_id)))


def recused_items(session: CouncilSession, user) -> set[int]:
    return set(db.session.scalars(select(Recusal.nomination_id).where(
        Recusal.session_id == session.id, Recusal.user_id == user.id)))


def reviewed_items(session: CouncilSession, user) -> set[int]:
    return set(db.session.scalars(select(ReviewMark.nomination_id).where(
        ReviewMark.session_id == session.id, ReviewMark.user_id == user.id)))


def receipts(session: CouncilSession) -> list[str]:
    """The counted receipts, in code order (which says nothing about who or when)."""
    return list(db.session.scalars(select(BallotReceipt.code).where(BallotReceipt.session_id == session.id)
                                   .order_by(BallotReceipt.code)))


def item(session: CouncilSession, nomination_id: int) -> SessionItem | None:
    return next((i for i in session.items if i.nomination_id == nomination_id), None)


def rounds_of(nomination_id: int) -> int:
    """How many opened sessions have voted (or are voting) on the dossier."""
    return db.session.scalar(select(func.count()).select_from(SessionItem).join(CouncilSession).where(
        SessionItem.nomination_id == nomination_id, CouncilSession.status != "draft"))


def ballot_kind(session: CouncilSession, item: SessionItem, awards: dict) -> str:
    """How the item is voted: fixed at opening; before, as the catalog says today."""
    if session.status != "draft":
        return item.ballot
    award = awards.get(item.nomination.award_code)
    return award.ballot if award else item.ballot


def council_awards() -> dict:
    """The award types a council votes on, in catalog order."""
    return {code: award for code, award in catalog.award_types().items() if award.council_vote}


def needs(session: CouncilSession, awards: dict | None = None) -> dict[int, dict]:
    """Per item, what a voter is told before voting (RULES §5): how many members are recused from it and how many
    "Đồng ý" it needs (None for an open vote without a threshold: more than half of the ballots cast on it)."""
    awards = awards if awards is not None else catalog.award_types()
    members = len(seats(session))
    recused: dict[int, int] = {}
    for recusal in recusals(session):
        recused[recusal.nomination_id] = recused.get(recusal.nomination_id, 0) + 1
    counted = session.council.recused_count if session.status == "draft" else session.recused_count is not False
    result = {}
    for entry in session.items:
        ballot = ballot_kind(session, entry, awards)
        award = awards.get(entry.nomination.award_code)
        threshold = entry.threshold if session.status != "draft" else (award.threshold if award else None)
        base = rules.recusal_base(members, recused.get(entry.nomination_id, 0), counted)
        needed = None if ballot == "open" and threshold is None else rules.needed_yes(ballot, threshold, base, 0)
        result[entry.nomination_id] = {"needed": needed, "recused": recused.get(entry.nomination_id, 0),
                                       "members": base, "threshold": threshold, "ballot": ballot}
    return result
