"""Council actions: councils and their members, the agenda, opening, ballots, recusals, closing and the tally,
a second round. Each checks, flushes, audits; the caller commits once (a ballot or a close is all or nothing)."""

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from awards.auth.models import User
from awards.catalog import services as catalog
from awards.core import audit, clock
from awards.core.db import DomainError, Invalid, begin_write
from awards.council import queries
from awards.council.models import MEMBER_ROLES, Council, CouncilMember, CouncilSession, RecusalScope, SessionItem
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.units import queries as units_queries

FIRST_ROUND_FROM = ("appraised", "public_review")
# Why a dossier may not be voted on yet, asked when a session opens (a higher feature registers its checks:
# announcements/listing.py, the public listing Huân chương need before the council, NĐ 98 Art 46.2)
COUNCIL_GUARDS: list[Callable[[Nomination], str | None]] = []


def forbidden():
    """The refusal of an action this user may not take on a council or its sessions (403)."""
    return DomainError(_("Bạn không có quyền thực hiện thao tác này."), status=403, code="forbidden")


# ------------------------------------------------------------------------------------------------ councils

def _members(chair: str, members: list[tuple[str, str]]) -> list[tuple[User, str]]:
    """(user, role) for each username: council-member accounts, each once, exactly one chair."""
    if any(role == "chair" and name != chair for name, role in members):
        raise Invalid(_("Hội đồng chỉ có một Chủ tịch."), field="member_usernames")
    seats = [(chair, "chair")] + [(name, role) for name, role in members if name != chair]
    result, seen = [], set()
    for username, role in seats:
        if role not in MEMBER_ROLES:
            raise Invalid(_("Vai trò trong hội đồng không hợp lệ."), field="member_usernames")
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise Invalid(_("Không có tài khoản “%(u)s”.", u=username), field="member_usernames")
        if not user.has_role("council_member"):
            raise Invalid(_("Tài khoản “%(u)s” chưa có vai trò thành viên Hội đồng.", u=username),
                          field="member_usernames")
        if user.id in seen:
            continue
        seen.add(user.id)
        result.append((user, role))
    return result


def save_council(*, code: str, name: str, unit_code: str, chair_username: str, members: list[tuple[str, str]],
                 term_from=None, term_to=None, council: Council | None = None, recusal_scope: str | None = None,
                 recused_count: bool | None = None, by) -> Council:
    """Create a council (or change one): its unit, term, seats and recusal settings (None keeps them, or the
    defaults for a new council). Sessions keep their own list of members and the settings as they opened."""
    if recusal_scope is not None and recusal_scope not in RecusalScope.labels():
        raise Invalid(_("Phạm vi tránh xung đột lợi ích không hợp lệ."), field="recusal_scope")
    code, name = code.strip(), name.strip()
    unit = units_queries.unit_by_code(unit_code)
    if unit is None:
        raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=unit_code), field="unit_code")
    if not code or not name:
        raise Invalid(_("Trường này là bắt buộc."), field="code" if not code else "name")
    if term_from and term_to and term_to < term_from:
        raise Invalid(_("Nhiệm kỳ kết thúc phải sau ngày bắt đầu."), field="term_to")
    existing = queries.council_by_code(code)
    if existing is not None and existing is not council:
        raise DomainError(_("Đã có hội đồng mã “%(c)s”.", c=code), code="duplicate", field="code")
    seats = _members(chair_username, members)
    before = _describe(council) if council else None
    if council is None:
        council = Council(code=code)
        db.session.add(council)
    council.code, council.name, council.unit, council.term_from, council.term_to = code, name, unit, term_from, term_to
    council.members = [_seat(council, user, role) for user, role in seats]
    if recusal_scope is not None:
        council.recusal_scope = recusal_scope
    if recused_count is not None:
        council.recused_count = recused_count
    db.session.flush()
    audit.record("council.save", council, by=by, before=before, after=_describe(council))
    return council


def _seat(council: Council, user: User, role: str) -> CouncilMember:
    current = next((m for m in council.members if m.user_id == user.id), None) if council.id else None
    if current is None:
        return CouncilMember(user=user, role=role)
    current.role = role
    return current


def _describe(council: Council) -> dict:
    return {"code": council.code, "name": council.name, "unit": council.unit.code if council.unit else None,
            "members": {m.user.username: m.role for m in council.members},
            "recusal_scope": str(council.recusal_scope or RecusalScope.unit),
            "recused_count": council.recused_count is not False}


# ------------------------------------------------------------------------------------------------ agenda

def agenda_nominations(nomination_ids: list[int], round_: int = 1) -> list[Nomination]:
    """The dossiers asked for, in that order: each appraised (or under public review) and due a council vote."""
    if len(set(nomination_ids)) != len(nomination_ids):
        raise Invalid(_("Một hồ sơ chỉ có một lần trong chương trình."), field="nomination_ids")
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(nomination_ids)))}
    result = []
    for nomination_id in nomination_ids:
        nomination = found.get(nomination_id)
        if nomination is None:
            raise Invalid(_("Không có hồ sơ số %(i)s.", i=nomination_id), field="nomination_ids")
        allowed = FIRST_ROUND_FROM if round_ == 1 else ("failed",)
        if nomination.status not in allowed:
            raise DomainError(_("Hồ sơ #%(i)s chưa sẵn sàng để Hội đồng xét (chưa thẩm định đạt).", i=nomination_id),
                              code="wrong_state")
        award = catalog.award_type(nomination.award_code)
        if award.ballot == "standing":  # the award type's setting (RULES §5): no session votes on it
            raise Invalid(_("Hồ sơ #%(i)s: %(a)s do Thường trực Hội đồng thẩm định, trình Chủ tịch Hội đồng, không "
                            "đưa ra phiên họp bỏ phiếu.", i=nomination_id, a=award.name), field="nomination_ids")
        if not award.council_vote:
            raise Invalid(_("Hồ sơ #%(i)s đề nghị khen thưởng không cần Hội đồng bỏ phiếu.", i=nomination_id),
                          field="nomination_ids")
        result.append(nomination)
    return result


def _check_window(opens_at: datetime | None, closes_at: datetime) -> None:
    if closes_at <= clock.now():
        raise Invalid(_("Thời hạn bỏ phiếu phải ở tương lai."), field="closes_at")
    if opens_at is not None and opens_at >= closes_at:
        raise Invalid(_("Thời điểm bắt đầu phải trước thời hạn bỏ phiếu."), field="opens_at")


def create_session(*, council: Council, title: str, nomination_ids: list[int], closes_at: datetime,
                   opens_at: datetime | None = None, by) -> CouncilSession:
    """A draft session with its agenda, in the order given."""
    if not title.strip():
        raise Invalid(_("Trường này là bắt buộc."), field="title")
    _check_window(opens_at, closes_at)
    session = CouncilSession(council=council, title=title.strip(), status="draft", closes_at=closes_at,
                             opens_at=opens_at, created_by_id=by.id)
    db.session.add(session)
    set_items(session, agenda_nominations(nomination_ids))
    db.session.flush()
    audit.record("council.session.create", session, by=by, after={"title": session.title,
                                                                   "nominations": nomination_ids})
    return session


def set_items(session: CouncilSession, nominations: list[Nomination]) -> None:
    """The agenda: these dossiers in this order, keeping the items (and their votes) already there."""
    level = session.council.unit.awarding_unit if session.council.unit is not None else None
    for nomination in nominations:  # a council votes on what its own level handles (CONTRACT §5)
        if level is not None and nomination.handling_unit_id not in (None, level.id):
            raise DomainError(_("Hồ sơ #%(i)s do %(h)s xử lý, không thuộc hội đồng của %(u)s.", i=nomination.id,
                                h=nomination.handling_unit.name, u=level.name), code="wrong_level",
                              field="nomination_ids")
    current = {i.nomination_id: i for i in session.items}
    session.items = [current.get(n.id) or SessionItem(nomination=n) for n in nominations]
    for position, item in enumerate(session.items, start=1):
        item.position = position


def set_agenda(session: CouncilSession, *, nomination_ids: list[int], by) -> None:
    """Add, remove and order the agenda while the session is a draft."""
    _draft(session)
    before = [i.nomination_id for i in session.items]
    set_items(session, agenda_nominations(nomination_ids))
    db.session.flush()
    audit.record("council.session.agenda", session, by=by, before={"nominations": before},
                 after={"nominations": nomination_ids})


def update_session(session: CouncilSession, *, title: str, closes_at: datetime, opens_at: datetime | None,
                   by) -> None:
    """Change the title and voting window; the window can still be moved while voting is open."""
    if session.status == "closed":
        raise DomainError(_("Phiên họp đã kết thúc."), code="wrong_state")
    if not title.strip():
        raise Invalid(_("Trường này là bắt buộc."), field="title")
    _check_window(opens_at if session.status == "draft" else None, closes_at)
    before = {"title": session.title, "closes_at": session.closes_at.isoformat()}
    session.title, session.closes_at = title.strip(), closes_at
    if session.status == "draft":
        session.opens_at = opens_at
    db.session.flush()
    audit.record("council.session.update", session, by=by, before=before,
                 after={"title": session.title, "closes_at": closes_at.isoformat()})


def _draft(session: CouncilSession) -> None:
    if session.status != "draft":
        raise DomainError(_("Chỉ sửa được chương trình khi phiên họp chưa mở."), code="wrong_state")


def lock_session(session: CouncilSession, *, shared: bool = False) -> CouncilSession:
    """Re-read the session under a row lock, so no ballot is lost to the close: ballots take a shared lock (they
    go side by side), the close and other changes an exclusive one (they wait for the ballots under way, and the
    ballots after them find the session closed). SQLite has one writer: there every write takes its turn."""
    begin_write(db.session, "council_sessions", session.id)
    stmt = select(CouncilSession).where(CouncilSession.id == session.id).with_for_update(of=CouncilSession,
                                                                                         read=shared)
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()
