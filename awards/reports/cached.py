"""The dashboard's figures from the page cache (issue 21): counting a year of the archive — by award, by unit and
the equity groups, three aggregates over tens of thousands of records at full scale — was most of the dashboard's
time, and the figures only change when the archive does.

An entry is keyed on the period and two versions (core.cache): ARCHIVE, which every append to the archive moves
in its own transaction (archive.services.lock_chain: an award recorded or decided, a revocation, a correction, an
import), and FIGURES, which the few other writes that change these figures bump once they commit: a unit moved
or re-coded (the roll-up over the tree), a person's gender, birth date, ethnicity or frontline flag, a unit's
grassroots flag (the equity shares). New people and units change nothing until they are awarded.

The versions are read on the session the figures are read on (the replica when there is one), before the figures:
an entry may be fresher than its key, never older. The figures are the province's, the same for every manager
who may see the dashboard: no user is in the key.
"""

import json

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from awards.core import cache
from awards.core.replica import read_session
from awards.reports import figures
from awards.units.models import Person, Unit

FIGURES = "report_figures"  # cache version: bumped after the writes below that change the equity counts
TTL = 600  # seconds; the key changes with every write that changes the figures, the TTL only frees memory
PERSON_FIELDS = ("gender", "birth_date", "ethnic_minority", "frontline")
UNIT_FIELDS = ("grassroots", "parent", "parent_id", "code")  # parent: set through the relationship


def _counted(period: figures.Period) -> str:
    """figures.summary(period, descendants=True) as JSON: the three set queries over the archive, the unit tree's
    roll-up (2,000 units walked up at full scale)."""
    found = figures.summary(period, descendants=True)
    return json.dumps({"by_award": found.by_award, "by_unit": found.by_unit, "individuals": found.individuals,
                       "counts": found.counts})


def summary(period: figures.Period) -> figures.Summary:
    """reports.figures.summary(period, descendants=True), its archive aggregates from the cache."""
    session = read_session()
    versions = dict(session.execute(select(cache.CacheVersion.name, cache.CacheVersion.version).where(
        cache.CacheVersion.name.in_((cache.ARCHIVE, FIGURES)))).all())
    key = ("reports.summary", period.year, period.half, versions.get(cache.ARCHIVE, 0), versions.get(FIGURES, 0))
    found = json.loads(cache.cached_page(key, lambda: _counted(period), ttl=TTL, versions=()))
    return figures.Summary(period=period, by_award=found["by_award"], by_unit=found["by_unit"],
                           individuals=found["individuals"], counts=found["counts"])


def _changes(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


@event.listens_for(Session, "before_flush")
def _equity_changed(session, flush_context, instances):
    """A unit moved or re-coded, or a person's or a unit's attribute that the equity shares count changed: the
    cached figures are out of date once the transaction commits."""
    if any(isinstance(o, Person) and _changes(o, PERSON_FIELDS) or isinstance(o, Unit) and _changes(o, UNIT_FIELDS)
           for o in session.dirty):
        cache.bump_after_commit(session, FIGURES)
