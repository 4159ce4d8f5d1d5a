"""Nomination dossiers (hồ sơ đề nghị khen thưởng): the subject, the award sought, attachments, history."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.catalog import periods
from awards.catalog.types import ATTACHMENT_KINDS, AttachmentKind  # noqa: F401  (re-exported)
from awards.core import clock
from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
from awards.core.uploads import Upload


class NominationStatus(LabelledEnum):
    """Where a dossier stands (CONTRACT §4); the moves between them are in states.py."""

    draft = "draft", _l("Đang soạn"), "text-bg-secondary"
    submitted = "submitted", _l("Đã nộp"), "text-bg-primary"
    returned = "returned", _l("Trả lại để bổ sung"), "text-bg-warning"
    appraised = "appraised", _l("Đã thẩm định đạt"), "text-bg-info"
    rejected = "rejected", _l("Không đạt thẩm định"), "text-bg-danger"
    in_council = "in_council", _l("Hội đồng đang xét"), "text-bg-info"
    passed = "passed", _l("Hội đồng thông qua"), "text-bg-success"
    failed = "failed", _l("Hội đồng không thông qua"), "text-bg-danger"
    public_review = "public_review", _l("Đang công khai lấy ý kiến"), "text-bg-info"
    awarded = "awarded", _l("Đã khen thưởng"), "text-bg-success"
    withdrawn = "withdrawn", _l("Đã rút"), "text-bg-light border"
    # issue 18, CONTRACT §5: sent to an authority outside the system, and its refusal (an award is `awarded`)
    forwarded = "forwarded", _l("Đã trình cấp trên, chờ kết quả"), "text-bg-primary"
    not_awarded = "not_awarded", _l("Cấp trên không khen thưởng"), "text-bg-danger"


class NominationKind(LabelledEnum):
    regular = "regular", _l("Thường xuyên")
    adhoc = "adhoc", _l("Đột xuất")
    thematic = "thematic", _l("Chuyên đề")


class NominationRoute(LabelledEnum):
    """Which of an award's routes ("đạt một trong các tiêu chuẩn", Luật TĐKT 2022 Art 73.1, 74.1, 44.1, 75) a
    dossier takes; the checklist applies that route's conditions (RULES §4)."""

    chain = "chain", _l("Thành tích liên tục (công trạng)")
    campaign = "campaign", _l("Phong trào thi đua, chuyên đề")
    adhoc = "adhoc", _l("Thành tích đột xuất")
    contribution = "contribution", _l("Cống hiến, đóng góp")
    other = "other", _l("Khác")


# the route a dossier takes when it names none: its kind's
ROUTE_OF_KIND = {"regular": NominationRoute.chain, "thematic": NominationRoute.campaign,
                 "adhoc": NominationRoute.adhoc}


class SubjectType(LabelledEnum):
    person = "person", _l("Cá nhân")
    unit = "unit", _l("Tập thể")




class Nomination(Base):
    __tablename__ = "nominations"
    # by status and year; with the award, the candidates to list publicly are counted by year and award from the
    # index alone (announcements.queries.candidate_groups)
    __table_args__ = (Index("ix_nominations_status_year_award", "status", "year", "award_code"),
                      Index("ix_nominations_subject", "subject_type", "subject_code", "award_code", "year"),
                      # the appraisal queue: a level's dossiers of one status, longest waiting first (outcomes.py)
                      Index("ix_nominations_queue", "handling_unit_id", "status", "clock_started_at"),
                      # the province-wide queue in order, and its overdue filter counted from the index alone
                      Index("ix_nominations_status_started_due", "status", "clock_started_at", "clock_due_on"),
                      # the stale ones only (normally none): found at once whatever the statistics say
                      Index("ix_nominations_stale", "status", postgresql_where=text("outcome_stale"),
                            sqlite_where=text("outcome_stale")),
                      check_constraint("status", NominationStatus), check_constraint("kind", NominationKind),
                      check_constraint("subject_type", SubjectType), check_constraint("route", NominationRoute))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    subject_type: Mapped[str] = state_column(SubjectType, 8)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the unit, or the person's unit
    # the awarding unit whose secretariat handles the dossier now (CONTRACT §5): set on create from the unit's
    # awarding unit; None only on a tree with no deciding unit, where the secretariat with no unit handles it
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    subject_code: Mapped[str] = mapped_column(String(40))
    award_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    kind: Mapped[str] = state_column(NominationKind, 10, default=NominationKind.regular)
    route: Mapped[str | None] = state_column(NominationRoute, 12)  # None on dossiers from before routes: its kind's
    summary: Mapped[str] = mapped_column(Text, default="")  # the achievement, in the unit's words
    status: Mapped[str] = state_column(NominationStatus, 14, default=NominationStatus.draft, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]  # the latest submission: the processing clock starts here
    # What the appraisal queue shows, kept by nominations/outcomes.py (refresh_outcomes) and marked stale there
    # whenever one of its inputs changes: the checklist's outcome (eligible; the summary: failing and overridden
    # counts, the first blockers' short text, the CSTĐCS quota line when over) and the running clock's state
    # (when it started, its norm, due_on: the last day within the norm, overdue after it). The dossier page
    # computes the full checklist live; these are the queue's copy.
    outcome_eligible: Mapped[bool | None]
    outcome_summary: Mapped[dict | None] = mapped_column(JSON)
    outcome_checked_at: Mapped[datetime | None]
    clock_started_at: Mapped[datetime | None]  # the last passing appraisal of an appraised one, else submitted_at
    clock_norm: Mapped[int | None]
    clock_due_on: Mapped[date | None]
    outcome_stale: Mapped[bool] = mapped_column(default=True, server_default=true())
    # moved on by every marking: a refresh that read its inputs before a concurrent marking writes nothing
    outcome_version: Mapped[int] = mapped_column(default=0, server_default="0")

    person = relationship("Person", lazy="joined")
    unit = relationship("Unit", lazy="joined", foreign_keys=[unit_id])
    handling_unit = relationship("Unit", foreign_keys=[handling_unit_id])
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

    @property
    def handling_unit_code(self) -> str | None:
        return self.handling_unit.code if self.handling_unit else None

    @property
    def route_or_default(self) -> "NominationRoute":
        """The route the dossier named, or its kind's (dossiers from before routes were kept)."""
        return NominationRoute.get(self.route) or ROUTE_OF_KIND.get(str(self.kind), NominationRoute.chain)

    @property
    def received_on(self):
        """The day the dossier was first received (submitted) at this level: its procedure's regime follows it
        (NĐ 152/2025 Art 60.3); None while a draft."""
        first = next((e.at for e in self.events if str(e.status) == "submitted"), None) or self.submitted_at
        return None if first is None else first.astimezone(clock.VIETNAM).date()


def regimes(nomination: Nomination) -> dict:
    """The two regimes a dossier lives under, kept apart: the substance by its achievement year, the procedure by
    the day it was received (NĐ 152/2025 Art 60.3; a draft: as if received today)."""
    received_on = nomination.received_on
    substance = periods.substance_regime(nomination.year)
    procedure = periods.procedure_regime(received_on or clock.today())
    return {"received_on": received_on, "substance_basis": substance.basis, "procedure_basis": procedure.basis}


class Attachment(Base):
    """A dossier file (typed by content, stored under its hash) with its role in the dossier."""

    __tablename__ = "nomination_attachments"
    __table_args__ = (check_constraint("kind", AttachmentKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    kind: Mapped[str] = state_column(AttachmentKind, 10)
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
    __table_args__ = (check_constraint("from_status", NominationStatus), check_constraint("status", NominationStatus),
                      # the dossiers submitted in a period (reports.processing, the dashboard's processing times):
                      # that period's submissions, not every event of every year (issue 21)
                      Index("ix_nomination_events_status_at", "status", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    from_status: Mapped[str | None] = state_column(NominationStatus, 14)
    status: Mapped[str] = state_column(NominationStatus, 14)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # the level that took the step: the dossier's handling unit then (issue 18: `levels` in responses)
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    nomination: Mapped[Nomination] = relationship(back_populates="events")
    by = relationship("User", lazy="joined")
    handling_unit = relationship("Unit")

    @property
    def by_name(self) -> str | None:
        return self.by.username if self.by else None


class OutsideResult(LabelledEnum):
    """The answer of an authority outside the system to a forwarded dossier (CONTRACT §5 words)."""

    awarded = "awarded", _l("Được khen thưởng"), "text-bg-success"
    not_awarded = "not_awarded", _l("Không được khen thưởng"), "text-bg-danger"


class OutsideAnswer(Base):
    """One answer from outside (the province's decision, or its refusal) as it came back: recorded once for every
    dossier it covers (one decision for 40 people), with the decision's file stored once (issue 18)."""

    __tablename__ = "outside_answers"
    __table_args__ = (check_constraint("result", OutsideResult),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result: Mapped[str] = state_column(OutsideResult, 12)
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    decision_date: Mapped[date | None]
    issuer: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # a refusal's reason, as the unit reads it
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))  # the decision's file (PDF or image)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    upload: Mapped[Upload | None] = relationship(lazy="joined")
    items: Mapped[list["OutsideAnswerItem"]] = relationship(back_populates="answer", order_by="OutsideAnswerItem.id")


class OutsideAnswerItem(Base):
    """A dossier the answer covers, and the archive record it wrote when awarded."""

    __tablename__ = "outside_answer_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("outside_answers.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), unique=True)  # answered once
    record_id: Mapped[int | None] = mapped_column(ForeignKey("award_records.id"), index=True)

    answer: Mapped[OutsideAnswer] = relationship(back_populates="items", lazy="joined")
    nomination: Mapped[Nomination] = relationship()
    record = relationship("AwardRecord")
