"""Reading the working calendar: the edited list, and a year as the clock sees it."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, select

from awards.calendar.models import CalendarDay
from awards.core import workdays
from awards.extensions import db


def adjustments() -> dict[date, str]:
    """Every entry as {day: kind}: what core.workdays reads once per request (a few rows a year)."""
    return {day: str(kind) for day, kind in db.session.execute(select(CalendarDay.day, CalendarDay.kind))}


def entries(year: int) -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).where(extract("year", CalendarDay.day) == year)
                                   .order_by(CalendarDay.day)))


def entry(day: date) -> CalendarDay | None:
    return db.session.scalar(select(CalendarDay).where(CalendarDay.day == day))


@dataclass(frozen=True)
class LawDay:
    day: date
    name: str
    off: bool  # a working day lost (False: it falls on a weekend, or an entry made it a working day)


def law_days(year: int) -> list[LawDay]:
    """The library's public holidays of the year, each with whether the clock counts it as a day off now."""
    off = workdays.holidays(year)
    return [LawDay(day, name, day in off) for day, name in workdays.law_holidays(year)]
