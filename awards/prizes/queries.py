"""Reading prize money: the base-salary table, a unit's reward-fund ledger (allocations and adjustments recorded,
spending as the prize money of its decisions, a running balance) and the yearly totals the statistics read."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.announcements.models import Decision, DecisionItem
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.prizes.models import BaseSalaryRow, EntryKind, FundEntry
from awards.units import queries as units_queries
from awards.units.models import Unit

SPENDING = "spending"  # a ledger line's kind for a decision's prize money (not a stored entry)


def base_salaries() -> list[BaseSalaryRow]:
    return list(db.session.scalars(select(BaseSalaryRow).order_by(BaseSalaryRow.effective_from.desc())))


def base_salary(row_id: int) -> BaseSalaryRow | None:
    return db.session.get(BaseSalaryRow, row_id)


@dataclass(frozen=True)
class Line:
    """One line of the ledger: an entry recorded, or a decision's prize money (spending, one line per decision)."""

    day: date
    kind: str  # allocation | adjustment | spending
    description: str
    source: str
    amount: int  # signed: spending is negative
    balance: int
    entry_id: int | None = None
    decision_id: int | None = None
    recipients: int = 0
    corrects_id: int | None = None


@dataclass
class Ledger:
    unit: Unit
    lines: list[Line] = field(default_factory=list)
    allocated: int = 0  # allocations and adjustments
    spent: int = 0  # prize money of the unit's decisions (positive)

    @property
    def balance(self) -> int:
        return self.allocated - self.spent


def _decision_totals(unit_ids: list[int] | None = None):
    stmt = (select(Decision.id, Decision.unit_id, Decision.signed_on, Decision.number,
                   func.coalesce(func.sum(DecisionItem.prize_amount), 0), func.count(DecisionItem.id))
            .join(DecisionItem, DecisionItem.decision_id == Decision.id)
            .group_by(Decision.id, Decision.unit_id, Decision.signed_on, Decision.number))
    if unit_ids is not None:
        stmt = stmt.where(Decision.unit_id.in_(unit_ids))
    return db.session.execute(stmt).all()


def ledger(unit: Unit) -> Ledger:
    """The unit's fund in date order (entries before the decisions of the same day, each in the order recorded):
    what came in, each decision's prize money going out, the balance after each line."""
    raw = []
    for entry in db.session.scalars(select(FundEntry).where(FundEntry.unit_id == unit.id)):
        raw.append((entry.entry_date, 0, entry.id, {
            "kind": str(entry.kind), "description": entry.note or str(EntryKind(entry.kind).label),
            "source": entry.source, "amount": entry.amount, "entry_id": entry.id, "corrects_id": entry.corrects_id}))
    for decision_id, _unit, signed_on, number, total, count in _decision_totals([unit.id]):
        raw.append((signed_on, 1, decision_id, {
            "kind": SPENDING, "description": _("Tiền thưởng theo Quyết định số %(n)s", n=number), "source": number,
            "amount": -int(total), "decision_id": decision_id, "recipients": count}))
    result, balance = Ledger(unit), 0
    for day, _order, _id, values in sorted(raw, key=lambda row: row[:3]):
        balance += values["amount"]
        if values["kind"] == SPENDING:
            result.spent -= values["amount"]
        else:
            result.allocated += values["amount"]
        result.lines.append(Line(day=day, balance=balance, **values))
    return result


def fund_units(user) -> list[Unit]:
    """The awarding units whose ledger `user` keeps: its own, or every one for the Sở's secretariat."""
    scope = units_queries.scope_unit(user)
    return [scope] if scope is not None else units_queries.awarding_units()


def balances(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """unit id → (allocated, spent), two grouped queries for the whole list."""
    ids = [u.id for u in units]
    allocated = dict(db.session.execute(select(FundEntry.unit_id, func.sum(FundEntry.amount))
                                        .where(FundEntry.unit_id.in_(ids)).group_by(FundEntry.unit_id)).all())
    spent: dict[int, int] = {}
    for _id, unit_id, _day, _number, total, _count in _decision_totals(ids):
        spent[unit_id] = spent.get(unit_id, 0) + int(total)
    return {i: (int(allocated.get(i) or 0), spent.get(i, 0)) for i in ids}


def prize_totals(year: int, unit_ids: list[int] | None = None) -> dict[str, int]:
    """Prize money by award code (đồng) over the decisions signed in `year`, optionally only those issued by the
    units in `unit_ids`; awards with no amount (no coefficient) are left out."""
    stmt = (select(Nomination.award_code, func.sum(DecisionItem.prize_amount))
            .join(DecisionItem, DecisionItem.nomination_id == Nomination.id)
            .join(Decision, Decision.id == DecisionItem.decision_id)
            .where(Decision.signed_on >= date(year, 1, 1), Decision.signed_on <= date(year, 12, 31),
                   DecisionItem.prize_amount.is_not(None))
            .group_by(Nomination.award_code))
    if unit_ids is not None:
        stmt = stmt.where(Decision.unit_id.in_(list(unit_ids)))
    return {code: int(total) for code, total in db.session.execute(stmt).all()}
