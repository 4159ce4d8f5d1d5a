"""Reading dossiers: lookups, lists, and the eligibility checklist of each."""

from sqlalchemy import select

from awards.archive import eligibility
from awards.campaigns import queries as campaign_queries
from awards.campaigns.rules import registration_line
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


def eligibility_of(nominations: list[Nomination]) -> dict[int, dict]:
    """Each dossier's checklist (the law's rules over the archive, plus the campaign's registration line
    when the campaign requires it), computed for all of them with a few set queries."""
    lists = eligibility.checklists([(n.subject_type, n.subject_code, n.award_code, n.year, n.kind)
                                    for n in nominations])
    result = {}
    for nomination, checklist in zip(nominations, lists, strict=True):
        checks = [{"rule": c.rule, "passed": c.passed, "detail": c.detail, "article": c.article,
                   "manual": c.manual, "overridden": c.overridden, "override_reason": c.override_reason}
                  for c in checklist.checks]
        if nomination.campaign is not None:
            registered = campaign_queries.registered_target(nomination.campaign, nomination.subject_type,
                                                            nomination.subject_code, nomination.award_code)
            line = registration_line(nomination.campaign, registered)
            if line is not None:
                checks.append({"rule": line.rule, "passed": line.passed, "detail": line.detail,
                               "article": line.basis.article, "manual": False, "overridden": False,
                               "override_reason": None})
        result[nomination.id] = {"eligible": all(c["passed"] or c["overridden"] or c["manual"] for c in checks),
                                 "checks": checks,
                                 "ruleset": checklist.ruleset}
    return result
