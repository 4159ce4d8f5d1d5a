"""Document templates (mẫu văn bản): each uploaded version of a kind for an awarding unit (or for every unit), the
unit's signing details the documents print, and the record of every generated document with its template."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.documents.kinds import KINDS

_KIND_CHECK = "kind IN ({})".format(", ".join(f"'{code}'" for code in KINDS))


class TemplateVersion(Base):
    """One uploaded .docx template of a kind for a unit (None: the default for every unit). Versions are numbered
    1, 2, … per (unit, kind) and never overwritten; at most one is active per (unit, kind). With none active, the
    unit uses the default's active version, or the built-in template shipped with the app."""

    __tablename__ = "template_versions"
    __table_args__ = (
        CheckConstraint(_KIND_CHECK, name="kind"),
        UniqueConstraint("unit_id", "kind", "version"),
        Index("uq_template_versions_active", "unit_id", "kind", unique=True,
              sqlite_where=text("active AND unit_id IS NOT NULL"),
              postgresql_where=text("active AND unit_id IS NOT NULL")),
        Index("uq_template_versions_active_default", "kind", unique=True,
              sqlite_where=text("active AND unit_id IS NULL"), postgresql_where=text("active AND unit_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit")
    upload = relationship("Upload")
    created_by = relationship("User")


class DocumentProfile(Base):
    """What a unit's documents print that the rest of the data does not hold: the place (địa danh) of its date
    line, and its head's title and full name (the signer of its tờ trình, and of its decisions' title line)."""

    __tablename__ = "document_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), unique=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    head_title: Mapped[str] = mapped_column(String(100), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit = relationship("Unit")


class GeneratedDocument(Base):
    """A document the app generated: its kind, what it was for (a decision, a council session, a unit's year),
    the template used (a version, or the built-in one when None) and the SHA-256 of both files."""

    __tablename__ = "generated_documents"
    __table_args__ = (CheckConstraint(_KIND_CHECK, name="kind"),
                      Index("ix_generated_documents_object", "object_type", "object_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(80))
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"), index=True)
    template_sha256: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    template_version = relationship("TemplateVersion")
