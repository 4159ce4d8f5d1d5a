"""Users, their roles and API tokens."""

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from awards.core.db import Base, utcnow
from awards.core.permissions import MANAGERS, Role


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(255), default="", server_default="")  # notifications, password reset
    # the address folded to lower case, NULL when there is none: one account per address, whatever its case
    email_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # rotated on password change: every other session signed with the old value ends
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # two-factor sign-in (auth/twofactor.py): the TOTP secret once enrolment is confirmed, and the last time step
    # whose code was accepted (a code is good once: the same code again in its window is refused)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")
    unit = relationship("Unit", lazy="joined")
    person = relationship("Person", lazy="joined")

    # Flask-Login protocol
    is_anonymous = False
    session_key = None  # the browser session this request belongs to (auth/sessions.py), not stored

    @validates("email")
    def _fold_email(self, _key, value):
        value = (value or "").strip()
        self.email_key = value.casefold() or None
        return value

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session and the "remember me" cookie carry: the account, its session token (changed by a password
        change and by "sign out everywhere") and the key of this browser's session record."""
        return f"{self.id}:{self.session_token}:{self.session_key or ''}"

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None

    @property
    def roles(self) -> list[str]:
        return sorted(row.role for row in self.role_rows)

    @roles.setter
    def roles(self, values) -> None:
        wanted = {Role(v) for v in values}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = {r.role for r in self.role_rows}
        self.role_rows.extend(UserRole(role=role) for role in sorted(wanted - have))

    def has_role(self, role: str) -> bool:
        return any(r.role == role for r in self.role_rows)

    def has_any_role(self, *roles: str) -> bool:
        return any(self.has_role(role) for role in roles)

    @property
    def is_manager(self) -> bool:
        """Admin or emulation secretariat: works across every unit."""
        return self.has_any_role(*MANAGERS)

    @property
    def unit_code(self) -> str | None:
        return self.unit.code if self.unit else None

    @property
    def person_code(self) -> str | None:
        return self.person.code if self.person else None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])
        self.session_token = secrets.token_hex(16)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(Base):
    """A bearer token: only its SHA-256 is stored; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class UserSession(Base):
    """One signed-in browser: the session cookie carries a random key, the table keeps its SHA-256. Ending the row
    ends that browser's session on its next request; the list lets the owner see where the account is open."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(Base):
    """A two-factor recovery code: only its hash is kept, each is good once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class AuthSetting(Base):
    """A sign-in setting the admin changes on a page (`two_factor_roles`: the roles that must use two-factor)."""

    __tablename__ = "auth_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
