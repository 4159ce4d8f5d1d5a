"""The processing clock counts working days: weekends, the law's public holidays (the `holidays` library) and the
announced days off do not count; announced working Saturdays do."""

from datetime import date, timedelta

import holidays as holiday_library
import pytest

from awards.core import workdays
from awards.core.workdays import add_working_days, holidays, is_working_day, working_days_between


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize("start, end, days", [
    (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday → Monday: the weekend does not count
    (date(2026, 11, 23), date(2026, 11, 27), 3),  # 24/11, Ngày Văn hóa Việt Nam, is a day off from 2026
    (date(2026, 11, 23), date(2026, 11, 23), 0),
    (date(2026, 4, 29), date(2026, 5, 4), 1),  # 30/4 and 1/5 are holidays, then the weekend
    (date(2026, 2, 13), date(2026, 2, 24), 2),  # Tết 2026: 16–20/2 off; 23 and 24/2 are working days
    (date(2025, 12, 31), date(2026, 1, 2), 1),  # New Year's Day (the swapped 2/1 is an entry, not the law)
])
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_norm_due_dates_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 30)  # 24/11 is off
    assert add_working_days(date(2026, 4, 28), 2) == date(2026, 5, 4)


# --- Tết from the lunar calendar, years the old table never had ----------------------------------------------

@pytest.mark.parametrize("new_year, first_off, last_off", [
    # Mùng 1 Tết Mậu Thân: Wednesday 26/01/2028; 30 Tết to Mùng 4 is Tue 25 – Sat 29, the Saturday moved back
    (date(2028, 1, 26), date(2028, 1, 24), date(2028, 1, 28)),
    # Mùng 1 Tết Kỷ Dậu: Tuesday 13/02/2029; 30 Tết Mon 12 – Mùng 4 Fri 16
    (date(2029, 2, 13), date(2029, 2, 12), date(2029, 2, 16)),
    # Mùng 1 Tết Canh Tuất: Saturday 02/02/2030 in Vietnam (UTC+7; the new moon is at 23:07 on 2/2, so China's
    # calendar, UTC+8, has 03/02): 30 Tết Fri 1/2 and the weekend's days made up Thu 31/1 and Wed 6/2
    (date(2030, 2, 2), date(2030, 1, 31), date(2030, 2, 6)),
])
def test_tet_is_not_counted(new_year, first_off, last_off):
    year = new_year.year
    names = dict(workdays.law_holidays(year))
    assert names[new_year] == "Tết Nguyên Đán"
    weekdays_off = [d for d in span(first_off, last_off) if d.weekday() < 5]
    assert len(weekdays_off) == 5  # Art 112.1.b: five days of Tết
    for day in span(first_off, last_off):
        assert not is_working_day(day), day
        assert day in holidays(year) or day.weekday() >= 5
    assert is_working_day(first_off - timedelta(days=1 if first_off.weekday() else 3))
    assert is_working_day(last_off + timedelta(days=1 if last_off.weekday() < 4 else 3))
    # the library's own days for the year are the ones the clock leaves out
    library = {d for d in holiday_library.country_holidays("VN", years=year) if d.weekday() < 5}
    assert library == holidays(year)


def test_the_lunar_dates_of_2030_follow_vietnams_calendar_not_chinas():
    vietnam = holiday_library.country_holidays("VN", years=2030, language="vi")
    china = holiday_library.country_holidays("CN", years=2030, language="en_US")
    assert vietnam[date(2030, 2, 2)] == "Tết Nguyên Đán" and vietnam[date(2030, 2, 1)] == "Giao thừa Tết Nguyên Đán"
    assert china[date(2030, 2, 3)] == "Chinese New Year (Spring Festival)"
    assert china[date(2030, 2, 2)] == "Chinese New Year's Eve"


@pytest.mark.parametrize("national_day, extra", [
    (date(2025, 9, 2), date(2025, 9, 1)),  # Tuesday: Monday 1/9 (Thông báo 6150/TB-BLĐTBXH)
    (date(2026, 9, 2), date(2026, 9, 1)),  # Wednesday: Tuesday 1/9
    (date(2027, 9, 2), date(2027, 9, 3)),  # Thursday: Friday 3/9
    (date(2029, 9, 2), date(2029, 9, 3)),  # Sunday: 2/9 made up on Tuesday 4/9 (Art 111.3), 3/9 the extra day
])
def test_national_day_has_two_days(national_day, extra):
    assert not is_working_day(extra)
    assert national_day.weekday() >= 5 or not is_working_day(national_day)
    names = dict(workdays.law_holidays(national_day.year))
    assert names[extra] == "Quốc khánh"


def test_the_law_of_2029_makes_up_a_sunday_national_day():
    assert not is_working_day(date(2029, 9, 4))  # Art 111.3: the next working day


def test_library_swaps_count_without_any_entry():
    """The swaps the library knows: 2/5/2025 off, Saturday 26/4/2025 worked (Thông báo 6150/TB-BLĐTBXH)."""
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))
    assert working_days_between(date(2025, 4, 25), date(2025, 4, 28)) == 2  # Saturday 26 and Monday 28


def test_counting_by_weeks_agrees_with_counting_day_by_day(app):
    """working_days_between counts whole weeks at once: check it against a plain day-by-day count over ranges
    that cross weekends, Tết, swapped Saturdays and the new year."""
    import random

    pick = random.Random(2026)
    with app.app_context():
        for _ in range(300):
            start = date(2024, 1, 1) + timedelta(days=pick.randrange(0, 2600))
            end = start + timedelta(days=pick.randrange(0, 120))
            by_day = sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))
            assert working_days_between(start, end) == by_day, (start, end)
            due = add_working_days(start, by_day)
            assert by_day == 0 or (working_days_between(start, due) == by_day and is_working_day(due))
