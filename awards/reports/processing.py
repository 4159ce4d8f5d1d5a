"""How long dossiers took, in working days, against the processing norms of RULES §6 (reads only).

For every dossier submitted during a report's period, its latest submission in that period is followed to the
appraisal's result: returned for supplement (norm `return_days`), passed or failed (norm `appraisal_days`). A
passed dossier that reached an award decision is then followed from that appraisal to the decision's signing
date (norm `forward_days`: "decisions forwarded within 10 working days"). A submission still waiting for its
result counts as pending.

Three set queries whatever the number of dossiers (the dossiers' events streamed in order, the decision dates,
the norms); the working days are counted in Python, each distinct pair of dates once."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby
from statistics import median

from sqlalchemy import String, select, type_coerce

from awards.announcements.models import Decision, DecisionItem
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.workdays import working_days_between
from awards.extensions import db
from awards.nominations.models import Nomination, NominationEvent

SUBMITTED = "submitted"
RESULTS = ("appraised", "returned", "rejected")  # what an appraisal of a submission ends in
KEPT = frozenset((SUBMITTED, *RESULTS))  # the events the processing times read


@dataclass
class Step:
    """The working days of one step over many dossiers, against its norm."""

    days: list[int] = field(default_factory=list)
    over_norm: int = 0

    def add(self, elapsed: int, norm: int) -> None:
        self.days.append(elapsed)
        self.over_norm += elapsed > norm

    def extend(self, other: "Step") -> None:
        self.days += other.days
        self.over_norm += other.over_norm

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return median(self.days) if self.days else None

    @property
    def maximum(self) -> int | None:
        return max(self.days) if self.days else None


@dataclass
class AwardTimes:
    award_code: str  # "" for the total over every award
    dossiers: int = 0  # submitted during the period
    pending: int = 0  # the latest submission has no appraisal result yet
    returned: int = 0  # results that were a return for supplement (judged against return_days)
    rejected: int = 0  # results that were a failed appraisal
    appraisal: Step = field(default_factory=Step)  # submission → appraisal result
    decision: Step = field(default_factory=Step)  # passing appraisal → award decision, where there is one

    def extend(self, other: "AwardTimes") -> None:
        self.dossiers += other.dossiers
        self.pending += other.pending
        self.returned += other.returned
        self.rejected += other.rejected
        self.appraisal.extend(other.appraisal)
        self.decision.extend(other.decision)


@dataclass
class Times:
    by_award: list[AwardTimes]  # catalog order, awards with at least one dossier
    total: AwardTimes
    norms: dict[str, int]  # return_days, appraisal_days, forward_days


def _vn_date(moment: datetime) -> date:
    return moment.astimezone(clock.VIETNAM).date()


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as instants: from its first day's midnight to the midnight after its last day, in Vietnam."""
    return (datetime.combine(start, time.min, tzinfo=clock.VIETNAM),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=clock.VIETNAM))


def submitted_between(start: datetime, end: datetime):
    """The ids of the dossiers submitted (at least once) in [start, end), as a subquery."""
    return (select(NominationEvent.nomination_id)
            .where(NominationEvent.status == SUBMITTED, NominationEvent.at >= start, NominationEvent.at < end))


def _submitted_in(start: datetime, end: datetime, unit_ids: list[int] | None):
    """submitted_between, narrowed to the dossiers of some units (a unit's report: its subtree's dossiers)."""
    stmt = submitted_between(start, end)
    if unit_ids is not None:
        stmt = stmt.where(NominationEvent.nomination_id.in_(select(Nomination.id)
                                                             .where(Nomination.unit_id.in_(unit_ids))))
    return stmt


def _dossier_events(start: datetime, end: datetime, unit_ids: list[int] | None = None):
    """(nomination id, award code, status, at) of every dossier submitted in [start, end), submissions and
    appraisal results only, ordered by dossier then time: streamed, never loaded at once.

    The statuses are kept here, not in the WHERE: given both, SQLite read the status index — every submission
    and appraisal of every year (170 ms at full scale) — rather than the period's few dossiers' events by their
    dossier (issue 21)."""
    submitted_in_period = _submitted_in(start, end, unit_ids)
    status = type_coerce(NominationEvent.status, String).label("status")  # the plain string: the enum type's
    # conversion of every row was a third of the dashboard's processing times for a year of 30,000 dossiers
    stmt = (select(NominationEvent.nomination_id, Nomination.award_code, status, NominationEvent.at)
            .join(Nomination, Nomination.id == NominationEvent.nomination_id)
            .where(NominationEvent.nomination_id.in_(submitted_in_period))
            .order_by(NominationEvent.nomination_id, NominationEvent.at, NominationEvent.id))
    return (row for row in db.session.execute(stmt.execution_options(yield_per=5000)) if row.status in KEPT)


def _decision_dates(start: datetime, end: datetime, unit_ids: list[int] | None = None) -> dict[int, date]:
    """The signing date of the award decision of each dossier submitted in [start, end) that has one."""
    submitted_in_period = _submitted_in(start, end, unit_ids)
    rows = db.session.execute(select(DecisionItem.nomination_id, Decision.signed_on)
                              .join(Decision, Decision.id == DecisionItem.decision_id)
                              .where(DecisionItem.nomination_id.in_(submitted_in_period)))
    return dict(rows.all())


def _tally(events: Iterable, decided: dict[int, date], norms: dict[str, int], start: datetime,
           end: datetime) -> dict[str, AwardTimes]:
    cache: dict[tuple[date, date], int] = {}

    def elapsed(first: date, last: date) -> int:
        if (first, last) not in cache:
            cache[(first, last)] = working_days_between(first, last)
        return cache[(first, last)]

    result: dict[str, AwardTimes] = {}
    for (nomination_id, award_code), rows in groupby(events, key=lambda row: (row[0], row[1])):
        history = [(status, at) for _id, _code, status, at in rows]
        times = result.setdefault(award_code, AwardTimes(award_code))
        times.dossiers += 1
        latest = max(i for i, (status, at) in enumerate(history) if status == SUBMITTED and start <= at < end)
        outcome = next(((status, at) for status, at in history[latest + 1:] if status in RESULTS), None)
        if outcome is None:
            times.pending += 1
            continue
        submitted_on, status, result_on = _vn_date(history[latest][1]), outcome[0], _vn_date(outcome[1])
        if status == "returned":
            times.returned += 1
            times.appraisal.add(elapsed(submitted_on, result_on), norms["return_days"])
        else:
            times.rejected += status == "rejected"
            times.appraisal.add(elapsed(submitted_on, result_on), norms["appraisal_days"])
        signed_on = decided.get(nomination_id)
        if status == "appraised" and signed_on is not None:
            times.decision.add(elapsed(result_on, signed_on), norms["forward_days"])
    return result


def processing_times(start: date, end: date, settings: dict | None = None,
                     unit_ids: list[int] | None = None) -> Times:
    """Per award type (catalog order, then any other code): dossiers submitted between `start` and `end`
    (inclusive, Vietnam dates), pending ones, and the two steps' counts, medians, maxima and numbers over the
    norm; with the total over every award. With `unit_ids`, only the dossiers of those units (their people's
    and their collectives')."""
    settings = settings if settings is not None else catalog.global_settings()
    norms = {name: int(settings[name]) for name in ("return_days", "appraisal_days", "forward_days")}
    first, after = bounds(start, end)
    decided = _decision_dates(first, after, unit_ids)
    found = _tally(_dossier_events(first, after, unit_ids), decided, norms, first, after)
    types = catalog.known_types()
    order = [code for code in types if code in found] + sorted(code for code in found if code not in types)
    total = AwardTimes("")
    for code in order:
        total.extend(found[code])
    return Times(by_award=[found[code] for code in order], total=total, norms=norms)
