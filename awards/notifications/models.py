"""A notification: one message for one user, shown in the inbox until read, mailed once (mail.py); and each
member's preference for how many they receive.

A notice may be *about* something (`about_type`, `about_id`: a dossier, a council session, a report): the service
that finishes the task it asks for marks it done (`services.finish`), and a done notice no longer shows "Mới"."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column


class EmailStatus(LabelledEnum):
    """A notification's mail: pending → sent | failed; none when it is not to be mailed: the user has no address,
    asked for no mail (Preference), or the task was done before the mail went (mail.py)."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
    none = "none"


class Preference(LabelledEnum):
    """How many notices a member receives: every one; only those that ask them to act (kinds.TASKS); or every one
    in the app but none by e-mail."""

    all = "all", _l("Mọi thông báo (trong ứng dụng và qua thư điện tử)")
    tasks = "tasks", _l("Chỉ việc cần tôi làm")
    no_email = "no_email", _l("Mọi thông báo trong ứng dụng, không gửi thư điện tử")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),
                      # what is about a thing, and one member's of it (a ballot marks its voter's notices done:
                      # by the user alone it read every notice the member ever had; issue 21)
                      Index("ix_notifications_about_user", "about_type", "about_id", "user_id"),
                      check_constraint("email_status", EmailStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # kinds.KINDS: nomination_returned, ballot_reminder, …
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # a path inside the app
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = state_column(EmailStatus, 10, default=EmailStatus.pending)
    emailed_at: Mapped[datetime | None]
    email_error: Mapped[str] = mapped_column(String(500), default="")
    about_type: Mapped[str | None] = mapped_column(String(30))  # "nomination", "council_session", "report_export"
    about_id: Mapped[int | None] = mapped_column(Integer)
    done_at: Mapped[datetime | None]  # the task it asked for is finished: no longer "Mới"

    user = relationship("User")

    @property
    def is_new(self) -> bool:
        """Shown as "Mới": neither read nor done."""
        return self.read_at is None and self.done_at is None


class NotificationSetting(Base):
    """A member's choice of how many notices to receive; no row is `all`."""

    __tablename__ = "notification_settings"
    __table_args__ = (check_constraint("preference", Preference),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    preference: Mapped[str] = state_column(Preference, 10, default=Preference.all)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
