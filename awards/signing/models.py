"""Signed decision files (ký số) as uploaded or signed here, with what their verification found; and where each
field of a certificate falls on an award type's pre-printed blank (phôi), in millimetres."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
from awards.core.uploads import Upload


class Outcome(LabelledEnum):
    """What the verification of a signed PDF found (awards/signing/verification.py)."""

    valid = "valid", _l("Chữ ký hợp lệ"), "text-bg-success"
    not_pdf = "not_pdf", _l("Không phải tệp PDF"), "text-bg-danger"
    unsigned = "unsigned", _l("Chưa được ký số"), "text-bg-danger"
    modified = "modified", _l("Đã bị sửa đổi sau khi ký"), "text-bg-danger"
    untrusted = "untrusted", _l("Chứng thư không được tin cậy"), "text-bg-danger"
    expired = "expired", _l("Chứng thư đã hết hạn khi ký"), "text-bg-danger"
    not_yet_valid = "not_yet_valid", _l("Chứng thư chưa có hiệu lực khi ký"), "text-bg-danger"
    invalid = "invalid", _l("Chữ ký không hợp lệ"), "text-bg-danger"


class Origin(LabelledEnum):
    uploaded = "uploaded", _l("Tải lên (ký ngoài hệ thống)")
    system = "system", _l("Ký trong hệ thống")


class TimeSource(LabelledEnum):
    """Which time the certificate was checked at: a timestamp authority's token, or the time the signer's
    software wrote (unproven)."""

    timestamp = "timestamp", _l("theo dấu thời gian của đơn vị cung cấp dịch vụ cấp dấu thời gian")
    claimed = "claimed", _l("theo thời điểm ký do phần mềm ký ghi (không có dấu thời gian)")


class SignedFile(Base):
    """One signed PDF of a decision, as received or made here: kept whatever the verdict (nothing is deleted);
    the decision's latest valid one is the one published."""

    __tablename__ = "signed_files"
    __table_args__ = (check_constraint("outcome", Outcome), check_constraint("origin", Origin),
                      check_constraint("time_source", TimeSource))

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    origin: Mapped[str] = state_column(Origin, 10, default=Origin.uploaded)
    outcome: Mapped[str] = state_column(Outcome, 15)
    valid: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")  # the verification's words, in Vietnamese
    signer: Mapped[str] = mapped_column(String(255), default="")  # the certificate's common name
    organisation: Mapped[str] = mapped_column(String(255), default="")
    signed_at: Mapped[datetime | None]
    time_source: Mapped[str | None] = state_column(TimeSource, 10)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    upload: Mapped[Upload] = relationship(lazy="joined")
    decision = relationship("Decision")
    uploaded_by = relationship("User")


class CertificateLayout(Base):
    """An award type's blank: its page, the place written on the date line, and each field's position (x, y of the
    text's baseline from the top-left corner, mm), font size (pt), width (mm) and alignment. `blank_upload` is
    the scanned blank, drawn under the test print only."""

    __tablename__ = "certificate_layouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_code: Mapped[str] = mapped_column(String(20), unique=True)
    page_width: Mapped[float] = mapped_column(Float)  # mm, as the blank is fed (landscape: the longer side)
    page_height: Mapped[float] = mapped_column(Float)
    place: Mapped[str] = mapped_column(String(100), default="")
    fields: Mapped[dict] = mapped_column(JSON)
    blank_upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    blank_upload: Mapped[Upload | None] = relationship(lazy="joined")
