"""Picking dossiers for a later step (a council agenda, a public list, a decision): one filter, one query."""

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from awards.core.params import parse_int
from awards.core.text import fold, matches_word_start
from awards.nominations.models import Nomination
from awards.units import queries as units_queries
from awards.units.models import Person, Unit


class PickFilter:
    """The candidate list's filters, read from the query string (award, unit code, year, name)."""

    def __init__(self, args, award_codes):
        award = (args.get("award") or "").strip()
        self.award = award if award in award_codes else ""
        self.unit = (args.get("unit") or "").strip()[:40]
        year = (args.get("year") or "").strip()
        self.year = parse_int(year, 1945, 2100)
        self.q = (args.get("q") or "").strip()[:100]

    def args(self) -> dict:
        return {k: v for k, v in (("award", self.award), ("unit", self.unit), ("year", self.year),
                                  ("q", self.q)) if v}


def pick_stmt(statuses, filters: PickFilter):
    """Dossiers in `statuses`, by award, unit (with the units under it), year and folded name or code."""
    stmt = select(Nomination).where(Nomination.status.in_(statuses))
    if filters.award:
        stmt = stmt.where(Nomination.award_code == filters.award)
    if filters.unit:
        unit = units_queries.unit_by_code(filters.unit)
        stmt = stmt.where(Nomination.unit_id.in_(units_queries.subtree_ids(unit.id) if unit else []))
    if filters.year:
        stmt = stmt.where(Nomination.year == filters.year)
    if filters.q:
        subject_unit = aliased(Unit)
        stmt = (stmt.outerjoin(Person, Person.id == Nomination.person_id)
                .join(subject_unit, subject_unit.id == Nomination.unit_id)
                .where(or_(and_(Nomination.subject_type == "person", matches_word_start(Person.name_folded, filters.q)),
                           and_(Nomination.subject_type == "unit",
                                matches_word_start(subject_unit.name_folded, filters.q)),
                           func.lower(Nomination.subject_code) == fold(filters.q))))
    return stmt
