"""Reading campaigns: lists, who is expected to register, who has, coverage per level."""

from collections import Counter

from sqlalchemy import func, select

from awards.campaigns.models import AdvancedExample, Campaign, Registration, RegistrationEntry, Reopening
from awards.core import clock
from awards.core.text import name_sort_key
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import UNIT_KIND_LABELS, Person, Unit


def campaign_by_id(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def campaigns_stmt(year: int | None = None, status: str | None = None, public_only: bool = False):
    stmt = select(Campaign).order_by(Campaign.year.desc(), Campaign.starts_on.desc(), Campaign.id.desc())
    if year:
        stmt = stmt.where(Campaign.year == year)
    if status:
        stmt = stmt.where(Campaign.status == status)
    if public_only:
        stmt = stmt.where(Campaign.status != "draft")
    return stmt


def in_campaign_scope(campaign: Campaign, unit: Unit) -> bool:
    """The campaign reaches the units below its organizer."""
    return unit.id != campaign.organizer_unit_id and unit.id in units_queries.subtree_ids(campaign.organizer_unit_id)


def expected_units(campaign: Campaign) -> list[Unit]:
    """Who is expected to register: the organizer's direct child units (CONTRACT)."""
    return db.session.scalars(select(Unit).where(Unit.parent_id == campaign.organizer_unit_id, Unit.active)
                              .order_by(Unit.name_folded)).all()


def registrations(campaign: Campaign) -> list[Registration]:
    return db.session.scalars(select(Registration).where(Registration.campaign_id == campaign.id)
                              .join(Unit, Unit.id == Registration.unit_id).order_by(Unit.name_folded)).all()


def registration_for(campaign: Campaign, unit: Unit) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.campaign_id == campaign.id,
                                                        Registration.unit_id == unit.id))


def unregistered_units(campaign: Campaign) -> list[Unit]:
    registered = {r.unit_id for r in registrations(campaign)}
    return [u for u in expected_units(campaign) if u.id not in registered]


def coverage(campaign: Campaign) -> dict:
    """Registered vs expected units, overall and per level (kind of unit), and who is missing."""
    expected = expected_units(campaign)
    registered = {r.unit_id for r in registrations(campaign)}
    per_level = {}
    for kind, count in Counter(u.kind for u in expected).items():
        done = sum(1 for u in expected if u.kind == kind and u.id in registered)
        per_level[str(kind)] = {"label": UNIT_KIND_LABELS.get(kind, kind), "expected": count, "registered": done}
    missing = [u for u in expected if u.id not in registered]
    return {"expected": len(expected), "registered": len(expected) - len(missing), "per_level": per_level,
            "missing": missing}


def member_parts(unit: Unit, registration: Registration | None) -> list[dict]:
    """The registration form's parts: the unit's active people grouped by the unit they work in — the unit itself
    first, then each unit below it that has any, by name — each `{unit, total, registered}` (registered: people
    with at least one individual target in `registration`); two queries however many people and units."""
    subtree = units_queries.subtree_ids(unit.id)
    counted = select(Person.unit_id, func.count(Person.id)).where(Person.unit_id.in_(subtree), Person.active)
    if registration is not None:
        entered = (select(RegistrationEntry.person_id).where(RegistrationEntry.registration_id == registration.id)
                   .distinct().subquery())
        counted = counted.add_columns(func.count(entered.c.person_id)).outerjoin(
            entered, entered.c.person_id == Person.id)
    else:
        counted = counted.add_columns(0)
    counts = {uid: (total, registered) for uid, total, registered in
              db.session.execute(counted.group_by(Person.unit_id))}
    if not counts:
        return []
    units = db.session.scalars(select(Unit).where(Unit.id.in_(list(counts)))).all()
    units = sorted(units, key=lambda u: (u.id != unit.id, u.name_folded, u.code))
    return [{"unit": u, "total": counts[u.id][0], "registered": counts[u.id][1]} for u in units]


def part_member_ids(part: Unit, registration: Registration | None, *, unregistered: bool = False) -> list[int]:
    """The ids of the active people working in `part` (not the units below it), in Vietnamese name order (given
    name first); `unregistered`: only those with no individual target in `registration` yet. One query of three
    columns, so a large unit is sorted without loading its people."""
    stmt = select(Person.id, Person.full_name, Person.code).where(Person.unit_id == part.id, Person.active)
    if unregistered and registration is not None:
        stmt = stmt.where(~select(RegistrationEntry.id).where(
            RegistrationEntry.registration_id == registration.id, RegistrationEntry.person_id == Person.id)
            .correlate(Person).exists())
    rows = sorted(db.session.execute(stmt), key=lambda r: (name_sort_key(r.full_name), r.code))
    return [r.id for r in rows]


def people_by_ids(ids: list[int]) -> list[Person]:
    """These people, in the order given (one query)."""
    found = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def entries_of(registration: Registration | None, person_ids: list[int]) -> dict[int, list[str]]:
    """Each of these people's individual targets in `registration`, in the order they were entered."""
    found: dict[int, list[str]] = {}
    if registration is None or not person_ids:
        return found
    for person_id, code in db.session.execute(
            select(RegistrationEntry.person_id, RegistrationEntry.award_code).where(
                RegistrationEntry.registration_id == registration.id, RegistrationEntry.person_id.in_(person_ids))
            .order_by(RegistrationEntry.id)):
        found.setdefault(person_id, []).append(code)
    return found


def open_reopening(campaign: Campaign, unit: Unit) -> Reopening | None:
    """A reopening for this unit still running today (Vietnam's date)."""
    return db.session.scalar(select(Reopening).where(
        Reopening.campaign_id == campaign.id, Reopening.unit_id == unit.id, Reopening.until >= clock.today())
        .order_by(Reopening.until.desc()).limit(1))


def examples_stmt(campaign_id: int | None = None, stage: str | None = None):
    stmt = select(AdvancedExample).order_by(AdvancedExample.id.desc())
    if campaign_id:
        stmt = stmt.where(AdvancedExample.campaign_id == campaign_id)
    if stage:
        stmt = stmt.where(AdvancedExample.stage == stage)
    return stmt


def registered_target(campaign: Campaign, subject_type: str, subject_code: str, award_code: str) -> bool:
    """Whether the subject registered this target in the campaign: a unit's collective targets, or a person
    listed with that award in their unit's registration."""
    from awards.campaigns.models import RegistrationEntry
    from awards.units.models import Person

    if subject_type == "unit":
        unit = units_queries.unit_by_code(subject_code)
        registration = registration_for(campaign, unit) if unit else None
        return registration is not None and award_code in (registration.collective_award_codes or [])
    return db.session.scalar(select(RegistrationEntry.id).join(Registration).join(
        Person, Person.id == RegistrationEntry.person_id).where(
        Registration.campaign_id == campaign.id, Person.code == subject_code,
        RegistrationEntry.award_code == award_code).limit(1)) is not None
