"""An announced day that changes the working calendar: a day off (a swapped Friday, an extra day of a holiday) or
a working day (a Saturday worked in exchange, or a day the library counts as a holiday that the government kept
working). Configuration, not a record: removing an entry deletes it (audited)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column
from awards.core.workdays import DAY_OFF, WORKING_DAY


class DayKind(LabelledEnum):
    day_off = DAY_OFF, _l("Ngày nghỉ"), "text-bg-warning"
    working_day = WORKING_DAY, _l("Ngày làm việc"), "text-bg-info"


class CalendarDay(Base):
    __tablename__ = "calendar_days"
    __table_args__ = (check_constraint("kind", DayKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    kind: Mapped[DayKind] = state_column(DayKind, 12)
    reason: Mapped[str] = mapped_column(String(255))  # "Nghỉ bù Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)"
    source: Mapped[str] = mapped_column(String(255))  # the announcement: "Văn bản 12729/VPCP-KGVX ngày 25/12/2025"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
