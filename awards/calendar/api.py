"""The working calendar over the JSON API: GET /calendar/<year> (the year's holidays and announced days),
POST /calendar/days (add, admin or top-level staff), DELETE /calendar/days/<yyyy-mm-dd> (remove)."""

from datetime import date
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.calendar import queries, services
from awards.core import workdays
from awards.core.api import ApiError, Out, Schema, endpoint
from awards.extensions import csrf, db

bp = Blueprint("calendar_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class CalendarDayIn(Schema):
    day: date
    kind: Literal["day_off", "working_day"]
    reason: str = Field(min_length=1, max_length=255)
    source: str = Field(min_length=1, max_length=255)


class CalendarDayOut(Out):
    day: date
    kind: str
    reason: str
    source: str


class LawDayOut(Out):
    day: date
    name: str
    off: bool  # the clock counts it as a day off (not a weekend, not made a working day by an entry)


class CalendarYearOut(BaseModel):
    year: int
    holidays: list[LawDayOut]  # the law's public holidays (library), with the announced swaps it knows
    entries: list[CalendarDayOut]  # the announced days the secretariat keeps
    days_off: list[date]  # every weekday that is not a working day, as the processing clock counts
    working_weekends: list[date]  # Saturdays and Sundays that are working days


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(404, _("Ngày phải viết dạng năm-tháng-ngày, ví dụ 2026-01-02.")) from None


@endpoint(bp, "/calendar/<int:year>", summary="Lịch ngày nghỉ, ngày làm việc của một năm (đồng hồ xử lý hồ sơ)",
          response=CalendarYearOut, errors=(404,))
def calendar_year(year):
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise ApiError(404, _("Năm phải trong các năm %(a)s–%(b)s.", a=services.FIRST_YEAR, b=services.LAST_YEAR))
    return {"year": year, "holidays": queries.law_days(year), "entries": queries.entries(year),
            "days_off": sorted(workdays.holidays(year)), "working_weekends": sorted(workdays.working_weekends(year))}


@endpoint(bp, "/calendar/days", "POST", summary="Thêm một ngày nghỉ bù hoặc ngày làm bù đã được thông báo",
          body=CalendarDayIn, response=CalendarDayOut, status=201, errors=(403, 409))
def add_calendar_day(data: CalendarDayIn):
    row = services.add_day(day=data.day, kind=data.kind, reason=data.reason, source=data.source, by=g.api_user)
    db.session.commit()
    return row


@endpoint(bp, "/calendar/days/<day>", "DELETE", summary="Xóa một ngày khỏi lịch đã sửa (ghi nhật ký)",
          response=CalendarDayOut, errors=(403, 404))
def remove_calendar_day(day):
    removed = services.remove_day(_day(day), by=g.api_user)
    db.session.commit()
    return removed
