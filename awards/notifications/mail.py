"""Mailing notifications: the pending ones go out by SMTP (standard library), each marked sent or failed.

Settings, read from the app config, else the environment: MAIL_SERVER (unset: nothing is sent), MAIL_PORT (25),
MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS, false), MAIL_FROM ("awards@localhost"), and
PUBLIC_BASE_URL ("http://127.0.0.1:5000") to make the links absolute.
"""

import email.policy
import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from awards.core.db import utcnow
from awards.extensions import db
from awards.notifications import kinds, queries
from awards.notifications.models import Notification, Preference

DEFAULTS = {"MAIL_PORT": "25", "MAIL_FROM": "awards@localhost", "PUBLIC_BASE_URL": "http://127.0.0.1:5000"}
TIMEOUT = 30  # seconds for the SMTP conversation

# Python 3.11's folding of a long UTF-8 header drops the space where it splits two encoded words ("thi đua" arrives
# as "thiđua"): headers are written on one line (RFC 5322 allows 998 characters)
UNFOLDED = email.policy.SMTP.clone(max_line_length=998)

# refused for this message only: the next one may still go
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
                  smtplib.SMTPNotSupportedError, UnicodeError, ValueError)


def setting(name: str):
    """A mail setting: the app config first, then the environment, then the default."""
    value = current_app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(name)
    if value in (None, ""):
        value = DEFAULTS.get(name)
    return value


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def absolute_link(link: str) -> str:
    base = str(setting("PUBLIC_BASE_URL")).rstrip("/")
    return f"{base}{link if link.startswith('/') else '/notifications'}"


def build_message(note: Notification, sender: str) -> EmailMessage:
    """The notification as a UTF-8 e-mail: its Vietnamese subject, its body and the link to open it."""
    message = EmailMessage(policy=UNFOLDED)
    message["Subject"] = note.subject
    message["From"] = sender
    message["To"] = note.user.email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    greeting = _("Kính gửi %(n)s,", n=note.user.full_name or note.user.username)
    lines = [greeting, "", note.subject]
    if note.body:
        lines += ["", note.body]
    lines += ["", _("Xem chi tiết: %(u)s", u=absolute_link(note.link or "")), "", "--",
              _("Thư tự động từ hệ thống quản lý thi đua, khen thưởng. Vui lòng không trả lời thư này.")]
    message.set_content("\n".join(lines), charset="utf-8")
    return message


def send_now(to: str, subject: str, body: str) -> bool:
    """One message straight away, outside the outbox (a password-reset link cannot wait for the next delivery run);
    False when no MAIL_SERVER is set. SMTP errors are raised to the caller."""
    if not setting("MAIL_SERVER"):
        return False
    sender = str(setting("MAIL_FROM"))
    message = EmailMessage(policy=UNFOLDED)
    message["Subject"], message["From"], message["To"] = subject, sender, to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body, charset="utf-8")
    smtp = _connect()
    try:
        smtp.send_message(message)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return True


def _to_be_mailed(note: Notification, preference: Preference) -> bool:
    """The preference as it is now (it may have changed since the notice was queued), and the task not done."""
    if not (note.user and note.user.email) or note.done_at is not None or preference == Preference.no_email:
        return False
    return preference != Preference.tasks or kinds.is_task(note.kind)


def _connect() -> smtplib.SMTP:
    smtp = smtplib.SMTP(setting("MAIL_SERVER"), int(setting("MAIL_PORT")), timeout=TIMEOUT)
    if _flag(setting("MAIL_USE_TLS")):
        smtp.starttls()
    if setting("MAIL_USERNAME"):
        smtp.login(setting("MAIL_USERNAME"), setting("MAIL_PASSWORD") or "")
    return smtp


def deliver_pending(limit: int = 500) -> dict:
    """Mail up to `limit` pending notifications, oldest first; each is committed as sent or failed as soon as
    its fate is known (the mail cannot be taken back). Without MAIL_SERVER nothing is sent and they stay
    pending (reported as skipped). A notification becomes "none" (skipped) when its user has no e-mail address,
    has since asked for no mail (or for tasks only, and it is news), or its task was done before it went.
    If the server cannot be reached, the rest stay pending for the next run and `error` says why."""
    result = {"sent": 0, "failed": 0, "skipped": 0, "error": None}
    notes = db.session.scalars(select(Notification).where(Notification.email_status == "pending")
                               .order_by(Notification.id).limit(limit)).all()
    if not notes:
        return result
    if not setting("MAIL_SERVER"):
        result["skipped"] = len(notes)
        return result
    sender = str(setting("MAIL_FROM"))
    preferences = queries.preferences({n.user_id for n in notes})
    smtp = current = None
    try:
        for note in notes:
            current = note
            if not _to_be_mailed(note, preferences.get(note.user_id, Preference.all)):
                note.email_status = "none"
                result["skipped"] += 1
                db.session.commit()
                continue
            try:
                smtp = smtp or _connect()
                smtp.send_message(build_message(note, sender))
            except MESSAGE_ERRORS as exc:
                note.email_status, note.email_error = "failed", str(exc)[:500]
                result["failed"] += 1
            else:
                note.email_status, note.email_error = "sent", ""
                result["sent"] += 1
            note.emailed_at = utcnow()
            db.session.commit()
    except (OSError, smtplib.SMTPException) as exc:  # the server, not this message: try again next run
        db.session.rollback()
        result["error"] = _("Không gửi được thư qua %(s)s: %(e)s", s=setting("MAIL_SERVER"), e=exc)
        if current is not None:  # still pending; the reason is kept for whoever looks
            current.email_error = result["error"][:500]
            db.session.commit()
        current_app.logger.warning("mail delivery stopped: %s", exc)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return result
