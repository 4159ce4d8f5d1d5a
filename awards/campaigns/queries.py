"""Reading campaigns: lists, who is expected to register, who has, coverage per level."""

from collections import Counter

from sqlalchemy import select

from awards.campaigns.models import AdvancedExample, Campaign, Registration, Reopening
from awards.core import clock
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import UNIT_KIND_LABELS, Unit


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
