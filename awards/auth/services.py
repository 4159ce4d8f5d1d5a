"""Accounts and API tokens: create, change, authenticate. Services flush and audit; callers commit."""

import functools
import hashlib
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from awards.auth import sessions
from awards.auth.models import ApiToken, User, UserRole
from awards.core import audit
from awards.core.db import DomainError, Invalid, prepared_at_first_use, utcnow
from awards.core.permissions import MANAGERS, Role
from awards.extensions import db

USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,80}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MIN_PASSWORD = 8
USER_FIELDS = ("username", "full_name", "email", "roles", "unit_id", "person_id", "active")


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is too weak, or None: at least 8 characters, not only digits, not the username."""
    if len(password or "") < MIN_PASSWORD:
        return _("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD)
    if password.isdigit():
        return _("Mật khẩu không được chỉ gồm chữ số.")
    if username and password.casefold() == username.casefold():
        return _("Mật khẩu không được trùng tên đăng nhập.")
    return None


def _check_roles(roles, unit) -> list[str]:
    if not roles:
        raise Invalid(_("Cần chọn ít nhất một vai trò."), field="roles")
    valid = {r.value for r in Role}
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise Invalid(_("Vai trò không hợp lệ: %(roles)s.", roles=", ".join(unknown)), field="roles")
    if Role.unit_officer in roles and unit is None:
        raise Invalid(_("Cán bộ đơn vị phải gắn với một đơn vị."), field="unit_code")
    return sorted(set(roles))


def _check_email(email: str, user: User | None = None) -> str:
    """The address as typed (trimmed), or "" for none; refuses a malformed one and one another account uses
    (whatever its case: the reset link goes to one account only)."""
    email = (email or "").strip()
    if not email:
        return ""
    if len(email) > 255 or not EMAIL.match(email):
        raise Invalid(_("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@syt.gov.vn."), field="email")
    taken = db.session.scalar(select(User.id).where(User.email_key == email.casefold()))
    if taken is not None and (user is None or taken != user.id):
        raise Invalid(_("Địa chỉ thư điện tử này đã dùng cho một tài khoản khác."), field="email")
    return email


def check_email(email: str, user: User | None = None) -> str:
    """The address cleaned, or an Invalid naming the field (malformed, or another account's)."""
    return _check_email(email, user)


def create_user(username: str, password: str, roles, *, full_name: str = "", email: str = "", unit=None,
                person=None, by=None):
    """A new account; refuses a taken username or address, a weak password, an unknown role, an officer without
    unit."""
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise Invalid(_("Tên đăng nhập gồm 3–80 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch ngang, "
                        "gạch dưới."), field="username")
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise DomainError(_("Tên đăng nhập “%(u)s” đã tồn tại.", u=username), code="duplicate")
    problem = password_problem(password, username)
    if problem:
        raise Invalid(problem, field="password")
    user = User(username=username, full_name=(full_name or "").strip() or username,
                email=_check_email(email), unit=unit, person=person)
    user.roles = _check_roles(list(roles), unit)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, by=by, after=audit.snapshot(user, USER_FIELDS))
    return user


def update_user(user: User, *, full_name: str, roles, unit, person, active: bool, by, email: str | None = None):
    """Change an account's name, address, roles, unit, person and whether it may sign in."""
    before = audit.snapshot(user, USER_FIELDS)
    if by is not None and user.id == by.id and (not active or Role.admin not in roles):
        raise DomainError(_("Bạn không thể tự khóa hoặc tự bỏ quyền quản trị của mình."))
    user.roles = _check_roles(list(roles), unit)
    if email is not None:
        user.email = _check_email(email, user)
    user.full_name, user.unit, user.person, user.active = full_name.strip() or user.username, unit, person, active
    db.session.flush()
    audit.record("user.update", user, by=by, before=before, after=audit.snapshot(user, USER_FIELDS))
    return user


def set_email(user: User, email: str, *, by):
    """The user's own address (or an admin's change of it): notifications and password-reset links go there."""
    before = user.email
    user.email = _check_email(email, user)
    db.session.flush()
    audit.record("user.email", user, by=by, before={"email": before}, after={"email": user.email})


def change_password(user: User, current: str, new: str, *, by=None, revoke_tokens: bool = False):
    """The user's own change: needs the current password; ends every other session and, when asked, revokes
    the user's API tokens too (a password that leaked may have let someone create one)."""
    if not user.check_password(current or ""):
        raise Invalid(_("Mật khẩu hiện tại không đúng."), field="current_password")
    reset_password(user, new, by=by or user, keep_session=user.session_key)
    if revoke_tokens:
        revoke_tokens_of(user, by=by or user)


def end_sessions(user: User, *, by, action: str = "user.sessions_end"):
    """Sign the user out everywhere ("sign out everywhere", or an admin's "end sessions"): every session record
    goes and every cookie carries the old session token, which the loader no longer accepts."""
    user.session_token = secrets.token_hex(16)
    sessions.end_all_but(user)
    db.session.flush()
    audit.record(action, user, by=by)


def revoke_tokens_of(user: User, *, by) -> int:
    """Revoke every API token of the user still in use; how many."""
    active = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                       ApiToken.revoked_at.is_(None))).all()
    for token in active:
        revoke_token(token, by=by)
    return len(active)


def reset_password(user: User, new: str, *, by, keep_session: str | None = None):
    """Set a new password (admin reset or own change) and end every session but `keep_session` (the browser that
    made the change)."""
    problem = password_problem(new, user.username)
    if problem:
        raise Invalid(problem, field="new_password")
    user.set_password(new)
    sessions.end_all_but(user, keep_session)
    db.session.flush()
    audit.record("user.password", user, by=by)


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made like real ones, for an unknown username: checking it costs what checking a real one does."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method)
    return _DUMMY_HASHES[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None; both outcomes are audited. A password is hashed whether
    or not the username exists, so the answer's timing does not tell which usernames do."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
    if user is None or not user.check_password(password or "") or not user.active:
        audit.record("login.failed", object_type="User", object_id=(username or "")[:80])
        return None
    user.last_login_at = utcnow()
    audit.record("login", user, by=user)
    return user


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, *, label: str = "", by=None) -> tuple[ApiToken, str]:
    """A new random bearer token; only its hash is kept, the raw value is returned once."""
    raw = "aw_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, token_hash=_digest(raw), prefix=raw[:10], label=(label or "").strip()[:100])
    db.session.add(token)
    db.session.flush()
    audit.record("token.issue", token, by=by, after={"user": user.username, "prefix": token.prefix})
    return token, raw


def revoke_token(token: ApiToken, *, by):
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record("token.revoke", token, by=by, after={"user": token.user.username, "prefix": token.prefix})


# An API request's whole authentication, one statement (issue 21: ~40 % of a ballot's CPU was this): the account
# of the unrevoked token with this hash, if active, and its roles (joined: what the permission checks read). Its
# unit and person load only when a route reads them; the token row itself is not loaded, nor written. Built on first
# use: loader options configure the mappers, which needs every model imported.
@functools.cache
def _token_user():
    return (select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None), User.active.is_(True))
            .options(joinedload(User.role_rows), lazyload(User.unit), lazyload(User.person)))


def user_for_token(raw: str) -> User | None:
    """The active user owning this unrevoked token, or None."""
    return db.session.execute(_token_user(), {"digest": _digest(raw)}).unique().scalar_one_or_none()


class TokenUser:
    """A bearer token's account as an endpoint declared `light_user=True` gets it (core/api.py): its id, username
    and roles, no ORM object (issue 21: the ORM's loading of the account and its roles was most of a ballot's
    authentication, for the three attributes the ballot reads). Anything else a route would read is an
    AttributeError, not a silent default: such a route keeps the full `User`."""

    __slots__ = ("id", "username", "roles", "_roles")
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user_id: int, username: str, roles):
        self.id, self.username = user_id, username
        self._roles = frozenset(roles)
        self.roles = sorted(self._roles)

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, role: str) -> bool:
        return role in self._roles

    def has_any_role(self, *roles: str) -> bool:
        return not self._roles.isdisjoint(roles)

    @property
    def is_manager(self) -> bool:
        return self.has_any_role(*MANAGERS)

    def __repr__(self) -> str:
        return f"<TokenUser {self.id} {self.username!r}>"


_U, _T, _R = User.__table__, ApiToken.__table__, UserRole.__table__
# the account of the unrevoked token with this hash, if active, one row per role (none: one row, role NULL): the
# conditions of _token_user, read as plain columns on the request's connection
TOKEN_PRINCIPAL = (
    select(_U.c.id, _U.c.username, _R.c.role)
    .select_from(_U.join(_T, _T.c.user_id == _U.c.id).outerjoin(_R, _R.c.user_id == _U.c.id))
    .where(_T.c.token_hash == bindparam("digest"), _T.c.revoked_at.is_(None), _U.c.active.is_(True))
)


def principal_for_token(raw: str) -> TokenUser | None:
    """`user_for_token` as a `TokenUser`: one statement, nothing cached between requests (a token revoked or an
    account deactivated is refused at its next request). Its endpoints are the hot ones (a council's ballots): the
    statement is prepared at its first use on a connection, as the ballot's own."""
    connection = db.session.connection()
    with prepared_at_first_use(connection):
        rows = connection.execute(TOKEN_PRINCIPAL, {"digest": _digest(raw)}).all()
    if not rows:
        return None
    return TokenUser(rows[0][0], rows[0][1], [row[2] for row in rows if row[2] is not None])
