"""Read-only lookups for accounts, tokens and the audit log."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from awards.auth.models import ApiToken, User
from awards.core.audit import AuditEntry
from awards.core.db import Invalid
from awards.extensions import db
from awards.units import queries as units_queries


def tokens_of(user: User) -> list[ApiToken]:
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())).all()


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def search_users(q: str, page: int, per_page: int = 50):
    stmt = select(User).order_by(User.username)
    if q.strip():
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.full_name.ilike(like)))
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def audit_entries(action: str, actor: str, page: int, per_page: int = 50):
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor:
        stmt = stmt.where(AuditEntry.actor_name == actor)
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def links_from_codes(unit_code: str | None, person_code: str | None) -> dict:
    """The unit and person an account is bound to, from their codes; unknown codes are refused."""
    unit = person = None
    if unit_code and unit_code.strip():
        unit = units_queries.unit_by_code(unit_code.strip())
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=unit_code), field="unit_code")
    if person_code and person_code.strip():
        person = units_queries.person_by_code(person_code.strip())
        if person is None:
            raise Invalid(_("Không có cá nhân mã “%(c)s”.", c=person_code), field="person_code")
    return {"unit": unit, "person": person}
