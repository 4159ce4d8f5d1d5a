"""Reading dossiers: lookups and lists (a dossier's eligibility checklist is eligibility.py)."""

from sqlalchemy import select

from awards.extensions import db
from awards.nominations.models import Nomination
from awards.units import queries as units_queries


def nomination_by_id(nomination_id: int) -> Nomination | None:
    return db.session.get(Nomination, nomination_id)


def nominations_stmt(user, status=None, unit_code=None, year=None, award_code=None, campaign_id=None):
    """Dossiers the user may see, newest first, filtered; unit_code includes the unit's descendants."""
    stmt = select(Nomination).order_by(Nomination.id.desc())
    readable = units_queries.readable_unit_ids(user)
    if readable is not None:
        stmt = stmt.where(Nomination.unit_id.in_(readable))
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
