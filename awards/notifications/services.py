"""Changing notifications: queue them for their recipients, mark them read. Flushed, never committed."""

from sqlalchemy import update

from awards.core.db import utcnow
from awards.extensions import db
from awards.notifications.models import Notification


def notify(users, kind: str, subject: str, body: str = "", link: str = "") -> list[Notification]:
    """Queue one notification per user (flushed with the caller's transaction; mail goes out later)."""
    notes = []
    for user in {u.id: u for u in users}.values():
        note = Notification(user_id=user.id, kind=kind, subject=subject[:255], body=body, link=link[:500],
                            email_status="pending" if getattr(user, "email", "") else "none")
        db.session.add(note)
        notes.append(note)
    db.session.flush()
    return notes


def mark_read(note: Notification) -> None:
    """The notification read now, unless it was already."""
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    """Every unread notification of the user read now; how many there were."""
    return db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())).rowcount
