"""When a unit's report upward is due: pure dates, no database.

The sector plan asks every unit to report "định kỳ 6 tháng, hàng năm" to the Sở Y tế, which consolidates them for
the provincial People's Committee; it names no day. The defaults below leave the Sở a fortnight before its own
report: 15 July for the first half, 15 January of the next year for the second, 15 December for the annual
report. UNCONFIRMED: no regulation found fixing these days (Law 06/2022, Decree 98/2023 and Circular 01/2024/TT-BNV
set no unit-to-Sở deadline); a province's own guidance may differ, so the Sở sets each period's deadline itself
(reports.services.set_report_deadline) and these remain the defaults."""

from datetime import date

ANNUAL = 0  # the half of an annual report (models.ANNUAL)


def deadline(year: int, half: int) -> date:
    """The last day a unit's report for the period is on time."""
    if half == 1:
        return date(year, 7, 15)
    if half == 2:
        return date(year + 1, 1, 15)
    return date(year, 12, 15)


def deadline_bounds(year: int, half: int) -> tuple[date, date]:
    """The days a deadline the Sở sets may fall on: from the period's first day (an annual report may be due
    before the year ends, as the default 15 December is) to a year after the period's last day."""
    first = date(year, 7, 1) if half == 2 else date(year, 1, 1)
    last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return first, date(last.year + 1, last.month, last.day)


def is_late(due: date, today: date, submitted_on: date | None) -> bool:
    """Late: submitted after the deadline, or not submitted and the deadline has passed."""
    return (submitted_on or today) > due


# The provincial plan (issue 25) asks every unit to put forward 1–2 typical examples (gương điển hình tiên tiến) a
# year; the plan's own wording is the basis ([check]: the plan's text was not read here).
EXAMPLES_TARGET = (1, 2)


def example_status(count: int) -> str:
    """A unit's progress toward the year's typical examples: none (chưa có), one (đạt 1), two_plus (đạt 2+)."""
    if count <= 0:
        return "none"
    return "one" if count < EXAMPLES_TARGET[1] else "two_plus"
