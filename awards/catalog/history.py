"""What the rules read: a subject's history as plain data, built by queries and by tests alike."""

from dataclasses import dataclass, field
from datetime import date

RATING_ORDER = {"not_done": 0, "done": 1, "good": 2, "excellent": 3}
SCOPE_ORDER = {"unit": 0, "provincial": 1, "national": 2}
# khiển trách < cảnh cáo < giáng chức < cách chức < buộc thôi việc
DISCIPLINE_ORDER = {"reprimand": 0, "warning": 1, "demotion": 2, "dismissal": 3, "removal": 4}
# Months a discipline is executed, by level, when the record gives no end date (the same defaults units/models.py
# writes on a new record): Luật Cán bộ, công chức (sửa đổi 2019) Art 82 and Luật Viên chức Art 56 — 12 months
# after khiển trách or cảnh cáo, 24 after giáng chức or cách chức; buộc thôi việc ends the service (no end).
EXECUTION_MONTHS: dict[str, int | None] = {"reprimand": 12, "warning": 12, "demotion": 24, "dismissal": 24,
                                           "removal": None}
# Default achievement period of an archive record (years ending in its year) when none was written (RULES §1):
# the chain the award rests on. Awards of one year (titles, Giấy khen, flags) default to their own year.
PERIOD_YEARS = {"BK_TINH": 2, "CSTD_TINH": 3, "CSTD_TQ": 6, "BK_TTG": 5, "HCLD3": 5}
FORMS = frozenset({"GIAY_KHEN", "BK_TINH", "BK_TTG", "HCLD3"})  # hình thức khen thưởng; the rest are titles


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that month is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass(frozen=True)
class AwardHeld:
    """An award in the archive. Only regular, unrevoked awards count toward a chain (NĐ 152 Art 4).
    `period_from`/`period_to`: the achievement period the decision rewarded (Law Art 5.2.c: used once)."""

    code: str
    year: int
    kind: str = "regular"  # regular | adhoc | thematic
    revoked: bool = False
    record_id: int | None = None
    period_from: int | None = None
    period_to: int | None = None
    decision_number: str = ""

    @property
    def counts(self) -> bool:
        return not self.revoked and self.kind == "regular"

    @property
    def period(self) -> tuple[int, int]:
        """The years this award used: as written, else the chain's length ending in its year."""
        last = self.period_to if self.period_to is not None else self.year
        if self.period_from is not None:
            return self.period_from, last
        if self.kind != "regular":  # an ad-hoc or thematic award rewards one achievement, not a chain
            return last, last
        first = last - PERIOD_YEARS.get(self.code, 1) + 1
        return first, last


@dataclass(frozen=True)
class InitiativeFact:
    """A recognised initiative; `used_by` names the award codes it already supported (CV 5007/BNV-TĐKT).
    `rises`: later recognitions of a wider scope, (year, scope) each — a new recognition, never an edit."""

    id: int
    year: int
    scope: str  # unit | provincial | national
    title: str = ""
    used_by: tuple[str, ...] = ()
    rises: tuple[tuple[int, str], ...] = ()

    def scope_in(self, year: int) -> str:
        """The widest scope recognised by the end of `year`."""
        scopes = [self.scope] + [scope for when, scope in self.rises if when <= year]
        return max(scopes, key=lambda s: SCOPE_ORDER.get(s, -1))


@dataclass(frozen=True)
class DisciplineFact:
    """A discipline: the year it falls in, its level, its decision date and the end of its execution period."""

    year: int
    level: str  # reprimand | warning | demotion | dismissal | removal
    decided_on: date | None = None
    ends_on: date | None = None

    @property
    def until(self) -> date:
        """The end of the execution period: as recorded, else the default months for the level from the
        decision date (1 January of its year when a hand-built record has none)."""
        if self.ends_on is not None:
            return self.ends_on
        start = self.decided_on or date(self.year, 1, 1)
        months = EXECUTION_MONTHS.get(self.level, 12)
        return date.max if months is None else add_months(start, months)

    @property
    def fresh_from(self) -> int:
        """The first whole year after the execution period: achievements count again from it."""
        end = self.until
        if end == date.max:
            return end.year
        return end.year if (end.month, end.day) == (1, 1) else end.year + 1


@dataclass
class PersonHistory:
    ratings: dict[int, str] = field(default_factory=dict)  # year → rating
    awards: list[AwardHeld] = field(default_factory=list)
    initiatives: list[InitiativeFact] = field(default_factory=list)
    disciplines: list[DisciplineFact] = field(default_factory=list)
    frozen_reason: str | None = None  # open discipline review, investigation, complaint (NĐ 152 Art 4.4)
    name: str = ""
    service_start: date | None = None  # the start date in the sector (ngày vào ngành): years of service
    female: bool = False  # a years-of-service condition may ask women for fewer years


@dataclass(frozen=True)
class MemberYear:
    """One member of a collective in the year: their rating, titles held that year, discipline."""

    rating: str | None
    titles: frozenset[str] = frozenset()  # regular, unrevoked award codes of that year
    discipline: str | None = None  # the heaviest level that year
    female: bool = False


@dataclass
class UnitHistory:
    ratings: dict[int, str] = field(default_factory=dict)
    awards: list[AwardHeld] = field(default_factory=list)
    members: dict[int, list[MemberYear]] = field(default_factory=dict)  # year → members
    disciplines: list[DisciplineFact] = field(default_factory=list)  # the collective's own
    frozen_reason: str | None = None
    name: str = ""
    led_clusters: frozenset[int] = frozenset()  # years the unit was the voted leading unit of a cụm, khối thi đua
    # year → the cụm, khối whose recorded vote placed the unit that year (the one it led, if any): a year absent
    # here has no recorded cluster result, and leading a cluster then stays a line the appraiser confirms
    cluster_results: dict[int, str] = field(default_factory=dict)
