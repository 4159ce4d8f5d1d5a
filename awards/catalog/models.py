"""Stored settings that change the catalog's defaults (RULES.md [setting] items), and the award types an admin
added (issue 25): code, name, who it is for, how it is voted, and its conditions composed from catalog.blocks."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import Base, utcnow


class CatalogSetting(Base):
    """One setting: `award.<CODE>.<name>` for an award type, or a global name (quorum, …)."""

    __tablename__ = "catalog_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    value: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class StoredAwardType(Base):
    """An award type an admin added beside the twelve built-in ones (catalog.types.DEFAULTS): never one of their
    codes; deactivated, never deleted, once the archive or a dossier uses it. `conditions`: a list of
    {rule, params, basis: {article, text, confirmed}} read by catalog.blocks."""

    __tablename__ = "award_types"
    __table_args__ = (
        CheckConstraint("subject IN ('individual', 'collective', 'both')", name="subject"),
        CheckConstraint("form IN ('title', 'commendation')", name="form"),
        CheckConstraint("level IN ('grassroots', 'provincial', 'ministerial', 'national')", name="level"),
        CheckConstraint("ballot IN ('secret', 'open', 'standing', 'none')", name="ballot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(12))
    form: Mapped[str] = mapped_column(String(12), default="commendation")
    level: Mapped[str] = mapped_column(String(12), default="grassroots")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    ballot: Mapped[str] = mapped_column(String(10), default="none")
    threshold: Mapped[float | None] = mapped_column(Float)
    review_days: Mapped[int] = mapped_column(Integer, default=5)
    required_attachments: Mapped[list] = mapped_column(JSON, default=list)
    period_years: Mapped[int] = mapped_column(Integer, default=1)
    prize_coefficient: Mapped[float | None] = mapped_column(Float)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    basis: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<StoredAwardType {self.code}>"
