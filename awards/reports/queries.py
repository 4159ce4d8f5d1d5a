"""Units' reports upward (issue 18): who has submitted, who is late, and the roll-up of each unit's figures over
its subtree (reads only)."""

import json
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, literal_column, or_, select

from awards.archive.models import AwardRecord
from awards.core import cache, clock
from awards.core.replica import read_session
from awards.extensions import db
from awards.reports import cached, figures, rules
from awards.reports.models import ANNUAL, ReportStatus, UnitReport, UnitReportDeadline
from awards.units.models import Unit
from awards.units.queries import scope_unit, subtree_ids


def period_of(year: int, half: int) -> figures.Period:
    return figures.Period(year, half or None)


def report_for(unit: Unit, year: int, half: int) -> UnitReport | None:
    return db.session.scalar(select(UnitReport).where(UnitReport.unit_id == unit.id, UnitReport.year == year,
                                                      UnitReport.half == half))


def deadline_row(year: int, half: int) -> UnitReportDeadline | None:
    return db.session.scalar(select(UnitReportDeadline).where(UnitReportDeadline.year == year,
                                                              UnitReportDeadline.half == half))


def deadlines(periods: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[date, bool]]:
    """Each (year, half) with its deadline and whether it is the unconfirmed default (the Sở set none): one
    query."""
    found = {(row.year, row.half): row.due_on for row in db.session.scalars(select(UnitReportDeadline).where(
        or_(*(and_(UnitReportDeadline.year == y, UnitReportDeadline.half == h) for y, h in periods))))}
    return {(y, h): (found[(y, h)], False) if (y, h) in found else (rules.deadline(y, h), True) for y, h in periods}


def deadline_for(year: int, half: int) -> date:
    """The day the period's unit reports are due: the Sở's, or the default of reports.rules."""
    return deadlines([(year, half)])[(year, half)][0]


def reporting_units() -> list[Unit]:
    """The awarding units that report upward: those that decide awards and have a unit above them."""
    return list(db.session.scalars(select(Unit).where(Unit.decides_awards.is_(True), Unit.parent_id.is_not(None))
                                   .order_by(Unit.code)))


@dataclass
class Figures:
    """A unit's awards of the period over its whole subtree."""

    total: int = 0
    by_award: dict[str, int] = field(default_factory=dict)


FEW_UNITS = 5  # figures asked for this many units at most (a unit's own report) read only their subtrees' records
TTL = 600  # seconds; the key moves with every append to the archive and every move of a unit


def subtree_figures(period: figures.Period, unit_ids: list[int]) -> dict[int, Figures]:
    """Each of `unit_ids` with the live awards of the period to it, its people and every unit below it (one
    grouped query; a unit's awards count for each listed unit above it), from the page cache: counting a year of
    the province's records took 60–160 ms at full scale, and they only change with the archive (its version) or
    the tree (the figures' version, reports.cached)."""
    if not cache.enabled():
        return _figures(_counted(period, unit_ids))
    session = read_session()
    versions = dict(session.execute(select(cache.CacheVersion.name, cache.CacheVersion.version).where(
        cache.CacheVersion.name.in_((cache.ARCHIVE, cached.FIGURES)))).all())
    key = ("reports.subtree_figures", period.year, period.half, versions.get(cache.ARCHIVE, 0),
           versions.get(cached.FIGURES, 0), ",".join(map(str, sorted(unit_ids))))
    found = json.loads(cache.cached_page(key, lambda: json.dumps(_counted(period, unit_ids)), ttl=TTL, versions=()))
    return _figures({int(unit_id): counts for unit_id, counts in found.items()})


def _figures(counted: dict) -> dict[int, Figures]:
    return {unit_id: Figures(total, by_award) for unit_id, (total, by_award) in counted.items()}


def _counted(period: figures.Period, unit_ids: list[int]) -> dict[int, tuple[int, dict[str, int]]]:
    """subtree_figures, counted: for a few units only their subtrees' records (a hospital's report read the whole
    province's year, 65,000 records at full scale, for its 1,700)."""
    session = read_session()
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    wanted = set(unit_ids)
    scope = None
    if len(wanted) <= FEW_UNITS:
        scope = figures.Scope(frozenset(_below(parents, wanted)), "")
    unit = AwardRecord.unit_id
    if period.half is not None and scope is None:
        # a half-year is read by its decision-date index (ix_award_records_decision_date): grouped on the bare
        # column, SQLite preferred to walk the unit index over every record at random (7.5 s at full scale before
        # that index); `unit_id + 0` keeps it to the half's records
        unit = AwardRecord.unit_id + literal_column("0")
    rows = session.execute(select(unit, AwardRecord.award_code, func.count())
                           .where(*figures.live_conditions(period, scope))
                           .group_by(unit, AwardRecord.award_code)).all()
    result = {unit_id: (0, {}) for unit_id in unit_ids}
    for unit_id, code, n in rows:
        current, seen = unit_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            if current in wanted:
                total, by_award = result[current]
                by_award[code] = by_award.get(code, 0) + n
                result[current] = (total + n, by_award)
            current = parents.get(current)
    return result


def _below(parents: dict[int, int | None], roots: set[int]) -> set[int]:
    """These units and every unit under them, from the tree's (id → parent id) map."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in parents.items():
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, ()))
    return found


@dataclass
class Row:
    """One unit's line in the Sở's table."""

    unit: Unit
    report: UnitReport | None
    due: date
    late: bool
    figures: Figures

    @property
    def status(self) -> str:
        """submitted, draft or missing (no report yet)."""
        return self.report.status.value if self.report is not None else "missing"


def status_rows(year: int, half: int, only: Unit | None = None) -> list[Row]:
    """Every reporting unit (or only one) with its report of the period, whether it is late, and its figures."""
    units = [only] if only is not None else reporting_units()
    reports = {r.unit_id: r for r in db.session.scalars(select(UnitReport).where(
        UnitReport.year == year, UnitReport.half == half, UnitReport.unit_id.in_([u.id for u in units])))}
    due, today = deadline_for(year, half), clock.today()
    numbers = subtree_figures(period_of(year, half), [u.id for u in units])
    rows = []
    for unit in units:
        report = reports.get(unit.id)
        submitted = report is not None and report.status == ReportStatus.submitted and report.submitted_at
        submitted_on = report.submitted_at.astimezone(clock.VIETNAM).date() if submitted else None
        rows.append(Row(unit, report, due, rules.is_late(due, today, submitted_on), numbers[unit.id]))
    return rows


def missing_count(year: int, half: int) -> int:
    """Reporting units with no submitted report for the period."""
    submitted = select(UnitReport.unit_id).where(UnitReport.year == year, UnitReport.half == half,
                                                 UnitReport.status == ReportStatus.submitted)
    return db.session.scalar(select(func.count(Unit.id)).where(
        Unit.decides_awards.is_(True), Unit.parent_id.is_not(None), Unit.id.not_in(submitted))) or 0


def current_period(today: date) -> tuple[int, int]:
    """The period whose report is due next: last year's second half until its deadline (15 January by default),
    the first half until its deadline, then the annual report, then the second half."""
    order = [(today.year - 1, 2), (today.year, 1), (today.year, ANNUAL)]
    due = deadlines(order)
    for period in order:
        if today <= due[period][0]:
            return period
    return today.year, 2


def period_label(year: int, half: int) -> str:
    if half == 1:
        return _("6 tháng đầu năm %(year)s", year=year)
    if half == 2:
        return _("6 tháng cuối năm %(year)s", year=year)
    return _("năm %(year)s", year=year)


def missing_task(user, today: date) -> tuple | None:
    """The Sở's home line "units that have not submitted the report due next" (count, label, link, hint,
    urgent once the deadline has passed), or None when there is nothing to chase or the user is a unit's staff."""
    if scope_unit(user) is not None:
        return None
    year, half = current_period(today)
    missing = missing_count(year, half)
    if not missing:
        return None
    due = deadline_for(year, half)
    return (missing, _("Đơn vị chưa nộp báo cáo"), url_for("reports.unit_reports", year=year, half=half),
            _("Báo cáo %(p)s — hạn %(d)s", p=period_label(year, half), d=due.strftime("%d/%m/%Y")), today > due)


def unit_scope(unit: Unit) -> figures.Scope:
    """A unit's report covers the unit and every unit below it."""
    return figures.Scope(frozenset(subtree_ids(unit.id)), _("%(unit)s và các đơn vị trực thuộc", unit=unit.name))


def combined_scope(rows: list[Row]) -> figures.Scope:
    """What the Sở's consolidated report covers: the subtrees of the units that submitted their report, and the
    Sở's own offices (every unit that no reporting unit, itself or above it, reports for). A unit that has not
    submitted is left out with everything below it, unless a unit above it submitted and so reported it."""
    units = read_session().execute(select(Unit.id, Unit.parent_id, Unit.name)).all()
    parents = {unit.id: unit.parent_id for unit in units}
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.id)
    reporting = {row.unit.id for row in rows}
    kept = set()
    for unit_id in parents:  # the Sở's own: no reporting unit on the way up
        current, seen = unit_id, set()
        while current is not None and current not in reporting and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current is None or current in seen:
            kept.add(unit_id)
    stack = [row.unit.id for row in rows if row.status == "submitted"]
    while stack:
        unit_id = stack.pop()
        if unit_id not in kept:
            kept.add(unit_id)
            stack.extend(children.get(unit_id, []))
    roots = ", ".join(unit.name for unit in units if unit.parent_id is None)
    submitted = sum(1 for row in rows if row.status == "submitted")
    return figures.Scope(frozenset(kept), _("%(roots)s: các đơn vị trực tiếp quản lý và %(n)s/%(m)s đơn vị đã nộp "
                                            "báo cáo (kể cả các đơn vị trực thuộc)",
                                            roots=roots, n=submitted, m=len(rows)))
