"""Reading prize money: the base-salary table, a unit's reward-fund ledger (allocations and adjustments recorded,
spending as the prize money of its decisions, a running balance) and the yearly totals the statistics read."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.announcements.models import Decision, DecisionItem
from awards.core import clock
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.prizes.models import BaseSalaryRow, EntryKind, FundEntry
from awards.units import queries as units_queries
from awards.units.models import Unit

SPENDING = "spending"  # a ledger line's kind for a decision's prize money (not a stored entry)
OPENING = "opening"  # the balance brought forward from the years before the one shown


def base_salaries() -> list[BaseSalaryRow]:
    return list(db.session.scalars(select(BaseSalaryRow).order_by(BaseSalaryRow.effective_from.desc())))


def base_salary(row_id: int) -> BaseSalaryRow | None:
    return db.session.get(BaseSalaryRow, row_id)


@dataclass(frozen=True)
class Line:
    """One line of the ledger: an entry recorded, or a decision's prize money (spending, one line per decision)."""

    day: date
    kind: str  # allocation | adjustment | spending | opening
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
    year: int | None = None  # None: every year
    lines: list[Line] = field(default_factory=list)
    allocated: int = 0  # allocations and adjustments (and the opening balance of a year)
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


def ledger(unit: Unit, year: int | None = None) -> Ledger:
    """The unit's fund in date order (entries before the decisions of the same day, each in the order recorded):
    what came in, each decision's prize money going out, the balance after each line. With `year`, that year's
    lines after an opening line carrying the balance of the years before (counted as income, so that income −
    spending = balance still holds on the page and in the export)."""
    raw = []
    for entry in db.session.scalars(select(FundEntry).where(FundEntry.unit_id == unit.id)):
        raw.append((entry.entry_date, 0, entry.id, {
            "kind": str(entry.kind), "description": entry.note or str(EntryKind(entry.kind).label),
            "source": entry.source, "amount": entry.amount, "entry_id": entry.id, "corrects_id": entry.corrects_id}))
    for decision_id, _unit, signed_on, number, total, count in _decision_totals([unit.id]):
        raw.append((signed_on, 1, decision_id, {
            "kind": SPENDING, "description": _("Tiền thưởng theo Quyết định số %(n)s", n=number), "source": number,
            "amount": -int(total), "decision_id": decision_id, "recipients": count}))
    raw.sort(key=lambda row: row[:3])
    result = Ledger(unit, year=year)
    opening = sum(values["amount"] for day, *_rest, values in raw if year is not None and day.year < year)
    if year is not None and any(day.year < year for day, *_rest in raw):
        _add(result, date(year, 1, 1), {"kind": OPENING, "description": _("Số dư các năm trước chuyển sang"),
                                        "source": "", "amount": opening})
    for day, _order, _id, values in raw:
        if year is None or day.year == year:
            _add(result, day, values)
    return result


def _add(ledger: Ledger, day: date, values: dict) -> None:
    balance = (ledger.lines[-1].balance if ledger.lines else 0) + values["amount"]
    if values["kind"] == SPENDING:
        ledger.spent -= values["amount"]
    else:
        ledger.allocated += values["amount"]
    ledger.lines.append(Line(day=day, balance=balance, **values))


def ledger_years(ledger: Ledger) -> tuple[int, int]:
    """The years a ledger page offers to move between: the first year with a line to the current one."""
    this_year = clock.today().year
    first = min((line.day.year for line in ledger.lines), default=this_year)
    return min(first, ledger.year or this_year), max(this_year, ledger.year or this_year)


def fund_units(user) -> list[Unit]:
    """The awarding units whose ledger `user` keeps: its own, or every one for the Sở's secretariat."""
    scope = units_queries.scope_unit(user)
    return [scope] if scope is not None else units_queries.awarding_units()


def balances(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """unit id → (allocated, spent) over all years, two grouped queries for the whole list."""
    ids = [u.id for u in units]
    allocated = dict(db.session.execute(select(FundEntry.unit_id, func.sum(FundEntry.amount))
                                        .where(FundEntry.unit_id.in_(ids)).group_by(FundEntry.unit_id)).all())
    spent = dict(db.session.execute(select(Decision.unit_id, func.sum(DecisionItem.prize_amount))
                                    .join(DecisionItem, DecisionItem.decision_id == Decision.id)
                                    .where(Decision.unit_id.in_(ids)).group_by(Decision.unit_id)).all())
    return {i: (int(allocated.get(i) or 0), int(spent.get(i) or 0)) for i in ids}


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
