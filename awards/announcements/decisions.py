"""Award decisions (quyết định khen thưởng): the gate, and issuing as one transaction into the archive."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.announcements import goldbook
from awards.announcements.listing import why_not_listed
from awards.announcements.models import Decision, DecisionItem
from awards.announcements.services import latest_announcement, open_case
from awards.archive.services import record_award
from awards.catalog import services as catalog
from awards.core import audit, cache
from awards.core.db import DomainError, Invalid
from awards.extensions import db
from awards.nominations.eligibility import checklists_of
from awards.nominations.models import Nomination
from awards.nominations.states import LEAVE_GATES, STATUS_LABELS, transition
from awards.notifications import queries as recipients
from awards.notifications.services import notify
from awards.units import competence
from awards.units import queries as units_queries


def why_not_decidable(nomination: Nomination) -> str | None:
    """The reason a dossier cannot be in a decision yet (RULES §7, §8), or None: passed by the council;
    under public review whose period is over with no open case; or appraised when no vote is due."""
    unlisted = why_not_listed(nomination)  # Huân chương: a closed public listing of ≥ 10 working days (NĐ 98 Art 46.2)
    if unlisted:
        return unlisted
    case = open_case(nomination)
    if case is not None:
        return _("Hồ sơ #%(i)s đang có ý kiến phản ánh %(r)s chưa giải quyết.", i=nomination.id, r=case.reference)
    if nomination.status == "public_review":
        announcement = latest_announcement(nomination)
        if announcement is not None and announcement.phase != "closed":
            return _("Hồ sơ #%(i)s đang trong thời gian công khai lấy ý kiến (đến hết ngày %(d)s).",
                     i=nomination.id, d=announcement.closes_on.strftime("%d/%m/%Y"))
        return None
    if nomination.status == "passed":
        return None
    if nomination.status == "appraised" and not catalog.award_type(nomination.award_code).council_vote:
        return None
    return _("Hồ sơ #%(i)s đang ở trạng thái “%(s)s”, chưa thể quyết định khen thưởng.", i=nomination.id,
             s=STATUS_LABELS.get(nomination.status, nomination.status))


LEAVE_GATES.append(why_not_decidable)  # a dossier is proposed upward at the point it could be decided (issue 18)


def _nominations(nomination_ids: list[int]) -> list[Nomination]:
    if not nomination_ids or len(set(nomination_ids)) != len(nomination_ids):
        raise Invalid(_("Chọn ít nhất một hồ sơ, mỗi hồ sơ một lần."), field="nomination_ids")
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(nomination_ids)))}
    missing = [i for i in nomination_ids if i not in found]
    if missing:
        raise Invalid(_("Không có hồ sơ số %(i)s.", i=missing[0]), field="nomination_ids")
    return [found[i] for i in nomination_ids]


def _deciding_level(unit, award_code: str) -> str:
    """Who decides an award the unit does not: the nearest unit above that decides it, else the level outside
    (units.competence), else the catalogue's decider."""
    above = units_queries.deciding_unit_above(unit.parent, award_code) if unit.parent is not None else None
    if above is not None:
        return above.name
    return competence.level_outside(award_code) or catalog.award_type(award_code).decided_by


def issuing_unit(unit_code: str | None, nominations: list[Nomination], *, by):
    """The awarding unit that issues the decision (CONTRACT §5): `unit_code`, else the staff user's awarding
    unit, else the handling unit of its dossiers. It must handle each dossier and decide each award (409, the
    message naming the level that decides it); a secretariat bound to a unit issues only in its own name (403).
    None when no one unit handles them all for a secretariat with no unit (a tree without deciding units, or
    dossiers of separate trees): no level to check.

    Until dossiers are forwarded upward and outcomes recorded (the rest of issue 18), the secretariat with no unit
    (admin, staff not bound to a unit) naming no unit still records a decision of any level under the handling
    unit, as before: the competence is checked when a unit is named or the user is bound to one."""
    scope = units_queries.scope_unit(by)
    check_competence = bool(unit_code) or scope is not None
    if unit_code:
        unit = units_queries.unit_by_code(unit_code)
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=unit_code), field="unit_code")
    elif scope is not None:
        unit = scope
    else:
        handling = {n.handling_unit_id: n.handling_unit for n in nominations}
        if len(handling) > 1:  # the secretariat with no unit, across trees: no one issuing unit (as before)
            return None
        unit = next(iter(handling.values()))
        if unit is None:
            return None
    if scope is not None and unit.id != scope.id:
        raise DomainError(_("Bạn chỉ ban hành quyết định của %(u)s.", u=scope.name), status=403, code="forbidden")
    for nomination in nominations:
        if nomination.handling_unit_id != unit.id:
            raise DomainError(_("Hồ sơ #%(i)s không do %(u)s xử lý.", i=nomination.id, u=unit.name),
                              code="wrong_level")
        if check_competence and not units_queries.decides(unit, nomination.award_code):
            raise DomainError(_("%(u)s không có thẩm quyền quyết định “%(a)s” (hồ sơ #%(i)s): thuộc thẩm quyền "
                                "của %(level)s.", u=unit.name, a=catalog.award_type(nomination.award_code).name,
                                i=nomination.id, level=_deciding_level(unit, nomination.award_code)),
                              code="wrong_level")
    return unit


def issue_decision(*, number: str, signed_on: date, signer: str, issuer: str, nomination_ids: list[int],
                   unit_code: str | None = None, by) -> Decision:
    """All or nothing: one archive record per dossier with the next gold-book numbers of the issuer's book in the
    order given (after its highest, never reused: goldbook.py), the dossiers `awarded`, their units told. The
    issuing unit (`unit_code`, default: issuing_unit) decides each award and handles each dossier."""
    number, signer, issuer = (number or "").strip(), (signer or "").strip(), (issuer or "").strip()
    for field, value in (("number", number), ("signer", signer), ("issuer", issuer)):
        if not value:
            raise Invalid(_("Trường này là bắt buộc."), field=field)
    if db.session.scalar(select(Decision.id).where(Decision.number == number)) is not None:
        raise DomainError(_("Đã có quyết định số “%(n)s”.", n=number), code="duplicate")
    nominations = _nominations(nomination_ids)
    unit = issuing_unit(unit_code, nominations, by=by)
    for nomination in nominations:
        reason = why_not_decidable(nomination)
        if reason:
            raise DomainError(reason, code="not_decidable")
    decision = Decision(number=number, signed_on=signed_on, signer=signer, issuer=issuer, unit=unit,
                        created_by_id=by.id)
    db.session.add(decision)
    periods = _periods(nominations)
    numbers = goldbook.next_numbers(issuer, len(nominations))  # after the issuer's book's highest, never reused
    for position, nomination in enumerate(nominations, start=1):
        record = record_award(subject_type=nomination.subject_type, subject_code=nomination.subject_code,
                              award_code=nomination.award_code, year=nomination.year, decision_number=number,
                              decision_date=signed_on, issuer=issuer, kind=nomination.kind,
                              gold_book_number=str(numbers[position - 1]), source="decided", by=by,
                              **periods.get(nomination.id, {}))
        db.session.add(DecisionItem(decision=decision, position=position, nomination=nomination, record=record))
        transition(nomination, "awarded", by=by, note=_("Quyết định số %(n)s ngày %(d)s", n=number,
                                                        d=signed_on.strftime("%d/%m/%Y")))
    db.session.flush()
    cache.bump(cache.RESULTS)  # the public results, decision pages and feed show it at once
    audit.record("decision.issue", decision, by=by, after={"number": number, "nominations": nomination_ids})
    _tell_units(decision, nominations)
    return decision


def _periods(nominations: list[Nomination]) -> dict[int, dict]:
    """The achievement period each dossier's rule used (its checklist's `period`, NĐ 98/2023 Art 30.9), to be
    written on its archive record; none known: the record takes its award's default (catalog.periods)."""
    found = {}
    for nomination_id, checklist in checklists_of(nominations).items():
        period = getattr(checklist, "period", None)
        if period:
            found[nomination_id] = {"period_from": period[0], "period_to": period[1]}
    return found


def _tell_units(decision: Decision, nominations: list[Nomination]) -> None:
    for unit in {n.unit.id: n.unit for n in nominations}.values():
        count = sum(1 for n in nominations if n.unit_id == unit.id)
        notify(recipients.unit_officers(unit), "decision_issued",
               _("Quyết định khen thưởng số %(n)s", n=decision.number),
               _("%(c)s hồ sơ của đơn vị được khen thưởng.", c=count), f"/public/decisions/{decision.id}")
