"""The time the app lives in: Vietnam's. Deadlines are dates in Asia/Ho_Chi_Minh, inclusive to 23:59:59."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current moment, aware, in Vietnam. Tests move it with monkeypatch on this module's `now`."""
    return datetime.now(VIETNAM)


def today() -> date:
    return now().astimezone(VIETNAM).date()


def calendar_today() -> date:
    """Vietnam's date by the machine's own clock, which tests do not move: the latest a date a user types (a
    decision, a birth, a start in the sector) may be. Not `date.today()`, the server's date: at 00:30 in Vietnam a
    server on UTC is still on yesterday and refused a decision signed that day as "in the future"."""
    return datetime.now(VIETNAM).date()


def end_of(day: date) -> datetime:
    """The last instant of a deadline day in Vietnam: a deadline of 31/03 holds until 31/03 23:59:59.999999."""
    return datetime.combine(day, time.max, tzinfo=VIETNAM)


def passed(deadline: date, at: datetime | None = None) -> bool:
    """True once the deadline day is over in Vietnam."""
    return (at or now()) > end_of(deadline)
