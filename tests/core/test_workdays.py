"""The processing clock counts working days: weekends and public holidays do not count."""

from datetime import date, timedelta

import pytest

from awards.core.workdays import add_working_days, holidays, working_days_between


@pytest.mark.parametrize("start, end, days", [
    (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday → Monday: the weekend does not count
    (date(2026, 11, 23), date(2026, 11, 27), 4),
    (date(2026, 11, 23), date(2026, 11, 23), 0),
    (date(2026, 4, 29), date(2026, 5, 4), 1),  # 30/4 and 1/5 are holidays, then the weekend
    (date(2026, 2, 13), date(2026, 2, 24), 2),  # Tết 2026: 14–22/2 off; 23 and 24/2 are working days
    (date(2025, 12, 31), date(2026, 1, 2), 1),  # New Year's Day
])
def test_working_days_between(start, end, days):
    assert working_days_between(start, end) == days


def test_norm_due_dates_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)
    assert add_working_days(date(2026, 4, 28), 2) == date(2026, 5, 4)


def test_configured_holidays_count(app):
    with app.app_context():
        app.config["HOLIDAYS"] = [date(2026, 11, 24)]
        try:
            assert date(2026, 11, 24) in holidays(2026)
            assert working_days_between(date(2026, 11, 23), date(2026, 11, 25)) == 1
        finally:
            app.config["HOLIDAYS"] = []


def test_counting_by_weeks_agrees_with_counting_day_by_day(app):
    """working_days_between counts whole weeks at once: check it against a plain day-by-day count over ranges
    that cross weekends, Tết and the new year."""
    import random

    from awards.core.workdays import is_working_day

    pick = random.Random(2026)
    with app.app_context():
        for _ in range(300):
            start = date(2024, 1, 1) + timedelta(days=pick.randrange(0, 900))
            end = start + timedelta(days=pick.randrange(0, 120))
            by_day = sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))
            assert working_days_between(start, end) == by_day, (start, end)
