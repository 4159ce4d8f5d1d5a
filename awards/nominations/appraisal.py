"""The secretariat's appraisal desk, read-only: the queue of dossiers with its filters, read from each dossier's
stored outcome and clock (outcomes.py keeps them; the clock itself is clocks.py, RULES §6). What stands in the way
of passing a dossier is eligibility.py."""

from datetime import date, timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import Select, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from awards.core import clock
from awards.core.workdays import is_working_day, working_days_between
from awards.extensions import db
from awards.nominations import eligibility, outcomes, priorities, queries
from awards.nominations.clocks import (  # noqa: F401  (the processing clock's names, as callers read them here)
    appraised_at,
    clock_of,
    decided_on,
    overdue_cutoff,
    steps_of,
    vn_date,
)
from awards.nominations.models import Nomination
from awards.units.models import Unit

QUEUE_STATUSES = ("submitted", "returned", "appraised", "rejected")


# --- the queue -------------------------------------------------------------------------------------------------

def last_working_day(today: date | None = None) -> date:
    """The last working day up to `today`: a dossier whose due date is before it has exceeded its norm today
    (elapsed > norm exactly when the working day after its due date has come)."""
    day = today or clock.today()
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def queue_stmt(user, *, status: str = "submitted", campaign_id=None, unit_code=None, award_code=None, year=None,
               overdue_only: bool = False, priority: str = "", settings: dict | None = None,
               checklists: dict | None = None, refresh: bool = True) -> Select:
    """Dossiers waiting at the secretariat (or returned / appraised / rejected ones), longest waiting first, on
    their stored clock start (outcomes.py keeps it). `priority` keeps individuals with one of the plan's priority
    flags (`priorities.FILTERS`). `overdue_only` keeps those past their norm: the stored due date before the last
    working day. With `refresh`, the stale dossiers of the filtered set are refreshed first (normally none: one
    indexed query), so the order and the overdue filter read current outcomes. `checklists` is not filled any
    more (kept for callers that pass it)."""
    status = status if status in QUEUE_STATUSES else "submitted"
    # a level's secretariat: only the dossiers its awarding unit handles
    stmt = queries.nominations_stmt(user, status=status, unit_code=unit_code or None, year=year or None,
                                    award_code=award_code or None, campaign_id=campaign_id or None,
                                    handled_only=True)
    if priority in priorities.FILTERS:
        stmt = stmt.where(priorities.priority_clause(priority))
    stmt = stmt.order_by(None).order_by(Nomination.clock_started_at.asc().nulls_last(), Nomination.id)
    if refresh:
        outcomes.refresh_stale(stmt, settings=settings)
    stmt = stmt.options(selectinload(Nomination.campaign))
    if not overdue_only:
        return stmt
    if status != "submitted":  # returned, rejected: no running clock; appraised: waiting for the council, no norm
        return stmt.where(literal(False))
    return stmt.where(Nomination.clock_due_on < last_working_day())


def filter_units(max_depth: int = 1) -> list[tuple[str, str, int]]:
    """(code, name, depth) of the units of the top `max_depth + 1` levels, in tree order: the unit filter's
    suggestions (any unit code may still be typed; the filter includes the units below it)."""
    level = select(Unit.id).where(Unit.parent_id.is_(None))
    wanted = Unit.parent_id.is_(None)
    for _depth in range(max_depth):
        wanted = or_(wanted, Unit.parent_id.in_(level))
        level = select(Unit.id).where(Unit.parent_id.in_(level))
    units = db.session.execute(select(Unit.id, Unit.parent_id, Unit.code, Unit.name).where(wanted)
                               .order_by(Unit.name_folded)).all()
    children: dict[int | None, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[str, str, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit.code, unit.name, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def paginate_queue(stmt: Select, page: int, per_page: int):
    """One page of `queue_stmt`: the database sorts and skips the bare ids (no join with people and units, no
    wide rows), then only the page's dossiers are loaded with what the page shows (their units' parents in one
    query: a department's name carries its hospital's). Returns (the pagination, its dossiers in the queue's
    order)."""
    pagination = db.paginate(stmt.with_only_columns(Nomination.id, maintain_column_froms=True),
                             page=page, per_page=per_page, error_out=False)
    ids = list(pagination.items)
    found = {n.id: n for n in db.session.scalars(
        select(Nomination).where(Nomination.id.in_(ids)).options(
            selectinload(Nomination.campaign),
            joinedload(Nomination.unit).selectinload(Unit.parent))).unique()} if ids else {}  # the rows' unit names
    return pagination, [found[i] for i in ids]


class QueueRow(NamedTuple):
    nomination: Nomination
    summary: eligibility.Summary
    clock: dict
    blockers: list[str]  # the first failing lines' short text
    quota: str | None  # the CSTĐCS quota line's detail when the unit is over it


def stored_clock(nomination: Nomination, today: date | None = None) -> dict:
    """The clock a queue row shows, from the stored start, norm and due date (clock_of's running step, without
    reading the events or the checklist): working days waited, against the norm when one runs."""
    started = vn_date(nomination.clock_started_at)
    if started is None:
        return {"elapsed": None, "norm": None, "due_on": None, "overdue": False, "label": ""}
    elapsed = working_days_between(started, today or clock.today())
    norm = nomination.clock_norm
    if norm is None:
        return {"elapsed": elapsed, "norm": None, "due_on": None, "overdue": False,
                "label": _("%(n)s ngày làm việc", n=elapsed)}
    what = _("Trả lại hồ sơ chưa đủ điều kiện") if nomination.outcome_eligible is False else _("Thẩm định")
    return {"elapsed": elapsed, "norm": norm, "due_on": nomination.clock_due_on, "overdue": elapsed > norm,
            "label": _("%(what)s: %(n)s/%(norm)s ngày làm việc", what=what, n=elapsed, norm=norm)}


def queue_rows(nominations: list[Nomination], settings: dict | None = None,
               known: dict | None = None) -> list[QueueRow]:
    """Each dossier of a page with its stored outcome and clock: the page's stale dossiers (usually none) are
    refreshed first; no checklist is computed for a fresh row. `known` is not used any more."""
    outcomes.refresh_if_stale(nominations, settings)
    today, rows = clock.today(), []
    for nomination in nominations:
        stored = nomination.outcome_summary or {}
        summary = eligibility.Summary(green=not stored.get("failing", 0), failing=stored.get("failing", 0),
                                      overridden=stored.get("overridden", 0))
        rows.append(QueueRow(nomination, summary, stored_clock(nomination, today), stored.get("blockers", []),
                             stored.get("quota")))
    return rows
