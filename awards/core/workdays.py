"""Working days for the processing clock of RULES §6: Monday–Friday, minus public holidays and the government's
announced days off, plus the Saturdays it announces as working days.

Two sources, merged per year:

1. The law's public holidays, from the kept `holidays` library (`holidays.country_holidays("VN")`, not a table of
   ours). Bộ luật Lao động 45/2019/QH14, Art 112.1: Tết Dương lịch 1 day (1/1); Tết Âm lịch 5 days; Chiến thắng
   30/4; Quốc tế lao động 1/5; Quốc khánh 2 days (2/9 and one day right before or after); Giỗ Tổ Hùng Vương
   (10/3 âm lịch). Art 111.3: a holiday on the weekly rest day is made up on the next working day (nghỉ bù).
   Art 112.3: the Prime Minister fixes each year which days the 5 Tết days and the second Quốc khánh day are;
   the library estimates them (Tết: 30 Tết to Mùng 4, a Saturday moved back and a Sunday moved on; 2/9's
   neighbour by weekday) and carries the swaps announced up to its release. Its lunar dates follow the
   Vietnamese calendar (UTC+7), which differs from the Chinese one in some years (Tết 2030 is 02/02 here,
   03/02 in China). Since 2026 it also gives 24/11, Ngày Văn hóa Việt Nam: Nghị quyết 80-NQ/TW of the
   Politburo (07/01/2026) made it a paid day off "as a policy"; its addition to Art 112 was proposed in
   January 2026 and is not verified here as enacted. Where the government decides otherwise, the list below
   says so (a `working_day` entry overrides the library's day off).
2. The announced substitute and swapped days (nghỉ bù, hoán đổi ngày làm việc) that the secretariat keeps in
   the calendar feature (`awards/calendar`): each entry a `day_off` or a `working_day`, with its reason and the
   announcement it comes from. The feature registers its reader here (`use_adjustments`); core imports no
   feature.

Speed: the library's days are memoized per year for the process (they never change); the edited list (a few rows
a year) is read once per database transaction, one small query for a request that needs the clock, and
forgotten by `forget()` when the calendar feature changes it: every process sees a change in its next
transaction, and no process keeps a stale copy.
"""

import weakref
from datetime import date, timedelta
from functools import lru_cache

import holidays as holiday_library
from flask import g, has_app_context

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
_G_KEY = "workdays_adjustments"
_adjustments_reader = None  # () -> {date: DAY_OFF | WORKING_DAY}, registered by the calendar feature


def use_adjustments(reader) -> None:
    """Register the reader of the edited list of announced days (called once by create_app)."""
    global _adjustments_reader
    _adjustments_reader = reader


def forget() -> None:
    """The edited list changed in this transaction: read it again (other transactions read it anew anyway)."""
    if has_app_context():
        g.pop(_G_KEY, None)


@lru_cache(maxsize=256)
def law_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The year's public holidays as the library gives them (day, Vietnamese name), sorted; its announced swaps
    included."""
    days = holiday_library.country_holidays("VN", years=year, language="vi")
    return tuple(sorted((day, name) for day, name in days.items() if day.year == year))


@lru_cache(maxsize=256)
def law_working_weekends(year: int) -> frozenset[date]:
    """Weekend days the library knows the government made working days (a swapped Saturday)."""
    days = holiday_library.country_holidays("VN", years=year)
    return frozenset(day for day in getattr(days, "weekend_workdays", ()) if day.year == year)


def _adjustments() -> dict[date, str]:
    """The edited list, {day: kind}, read once per database transaction (a transaction sees one state of the list;
    the next one, in this request or another process, reads it again); empty without an app or a reader."""
    if _adjustments_reader is None or not has_app_context():
        return {}
    from awards.extensions import db

    cached = g.get(_G_KEY)
    transaction = db.session().get_transaction()
    if cached is not None and transaction is not None and cached[0]() is transaction:
        return cached[1]
    found = _adjustments_reader()  # begins a transaction when none is open
    setattr(g, _G_KEY, (weakref.ref(db.session().get_transaction()), found))
    return found


@lru_cache(maxsize=1024)
def _merge(year: int, adjustments: frozenset[tuple[date, str]]) -> tuple[frozenset[date], frozenset[date]]:
    """(weekdays off, weekend days worked) of a year: the library's, then the list's entries of that year."""
    off = {day for day, _name in law_holidays(year) if day.weekday() < 5}
    on = set(law_working_weekends(year))
    for day, kind in adjustments:
        if kind == DAY_OFF:
            on.discard(day)
            if day.weekday() < 5:
                off.add(day)
        else:
            off.discard(day)
            if day.weekday() >= 5:
                on.add(day)
    return frozenset(off), frozenset(on)


def _year(year: int, adjustments: dict[date, str] | None = None) -> tuple[frozenset[date], frozenset[date]]:
    adjustments = _adjustments() if adjustments is None else adjustments
    return _merge(year, frozenset((day, kind) for day, kind in adjustments.items() if day.year == year))


def holidays(year: int) -> set[date]:
    """The year's days off that would otherwise be working days: the law's (library) and the announced ones."""
    return set(_year(year)[0])


def working_weekends(year: int) -> set[date]:
    """Saturdays and Sundays of the year that are working days (announced swaps)."""
    return set(_year(year)[1])


def working_with(day: date, adjustments: dict[date, str]) -> bool:
    """Whether `day` is a working day with these entries in place of the edited list (to check an entry)."""
    off, on = _year(day.year, adjustments)
    return day in on if day.weekday() >= 5 else day not in off


def is_working_day(day: date, extra: set[date] | None = None) -> bool:
    off, on = _year(day.year)
    if day in (extra or ()):
        return False
    return day in on if day.weekday() >= 5 else day not in off


def _working(day: date, years: dict) -> bool:
    """is_working_day with the sets of the call at hand (read once per year, not once per day)."""
    sets = years.get(day.year)
    if sets is None:
        sets = years[day.year] = _year(day.year)
    off, on = sets
    return day in on if day.weekday() >= 5 else day not in off


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: submitted on Friday, the next Monday is day 1."""
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + timedelta(days=n)).weekday() < 5)
    adjustments = _adjustments()
    changed = 0
    for year in range(start.year, end.year + 1):
        off, on = _year(year, adjustments)
        changed += sum(1 for day in on if start < day <= end) - sum(1 for day in off if start < day <= end)
    return weekdays + changed


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start`: a norm's due date."""
    day, years = start, {}
    while count > 0:
        day += timedelta(days=1)
        if _working(day, years):
            count -= 1
    return day
