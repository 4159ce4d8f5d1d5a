"""Reading the archive: search, a subject's timeline, and histories for the rules in a few set queries."""

from collections import defaultdict

from sqlalchemy import and_, func, or_, select

from awards.archive.models import AwardRecord, Entry, RecordInitiative
from awards.catalog.history import (
    DISCIPLINE_ORDER,
    AwardHeld,
    DisciplineFact,
    InitiativeFact,
    MemberYear,
    PersonHistory,
    UnitHistory,
)
from awards.catalog.types import name_of
from awards.core.text import fold, matches_word_start
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Discipline, Initiative, Person, PersonEvaluation, Unit, UnitEvaluation

SORTS = {
    "year_desc": (AwardRecord.year.desc(), AwardRecord.id.desc()),
    "year": (AwardRecord.year, AwardRecord.id),
    "name": (AwardRecord.name_folded, AwardRecord.year.desc()),
    "decision": (AwardRecord.decision_date.desc(), AwardRecord.id.desc()),
}


def record_by_id(record_id: int) -> AwardRecord | None:
    return db.session.get(AwardRecord, record_id)


def current_records():
    """Awards and corrections not superseded by a later correction (revoked ones included, marked)."""
    return select(AwardRecord).where(AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded)


def search_stmt(q="", award_code=None, year=None, unit_code=None, subject_code=None, subject_type=None,
                include_revoked=True, published_only=False, sort="year_desc"):
    """Current records matching the filters; q matches names (from a word start) and decision numbers,
    ignoring case and diacritics; unit_code includes the unit's descendants."""
    stmt = current_records()
    if q and q.strip():
        stmt = stmt.where(or_(matches_word_start(AwardRecord.name_folded, q),
                              AwardRecord.decision_folded.startswith(fold(q), autoescape=True),
                              func.lower(AwardRecord.subject_code) == fold(q)))
    if award_code:
        stmt = stmt.where(AwardRecord.award_code == award_code)
    if year:
        stmt = stmt.where(AwardRecord.year == year)
    if subject_type:
        stmt = stmt.where(AwardRecord.subject_type == subject_type)
    if subject_code:
        stmt = stmt.where(AwardRecord.subject_code == subject_code)
    if unit_code:
        unit = units_queries.unit_by_code(unit_code)
        stmt = stmt.where(AwardRecord.unit_id.in_(units_queries.subtree_ids(unit.id) if unit else []))
    if not include_revoked:
        stmt = stmt.where(~AwardRecord.revoked)
    if published_only:
        stmt = stmt.where(AwardRecord.published)
    return stmt.order_by(*SORTS.get(sort, SORTS["year_desc"]))


def timeline(subject_type: str, subject_code: str) -> dict[int, list[AwardRecord]]:
    """A subject's awards by year, newest first, revoked ones included (marked)."""
    by_year: dict[int, list[AwardRecord]] = defaultdict(list)
    stmt = search_stmt(subject_type=subject_type, subject_code=subject_code, sort="year_desc")
    for record in db.session.scalars(stmt):
        by_year[record.year].append(record)
    return dict(by_year)


def _awards_by_subject(subject_type: str, codes: list[str]) -> dict[str, list[AwardHeld]]:
    rows = db.session.execute(
        select(AwardRecord.subject_code, AwardRecord.award_code, AwardRecord.year, AwardRecord.kind,
               AwardRecord.revoked, AwardRecord.id)
        .where(AwardRecord.subject_type == subject_type, AwardRecord.subject_code.in_(codes),
               AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded))
    result: dict[str, list[AwardHeld]] = defaultdict(list)
    for code, award, year, kind, revoked, record_id in rows:
        result[code].append(AwardHeld(award, year, kind, bool(revoked), record_id))
    return result


def person_histories(person_ids: list[int]) -> dict[int, PersonHistory]:
    """Histories for many people with four set queries (ratings, awards, initiatives, disciplines)."""
    people = dict(db.session.execute(select(Person.id, Person.code).where(Person.id.in_(person_ids))).all())
    names = dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(person_ids))).all())
    histories = {pid: PersonHistory(name=names[pid]) for pid in people}
    for pid, year, rating in db.session.execute(select(
            PersonEvaluation.person_id, PersonEvaluation.year, PersonEvaluation.rating).where(
            PersonEvaluation.person_id.in_(person_ids))):
        histories[pid].ratings[year] = str(rating)
    awards = _awards_by_subject("person", list(people.values()))
    for pid, code in people.items():
        histories[pid].awards = awards.get(code, [])
    used = _used_initiatives(person_ids)
    for pid, iid, year, scope, title in db.session.execute(select(
            Initiative.person_id, Initiative.id, Initiative.year, Initiative.scope, Initiative.title).where(
            Initiative.person_id.in_(person_ids))):
        histories[pid].initiatives.append(InitiativeFact(iid, year, str(scope), title, used.get(iid)))
    for pid, year, level in db.session.execute(select(Discipline.person_id, Discipline.year, Discipline.level).where(
            Discipline.person_id.in_(person_ids))):
        histories[pid].disciplines.append(DisciplineFact(year, str(level)))
    return histories


def _used_initiatives(person_ids: list[int]) -> dict[int, str]:
    """Initiatives that already served a live award: initiative id → the award it served."""
    rows = db.session.execute(
        select(RecordInitiative.initiative_id, AwardRecord.award_code, AwardRecord.year, AwardRecord.revoked,
               AwardRecord.superseded)
        .join(AwardRecord, AwardRecord.id == RecordInitiative.record_id)
        .join(Initiative, Initiative.id == RecordInitiative.initiative_id)
        .where(Initiative.person_id.in_(person_ids)))
    return {iid: f"{name_of(code)} {year}" for iid, code, year, revoked, superseded in rows
            if not revoked and not superseded}


def unit_histories(unit_ids: list[int], year: int) -> dict[int, UnitHistory]:
    """Histories for many collectives: their ratings and awards, and their members' year (current members of
    the unit's subtree: who belonged in past years is not recorded yet)."""
    units = dict(db.session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(unit_ids))).all())
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    histories = {uid: UnitHistory(name=names[uid]) for uid in units}
    for uid, y, rating in db.session.execute(select(UnitEvaluation.unit_id, UnitEvaluation.year,
                                                    UnitEvaluation.rating).where(UnitEvaluation.unit_id.in_(unit_ids))):
        histories[uid].ratings[y] = str(rating)
    awards = _awards_by_subject("unit", list(units.values()))
    for uid, code in units.items():
        histories[uid].awards = awards.get(code, [])
        histories[uid].members[year] = _members(uid, year)
    return histories


def _members(unit_id: int, year: int) -> list[MemberYear]:
    ids = units_queries.subtree_ids(unit_id)
    people = db.session.execute(select(Person.id, Person.code, Person.gender).where(
        Person.unit_id.in_(ids), Person.active)).all()
    if not people:
        return []
    person_ids = [p.id for p in people]
    ratings = dict(db.session.execute(select(PersonEvaluation.person_id, PersonEvaluation.rating).where(
        PersonEvaluation.person_id.in_(person_ids), PersonEvaluation.year == year)).all())
    titles: dict[str, set[str]] = defaultdict(set)
    for held_code, held in _awards_by_subject("person", [p.code for p in people]).items():
        titles[held_code] = {a.code for a in held if a.year == year and a.counts}
    heaviest: dict[int, str] = {}
    for pid, level in db.session.execute(select(Discipline.person_id, Discipline.level).where(
            Discipline.person_id.in_(person_ids), Discipline.year == year)):
        if DISCIPLINE_ORDER[str(level)] >= DISCIPLINE_ORDER.get(heaviest.get(pid, "reprimand"), 0):
            heaviest[pid] = str(level)
    return [MemberYear(str(ratings[p.id]) if p.id in ratings else None, frozenset(titles.get(p.code, ())),
                       heaviest.get(p.id), str(p.gender) == "female") for p in people]


def overrides_for(subject_type: str, subject_code: str, award_code: str, year: int):
    from awards.archive.models import EligibilityOverride

    return db.session.scalars(select(EligibilityOverride).where(and_(
        EligibilityOverride.subject_type == subject_type, EligibilityOverride.subject_code == subject_code,
        EligibilityOverride.award_code == award_code, EligibilityOverride.year == year,
        EligibilityOverride.withdrawn_at.is_(None))).order_by(EligibilityOverride.id)).all()
