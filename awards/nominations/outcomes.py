"""The appraisal queue's stored outcomes (issue 21, bench F3/F7): each dossier keeps its checklist's outcome and
its running clock's state (models.Nomination.outcome_* and clock_*), refreshed when their inputs change, so a
queue page reads 50 rows instead of computing 50 checklists (each subject's whole history), and the overdue
filter is `clock_due_on < the last working day` instead of the checklists of every dossier between the norms.

Three parts:

- `refresh_outcomes(nominations)`: computes the stored columns of many dossiers in one batch (the same
  `eligibility.checklists_of` and `clocks.clock_of` the dossier page uses) and writes them, clearing
  `outcome_stale`, unless a marking moved `outcome_version` on since the refresh began (then the row stays stale).
- Staleness, set in one place: a session hook (after_flush; do_orm_execute and archive.imports.WRITTEN for bulk
  writes) that sees new, changed and deleted rows of the checklist's inputs and marks the open dossiers whose
  subject they concern (`mark_stale`): archive records and their initiatives, people's and units' ratings,
  disciplines, initiatives, proceedings, eligibility overrides, a person moving unit or leaving (a person's change
  also marks the collective dossiers of the units above the person: a collective's checklist reads its members),
  campaign registrations, the CSTĐCS quota's dossiers; a settings, award type, calendar, unit tree, succession or
  cluster result change marks every open dossier. A dossier's own move (status, submission, its events) marks it
  and restarts its clock's start at once (the queue sorts on it). The nominations services refresh a dossier
  they move at once (services.py). A flush marks at once; bulk writes (an import's 50 inserts of 2,000 records)
  gather their subjects in the session's pending marks, applied by one UPDATE before the transaction commits
  (inside it: a crash leaves neither records nor marks) and dropped when it rolls back (`apply_pending`).
- Reading (appraisal.py): the queue refreshes the stale dossiers of the set it filters (normally none) and of the
  page it shows; a periodic job (`refresh_stale_job`, core.jobs.every) refreshes the rest in the background.

The dossier page keeps computing the full checklist live: it is the source of truth, the queue's copy follows it.
"""


from sqlalchemy import (
    and_,
    bindparam,
    case,
    event,
    func,
    inspect,
    literal_column,
    or_,
    select,
    text,
    union,
    update,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from awards.archive import imports
from awards.archive.models import AwardRecord, EligibilityOverride, RecordInitiative
from awards.calendar.models import CalendarDay
from awards.campaigns.models import Campaign, Registration, RegistrationEntry
from awards.catalog import services as catalog
from awards.catalog.models import CatalogSetting, StoredAwardType
from awards.clusters.models import Cluster, ClusterMember, ClusterVote
from awards.core.db import DomainError, among, utcnow
from awards.extensions import db
from awards.nominations import clocks, eligibility
from awards.nominations.models import Nomination, NominationEvent
from awards.units.models import (
    Discipline,
    Initiative,
    Person,
    PersonEvaluation,
    Proceeding,
    Unit,
    UnitEvaluation,
    UnitSuccession,
)

OPEN = ("submitted", "returned", "appraised", "rejected")  # the queue's statuses (appraisal.QUEUE_STATUSES)
SHOWN_BLOCKERS = 3  # the first blockers' short text kept in the summary
BLOCKER_TEXT = 160
BATCH = 200  # dossiers refreshed in one batch of set queries
INLINE = 1000  # at most this many stale dossiers refreshed by one queue read (the job does the rest)
JOB_LIMIT = 5000  # dossiers one run of the periodic job refreshes
FEW = 200  # stale dossiers on the queue a page looks up by id (more: a mass marking, read through the page's set)
# a marking of more subjects than this marks every open dossier instead (an import's 200,000 rows stay targeted:
# marking every open dossier would make the queue refresh thousands of dossiers nobody touched)
MARK_ALL_ABOVE = 250_000
MANY = 500  # a set of more values than this is one array (PostgreSQL) or JSON (SQLite) parameter, not one each

_T = Nomination.__table__
_GUARD = "nominations_marking"
PENDING = "nominations_pending_marks"  # session.info: the bulk writes' marks, applied before the commit
REFRESHED = "nominations_outcomes_refreshed"


# --- refreshing ------------------------------------------------------------------------------------------------

def started_at_column():
    """When the dossier's current clock started, in SQL: the last passing appraisal of an appraised one, else the
    last submission (the queue's sort key, kept by the hook at every move)."""
    last_appraisal = (select(func.max(NominationEvent.at))
                      .where(NominationEvent.nomination_id == _T.c.id, NominationEvent.status == "appraised")
                      .scalar_subquery())
    return case((_T.c.status == "appraised", func.coalesce(last_appraisal, _T.c.submitted_at)),
                else_=_T.c.submitted_at)


def _started_at(nomination: Nomination):
    if nomination.status == "appraised":
        return clocks.appraised_at(nomination) or nomination.submitted_at
    return nomination.submitted_at


def _summary(checklist) -> dict:
    blockers = checklist.blockers
    quota = checklist.line(eligibility.QUOTA_RULE)
    return {"failing": len(blockers), "overridden": len(checklist.overridden),
            "blockers": [line.detail[:BLOCKER_TEXT] for line in blockers[:SHOWN_BLOCKERS]],
            "quota": quota.detail if quota is not None and not quota.passed else None}


def _checklists(nominations: list[Nomination], settings: dict) -> dict:
    """The batch's checklists; a dossier whose checklist cannot be computed (a subject gone, a year before the
    rules) gets its refusal as its one blocker rather than failing the whole batch."""
    try:
        return eligibility.checklists_of(nominations, settings)
    except DomainError:
        result = {}
        for nomination in nominations:
            try:
                result.update(eligibility.checklists_of([nomination], settings))
            except DomainError as exc:
                result[nomination.id] = exc
        return result


def _values(nomination: Nomination, checklist, settings: dict, now) -> dict:
    values = {"clock_started_at": _started_at(nomination), "clock_norm": None, "clock_due_on": None}
    if nomination.status not in OPEN:  # not on the queue: its outcome is refreshed when it comes back
        return values
    if isinstance(checklist, DomainError):
        values.update(outcome_eligible=False, outcome_checked_at=now, outcome_summary={
            "failing": 1, "overridden": 0, "blockers": [checklist.message[:BLOCKER_TEXT]], "quota": None})
        checklist = None
    else:
        values.update(outcome_eligible=checklist.eligible, outcome_summary=_summary(checklist),
                      outcome_checked_at=now)
    clock = clocks.clock_of(nomination, checklist, settings)
    if clock["norm"] is not None and not clock.get("done", False):
        values.update(clock_norm=clock["norm"], clock_due_on=clock["due_on"])
    return values


def refresh_outcomes(nominations: list[Nomination], settings: dict | None = None) -> int:
    """Compute and store the queue's columns of these dossiers (their events and campaign loaded or lazily read),
    in batches of set queries; each row is written only if no marking moved its version on since this began.
    Flushes nothing of the caller's; the objects show the new values. Returns how many rows were written."""
    unique = list({n.id: n for n in nominations if n is not None and n.id is not None}.values())
    if not unique:
        return 0
    apply_pending(db.session)  # a bulk write earlier in this transaction: its marks move the versions first
    settings = settings if settings is not None else catalog.global_settings()
    written = 0
    for start in range(0, len(unique), BATCH):
        batch = unique[start:start + BATCH]
        # the versions first (autoflushing the caller's changes, whose marks they include), then the inputs
        versions = dict(db.session.execute(select(Nomination.id, Nomination.outcome_version)
                                           .where(Nomination.id.in_([n.id for n in batch]))).all())
        queued = [n for n in batch if n.status in OPEN]
        lists = _checklists(queued, settings) if queued else {}
        now, rows = utcnow(), []
        for nomination in batch:
            values = _values(nomination, lists.get(nomination.id), settings, now)
            rows.append({"b_id": nomination.id, "b_version": versions.get(nomination.id, 0), **{
                f"v_{key}": value for key, value in values.items()}})
            for key, value in {**values, "outcome_stale": False}.items():
                set_committed_value(nomination, key, value)
        for keys, group in _by_keys(rows).items():
            stmt = (update(_T).where(_T.c.id == bindparam("b_id"), _T.c.outcome_version == bindparam("b_version"))
                    .values(outcome_stale=False, **{key: bindparam(f"v_{key}") for key in keys}))
            written += db.session.connection().execute(stmt, group).rowcount
    db.session.info[REFRESHED] = True  # a read that refreshed commits it (the queue page)
    return written


def _by_keys(rows: list[dict]) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        keys = tuple(sorted(k[2:] for k in row if k.startswith("v_")))
        groups.setdefault(keys, []).append(row)
    return groups


def _load(ids) -> list[Nomination]:
    return list(db.session.scalars(select(Nomination).where(Nomination.id.in_(list(ids))).options(
        selectinload(Nomination.events), selectinload(Nomination.campaign)).order_by(Nomination.id)).unique())


STALE_FLAG = text("nominations.outcome_stale")  # true on both databases (PostgreSQL boolean, SQLite 0/1)
STALE_SOURCE_SQLITE = "nominations INDEXED BY ix_nominations_stale"


def stale_probe():
    """Is any dossier on the queue stale? Read from the partial index of the stale rows (normally none on the
    queue): ordered by its key, so PostgreSQL takes the index whatever the statistics say. Without the order,
    statistics counting many stale rows off the queue (closed dossiers a bulk load left stale, as the generated
    full-scale province has 25,761) made it a sequential scan of every dossier at each queue page, 50-75 ms.
    The flag is written as the bare column, the partial index's own condition: SQLite takes a partial index only
    for the very term of its WHERE, and SQLAlchemy writes a boolean as `outcome_stale = 1` there, which made
    SQLite walk every open dossier by status instead (33 ms a queue page at full scale, growing with the year's
    dossiers: 419 ms p95 at scale 5). On SQLite the index is also named (`INDEXED BY`): without statistics SQLite
    took whichever index on (status, …) had been created last, so a migration adding one made the probe walk every
    open dossier again (85-120 ms a queue page at scale 5)."""
    if db.session.get_bind().dialect.name == "sqlite":
        status = literal_column("nominations.status")
        return (select(literal_column("nominations.id")).select_from(text(STALE_SOURCE_SQLITE))
                .where(STALE_FLAG, status.in_(OPEN)).order_by(status).limit(1))
    return (select(Nomination.id).where(STALE_FLAG, Nomination.status.in_(OPEN))
            .order_by(Nomination.status).limit(1))


def refresh_stale(stmt, limit: int = INLINE, settings: dict | None = None) -> int:
    """Refresh the stale dossiers among those `stmt` (a queue statement) selects, at most `limit` of them, those
    waiting longest first. One query on the small stale index when no dossier on the queue is stale."""
    apply_pending(db.session)  # the bulk writes of this transaction, if any (normally none: no statement)
    stale = list(db.session.scalars(stale_probe().limit(FEW + 1)))
    if not stale:
        return 0
    narrowed = stmt.with_only_columns(Nomination.id, maintain_column_froms=True).where(Nomination.outcome_stale)
    if len(stale) <= FEW:  # a few stale dossiers, maybe none of them on this page's set: found by their ids, not
        # by reading the set in its order and keeping the stale ones (every appraised dossier of the province,
        # 190 ms at full scale, at each page until the periodic job refreshed the few)
        narrowed = narrowed.where(Nomination.id.in_(stale))
    ids = list(db.session.scalars(narrowed.limit(limit)))
    if not ids:
        return 0
    return refresh_outcomes(_load(ids), settings)


def refresh_if_stale(nominations: list[Nomination], settings: dict | None = None) -> None:
    """The rows a page shows: refresh the ones marked stale (usually none: no query)."""
    stale = [n.id for n in nominations if n.outcome_stale or n.outcome_checked_at is None and n.status in OPEN]
    if stale:  # loaded again with their events in one query: the same objects, the page's
        refresh_outcomes(_load(stale), settings)


def refresh_stale_job(limit: int = JOB_LIMIT) -> int:
    """The periodic job: refresh up to `limit` stale open dossiers, oldest first; flushes, the task commits."""
    done, tried = 0, set()
    settings = catalog.global_settings()
    while done < limit:
        stmt = select(Nomination.id).where(Nomination.outcome_stale, Nomination.status.in_(OPEN))
        if tried:  # a row a concurrent marking kept stale waits for the next run
            stmt = stmt.where(Nomination.id.not_in(list(tried)))
        ids = list(db.session.scalars(stmt.order_by(Nomination.id).limit(BATCH)))
        if not ids:
            break
        tried.update(ids)
        refresh_outcomes(_load(ids), settings)
        done += len(ids)
    return done


# every minute on Huey's scheduler (core.jobs.every, registered by create_app): what the queue did not refresh
PERIODIC = ("refresh_outcomes", {"minute": "*"}, refresh_stale_job)


# --- staleness -------------------------------------------------------------------------------------------------

class Marks:
    """What one flush changed, by the subjects it concerns."""

    def __init__(self):
        self.everything = False
        self.nominations: set[int] = set()  # dossiers moved (their clock restarts too)
        self.people: set[int] = set()  # person ids: their dossiers and the collectives above them
        self.person_codes: set[str] = set()
        self.initiatives: set[int] = set()
        self.units: set[int] = set()  # unit ids: their own collective dossiers (and their successors')
        self.unit_codes: set[str] = set()
        self.units_up: set[int] = set()  # the collective dossiers of these units and every unit above
        self.campaigns: set[int] = set()
        self.registrations: set[int] = set()
        self.quota: set[tuple[int, int]] = set()  # (unit id, year) whose CSTĐCS count changed

    def __bool__(self):
        return self.everything or any((self.nominations, self.people, self.person_codes, self.initiatives,
                                       self.units, self.unit_codes, self.units_up, self.campaigns,
                                       self.registrations, self.quota))

    def size(self) -> int:
        return sum(len(s) for s in (self.people, self.person_codes, self.initiatives, self.units, self.unit_codes,
                                    self.units_up, self.campaigns, self.registrations, self.quota))

    def merge(self, other: "Marks") -> "Marks":
        self.everything |= other.everything
        for name in ("nominations", "people", "person_codes", "initiatives", "units", "unit_codes", "units_up",
                     "campaigns", "registrations", "quota"):
            getattr(self, name).update(getattr(other, name))
        return self


EVERYTHING = (CatalogSetting, StoredAwardType, CalendarDay, UnitSuccession, Cluster, ClusterMember, ClusterVote)
DOSSIER_KEYS = ("status", "submitted_at", "handling_unit_id", "unit_id", "person_id", "subject_code", "award_code",
                "year", "route", "kind", "campaign_id")
PERSON_KEYS = ("unit_id", "unit", "active", "gender", "sector_start_date", "code")
UNIT_KEYS = ("parent_id", "code", "active")


def _values_of(obj, key: str, deleted: bool) -> set:
    """The attribute's current and previous values (a deleted row: what it had)."""
    history = inspect(obj).attrs[key].history
    found = {*history.added, *history.deleted, *history.unchanged}
    if not found and not deleted:
        found = {getattr(obj, key, None)}
    return {value for value in found if value is not None}


def _changed(obj, keys) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in keys)


def _collect(marks: Marks, obj, how: str) -> None:
    deleted, dirty = how == "deleted", how == "dirty"
    if isinstance(obj, EVERYTHING):
        marks.everything = True
    elif isinstance(obj, Nomination):
        if dirty and not _changed(obj, DOSSIER_KEYS):
            return
        if obj.id is not None and not deleted:
            marks.nominations.add(obj.id)
        if obj.award_code in eligibility.QUOTA_AWARDS or _values_of(obj, "award_code", deleted) & set(
                eligibility.QUOTA_AWARDS):
            marks.quota |= {(unit, year) for unit in _values_of(obj, "unit_id", deleted)
                            for year in _values_of(obj, "year", deleted)}
    elif isinstance(obj, NominationEvent):
        marks.nominations |= _values_of(obj, "nomination_id", deleted)
    elif isinstance(obj, AwardRecord | EligibilityOverride):
        codes = _values_of(obj, "subject_code", deleted)
        (marks.person_codes if obj.subject_type == "person" else marks.unit_codes).update(codes)
    elif isinstance(obj, RecordInitiative):
        marks.initiatives |= _values_of(obj, "initiative_id", deleted)
    elif isinstance(obj, PersonEvaluation | Initiative):
        marks.people |= _values_of(obj, "person_id", deleted)
    elif isinstance(obj, Discipline | Proceeding):
        marks.people |= _values_of(obj, "person_id", deleted)
        marks.units |= _values_of(obj, "unit_id", deleted)
    elif isinstance(obj, UnitEvaluation):
        marks.units |= _values_of(obj, "unit_id", deleted)
    elif isinstance(obj, Person):
        if dirty and not _changed(obj, PERSON_KEYS):
            return
        if not deleted and obj.id is not None:
            marks.people.add(obj.id)
        # the collectives it joins or leaves (a move set through the relationship: the old unit is its history)
        marks.units_up |= _values_of(obj, "unit_id", deleted) | {
            unit.id for unit in _values_of(obj, "unit", deleted) if unit.id is not None}
    elif isinstance(obj, Unit):
        if how == "new" or (dirty and not _changed(obj, UNIT_KEYS)):
            return
        marks.everything = True  # the tree changed: members of the collectives above moved
    elif isinstance(obj, Campaign):
        if dirty and obj.id is not None:
            marks.campaigns.add(obj.id)
    elif isinstance(obj, Registration):
        marks.campaigns |= _values_of(obj, "campaign_id", deleted)
    elif isinstance(obj, RegistrationEntry):
        marks.registrations |= _values_of(obj, "registration_id", deleted)


def _ancestors(*sources):
    """Ids of the units in `sources` (selects of unit ids) and every unit above them."""
    start = (union(*sources) if len(sources) > 1 else sources[0]).subquery()
    # anonymous: one statement may walk up from several starts (a member's rating, two years' quotas)
    tree = select(Unit.id, Unit.parent_id).where(Unit.id.in_(select(start.c[0]))).cte(recursive=True)
    tree = tree.union_all(select(Unit.id, Unit.parent_id).where(Unit.id == tree.c.parent_id))
    return select(tree.c.id)


def _conditions(marks: Marks, dialect: str = "sqlite") -> list:
    n = Nomination

    def within(column, values):
        return among(column, values, dialect, few=MANY)

    def ids(values):
        return select(Unit.id).where(within(Unit.id, values))

    conditions, up = [], []
    if marks.nominations:
        conditions.append(within(n.id, marks.nominations))
    if marks.people:
        conditions.append(within(n.person_id, marks.people))
        up.append(select(Person.unit_id).where(within(Person.id, marks.people)))
    if marks.person_codes:
        conditions.append(and_(n.subject_type == "person", within(n.subject_code, marks.person_codes)))
        up.append(select(Person.unit_id).where(within(Person.code, marks.person_codes)))
    if marks.initiatives:
        owners = select(Initiative.person_id).where(within(Initiative.id, marks.initiatives))
        conditions.append(n.person_id.in_(owners))
        up.append(select(Person.unit_id).where(Person.id.in_(owners)))
    if marks.units_up:
        up.append(ids(marks.units_up))
    if up:
        conditions.append(and_(n.subject_type == "unit", n.unit_id.in_(_ancestors(*up))))
    if marks.units or marks.unit_codes:
        own = select(Unit.id).where(or_(within(Unit.id, marks.units), within(Unit.code, marks.unit_codes)))
        successors = select(UnitSuccession.successor_id).where(UnitSuccession.predecessor_id.in_(own))
        conditions.append(and_(n.subject_type == "unit", or_(n.unit_id.in_(own), n.unit_id.in_(successors))))
    if marks.campaigns:
        conditions.append(within(n.campaign_id, marks.campaigns))
    if marks.registrations:
        conditions.append(n.campaign_id.in_(select(Registration.campaign_id).where(
            within(Registration.id, marks.registrations))))
    for year in {year for _unit, year in marks.quota}:  # the quota counts the unit and the units below it
        units = {unit for unit, y in marks.quota if y == year}
        conditions.append(and_(n.award_code == "CSTDCS", n.year == year, n.unit_id.in_(_ancestors(ids(units)))))
    return conditions


def mark_stale(marks: Marks, connection) -> None:
    """Mark the open dossiers these changes concern (moving their version on), and restart the clocks of the
    dossiers that moved."""
    if not marks:
        return
    stale = update(_T).values(outcome_stale=True, outcome_version=_T.c.outcome_version + 1)
    if marks.everything or marks.size() > MARK_ALL_ABOVE:
        connection.execute(stale.where(_T.c.status.in_(OPEN)))
    else:
        conditions = _conditions(marks, connection.dialect.name)
        if conditions:
            connection.execute(stale.where(_T.c.status.in_(OPEN), or_(*conditions)))
    if marks.nominations:  # a move: its clock's start at once; stale if it is on the queue (a dossier off the
        # queue is marked again when a move brings it back), so the stale index holds the queue's rows only
        moved = among(_T.c.id, marks.nominations, connection.dialect.name, few=MANY)
        connection.execute(update(_T).where(moved).values(
            outcome_stale=_T.c.status.in_(OPEN), outcome_version=_T.c.outcome_version + 1,
            clock_started_at=started_at_column()))


def _marking(session, marks: Marks) -> None:
    session.info[_GUARD] = True
    try:
        mark_stale(marks, session.connection())
    finally:
        session.info.pop(_GUARD, None)


def apply_pending(session) -> None:
    """Apply the marks the bulk writes of this transaction left pending (one UPDATE whatever their number), in
    the transaction: before it commits (the hook below), or earlier when a refresh in it reads the versions."""
    marks = session.info.pop(PENDING, None)
    if marks:
        _marking(session, marks)


def _pending(session) -> Marks:
    marks = session.info.get(PENDING)
    if marks is None:
        marks = session.info[PENDING] = Marks()
    return marks


@event.listens_for(Session, "after_flush")
def _inputs_flushed(session, flush_context):
    """The flush's new, changed and deleted rows of the checklist's inputs: their dossiers are stale (with the
    bulk writes' pending marks, in the same statement)."""
    if session.info.get(_GUARD):
        return
    marks = Marks()
    for how, objects in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            _collect(marks, obj, how)
    if marks:
        _marking(session, marks.merge(session.info.pop(PENDING, None) or Marks()))


@event.listens_for(Session, "before_commit")
def _committing(session):
    apply_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction):
    """The outermost transaction ended: its pending marks were applied before it committed, or are void with its
    rolled-back writes. (A savepoint rolled back keeps them: a dossier marked for nothing is only refreshed.)"""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


BULK_WATCHED = (AwardRecord, EligibilityOverride, RecordInitiative, PersonEvaluation, UnitEvaluation, Discipline,
                Initiative, Proceeding, Person, *EVERYTHING)


def _records_written(session, rows: list[dict]) -> None:
    """Archive records written in bulk (the import: archive.imports.WRITTEN, or an ORM bulk insert): their
    subjects' dossiers, and the collectives above the people, are marked before the transaction commits."""
    marks = _pending(session)
    for row in rows:
        (marks.person_codes if row["subject_type"] == "person" else marks.unit_codes).add(row["subject_code"])


imports.WRITTEN.append(_records_written)


@event.listens_for(Session, "do_orm_execute")
def _bulk_written(state):
    """An ORM bulk statement on an input: a bulk insert of archive records marks their subjects; any other bulk
    write of an input marks every open dossier. Pending, applied once before the transaction commits."""
    if state.is_select or state.session.info.get(_GUARD):
        return
    mapper = state.bind_mapper
    entity = mapper.class_ if mapper is not None else None
    if entity is None or not issubclass(entity, BULK_WATCHED):
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if isinstance(params, dict) else []
    if state.is_insert and entity is AwardRecord and rows and all(
            "subject_type" in row and "subject_code" in row for row in rows):
        _records_written(state.session, rows)
    else:
        _pending(state.session).everything = True
