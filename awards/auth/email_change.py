"""A user's own e-mail address changes only when a link mailed to the new address is opened (the account page):
so nobody can point an account's notifications and password-reset links at a mailbox that is not theirs. The link
is signed (SECRET_KEY, its own salt), valid EMAIL_CONFIRM_MAX_AGE seconds (24 hours) and once: it names the address
it replaces, so after the change (or any other change) it is refused. An admin still sets an address directly
(users page, `flask users`), and removing one's own address needs no link."""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from awards.auth.models import User
from awards.auth.services import check_email, set_email
from awards.core import audit, clock
from awards.core.db import DomainError
from awards.core.web import public_url
from awards.extensions import db
from awards.notifications import mail

SALT = "email-change"


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock (tests move it to see a link expire)."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def _fingerprint(email: str | None) -> str:
    return hashlib.sha256((email or "").casefold().encode()).hexdigest()[:16]


def make_token(user: User, email: str) -> str:
    return _serializer().dumps({"u": user.id, "e": email, "o": _fingerprint(user.email)})


def hours() -> int:
    return max(1, current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 3600)


def request_change(user: User, email: str) -> bool:
    """Mail a confirmation link to the new address (the account's address stays as it is). True when the mail was
    handed to the mail server; a DomainError when the address is refused or mail is not configured."""
    email = check_email(email, user)
    if not email:
        raise DomainError(_("Hãy nhập địa chỉ thư điện tử mới."), code="invalid", status=400, field="email")
    if user.email and email.casefold() == user.email.casefold():
        raise DomainError(_("Đây đã là địa chỉ thư điện tử của tài khoản."), code="invalid", status=400,
                          field="email")
    name = user.full_name or user.username
    subject = _("Xác nhận địa chỉ thư điện tử cho tài khoản thi đua, khen thưởng")
    body = "\n".join([
        _("Kính gửi %(n)s,", n=name), "",
        _("Tài khoản %(u)s vừa đề nghị dùng địa chỉ này để nhận thông báo và liên kết đặt lại mật khẩu.",
          u=user.username),
        _("Bấm vào liên kết dưới đây để xác nhận (dùng được một lần, trong %(h)s giờ):", h=hours()),
        "", public_url("auth.confirm_email", token=make_token(user, email)), "",
        _("Nếu không phải bạn đề nghị, hãy bỏ qua thư này: địa chỉ của tài khoản không thay đổi."), "", "--",
        _("Thư tự động từ hệ thống quản lý thi đua, khen thưởng. Vui lòng không trả lời thư này.")])
    try:
        sent = mail.send_now(email, subject, body)
    except Exception as exc:  # the SMTP server refused or is unreachable: said on the form, logged for the admin
        current_app.logger.warning("e-mail confirmation to %s not sent: %s", email, exc)
        raise DomainError(_("Không gửi được thư xác nhận tới địa chỉ này. Hãy kiểm tra lại địa chỉ hoặc thử lại "
                            "sau."), code="mail_failed", status=400, field="email") from None
    if not sent:
        raise DomainError(_("Hệ thống chưa được cấu hình gửi thư (MAIL_SERVER) nên không gửi được thư xác nhận. "
                            "Hãy nhờ quản trị viên đặt địa chỉ cho tài khoản của bạn."), code="mail_not_configured",
                          status=400, field="email")
    audit.record("user.email_change_requested", user, by=user)
    return True


def confirm(token: str) -> User:
    """Apply a confirmation link: the account's address becomes the one the link names."""
    max_age = current_app.config["EMAIL_CONFIRM_MAX_AGE"]
    try:
        data = _serializer().loads(token or "", max_age=max_age)
    except SignatureExpired:
        raise DomainError(_("Liên kết xác nhận đã hết hạn (chỉ dùng được trong %(h)s giờ). Hãy nhập lại địa chỉ trên "
                            "trang tài khoản để nhận liên kết mới.", h=hours()), code="expired", status=410) from None
    except BadSignature:
        raise DomainError(_("Liên kết xác nhận không hợp lệ. Hãy mở đúng liên kết trong thư."), code="invalid_link",
                          status=404) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("o") != _fingerprint(user.email):
        raise DomainError(_("Liên kết này đã được dùng hoặc không còn hiệu lực (địa chỉ của tài khoản đã thay đổi sau "
                            "khi thư được gửi)."), code="used_link", status=410)
    set_email(user, data.get("e", ""), by=user)
    return user
