"""Changing the working calendar: every guard here, so the page, the API and the CLI refuse alike."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.calendar.models import CalendarDay, DayKind
from awards.calendar.permissions import may_edit
from awards.core import audit, workdays
from awards.core.db import DomainError, Invalid, NotFound
from awards.extensions import db

FIELDS = ("day", "kind", "reason", "source")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _guard(by) -> None:
    if by is not None and not may_edit(by):  # by=None: the CLI, run by the server's operator
        raise DomainError(_("Chỉ quản trị hệ thống hoặc cán bộ thường trực thi đua cấp trên cùng được sửa lịch "
                            "ngày nghỉ, ngày làm việc."), status=403, code="forbidden")


def add_day(*, day: date, kind: str, reason: str, source: str, by) -> CalendarDay:
    """Record one announced day: a day off on what would be a working day, or a working day on what would be a
    day off (a swapped Saturday, a library holiday the government kept working). Flushed and audited."""
    _guard(by)
    member = DayKind.get(kind)
    if member is None:
        raise Invalid(_("Loại ngày phải là “ngày nghỉ” hoặc “ngày làm việc”."), field="kind")
    if not isinstance(day, date) or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(_("Ngày phải trong các năm %(a)s–%(b)s.", a=FIRST_YEAR, b=LAST_YEAR), field="day")
    reason, source = (reason or "").strip(), (source or "").strip()
    if not reason:
        raise Invalid(_("Hãy ghi lý do (ví dụ: nghỉ bù Tết Dương lịch, làm bù thứ Bảy)."), field="reason")
    if not source:
        raise Invalid(_("Hãy ghi văn bản thông báo (số, ngày, cơ quan ban hành)."), field="source")
    if len(reason) > 255 or len(source) > 255:
        raise Invalid(_("Lý do và văn bản tối đa 255 ký tự."), field="reason" if len(reason) > 255 else "source")
    if db.session.scalar(select(CalendarDay.id).where(CalendarDay.day == day)) is not None:
        raise DomainError(_("Ngày %(d)s đã có trong lịch; hãy xóa mục cũ trước khi ghi lại.",
                            d=day.strftime("%d/%m/%Y")), field="day")
    is_working = workdays.working_with(day, {d: k for d, k in _current().items() if d != day})
    if member == DayKind.day_off and not is_working:
        raise Invalid(_("Ngày %(d)s đã là ngày nghỉ (cuối tuần hoặc ngày lễ); không cần ghi thêm.",
                        d=day.strftime("%d/%m/%Y")), field="day")
    if member == DayKind.working_day and is_working:
        raise Invalid(_("Ngày %(d)s đã là ngày làm việc; không cần ghi thêm.", d=day.strftime("%d/%m/%Y")),
                      field="day")
    row = CalendarDay(day=day, kind=member, reason=reason, source=source, created_by_id=getattr(by, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.add", row, by=by, after=audit.snapshot(row, FIELDS), object_id=day.isoformat())
    workdays.forget()
    return row


def remove_day(day: date, *, by) -> dict:
    """Delete the entry of `day` (configuration: a real delete, the audit keeps what it said); returns what it
    said."""
    _guard(by)
    row = db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        raise NotFound(_("Ngày %(d)s không có trong lịch đã sửa.", d=day.strftime("%d/%m/%Y")))
    before = audit.snapshot(row, FIELDS)
    db.session.delete(row)
    db.session.flush()
    audit.record("calendar.remove", object_type="CalendarDay", object_id=day.isoformat(), by=by, before=before)
    workdays.forget()
    return {"day": day, "kind": before["kind"], "reason": before["reason"], "source": before["source"]}


def _current() -> dict[date, str]:
    return {d: str(k) for d, k in db.session.execute(select(CalendarDay.day, CalendarDay.kind))}
