"""Each unit's typical examples (gương điển hình tiên tiến) of a year against the plan's 1–2, for the dashboard
(reads only). An example counts in the year it was discovered (its first stage's date), for the unit it belongs to
and every unit above it; the units shown are those directly under the top of the tree (the Sở's units)."""

from datetime import date
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from awards.campaigns.models import AdvancedExample, ExampleStage
from awards.core.replica import read_session
from awards.reports import rules
from awards.reports.figures import roll_up
from awards.units.models import Unit

STATUS_LABELS = {"none": _l("Chưa có"), "one": _l("Đạt 1"), "two_plus": _l("Đạt 2+")}
STATUS_BADGES = {"none": "text-bg-danger", "one": "text-bg-warning", "two_plus": "text-bg-success"}


class ExampleRow(NamedTuple):
    code: str
    name: str
    count: int
    status: str


def discovered_by_unit(year: int) -> dict[int, int]:
    """Unit id → examples discovered in `year` that belong to it (not counting the units below)."""
    rows = read_session().execute(
        select(AdvancedExample.unit_id, func.count(func.distinct(AdvancedExample.id)))
        .join(ExampleStage, ExampleStage.example_id == AdvancedExample.id)
        .where(ExampleStage.stage == "discovered", ExampleStage.on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(AdvancedExample.unit_id))
    return dict(rows.all())


def example_rows(year: int) -> list[ExampleRow]:
    """The active units directly under a top unit, each with its subtree's examples of `year` and its status,
    those lacking first (fewest, then by name)."""
    parent = aliased(Unit)
    units = read_session().execute(
        select(Unit.id, Unit.code, Unit.name, Unit.name_folded).join(parent, parent.id == Unit.parent_id)
        .where(parent.parent_id.is_(None), Unit.active.is_(True))).all()
    counts = discovered_by_unit(year)
    if counts:
        counts = roll_up(counts, dict(read_session().execute(select(Unit.id, Unit.parent_id)).all()))
    ordered = sorted(units, key=lambda u: (counts.get(u.id, 0), u.name_folded, u.code))
    return [ExampleRow(u.code, u.name, counts.get(u.id, 0), rules.example_status(counts.get(u.id, 0)))
            for u in ordered]
