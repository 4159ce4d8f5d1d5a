"""Report workbooks built in the background (reports.exports): the job, its progress and the finished file."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import JobStatus, LabelledEnum, check_constraint, state_column
from awards.core.uploads import Upload


class ExportKind(LabelledEnum):
    annual = "annual"
    half_year = "half_year"
    statistics = "statistics"


KINDS = tuple(ExportKind)
STATUSES = tuple(JobStatus)


class ExportJob(Base):
    """One Excel report asked for from the dashboard: queued, running (with a percent and a phase), then done
    with its file (an Upload, kept under its SHA-256) or failed with a Vietnamese message."""

    __tablename__ = "report_exports"
    __table_args__ = (check_constraint("kind", ExportKind), check_constraint("status", JobStatus))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = state_column(ExportKind, 12)
    year: Mapped[int]
    half: Mapped[int | None] = mapped_column(SmallInteger)  # 1 or 2 for half_year
    status: Mapped[str] = state_column(JobStatus, 10, default=JobStatus.queued)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)  # 0–100
    phase: Mapped[str] = mapped_column(String(20), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    upload: Mapped[Upload | None] = relationship()


class ReportStatus(LabelledEnum):
    draft = "draft", _l("Bản nháp"), "text-bg-secondary"
    submitted = "submitted", _l("Đã nộp"), "text-bg-success"


ANNUAL = 0  # UnitReport.half for the annual report (1, 2: the six-monthly reports)


class UnitReport(Base):
    """An awarding unit's report upward for one period (the sector plan: "định kỳ 6 tháng, hàng năm báo cáo Sở
    Y tế"): its narrative and, once submitted, who submitted it and when, with the workbook of its subtree's
    figures built at that moment and kept (an Upload, under its SHA-256): later changes to the archive do not
    change a submitted report. One per unit and period; a resubmission replaces the narrative and the workbook
    (the audit log keeps each earlier text and the earlier workbook's SHA-256)."""

    __tablename__ = "unit_reports"
    __table_args__ = (check_constraint("status", ReportStatus),
                      CheckConstraint("half IN (0, 1, 2)", name="half"),
                      UniqueConstraint("unit_id", "year", "half"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int]
    half: Mapped[int] = mapped_column(SmallInteger, default=ANNUAL)
    status: Mapped[str] = state_column(ReportStatus, 10, default=ReportStatus.draft)
    narrative: Mapped[str] = mapped_column(Text, default="")
    submissions: Mapped[int] = mapped_column(SmallInteger, default=0)  # how many times submitted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workbook_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))  # the figures as submitted
    workbook_sha256: Mapped[str | None] = mapped_column(String(64))  # checked again on every download
    awards_reported: Mapped[int | None]  # the subtree's live awards of the period when submitted

    unit = relationship("Unit")
    submitted_by = relationship("User")
    workbook: Mapped[Upload | None] = relationship()


class UnitReportDeadline(Base):
    """The day a period's unit reports are due, as the Sở set it (admin, or its secretariat with no unit); a
    period without a row keeps the default of reports.rules.deadline."""

    __tablename__ = "unit_report_deadlines"
    __table_args__ = (CheckConstraint("half IN (0, 1, 2)", name="half"), UniqueConstraint("year", "half"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    half: Mapped[int] = mapped_column(SmallInteger)  # 1, 2: the six-monthly reports; 0 (ANNUAL): the annual one
    due_on: Mapped[date]
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
