"""A notification: one message for one user, shown in the inbox until read, mailed once (mail.py)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column


class EmailStatus(LabelledEnum):
    """A notification's mail: pending → sent | failed; none when the user has no address (mail.py)."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
    none = "none"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),
                      check_constraint("email_status", EmailStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # registration_reminder, deadline_approaching, …
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # a path inside the app
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = state_column(EmailStatus, 10, default=EmailStatus.pending)
    emailed_at: Mapped[datetime | None]
    email_error: Mapped[str] = mapped_column(String(500), default="")

    user = relationship("User")

