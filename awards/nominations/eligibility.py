"""A dossier's eligibility, in one place: the subject's checklist from the archive (the law's rules and the
appraisers' written overrides), its campaign's registration line, and its unit's CSTĐCS quota line (RULES §2);
what keeps it from passing appraisal, and the guard that refuses the pass. Pages, the API, the council and the
bulk actions all read this one shape: a `Checklist` of `CheckLine`s.

A page of dossiers (a queue page, a council session) takes a few set queries, not one per dossier."""

from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.archive.eligibility import CheckLine, Checklist, Request, checklists
from awards.campaigns import queries as campaign_queries
from awards.campaigns.rules import registration_line
from awards.catalog import rules
from awards.catalog import services as catalog
from awards.core.db import DomainError
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.nominations.states import DROPPED, S
from awards.units.models import Unit

QUOTA_RULE = "cstdcs_quota"
QUOTA_AWARDS = ("LDTT", "CSTDCS")  # the quota compares the unit's CSTĐCS dossiers with its LĐTT ones

__all__ = ["CheckLine", "Checklist", "Summary", "bulk_blockers", "checklist_of", "checklists_of", "ensure_can_pass",
           "quota_for", "quota_lines", "summary"]


class UnitYear(NamedTuple):
    unit_id: int
    year: int


class Summary(NamedTuple):
    """✔ every line green / ✘ n lines failing / ⚑ n lines passed by an appraiser's written opinion."""

    green: bool
    failing: int
    overridden: int


def summary(checklist: Checklist) -> Summary:
    blockers = checklist.blockers
    return Summary(green=not blockers, failing=len(blockers), overridden=len(checklist.overridden))


def checklists_of(nominations: list[Nomination], settings: dict | None = None) -> dict[int, Checklist]:
    """Each dossier's checklist by id: the subject's lines, then the campaign's registration line when the campaign
    requires one, then the CSTĐCS quota line of a CSTĐCS dossier when the quota is on."""
    if not nominations:
        return {}
    subject_lists = checklists([Request(n.subject_type, n.subject_code, n.award_code, n.year, n.kind,
                                        str(n.route) if n.route else None) for n in nominations])
    quotas = quota_lines({UnitYear(n.unit_id, n.year) for n in nominations if n.award_code == "CSTDCS"}, settings)
    result = {}
    for nomination, checklist in zip(nominations, subject_lists, strict=True):
        extra = [line for line in (_registration(nomination),
                                   quotas.get(UnitYear(nomination.unit_id, nomination.year))
                                   if nomination.award_code == "CSTDCS" else None) if line is not None]
        result[nomination.id] = checklist.with_lines(extra)
    return result


def checklist_of(nomination: Nomination) -> Checklist:
    return checklists_of([nomination])[nomination.id]


def _registration(nomination: Nomination) -> CheckLine | None:
    """The campaign's line: the subject registered this target, when the campaign makes that a precondition."""
    if nomination.campaign is None:
        return None
    registered = campaign_queries.registered_target(nomination.campaign, nomination.subject_type,
                                                    nomination.subject_code, nomination.award_code)
    check = registration_line(nomination.campaign, registered)
    return CheckLine.of(check) if check is not None else None


# --- the CSTĐCS quota --------------------------------------------------------------------------------------

def quota_lines(pairs: set[UnitYear], settings: dict | None = None) -> dict[UnitYear, CheckLine]:
    """The quota line of each (unit, year): the LĐTT and CSTĐCS dossiers of the unit and the units below it,
    counted in one query. Empty when the quota is off (the setting cstdcs_quota_percent is None).
    The line never blocks a dossier on its own: the quota is the unit's, and which of its dossiers go ahead is
    the unit's choice (withdrawing one) or the council's, so it is a line a person weighs."""
    if not pairs:
        return {}
    settings = settings if settings is not None else catalog.global_settings()
    percents = {pair: rules.quota_percent(pair.year, settings.get("cstdcs_quota_percent")) for pair in pairs}
    pairs = {pair for pair in pairs if percents[pair] is not None}  # NĐ 91's 15% for years up to 2023
    if not pairs:
        return {}
    roots = {pair.unit_id for pair in pairs}
    tree = select(Unit.id.label("root"), Unit.id.label("id")).where(Unit.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union_all(select(tree.c.root, Unit.id).where(Unit.parent_id == tree.c.id))
    counts = db.session.execute(
        select(tree.c.root, Nomination.year, Nomination.award_code, func.count(Nomination.id))
        .join(Nomination, Nomination.unit_id == tree.c.id)
        .where(Nomination.year.in_({pair.year for pair in pairs}), Nomination.award_code.in_(QUOTA_AWARDS),
               Nomination.status.not_in(DROPPED))
        .group_by(tree.c.root, Nomination.year, Nomination.award_code)).all()
    found = {(root, year, code): count for root, year, code, count in counts}
    return {pair: CheckLine.of(rules.quota_check(found.get((*pair, "LDTT"), 0), found.get((*pair, "CSTDCS"), 0),
                                                 percents[pair]), manual=True)
            for pair in pairs}


def quota_for(unit: Unit, year: int) -> CheckLine | None:
    """The unit's CSTĐCS quota line for the year, or None when the quota is off."""
    return quota_lines({UnitYear(unit.id, year)}).get(UnitYear(unit.id, year))


# --- passing a dossier -----------------------------------------------------------------------------------------

def ensure_can_pass(nomination: Nomination, checklist: Checklist | None = None) -> None:
    """Refuse (409) to pass a dossier while a checklist line fails without an appraiser's written override."""
    blockers = (checklist or checklist_of(nomination)).blockers
    if blockers:
        raise DomainError(_("Chưa thể thẩm định đạt hồ sơ #%(i)s: còn %(n)s dòng điều kiện chưa đạt (%(d)s). Hãy ghi "
                            "ý kiến vượt qua (kèm lý do) cho từng dòng trước, hoặc trả lại / kết luận không đạt.",
                            i=nomination.id, n=len(blockers), d="; ".join(c.detail for c in blockers)),
                          code="not_eligible")


def bulk_blockers(nominations: list[Nomination]) -> list[str]:
    """Why each chosen dossier cannot be passed in bulk (not submitted, or its checklist not all green)."""
    lists = checklists_of(nominations)
    problems = []
    for nomination in nominations:
        if nomination.status != S.submitted:
            problems.append(_("#%(i)s %(s)s: không ở trạng thái chờ thẩm định", i=nomination.id,
                              s=nomination.subject_name))
        elif lists[nomination.id].blockers:
            problems.append(_("#%(i)s %(s)s: còn dòng điều kiện chưa đạt", i=nomination.id, s=nomination.subject_name))
    return problems
