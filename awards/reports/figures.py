"""The figures every report shows, computed with a few set queries over the archive (reads only).

A report's period: the awards *for* a year (record.year), or those *decided* in half of a year (the
6-monthly report of Directive 49). Live records only: not revoked, not superseded by a correction."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from awards.archive.models import AwardRecord, Entry
from awards.core.replica import read_session
from awards.units.models import Gender, Person, Unit

SHARES = ("female", "young", "ethnic_minority", "frontline", "grassroots")
YOUNG_BELOW = 40  # "young": under 40 on 31 December of the year (CONTRACT §4)


@dataclass(frozen=True)
class Period:
    year: int
    half: int | None = None  # None: the whole year by record year; 1 or 2: decided in that half

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.half is None:
            return f"năm {self.year}"
        return f"6 tháng {'đầu' if self.half == 1 else 'cuối'} năm {self.year}"


@dataclass(frozen=True)
class Scope:
    """Whose awards a report counts when it is not the whole province: these units (an awarding unit's subtree,
    or the units the Sở's consolidated report covers), named on the workbook's cover."""

    unit_ids: frozenset[int]
    label: str

    def ids(self) -> list[int]:
        return sorted(self.unit_ids)


def live_conditions(period: Period, scope: Scope | None = None) -> list:
    """WHERE clauses for the live awards of a period (and of a scope's units only)."""
    conditions = [AwardRecord.entry != Entry.revocation.value, ~AwardRecord.revoked, ~AwardRecord.superseded]
    if period.half is None:
        conditions.append(AwardRecord.year == period.year)
    else:
        conditions.append(AwardRecord.decision_date.between(period.start, period.end))
    if scope is not None:
        conditions.append(AwardRecord.unit_id.in_(scope.ids()))
    return conditions


@dataclass
class Summary:
    period: Period
    by_award: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, int] = field(default_factory=dict)  # unit code → awards to it or its people
    individuals: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # SHARES → individual awards in that group

    @property
    def shares(self) -> dict[str, float]:
        return {name: round(self.counts.get(name, 0) / self.individuals, 4) if self.individuals else 0.0
                for name in SHARES}

    @property
    def total(self) -> int:
        return sum(self.by_award.values())


def by_award(period: Period, scope: Scope | None = None) -> dict[str, int]:
    rows = read_session().execute(select(AwardRecord.award_code, func.count()).where(*live_conditions(period, scope))
                              .group_by(AwardRecord.award_code))
    return dict(rows.all())


def by_unit_id(period: Period, scope: Scope | None = None) -> dict[int, int]:
    rows = read_session().execute(select(AwardRecord.unit_id, func.count()).where(*live_conditions(period, scope))
                              .group_by(AwardRecord.unit_id))
    return dict(rows.all())


def roll_up(counts: dict[int, int], parents: dict[int, int | None]) -> dict[int, int]:
    """Each unit's count plus its descendants' (a unit's awards count for every unit above it)."""
    total: dict[int, int] = {}
    for unit_id, n in counts.items():
        current: int | None = unit_id
        seen = set()
        while current is not None and current not in seen:
            seen.add(current)
            total[current] = total.get(current, 0) + n
            current = parents.get(current)
    return total


def equity_counts(period: Period, scope: Scope | None = None) -> tuple[int, dict[str, int]]:
    """Individual awards, and how many went to women, the young, ethnic minorities, frontline staff and
    people of grassroots units: one aggregate query."""
    young_after = date(period.year - YOUNG_BELOW, 12, 31)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = (select(func.count(), count(Person.gender == Gender.female),
                   count(and_(Person.birth_date.is_not(None), Person.birth_date > young_after)),
                   count(Person.ethnic_minority.is_(True)), count(Person.frontline.is_(True)),
                   count(Unit.grassroots.is_(True)))
            .select_from(AwardRecord).join(Person, Person.id == AwardRecord.person_id)
            .join(Unit, Unit.id == AwardRecord.unit_id)
            .where(AwardRecord.subject_type == "person", *live_conditions(period, scope)))
    total, *groups = read_session().execute(stmt).one()
    return int(total), {name: int(n) for name, n in zip(SHARES, groups, strict=True)}


def summary(period: Period, *, descendants: bool = False) -> Summary:
    """By award, by unit (optionally with descendants rolled up) and the equity counts."""
    units = dict(read_session().execute(select(Unit.id, Unit.code)).all())
    counts = by_unit_id(period)
    if descendants:
        parents = dict(read_session().execute(select(Unit.id, Unit.parent_id)).all())
        counts = roll_up(counts, parents)
    individuals, groups = equity_counts(period)
    return Summary(period=period, by_award=by_award(period),
                   by_unit={units[unit_id]: n for unit_id, n in counts.items() if unit_id in units},
                   individuals=individuals, counts=groups)
