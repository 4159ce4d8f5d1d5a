"""Movement campaigns (phong trào thi đua), unit registrations, reviews and advanced examples."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
from awards.core.uploads import Upload


class CampaignKind(LabelledEnum):
    regular = "regular", _l("Thường xuyên")  # yearly
    thematic = "thematic", _l("Chuyên đề")


class CampaignStatus(LabelledEnum):
    """draft → launched → closed (campaigns/states.py); phases inside `launched` follow from the dates."""

    draft = "draft", _l("Bản nháp"), "text-bg-secondary"
    launched = "launched", _l("Đã phát động"), "text-bg-success"
    closed = "closed", _l("Đã kết thúc"), "text-bg-dark"


class ReviewKind(LabelledEnum):
    midterm = "midterm", _l("Sơ kết")
    final = "final", _l("Tổng kết")


class Stage(LabelledEnum):
    """An advanced example's four stages, in order (campaigns/states.py)."""

    discovered = "discovered", _l("Phát hiện"), "text-bg-secondary"
    nurtured = "nurtured", _l("Bồi dưỡng"), "text-bg-info"
    summarised = "summarised", _l("Tổng kết"), "text-bg-primary"
    replicated = "replicated", _l("Nhân rộng"), "text-bg-success"


class SubjectType(LabelledEnum):
    person = "person", _l("Cá nhân")
    unit = "unit", _l("Tập thể")


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (check_constraint("kind", CampaignKind), check_constraint("status", CampaignStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = state_column(CampaignKind, 10)
    year: Mapped[int] = mapped_column(index=True)
    organizer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    registration_deadline: Mapped[date]
    nominations_open_on: Mapped[date | None]  # None: 30 days before the nomination deadline
    nomination_deadline: Mapped[date]
    theme: Mapped[str] = mapped_column(Text, default="")
    targets_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on the way in
    criteria_html: Mapped[str] = mapped_column(Text, default="")
    award_codes: Mapped[list] = mapped_column(JSON, default=list)
    registration_required: Mapped[bool] = mapped_column(Boolean, default=False)  # RULES §6: a setting
    status: Mapped[str] = state_column(CampaignStatus, 10, default=CampaignStatus.draft)
    launch_document_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    launched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organizer = relationship("Unit", lazy="joined")
    launch_document = relationship(Upload)
    registrations: Mapped[list["Registration"]] = relationship(back_populates="campaign")
    reviews: Mapped[list["CampaignReview"]] = relationship(back_populates="campaign",
                                                           order_by="CampaignReview.held_on")

    @property
    def organizer_unit_code(self) -> str:
        return self.organizer.code


class Registration(Base):
    """A unit's registration: collective targets, members' individual targets, a commitment."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    collective_award_codes: Mapped[list] = mapped_column(JSON, default=list)
    commitment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[Campaign] = relationship(back_populates="registrations")
    unit = relationship("Unit", lazy="joined")
    individuals: Mapped[list["RegistrationEntry"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="RegistrationEntry.id")

    @property
    def unit_code(self) -> str:
        return self.unit.code


class RegistrationEntry(Base):
    __tablename__ = "registration_entries"
    __table_args__ = (UniqueConstraint("registration_id", "person_id", "award_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    award_code: Mapped[str] = mapped_column(String(20))

    registration: Mapped[Registration] = relationship(back_populates="individuals")
    person = relationship("Person", lazy="joined")

    @property
    def person_code(self) -> str:
        return self.person.code


class Reopening(Base):
    """Staff reopened registration for one unit after the deadline, until a date (audited)."""

    __tablename__ = "registration_reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    until: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CampaignReview(Base):
    """Sơ kết (mid-term) or tổng kết (final) review: summary, figures, the report."""

    __tablename__ = "campaign_reviews"
    __table_args__ = (check_constraint("kind", ReviewKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[str] = state_column(ReviewKind, 10)
    held_on: Mapped[date]
    summary_html: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[dict] = mapped_column(JSON, default=dict)  # label → number, as the report states them
    report_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[Campaign] = relationship(back_populates="reviews")
    report = relationship(Upload)


class AdvancedExample(Base):
    """An advanced example (điển hình tiên tiến) found in a campaign, moved through four stages."""

    __tablename__ = "advanced_examples"
    __table_args__ = (check_constraint("subject_type", SubjectType), check_constraint("stage", Stage))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    subject_type: Mapped[str] = state_column(SubjectType, 8)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    story_html: Mapped[str] = mapped_column(Text, default="")
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    stage: Mapped[str] = state_column(Stage, 12, default=Stage.discovered)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    campaign: Mapped[Campaign] = relationship()
    person = relationship("Person", lazy="joined")
    unit = relationship("Unit", lazy="joined")
    photo = relationship(Upload)
    stages: Mapped[list["ExampleStage"]] = relationship(back_populates="example", order_by="ExampleStage.id")

    @property
    def name(self) -> str:
        return self.person.full_name if self.person else self.unit.name


class ExampleStage(Base):
    """One step of an example's history: the stage reached, when, a note, evidence."""

    __tablename__ = "advanced_example_stages"
    __table_args__ = (check_constraint("stage", Stage),)

    id: Mapped[int] = mapped_column(primary_key=True)
    example_id: Mapped[int] = mapped_column(ForeignKey("advanced_examples.id"), index=True)
    stage: Mapped[str] = state_column(Stage, 12)
    on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    example: Mapped[AdvancedExample] = relationship(back_populates="stages")
    evidence = relationship(Upload)
