"""Password reset by e-mail: a signed link, good for 30 minutes and once.

The link carries the account's id and a fingerprint of its password hash, signed with SECRET_KEY under its own
salt. Setting the new password changes the hash, so the same link (and any other sent before) is refused after;
the new hash is written only if the old one is still there, so two tabs racing with one link cannot both win.
Asking for a link answers the same whether or not the address is known, and does the same work before answering:
the mail goes from a thread of its own, so the answer's timing does not wait for the mail server either."""

import hashlib
import secrets
import threading

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from awards.auth import sessions
from awards.auth.models import User
from awards.auth.services import password_problem
from awards.core import audit, clock
from awards.core.db import DomainError, Invalid
from awards.core.web import public_url
from awards.extensions import db
from awards.notifications import mail

VALID_MINUTES = 30
SALT = "password-reset"


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock (tests move it to see a link expire)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does; tells nothing of the hash itself."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def _message(user: User | None, token: str) -> tuple[str, str]:
    name = (user.full_name or user.username) if user else ""
    subject = _("Đặt lại mật khẩu tài khoản thi đua, khen thưởng")
    lines = [_("Kính gửi %(n)s,", n=name), "",
             _("Có người (có thể là bạn) đã yêu cầu đặt lại mật khẩu cho tài khoản %(u)s.",
               u=user.username if user else ""),
             _("Bấm vào liên kết dưới đây để đặt mật khẩu mới. Liên kết dùng được một lần, trong %(m)s phút:",
               m=VALID_MINUTES),
             "", public_url("auth.reset_password", token=token), "",
             _("Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi."), "", "--",
             _("Thư tự động từ hệ thống quản lý thi đua, khen thưởng. Vui lòng không trả lời thư này.")]
    return subject, "\n".join(lines)


def _send_later(to: str, subject: str, body: str) -> None:
    app = current_app._get_current_object()

    def send():
        with app.app_context():
            try:
                if not mail.send_now(to, subject, body):
                    app.logger.warning("password reset asked but MAIL_SERVER is not set: no mail sent")
            except Exception as exc:  # a thread has no one to raise to: the log is where the admin looks
                app.logger.warning("password reset mail to %s not sent: %s", to, exc)

    threading.Thread(target=send, name="password-reset-mail", daemon=True).start()


def request_reset(email: str) -> None:
    """Mail a reset link to the active account with this address, if there is one; nothing tells the caller
    which (the page answers the same, the work before answering is the same)."""
    key = (email or "").strip().casefold()
    user = db.session.scalar(select(User).where(User.email_key == key, User.active.is_(True))) if key else None
    token = make_token(user) if user is not None else _serializer().dumps({"u": 0, "p": "-" * 20})
    subject, body = _message(user, token)
    audit.record("password.reset_request", user, object_type="User", object_id=None if user else key[:80],
                 after={"known": user is not None})
    if user is not None:
        _send_later(user.email, subject, body)


def user_for_token(token: str) -> User:
    """The account a reset link is for, or a DomainError saying in Vietnamese why the link cannot be used."""
    try:
        data = _serializer().loads(token or "", max_age=VALID_MINUTES * 60)
    except SignatureExpired:
        raise DomainError(_("Liên kết đặt lại mật khẩu đã hết hạn (chỉ dùng được trong %(m)s phút). Vui lòng yêu "
                            "cầu liên kết mới.", m=VALID_MINUTES), code="expired", status=410) from None
    except BadSignature:
        raise DomainError(_("Liên kết đặt lại mật khẩu không hợp lệ. Hãy mở đúng liên kết trong thư, hoặc yêu cầu "
                            "liên kết mới."), code="invalid_link", status=404) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        raise DomainError(_("Liên kết này đã được dùng hoặc không còn hiệu lực (mật khẩu đã được đổi sau khi thư được "
                            "gửi). Vui lòng yêu cầu liên kết mới."), code="used_link", status=410)
    return user


def complete_reset(token: str, new_password: str) -> User:
    """Set the new password from a reset link: the link is then spent, and every session of the account ends."""
    user = user_for_token(token)
    problem = password_problem(new_password, user.username)
    if problem:
        raise Invalid(problem, field="new_password")
    new_hash = generate_password_hash(new_password, current_app.config["PASSWORD_HASH_METHOD"])
    done = db.session.execute(update(User).where(User.id == user.id, User.password_hash == user.password_hash)
                              .values(password_hash=new_hash, session_token=secrets.token_hex(16))
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:  # another tab used the same link a moment ago
        raise DomainError(_("Liên kết này đã được dùng. Vui lòng yêu cầu liên kết mới."), code="used_link", status=410)
    db.session.refresh(user)
    sessions.end_all_but(user)
    audit.record("user.password_reset", user, by=user)
    return user

