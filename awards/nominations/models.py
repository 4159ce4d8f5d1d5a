"""Nomination dossiers (hồ sơ đề nghị khen thưởng): the subject, the award sought, attachments, history."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.uploads import Upload

ATTACHMENT_KINDS = ("report", "proposal", "minutes", "evidence", "other")


class Nomination(Base):
    __tablename__ = "nominations"
    __table_args__ = (Index("ix_nominations_status_year", "status", "year"),
                      Index("ix_nominations_subject", "subject_type", "subject_code", "award_code", "year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(8))  # person | unit
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the unit, or the person's unit
    subject_code: Mapped[str] = mapped_column(String(40))
    award_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10), default="regular")  # regular | adhoc | thematic
    summary: Mapped[str] = mapped_column(Text, default="")  # the achievement, in the unit's words
    status: Mapped[str] = mapped_column(String(14), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]  # the latest submission: the processing clock starts here

    person = relationship("Person", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    campaign = relationship("Campaign")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="nomination", order_by="Attachment.id")
    events: Mapped[list["NominationEvent"]] = relationship(back_populates="nomination",
                                                           order_by="NominationEvent.id")

    @property
    def subject_name(self) -> str:
        return self.person.full_name if self.person else self.unit.name

    @property
    def unit_code(self) -> str:
        return self.unit.code


class Attachment(Base):
    """A dossier file (typed by content, stored under its hash) with its role in the dossier."""

    __tablename__ = "nomination_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    kind: Mapped[str] = mapped_column(String(10))  # report | proposal | minutes | evidence | other
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    nomination: Mapped[Nomination] = relationship(back_populates="attachments")
    upload: Mapped[Upload] = relationship(lazy="joined")

    @property
    def sha256(self) -> str:
        return self.upload.sha256

    @property
    def size(self) -> int:
        return self.upload.size


class NominationEvent(Base):
    """One step of a dossier's history: the state it moved to, when, by whom, why."""

    __tablename__ = "nomination_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(14))
    status: Mapped[str] = mapped_column(String(14))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="events")
    by = relationship("User", lazy="joined")

    @property
    def by_name(self) -> str | None:
        return self.by.username if self.by else None
