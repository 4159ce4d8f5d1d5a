"""Working days (Monday–Friday, minus public holidays) for the processing clock of RULES §6."""

from datetime import date, timedelta

from flask import current_app, has_app_context

# Public holidays off for public servants. The solar ones repeat every year; Tết and the Hùng Kings'
# anniversary follow the lunar calendar and the government's schedule for each year (HOLIDAYS adds more).
SOLAR = ((1, 1), (4, 30), (5, 1), (9, 2))
LUNAR_BY_YEAR = {
    2025: [date(2025, 1, 25) + timedelta(days=i) for i in range(9)] + [date(2025, 4, 7), date(2025, 9, 1)],
    2026: [date(2026, 2, 14) + timedelta(days=i) for i in range(9)] + [date(2026, 4, 27), date(2026, 9, 1)],
    2027: [date(2027, 2, 4) + timedelta(days=i) for i in range(7)] + [date(2027, 4, 16), date(2027, 9, 3)],
}


def holidays(year: int) -> set[date]:
    """The year's days off: the solar holidays, that year's lunar ones, and any configured in HOLIDAYS."""
    days = {date(year, m, d) for m, d in SOLAR} | set(LUNAR_BY_YEAR.get(year, ()))
    extra = current_app.config.get("HOLIDAYS", ()) if has_app_context() else ()
    return days | {day for day in extra if day.year == year}


def is_working_day(day: date, extra: set[date] | None = None) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year) and day not in (extra or set())


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: submitted on Friday, the next Monday is day 1."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start`: a norm's due date."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
