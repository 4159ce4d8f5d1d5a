"""Prize money over the JSON API: the base-salary table (GET, POST /prizes/base-salaries) and an awarding unit's
reward-fund ledger (GET /prizes/ledger/<unit_code>; POST …/allocations, …/adjustments), through the same services
and predicates as the pages."""

from datetime import date

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.core.api import ApiError, Out, Query, Schema, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.prizes import permissions, queries, services
from awards.units import queries as units_queries

bp = Blueprint("prizes_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class BaseSalaryIn(Schema):
    effective_from: date
    amount: int
    source: str = Field(min_length=1, max_length=255)


class BaseSalaryOut(Out):
    effective_from: date
    amount: int
    source: str


class BaseSalaryList(BaseModel):
    items: list[BaseSalaryOut]


class AllocationIn(Schema):
    entry_date: date
    amount: int
    source: str = Field(min_length=1, max_length=255)
    note: str = Field("", max_length=2000)


class AdjustmentIn(Schema):
    entry_date: date
    amount: int
    note: str = Field(min_length=1, max_length=2000)
    corrects_id: int | None = None
    source: str = Field("", max_length=255)


class EntryOut(Out):
    id: int
    kind: str
    entry_date: date
    amount: int
    source: str
    note: str
    corrects_id: int | None


class LineOut(Out):
    day: date
    kind: str  # allocation | adjustment | spending | opening (the balance brought forward into `year`)
    description: str
    source: str
    amount: int  # signed: spending is negative
    balance: int
    entry_id: int | None
    decision_id: int | None
    recipients: int
    corrects_id: int | None


class LedgerQuery(Query):
    year: int | None = Field(None, ge=2000, le=2100)  # none: every year


class LedgerOut(BaseModel):
    unit_code: str
    year: int | None
    allocated: int
    spent: int
    balance: int
    lines: list[LineOut]


def _fund_unit(unit_code: str):
    """The awarding unit of the URL (404) whose fund the token's user keeps (403)."""
    unit = units_queries.unit_by_code(unit_code)
    if unit is None or not unit.decides_awards:
        raise ApiError(404, _("Không có đơn vị có thẩm quyền khen thưởng mã “%(c)s”.", c=unit_code))
    if not permissions.may_keep_fund(g.api_user, unit):
        raise ApiError(403)
    return unit


@endpoint(bp, "/prizes/base-salaries", summary="Các mức lương cơ sở theo ngày áp dụng (tính tiền thưởng)",
          response=BaseSalaryList, roles=MANAGERS, errors=(403,))
def list_base_salaries():
    return {"items": queries.base_salaries()}


@endpoint(bp, "/prizes/base-salaries", "POST", summary="Ghi mức lương cơ sở mới từ một ngày", body=BaseSalaryIn,
          response=BaseSalaryOut, status=201, roles=MANAGERS, errors=(403, 409))
def add_base_salary(data: BaseSalaryIn):
    row = services.add_base_salary(effective_from=data.effective_from, amount=data.amount, source=data.source,
                                   by=g.api_user)
    db.session.commit()
    return row


@endpoint(bp, "/prizes/ledger/<unit_code>", summary="Sổ quỹ thi đua, khen thưởng của một đơn vị: thu, chi theo "
          "quyết định, số dư (của một năm với ?year=)", query=LedgerQuery, response=LedgerOut, roles=MANAGERS,
          errors=(403, 404))
def get_ledger(unit_code, query: LedgerQuery):
    ledger = queries.ledger(_fund_unit(unit_code), query.year)
    return {"unit_code": ledger.unit.code, "year": ledger.year, "allocated": ledger.allocated, "spent": ledger.spent,
            "balance": ledger.balance, "lines": ledger.lines}


@endpoint(bp, "/prizes/ledger/<unit_code>/allocations", "POST", summary="Ghi khoản trích lập, kinh phí được giao",
          body=AllocationIn, response=EntryOut, status=201, roles=MANAGERS, errors=(403, 404))
def add_allocation(unit_code, data: AllocationIn):
    entry = services.record_allocation(_fund_unit(unit_code), entry_date=data.entry_date, amount=data.amount,
                                       source=data.source, note=data.note, by=g.api_user)
    db.session.commit()
    return entry


@endpoint(bp, "/prizes/ledger/<unit_code>/adjustments", "POST", summary="Ghi bút toán điều chỉnh (thay cho xóa)",
          body=AdjustmentIn, response=EntryOut, status=201, roles=MANAGERS, errors=(403, 404))
def add_adjustment(unit_code, data: AdjustmentIn):
    entry = services.record_adjustment(_fund_unit(unit_code), entry_date=data.entry_date, amount=data.amount,
                                       note=data.note, corrects_id=data.corrects_id, source=data.source,
                                       by=g.api_user)
    db.session.commit()
    return entry
