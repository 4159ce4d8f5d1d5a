"""Reading dossiers: lookups and lists (a dossier's eligibility checklist is eligibility.py)."""

from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from awards.catalog import services as catalog
from awards.core import clock, workdays
from awards.core.db import NotFound
from awards.extensions import db
from awards.nominations.models import Nomination, NominationEvent, OutsideAnswerItem
from awards.nominations.states import FREEZES, LEAVE_GATES, STATUS_LABELS, S
from awards.units import queries as units_queries
from awards.units.models import Person, Unit, UnitCompetence

# where a level's secretariat proposes a dossier upward from: its council passed it, its listing is over, or it
# was appraised for an award with no vote there (the gates of LEAVE_GATES say which)
FORWARDABLE = frozenset({S.passed, S.public_review, S.appraised})


def nomination_by_id(nomination_id: int) -> Nomination | None:
    return db.session.get(Nomination, nomination_id)


def nominations_by_ids(ids: list[int]) -> list[Nomination]:
    """The ticked dossiers of a bulk action, by id (404 when one does not exist)."""
    nominations = list(db.session.scalars(select(Nomination).where(Nomination.id.in_(ids))
                                          .order_by(Nomination.id)).unique())
    if len(nominations) != len(set(ids)):
        raise NotFound(_("Không có hồ sơ số %(i)s.", i=min(set(ids) - {n.id for n in nominations})))
    return nominations


def proposal_batch(ids: list[int]) -> list[Nomination]:
    """The dossiers of one proposal upward, in the order given, each with its events, their levels and its
    handling unit read with it (`levels`, `proposed_by` and the page then read nothing more): four statements
    for a batch of any size, where a dossier at a time took three or four each (issue 21). NotFound names an
    unknown id."""
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(ids)).options(
        selectinload(Nomination.events).selectinload(NominationEvent.handling_unit),
        selectinload(Nomination.handling_unit)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(_("Không có hồ sơ số %(i)s.", i=missing[0]))
    return [found[i] for i in ids]


def nominations_stmt(user, status=None, unit_code=None, year=None, award_code=None, campaign_id=None,
                     handled_only: bool = False):
    """Dossiers the user may see, newest first, filtered; unit_code includes the unit's descendants.
    `handled_only`: for staff bound to a unit, only what its awarding unit handles (the appraisal queue), one
    indexed condition instead of the visibility's OR over every unit of its subtree."""
    stmt = select(Nomination).order_by(Nomination.id.desc())
    readable = units_queries.readable_unit_ids(user)
    if readable is not None:
        stmt = stmt.where(Nomination.unit_id.in_(readable))
    scope = units_queries.scope_unit(user)
    if scope is not None and handled_only:
        stmt = stmt.where(Nomination.handling_unit_id == scope.id)
    elif scope is not None:  # staff bound to a unit: what its awarding unit handles, and its own units' dossiers
        stmt = stmt.where(or_(Nomination.handling_unit_id == scope.id,
                              Nomination.unit_id.in_(units_queries.subtree_ids(scope.id))))
    if status:
        stmt = stmt.where(Nomination.status == status)
    if unit_code:
        unit = units_queries.unit_by_code(unit_code)
        stmt = stmt.where(Nomination.unit_id.in_(units_queries.subtree_ids(unit.id) if unit else []))
    if year:
        stmt = stmt.where(Nomination.year == year)
    if award_code:
        stmt = stmt.where(Nomination.award_code == award_code)
    if campaign_id:
        stmt = stmt.where(Nomination.campaign_id == campaign_id)
    return stmt


def levels(nomination: Nomination) -> list[dict]:
    """Each level the dossier crossed (CONTRACT §5), oldest first: `{unit_code, status, at}` — a level it left
    upward reads `forwarded` from the day it left, the level it is at reads its status now."""
    found: list[dict] = []
    for event in nomination.events:
        code = event.handling_unit.code if event.handling_unit is not None else None
        if found and found[-1]["unit_code"] == code:
            found[-1].update(status=str(event.status), at=event.at)
        else:
            if found:
                found[-1].update(status="forwarded", at=event.at)
            found.append({"unit_code": code, "status": str(event.status), "at": event.at})
    return found


def next_level(nomination: Nomination) -> Unit | None:
    """The awarding unit above the level handling the dossier, or None: the answer comes from outside."""
    handling = nomination.handling_unit
    return handling.parent.awarding_unit if handling is not None and handling.parent is not None else None


def with_units(nominations: list[Nomination]) -> None:
    """Tie to each dossier its unit, its handling unit and every unit above them, read in one statement (units'
    load_with_ancestors): a page of rows then names each unit with the one above it and walks to the next level
    without a query per unit, for as long as it holds the dossiers."""
    tied = [n.__dict__.get("handling_unit") for n in nominations]
    tree = units_queries.load_with_ancestors([n.unit for n in nominations] + tied,
                                             ids={n.handling_unit_id for n, unit in zip(nominations, tied,
                                                                                        strict=True) if unit is None})
    for nomination in nominations:
        if "handling_unit" not in nomination.__dict__ and nomination.handling_unit_id in tree:
            set_committed_value(nomination, "handling_unit", tree[nomination.handling_unit_id])


def next_levels(nominations: list[Nomination]) -> dict[int, Unit | None]:
    """next_level for a page of dossiers, by id: the same rule over their units read at once (with_units)."""
    with_units(nominations)
    return {n.id: next_level(n) for n in nominations}


def forward_refusal(nomination: Nomination) -> tuple[str, str] | None:
    """Why the level handling the dossier cannot propose it upward now, as (code, Vietnamese reason), or None: the
    one gate services.forward applies and the "Trình cấp trên" page lists by (who may is can_handle's question)."""
    return _refusal(nomination, None, None, lambda gate: gate(nomination))


def _refusal(nomination: Nomination, table, types, gate_answer) -> tuple[str, str] | None:
    """forward_refusal's rule, reading the competence (`table`: units_queries.competence_table(), or None: the
    unit's own rows), the award types (`types`: catalog.award_types(), or None: read when named) and each gate's
    answer (`gate_answer(gate)`) as the caller has them."""
    handling = nomination.handling_unit
    if handling is not None and units_queries.decides(handling, nomination.award_code, table):
        award = types[nomination.award_code] if types is not None else catalog.award_type(nomination.award_code)
        return "wrong_level", _("%(u)s có thẩm quyền quyết định “%(a)s”: ban hành quyết định, không trình cấp trên.",
                                u=handling.name, a=award.name)
    if nomination.status not in FORWARDABLE:
        target = S.submitted if next_level(nomination) is not None else S.forwarded
        return "wrong_state", _("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.",
                                a=STATUS_LABELS[nomination.status], b=STATUS_LABELS[target])
    for gate in (*LEAVE_GATES, *FREEZES):  # FREEZES: what states.transition would refuse on the way
        reason = gate_answer(gate)
        if reason:
            return "not_ready", reason
    return None


def forward_refusals(nominations: list[Nomination]) -> dict[int, tuple[str, str] | None]:
    """forward_refusal for many saved dossiers, by id, in a fixed number of queries: their handling units and the
    levels above, the competence table, and each gate once for all of them — a gate with a batch form
    (`gate.many(nominations) -> {id: reason or None}`, e.g. announcements.decisions.why_not_decidable_many) is
    asked once, one without is asked dossier by dossier. Tests hold it to forward_refusal."""
    if not nominations:
        return {}
    with_units(nominations)
    table, types = units_queries.competence_table(), catalog.award_types(inactive=True)
    gates = (*LEAVE_GATES, *FREEZES)
    asked = [n for n in nominations if n.status in FORWARDABLE]
    answers = {gate: gate.many(asked) if hasattr(gate, "many") and asked else None for gate in gates}

    def gate_answer(nomination):
        def answer(gate):
            batch = answers[gate]
            return batch[nomination.id] if batch is not None else gate(nomination)
        return answer

    return {n.id: _refusal(n, table, types, gate_answer(n)) for n in nominations}


def ready_to_forward(user, *, year: int | None = None, award_code: str | None = None) -> list[Nomination]:
    """The dossiers the user's level handles that it may propose upward now, oldest first: a set query narrows them
    to a forwardable status and an award their level does not decide (and not appraised for one its council votes
    on: the gate refuses each of those before the vote), then forward_refusals reads the gates of all of them at
    once (their listings, their open cases), so the list and the service agree."""
    decided_there = (select(UnitCompetence.id).join(Unit, Unit.id == UnitCompetence.unit_id)
                     .where(UnitCompetence.unit_id == Nomination.handling_unit_id,
                            UnitCompetence.award_code == Nomination.award_code, Unit.decides_awards.is_(True))
                     .correlate(Nomination).exists())
    # appraised for an award its council votes on: most of a province's candidates, each refused by the gate with a
    # translated sentence nobody reads. The people of the ready ones only, read after the gates: joined to every
    # candidate, PostgreSQL expects thousands of rows from the anti-join and reads the whole people table
    voting = [code for code, award in catalog.award_types(inactive=True).items() if award.council_vote]
    stmt = (select(Nomination).where(Nomination.status.in_(FORWARDABLE), ~decided_there,
                                     or_(Nomination.status != S.appraised, Nomination.award_code.not_in(voting)))
            .order_by(Nomination.id).options(lazyload(Nomination.person)))
    scope = units_queries.scope_unit(user)
    if scope is not None:
        stmt = stmt.where(Nomination.handling_unit_id == scope.id)
    if year:
        stmt = stmt.where(Nomination.year == year)
    if award_code:
        stmt = stmt.where(Nomination.award_code == award_code)
    candidates = list(db.session.scalars(stmt).unique())
    refusals = forward_refusals(candidates)
    ready = [n for n in candidates if refusals[n.id] is None]
    wanted = {n.person_id for n in ready if n.person_id is not None}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(wanted)))} if wanted else {}
    for nomination in ready:  # each row names its subject: one read for all of them
        if "person" not in nomination.__dict__:
            set_committed_value(nomination, "person", people.get(nomination.person_id))
    return ready


def awaiting_answer_stmt(user):
    """The dossiers the user's level sent outside and still waits on (`forwarded`), oldest first, with their
    histories (the day each was sent: forwarded_since) read for the whole page at once."""
    stmt = (select(Nomination).where(Nomination.status == S.forwarded).order_by(Nomination.id)
            .options(selectinload(Nomination.events)))
    scope = units_queries.scope_unit(user)
    if scope is not None:
        stmt = stmt.where(Nomination.handling_unit_id == scope.id)
    return stmt


def forwarded_since(nomination: Nomination):
    """When the dossier was sent outside (its latest `forwarded` step), or None."""
    return next((e.at for e in reversed(nomination.events) if str(e.status) == "forwarded"), None)


def forwarded_workdays(nomination: Nomination) -> int | None:
    """Working days the dossier has waited for the answer from outside (status `forwarded`), else None: the API's
    `forwarded_workdays` and the pages' clock."""
    if nomination.status != S.forwarded:
        return None
    since = forwarded_since(nomination)
    if since is None:
        return None
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return workdays.working_days_between(since.astimezone(clock.VIETNAM).date(), clock.today())


def proposed_by(nomination: Nomination) -> str | None:
    """The code of the level that last proposed the dossier upward (its latest level left as `forwarded`)."""
    return next((lv["unit_code"] for lv in reversed(levels(nomination)) if lv["status"] == "forwarded"), None)


def answer_item(nomination: Nomination) -> OutsideAnswerItem | None:
    """The answer from outside recorded for the dossier (with its decision's file), or None."""
    return db.session.scalar(select(OutsideAnswerItem).where(OutsideAnswerItem.nomination_id == nomination.id))
