"""Public review lists (công khai lấy ý kiến), the public's feedback handled as cases, and award decisions
(quyết định khen thưởng) with their gold-book numbers."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core import clock
from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column


class CaseStatus(LabelledEnum):
    """A feedback case: open (it freezes the dossier) → resolved (announcements/states.py)."""

    open = "open", _l("Đang xử lý"), "text-bg-warning"
    resolved = "resolved", _l("Đã giải quyết"), "text-bg-light border"


class CaseOutcome(LabelledEnum):
    dismissed = "dismissed", _l("Không có cơ sở"), "text-bg-secondary"
    upheld = "upheld", _l("Có cơ sở"), "text-bg-danger"


class CaseAction(LabelledEnum):
    """What an upheld case does to the dossier."""

    none = "none", _l("Giữ nguyên hồ sơ")
    return_ = "return", _l("Trả lại hồ sơ để đơn vị bổ sung, giải trình")
    reject = "reject", _l("Loại hồ sơ (không đề nghị khen thưởng)")


class Announcement(Base):
    """A list of nominees made public for comment between two dates (inclusive, Vietnam time)."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list["AnnouncementItem"]] = relationship(back_populates="announcement",
                                                           cascade="all, delete-orphan",
                                                           order_by="AnnouncementItem.position")

    @property
    def phase(self) -> str:
        """upcoming | open | closed, from the dates (never stored)."""
        today = clock.today()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"


class AnnouncementItem(Base):
    __tablename__ = "announcement_items"
    __table_args__ = (UniqueConstraint("announcement_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    announcement: Mapped[Announcement] = relationship(back_populates="items")
    nomination = relationship("Nomination", lazy="joined")


class Feedback(Base):
    """A written, identified comment from the public on one nominee, tracked as a case to its outcome.
    While open it freezes the nomination (NĐ 152 Art 4.4)."""

    __tablename__ = "feedback"
    __table_args__ = (check_constraint("status", CaseStatus), check_constraint("outcome", CaseOutcome),
                      check_constraint("action", CaseAction))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)  # what the sender quotes
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = state_column(CaseStatus, 10, default=CaseStatus.open, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = state_column(CaseOutcome, 10)
    action: Mapped[str | None] = state_column(CaseAction, 10)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    announcement: Mapped[Announcement] = relationship()
    nomination = relationship("Nomination", lazy="joined")
    assignee = relationship("User", foreign_keys=[assignee_id])
    notes: Mapped[list["FeedbackNote"]] = relationship(back_populates="feedback", order_by="FeedbackNote.id")


class FeedbackNote(Base):
    """A step in handling a case: who noted what, when."""

    __tablename__ = "feedback_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    feedback: Mapped[Feedback] = relationship(back_populates="notes")
    by = relationship("User", lazy="joined")


class Decision(Base):
    """An award decision: its number, date, issuer and signer, and the nominations it awards.

    Its number belongs to its issuing unit's series of the year (NĐ 30/2020 Art 15: an agency numbers its documents
    from 01 each year): unique per (unit, year), and among the decisions with no unit (from before units had their
    own) per year."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "number"),
        Index("uq_decisions_number_no_unit", "year", "number", unique=True,
              sqlite_where=text("unit_id IS NULL"), postgresql_where=text("unit_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    signed_on: Mapped[date] = mapped_column(index=True)
    year: Mapped[int] = mapped_column(Integer)  # the year of its series: signed_on's year
    signer: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(255))
    # the awarding unit that issues it (CONTRACT §5); None on decisions from before units had their own
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit")
    items: Mapped[list["DecisionItem"]] = relationship(back_populates="decision", order_by="DecisionItem.position")


class DecisionItem(Base):
    """One recipient of a decision: the nomination, the archive record it created, its gold-book number."""

    __tablename__ = "decision_items"
    __table_args__ = (UniqueConstraint("decision_id", "position"), UniqueConstraint("nomination_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the recipient's place in the decision, 1..n (the gold-book
    # number is the record's: the next of the issuer's book, announcements/goldbook.py)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))
    record_id: Mapped[int] = mapped_column(ForeignKey("award_records.id"), index=True)  # public results join
    # the prize money written when the decision is issued (awards/prizes), so a later base salary never rewrites it;
    # None: the award has no coefficient, or no base salary was known for the date
    prize_coefficient: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False))
    prize_amount: Mapped[int | None] = mapped_column(Integer)  # đồng

    decision: Mapped[Decision] = relationship(back_populates="items")
    nomination = relationship("Nomination", lazy="joined")
    record = relationship("AwardRecord", lazy="joined")


class GoldBook(Base):
    """An issuing authority's gold book (sổ vàng): the last number it gave out, so that none is given twice
    (RULES §8). `book` is the issuing unit's key (`#unit-<id>`, goldbook.unit_book) when the decision has a unit,
    else the issuer's name folded (case, diacritics and spacing ignored); `scanned_to` the last archive record
    already read for numbers written outside decisions (imports, hand entries)."""

    __tablename__ = "gold_books"

    id: Mapped[int] = mapped_column(primary_key=True)
    book: Mapped[str] = mapped_column(String(255), unique=True)
    issuer: Mapped[str] = mapped_column(String(255))
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    scanned_to: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
