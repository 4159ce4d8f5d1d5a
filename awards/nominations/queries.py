"""Reading dossiers: lookups and lists (a dossier's eligibility checklist is eligibility.py)."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from awards.core.db import NotFound
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.units import queries as units_queries


def nomination_by_id(nomination_id: int) -> Nomination | None:
    return db.session.get(Nomination, nomination_id)


def nominations_by_ids(ids: list[int]) -> list[Nomination]:
    """The ticked dossiers of a bulk action, by id (404 when one does not exist)."""
    nominations = list(db.session.scalars(select(Nomination).where(Nomination.id.in_(ids))
                                          .order_by(Nomination.id)).unique())
    if len(nominations) != len(set(ids)):
        raise NotFound(_("Không có hồ sơ số %(i)s.", i=min(set(ids) - {n.id for n in nominations})))
    return nominations


def nominations_stmt(user, status=None, unit_code=None, year=None, award_code=None, campaign_id=None):
    """Dossiers the user may see, newest first, filtered; unit_code includes the unit's descendants."""
    stmt = select(Nomination).order_by(Nomination.id.desc())
    readable = units_queries.readable_unit_ids(user)
    if readable is not None:
        stmt = stmt.where(Nomination.unit_id.in_(readable))
    scope = units_queries.scope_unit(user)
    if scope is not None:  # staff bound to a unit: what its awarding unit handles, and its own units' dossiers
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
