"""Award decisions (quyết định khen thưởng): the gate, and issuing as one transaction into the archive."""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awards.announcements import goldbook
from awards.announcements.listing import listings, listings_of, why_not_listed
from awards.announcements.models import Decision, DecisionItem
from awards.announcements.services import frozen_reason, open_case, open_cases_of
from awards.archive.services import record_award
from awards.catalog import services as catalog
from awards.core import audit, cache
from awards.core.db import DomainError, Invalid
from awards.extensions import db
from awards.nominations import queries as nomination_queries
from awards.nominations.eligibility import checklists_of
from awards.nominations.models import Nomination
from awards.nominations.states import LEAVE_GATES, STATUS_LABELS, transition
from awards.notifications import queries as recipients
from awards.notifications.services import notify
from awards.prizes import amounts as prizes
from awards.units import competence
from awards.units import queries as units_queries


def why_not_decidable(nomination: Nomination) -> str | None:
    """The reason a dossier cannot be in a decision yet (RULES §7, §8), or None: passed by the council;
    under public review whose period is over with no open case; or appraised when no vote is due."""
    return _decidable_reason(nomination, catalog.award_type(nomination.award_code), listings(nomination),
                             open_case(nomination))


def _decidable_reason(nomination: Nomination, award, found: list, case) -> str | None:
    """why_not_decidable from what it reads: the award type, the dossier's lists (oldest first) and its first open
    case; the one rule both the single dossier and a page of them go through."""
    unlisted = why_not_listed(nomination, award=award, found=found)  # Huân chương: a closed public listing of ≥ 10
    if unlisted:  # working days (NĐ 98 Art 46.2)
        return unlisted
    frozen = frozen_reason(nomination, case)
    if frozen:
        return frozen
    if nomination.status == "public_review":
        announcement = found[-1] if found else None  # the latest list it is on
        if announcement is not None and announcement.phase != "closed":
            return _("Hồ sơ #%(i)s đang trong thời gian công khai lấy ý kiến (đến hết ngày %(d)s).",
                     i=nomination.id, d=announcement.closes_on.strftime("%d/%m/%Y"))
        return None
    if nomination.status == "passed":
        return None
    if nomination.status == "appraised" and not award.council_vote:
        return None
    return _("Hồ sơ #%(i)s đang ở trạng thái “%(s)s”, chưa thể quyết định khen thưởng.", i=nomination.id,
             s=STATUS_LABELS.get(nomination.status, nomination.status))


def why_not_decidable_many(nominations: list[Nomination]) -> dict[int, str | None]:
    """why_not_decidable for many dossiers by id, in a fixed number of queries (the award types, every dossier's
    lists, their open cases, and the histories of those whose listing is missing, whose refusal cites the decree
    of the day they were received)."""
    types = catalog.award_types(inactive=True)
    ids = [n.id for n in nominations]
    found, cases = listings_of(ids), open_cases_of(ids)
    unlisted = [n.id for n in nominations if types[n.award_code].listing_before_council]
    if unlisted:  # received_on reads each one's history: one query for all of them
        db.session.scalars(select(Nomination).where(Nomination.id.in_(unlisted))
                           .options(selectinload(Nomination.events))).all()
    return {n.id: _decidable_reason(n, types[n.award_code], found.get(n.id, []), cases.get(n.id))
            for n in nominations}


why_not_decidable.many = why_not_decidable_many  # the batch form of a gate (nominations.queries.forward_refusals)
LEAVE_GATES.append(why_not_decidable)  # a dossier is proposed upward at the point it could be decided (issue 18)


def _nominations(nomination_ids: list[int]) -> list[Nomination]:
    if not nomination_ids or len(set(nomination_ids)) != len(nomination_ids):
        raise Invalid(_("Chọn ít nhất một hồ sơ, mỗi hồ sơ một lần."), field="nomination_ids")
    found = {n.id: n for n in db.session.scalars(select(Nomination).where(Nomination.id.in_(nomination_ids)))}
    missing = [i for i in nomination_ids if i not in found]
    if missing:
        raise Invalid(_("Không có hồ sơ số %(i)s.", i=missing[0]), field="nomination_ids")
    return [found[i] for i in nomination_ids]


def deciding_level(unit, award_code: str, *, table=None, types=None) -> tuple[str, bool]:
    """Who decides an award the unit does not: the nearest unit above that decides it, else the level outside
    (units.competence), else the catalogue's decider; and whether that level is outside the system. `table`,
    `types`: units_queries.competence_table() and catalog.award_types() read once for a page of dossiers."""
    above = units_queries.deciding_unit_above(unit.parent, award_code, table) if unit.parent is not None else None
    if above is not None:
        return above.name, False
    award = types[award_code] if types is not None else catalog.award_type(award_code)
    return competence.level_outside(award_code) or award.decided_by, True


def why_not_issuable(unit, nomination: Nomination, *, table=None, types=None) -> str | None:
    """Why `unit` cannot put this dossier in its decision (CONTRACT §5), or None: it must handle the dossier and
    decide its award; an award it does not decide goes upward (forward), and what no unit in the system decides
    comes back as a recorded outcome, never as a decision here. `table`, `types`: as deciding_level's (the
    decision page asks it of every dossier listed)."""
    if nomination.handling_unit_id != unit.id:
        return _("Hồ sơ #%(i)s không do %(u)s xử lý.", i=nomination.id, u=unit.name)
    if units_queries.decides(unit, nomination.award_code, table):
        return None
    level, _outside = deciding_level(unit, nomination.award_code, table=table, types=types)
    award = (types[nomination.award_code] if types is not None else catalog.award_type(nomination.award_code)).name
    above = unit.parent.awarding_unit if unit.parent is not None else None
    if above is None:
        return _("%(u)s không có thẩm quyền quyết định “%(a)s” (hồ sơ #%(i)s): thuộc thẩm quyền của %(level)s. Hãy "
                 "trình cấp trên và ghi nhận kết quả khi có quyết định.", u=unit.name, a=award, i=nomination.id,
                 level=level)
    return _("%(u)s không có thẩm quyền quyết định “%(a)s” (hồ sơ #%(i)s): thuộc thẩm quyền của %(level)s. Hãy "
             "trình %(next)s.", u=unit.name, a=award, i=nomination.id, level=level, next=above.name)


def pick_refusals(nominations: list[Nomination], scope=None) -> dict[int, str | None]:
    """For the decision page's list: why each dossier cannot go into a decision of `scope` (a secretariat bound to
    a unit) or, with none, of the level handling it — why_not_decidable, then why_not_issuable — or None; in a
    fixed number of queries however many are listed (their units and the levels above, the competence table, the
    award types, the gates' batch form)."""
    nomination_queries.with_units(nominations)  # held by the rows: the page names each unit with its parent
    table, types = units_queries.competence_table(), catalog.award_types(inactive=True)
    decidable = why_not_decidable_many(nominations)
    found = {}
    for nomination in nominations:
        issuer = scope or nomination.handling_unit
        found[nomination.id] = decidable[nomination.id] or (
            why_not_issuable(issuer, nomination, table=table, types=types) if issuer is not None else None)
    return found


def issuing_unit(unit_code: str | None, nominations: list[Nomination], *, by):
    """The awarding unit that issues the decision (CONTRACT §5): `unit_code`, else the staff user's awarding
    unit, else the handling unit of its dossiers. A decision is always one unit's: it must handle each dossier and
    decide each award (409, the message naming the level that decides it); a secretariat bound to a unit issues
    only in its own name (403). The secretariat with no unit and the admin are held to the same competence: a
    dossier of an award no unit in the system decides is answered by forward → outcome, not by a decision."""
    scope = units_queries.scope_unit(by)
    if unit_code:
        unit = units_queries.unit_by_code(unit_code)
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=unit_code), field="unit_code")
    elif scope is not None:
        unit = scope
    else:
        handling = {n.handling_unit_id: n.handling_unit for n in nominations}
        if len(handling) > 1:
            raise DomainError(_("Các hồ sơ đã chọn do nhiều đơn vị có thẩm quyền xử lý: mỗi quyết định do một đơn vị "
                                "ban hành; hãy chọn hồ sơ của một đơn vị."), code="wrong_level", field="unit_code")
        unit = next(iter(handling.values()))
        if unit is None:
            raise DomainError(_("Hồ sơ #%(i)s chưa có đơn vị có thẩm quyền xử lý: hãy đánh dấu đơn vị có thẩm quyền "
                                "khen thưởng trong cây đơn vị.", i=nominations[0].id), code="wrong_level")
    if scope is not None and unit.id != scope.id:
        raise DomainError(_("Bạn chỉ ban hành quyết định của %(u)s.", u=scope.name), status=403, code="forbidden")
    if not unit.decides_awards:
        raise DomainError(_("%(u)s không phải đơn vị có thẩm quyền khen thưởng.", u=unit.name), code="wrong_level",
                          field="unit_code")
    table, types = units_queries.competence_table(), catalog.award_types(inactive=True)
    for nomination in nominations:
        reason = why_not_issuable(unit, nomination, table=table, types=types)
        if reason:
            raise DomainError(reason, code="wrong_level")
    return unit


def number_taken(unit, year: int, number: str) -> bool:
    """Is this number already in the unit's series of the year (NĐ 30/2020 Art 15)?"""
    unit_match = Decision.unit_id.is_(None) if unit is None else Decision.unit_id == unit.id
    return db.session.scalar(select(Decision.id).where(unit_match, Decision.year == year,
                                                       Decision.number == number)) is not None


_LEADING = re.compile(r"^\s*(\d+)(.*)$")


def next_number(unit, year: int) -> str:
    """The number to suggest for the unit's next decision of the year: one more than its highest, with the symbol
    of its latest decision (e.g. "16/QĐ-SYT"), or "01/QĐ-<code>" for its first of the year."""
    rows = db.session.execute(select(Decision.number).where(Decision.unit_id == unit.id, Decision.year == year)
                              .order_by(Decision.id)).scalars().all()
    highest, symbol = 0, f"/QĐ-{unit.code}"
    for number in rows:
        match = _LEADING.match(number)
        if match:
            highest, symbol = max(highest, int(match.group(1))), match.group(2) or symbol
    return f"{highest + 1:02d}{symbol}"


def issue_decision(*, number: str, signed_on: date, signer: str, issuer: str, nomination_ids: list[int],
                   unit_code: str | None = None, by) -> Decision:
    """All or nothing: one archive record per dossier with the next gold-book numbers of the issuing unit's book
    in the order given (after its highest, never reused: goldbook.py), each recipient's prize money of the signing
    date (awards/prizes), the dossiers `awarded`, their units told.
    The issuing unit (`unit_code`, default: issuing_unit) decides each award and handles each dossier; the number
    is new in its series of the year."""
    number, signer, issuer = (number or "").strip(), (signer or "").strip(), (issuer or "").strip()
    for field, value in (("number", number), ("signer", signer), ("issuer", issuer)):
        if not value:
            raise Invalid(_("Trường này là bắt buộc."), field=field)
    if signed_on is None:
        raise Invalid(_("Trường này là bắt buộc."), field="signed_on")
    nominations = _nominations(nomination_ids)
    unit = issuing_unit(unit_code, nominations, by=by)
    if number_taken(unit, signed_on.year, number):
        raise DomainError(_("%(u)s đã có quyết định số “%(n)s” năm %(y)s.", u=unit.name, n=number, y=signed_on.year),
                          code="duplicate", field="number")
    reasons = why_not_decidable_many(nominations)
    for nomination in nominations:
        if reasons[nomination.id]:
            raise DomainError(reasons[nomination.id], code="not_decidable")
    # the unit's book, numbered before the decision joins the session (its issuer texts are read from the earlier)
    numbers = goldbook.next_numbers(issuer, len(nominations), unit_id=unit.id)
    salaries = prizes.base_table()
    decision = Decision(number=number, signed_on=signed_on, year=signed_on.year, signer=signer, issuer=issuer,
                        unit=unit, created_by_id=by.id)
    db.session.add(decision)
    periods = _periods(nominations)
    for position, nomination in enumerate(nominations, start=1):
        record = record_award(subject_type=nomination.subject_type, subject_code=nomination.subject_code,
                              award_code=nomination.award_code, year=nomination.year, decision_number=number,
                              decision_date=signed_on, issuer=issuer, kind=nomination.kind,
                              gold_book_number=str(numbers[position - 1]), source="decided", by=by,
                              **periods.get(nomination.id, {}))
        # the prize money of the day, written once: a later base salary never rewrites a past decision
        prize = prizes.prize_for(nomination.award_code, nomination.subject_type, signed_on, salaries)
        db.session.add(DecisionItem(decision=decision, position=position, nomination=nomination, record=record,
                                    prize_coefficient=prize.coefficient, prize_amount=prize.amount))
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
