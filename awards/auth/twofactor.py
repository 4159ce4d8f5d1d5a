"""Two-factor sign-in: TOTP codes (RFC 6238, pyotp) from an authenticator app, ten single-use recovery codes,
and the roles an admin requires it for. Services flush and audit; callers commit. The API's bearer tokens are
not affected: a token is its own credential, issued to an account that has signed in."""

import hashlib
import secrets
import time

import pyotp
import segno
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from awards.auth.models import AuthSetting, RecoveryCode, User, UserRole
from awards.core import audit
from awards.core.db import DomainError, Invalid, utcnow
from awards.core.permissions import Role
from awards.extensions import db

ISSUER = "Thi đua – Khen thưởng"
REQUIRABLE = (Role.admin, Role.staff, Role.council_member)  # the roles an admin may require two-factor for
ROLES_KEY = "two_factor_roles"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper
DRIFT = 1  # time steps accepted either side of now (a phone's clock a little off)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (no image file, nothing fetched)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", border=2,
                                                  title=_("Mã QR để thêm tài khoản vào ứng dụng xác thực"))


def grouped(secret: str) -> str:
    """The secret in groups of four, to type by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean_code(code: str) -> str:
    return "".join((code or "").split())


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step (within DRIFT of now) whose code this is, or None."""
    code = _clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int((time.time() if at is None else at) // totp.interval)
    for step in range(now - DRIFT, now + DRIFT + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user: User, step: int) -> bool:
    """Mark `step` used, atomically: refused if this or a later step's code was already accepted (a replayed code,
    or two requests racing with one code)."""
    done = db.session.execute(update(User).where(
        User.id == user.id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        return False
    db.session.refresh(user, ["totp_last_step"])
    return True


# --- recovery codes --------------------------------------------------------------------------------------------

def _code_hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{_clean_code(code).lower().replace('-', '')}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones end); only their hashes are stored, the codes are shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_code_hash(user, raw)))
    db.session.flush()
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code, atomically (a second use, or a race with the same code, is refused)."""
    done = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(user, code),
        RecoveryCode.used_at.is_(None)).values(used_at=utcnow()).execution_options(synchronize_session=False))
    return done.rowcount == 1


# --- enrolment and sign-in -----------------------------------------------------------------------------------

def enable(user: User, secret: str, code: str, *, by) -> list[str]:
    """Turn two-factor on with the secret the user's app was given, once a code from it proves the app has it;
    returns the recovery codes, shown once."""
    if user.two_factor_enabled:
        raise DomainError(_("Xác thực hai bước đã được bật cho tài khoản này."))
    step = _matching_step(secret, code)
    if step is None:
        raise Invalid(_("Mã xác thực không đúng: nhập mã 6 số đang hiện trong ứng dụng (mã đổi sau mỗi 30 giây)."),
                      field="code")
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    codes = _new_recovery_codes(user)
    audit.record("user.2fa_enable", user, by=by)
    return codes


def verify(user: User, code: str) -> str | None:
    """Check a sign-in code: "totp" or "recovery" when it is good (and now spent), None when not; audited."""
    kind = None
    if user.two_factor_enabled:
        step = _matching_step(user.totp_secret, code)
        if step is not None and _use_step(user, step):
            kind = "totp"
        elif step is None and len(_clean_code(code)) > 6 and _use_recovery_code(user, code):
            kind = "recovery"
    audit.record("login.2fa" if kind else "login.2fa_failed", user, by=user if kind else None,
                 after={"kind": kind} if kind else None)
    return kind


def regenerate_recovery_codes(user: User, password: str, *, by) -> list[str]:
    if not user.two_factor_enabled:
        raise DomainError(_("Xác thực hai bước chưa được bật."))
    if not user.check_password(password or ""):
        raise Invalid(_("Mật khẩu không đúng."), field="password")
    codes = _new_recovery_codes(user)
    audit.record("user.2fa_recovery_codes", user, by=by)
    return codes


def _turn_off(user: User) -> None:
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def disable(user: User, password: str, *, by) -> None:
    """The user's own choice to stop using two-factor: needs the password, refused where a role requires it."""
    if not user.two_factor_enabled:
        raise DomainError(_("Xác thực hai bước chưa được bật."))
    if is_required_for(user):
        raise DomainError(_("Vai trò của bạn bắt buộc dùng xác thực hai bước: không thể tắt."))
    if not user.check_password(password or ""):
        raise Invalid(_("Mật khẩu không đúng."), field="password")
    _turn_off(user)
    audit.record("user.2fa_disable", user, by=by)


def reset(user: User, *, by) -> None:
    """An admin clears a user's two-factor (a lost phone and lost recovery codes): the user signs in with the
    password alone, then enrols again if a role requires it."""
    if not user.two_factor_enabled:
        raise DomainError(_("Tài khoản này chưa bật xác thực hai bước."))
    _turn_off(user)
    audit.record("user.2fa_reset", user, by=by)


# --- the admin's requirement -----------------------------------------------------------------------------------

def _roles(value) -> list[str]:
    return sorted(value) if isinstance(value, list) else []


def required_roles_column():
    """The setting as a column of another query (the session loader's, so that no page pays a statement for it)."""
    return select(AuthSetting.value).where(AuthSetting.key == ROLES_KEY).scalar_subquery()


def remember_required_roles(value) -> None:
    """Keep the setting read with the signed-in user for the rest of this request."""
    if has_request_context():
        g.two_factor_roles = _roles(value)


def required_roles() -> list[str]:
    if has_request_context() and "two_factor_roles" in g:
        return g.two_factor_roles
    return _roles(db.session.scalar(select(AuthSetting.value).where(AuthSetting.key == ROLES_KEY)))


def set_required_roles(roles, *, by) -> list[str]:
    """Which roles must sign in with two-factor (admin, staff, council member); their users without it are sent to
    enrol right after the password and can use nothing else until done."""
    wanted = sorted(set(roles or ()))
    unknown = [r for r in wanted if r not in {r.value for r in REQUIRABLE}]
    if unknown:
        raise Invalid(_("Vai trò không hợp lệ: %(roles)s.", roles=", ".join(unknown)), field="roles")
    row = db.session.scalar(select(AuthSetting).where(AuthSetting.key == ROLES_KEY))
    before = required_roles()
    if row is None:
        row = AuthSetting(key=ROLES_KEY)
        db.session.add(row)
    row.value, row.updated_by_id = wanted, getattr(by, "id", None)
    db.session.flush()
    remember_required_roles(wanted)
    audit.record("settings.two_factor_roles", row, by=by, before={"roles": before}, after={"roles": wanted})
    return wanted


def is_required_for(user: User) -> bool:
    roles = required_roles()
    return bool(roles) and user.has_any_role(*roles)


def must_enrol(user: User) -> bool:
    """A user of a role that requires two-factor who has not enrolled yet."""
    return not user.two_factor_enabled and user.has_any_role(*REQUIRABLE) and is_required_for(user)


def not_enrolled_counts() -> dict[str, int]:
    """For each role that may be required: its active users without two-factor yet."""
    rows = db.session.execute(select(UserRole.role, func.count()).join(User, User.id == UserRole.user_id).where(
        UserRole.role.in_([r.value for r in REQUIRABLE]), User.active.is_(True), User.totp_secret.is_(None))
        .group_by(UserRole.role)).all()
    counts = dict.fromkeys((r.value for r in REQUIRABLE), 0)
    counts.update({role: n for role, n in rows})
    return counts
