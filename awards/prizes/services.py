"""Changing prize money data: the base-salary table and the reward fund's entries. Every guard is here, so the
pages, the API and the CLI refuse alike; flushed and audited, never committed."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.announcements.models import Decision
from awards.core import audit
from awards.core.db import DomainError, Invalid, NotFound
from awards.extensions import db
from awards.prizes import permissions
from awards.prizes.models import BaseSalaryRow, EntryKind, FundEntry

BASE_FIELDS = ("effective_from", "amount", "source")
ENTRY_FIELDS = ("unit_id", "kind", "entry_date", "amount", "source", "note", "corrects_id")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_AMOUNT = 10**13  # đồng: far above any fund, below what BIGINT holds


def _forbidden(message: str) -> DomainError:
    return DomainError(message, status=403, code="forbidden")


def _day(value, field: str) -> date:
    if not isinstance(value, date) or not FIRST_DAY <= value <= LAST_DAY:
        raise Invalid(_("Ngày phải trong khoảng %(a)s–%(b)s.", a=FIRST_DAY.year, b=LAST_DAY.year), field=field)
    return value


def _text(value, field: str, *, required: bool, limit: int = 255) -> str:
    text = (value or "").strip()
    if required and not text:
        raise Invalid(_("Trường này là bắt buộc."), field=field)
    if len(text) > limit:
        raise Invalid(_("Tối đa %(n)s ký tự.", n=limit), field=field)
    return text


def _amount(value, *, positive: bool) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_("Số tiền phải là số nguyên (đồng)."), field="amount")
    if positive and value <= 0:
        raise Invalid(_("Số tiền phải lớn hơn 0 đồng."), field="amount")
    if not positive and value == 0:
        raise Invalid(_("Số tiền điều chỉnh phải khác 0 đồng."), field="amount")
    if abs(value) > MAX_AMOUNT:
        raise Invalid(_("Số tiền quá lớn."), field="amount")
    return value


# --- the base salary -------------------------------------------------------------------------------------------

def add_base_salary(*, effective_from: date, amount: int, source: str, by) -> BaseSalaryRow:
    """Record the base salary a new decree sets from a date (staff, audited). Decisions already issued keep the
    amounts written on them."""
    if by is not None and not permissions.may_edit_base_salaries(by):
        raise _forbidden(_("Chỉ cán bộ thường trực thi đua hoặc quản trị hệ thống được ghi mức lương cơ sở."))
    effective_from = _day(effective_from, "effective_from")
    amount = _amount(amount, positive=True)
    source = _text(source, "source", required=True)
    if db.session.scalar(select(BaseSalaryRow.id).where(BaseSalaryRow.effective_from == effective_from)):
        raise DomainError(_("Đã có mức lương cơ sở từ ngày %(d)s.", d=effective_from.strftime("%d/%m/%Y")),
                          code="duplicate", field="effective_from")
    row = BaseSalaryRow(effective_from=effective_from, amount=amount, source=source,
                        created_by_id=getattr(by, "id", None))
    db.session.add(row)
    db.session.flush()
    audit.record("prizes.base_salary.add", row, by=by, after=audit.snapshot(row, BASE_FIELDS))
    return row


def remove_base_salary(row: BaseSalaryRow, *, by) -> None:
    """Delete a row entered by mistake, only while no decision was signed in its period (one used it)."""
    if by is not None and not permissions.may_edit_base_salaries(by):
        raise _forbidden(_("Chỉ cán bộ thường trực thi đua hoặc quản trị hệ thống được sửa mức lương cơ sở."))
    following = db.session.scalar(select(BaseSalaryRow.effective_from)
                                  .where(BaseSalaryRow.effective_from > row.effective_from)
                                  .order_by(BaseSalaryRow.effective_from).limit(1))
    used = select(Decision.id).where(Decision.signed_on >= row.effective_from)
    if following is not None:
        used = used.where(Decision.signed_on < following)
    if db.session.scalar(used.limit(1)) is not None:
        raise DomainError(_("Mức lương cơ sở từ ngày %(d)s đã được dùng cho quyết định khen thưởng: không xóa được.",
                            d=row.effective_from.strftime("%d/%m/%Y")), code="in_use")
    before = audit.snapshot(row, BASE_FIELDS)
    db.session.delete(row)
    db.session.flush()
    audit.record("prizes.base_salary.remove", object_type="BaseSalaryRow", object_id=row.id, by=by, before=before)


# --- the reward fund -------------------------------------------------------------------------------------------

def _fund_guard(unit, by) -> None:
    if unit is None:
        raise NotFound(_("Không có đơn vị này."))
    if not unit.decides_awards:
        raise Invalid(_("%(u)s không phải đơn vị có thẩm quyền khen thưởng: không có quỹ thi đua, khen thưởng riêng.",
                        u=unit.name), field="unit_code")
    if by is not None and not permissions.may_keep_fund(by, unit):
        raise _forbidden(_("Bạn không quản lý quỹ thi đua, khen thưởng của %(u)s.", u=unit.name))


def _entry(unit, kind: EntryKind, entry_date, amount, source, note, corrects_id, by) -> FundEntry:
    entry = FundEntry(unit_id=unit.id, kind=kind, entry_date=entry_date, amount=amount, source=source, note=note,
                      corrects_id=corrects_id, created_by_id=getattr(by, "id", None))
    db.session.add(entry)
    db.session.flush()
    audit.record(f"prizes.fund.{kind.value}", entry, by=by, after=audit.snapshot(entry, ENTRY_FIELDS))
    return entry


def record_allocation(unit, *, entry_date: date, amount: int, source: str, note: str = "", by) -> FundEntry:
    """Money put into the unit's reward fund (trích lập, kinh phí được giao): a positive amount, its document."""
    _fund_guard(unit, by)
    return _entry(unit, EntryKind.allocation, _day(entry_date, "entry_date"), _amount(amount, positive=True),
                  _text(source, "source", required=True), _text(note, "note", required=False, limit=2000), None, by)


def record_adjustment(unit, *, entry_date: date, amount: int, note: str, corrects_id: int | None = None,
                      source: str = "", by) -> FundEntry:
    """A correction instead of a deletion: a signed amount with its reason, pointing at the entry it corrects (of
    the same unit) when there is one."""
    _fund_guard(unit, by)
    if corrects_id is not None:
        corrected = db.session.get(FundEntry, corrects_id)
        if corrected is None or corrected.unit_id != unit.id:
            raise Invalid(_("Không có bút toán số %(i)s trong sổ quỹ của %(u)s.", i=corrects_id, u=unit.name),
                          field="corrects_id")
    return _entry(unit, EntryKind.adjustment, _day(entry_date, "entry_date"), _amount(amount, positive=False),
                  _text(source, "source", required=False), _text(note, "note", required=True, limit=2000),
                  corrects_id, by)
