"""Stored settings that change the catalog's defaults (RULES.md [setting] items)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
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
