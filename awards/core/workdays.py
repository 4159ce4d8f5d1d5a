"""Working days (Monday–Friday, minus public holidays) for the processing clock of RULES §6."""

from datetime import date, timedelta
from functools import lru_cache

from flask import current_app, has_app_context

# Public holidays off for public servants. The solar ones repeat every year; Tết and the Hùng Kings'
# anniversary follow the lunar calendar and the government's schedule for each year (HOLIDAYS adds more).
SOLAR = ((1, 1), (4, 30), (5, 1), (9, 2))
LUNAR_BY_YEAR = {
    2025: [date(2025, 1, 25) + timedelta(days=i) for i in range(9)] + [date(2025, 4, 7), date(2025, 9, 1)],
    2026: [date(2026, 2, 14) + timedelta(days=i) for i in range(9)] + [date(2026, 4, 27), date(2026, 9, 1)],
    2027: [date(2027, 2, 4) + timedelta(days=i) for i in range(7)] + [date(2027, 4, 16), date(2027, 9, 3)],
}


@lru_cache(maxsize=256)
def _holidays(year: int, extra: tuple[date, ...]) -> frozenset[date]:
    days = {date(year, m, d) for m, d in SOLAR} | set(LUNAR_BY_YEAR.get(year, ()))
    return frozenset(days | {day for day in extra if day.year == year})


def _year_holidays(year: int) -> frozenset[date]:
    """The year's days off, memoized per (year, configured HOLIDAYS): the configuration is read on every call,
    so changing it takes effect at once."""
    extra = current_app.config.get("HOLIDAYS", ()) if has_app_context() else ()
    return _holidays(year, tuple(extra or ()))


def holidays(year: int) -> set[date]:
    """The year's days off: the solar holidays, that year's lunar ones, and any configured in HOLIDAYS."""
    return set(_year_holidays(year))


def is_working_day(day: date, extra: set[date] | None = None) -> bool:
    return day.weekday() < 5 and day not in _year_holidays(day.year) and day not in (extra or set())


def _working(day: date, years: dict[int, frozenset[date]]) -> bool:
    """is_working_day with the holiday sets of the call at hand (read once per year, not once per day)."""
    if day.weekday() >= 5:
        return False
    days = years.get(day.year)
    if days is None:
        days = years[day.year] = _year_holidays(day.year)
    return day not in days


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: submitted on Friday, the next Monday is day 1."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + timedelta(days=n)).weekday() < 5)
    days_off = sum(1 for year in range(start.year, end.year + 1) for day in _year_holidays(year)
                   if start < day <= end and day.weekday() < 5)
    return weekdays - days_off


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start`: a norm's due date."""
    day, years = start, {}
    while count > 0:
        day += timedelta(days=1)
        if _working(day, years):
            count -= 1
    return day
