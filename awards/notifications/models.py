"""Notifications: every message is stored for its recipient, shown in the app, and mailed when SMTP is set."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # registration_reminder, deadline_approaching, …
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # a path inside the app
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sent | failed | none
    emailed_at: Mapped[datetime | None]
    email_error: Mapped[str] = mapped_column(String(500), default="")

    user = relationship("User")


def notify(users, kind: str, subject: str, body: str = "", link: str = "") -> list[Notification]:
    """Queue one notification per user (flushed with the caller's transaction; mail goes out later)."""
    from awards.extensions import db

    notes = []
    for user in {u.id: u for u in users}.values():
        note = Notification(user_id=user.id, kind=kind, subject=subject[:255], body=body, link=link[:500],
                            email_status="pending" if getattr(user, "email", "") else "none")
        db.session.add(note)
        notes.append(note)
    db.session.flush()
    return notes
