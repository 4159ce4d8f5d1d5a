"""The base salary (mức lương cơ sở) by the date it took effect, and the reward fund's entries of an awarding unit:
allocations (nguồn trích lập, kinh phí được giao) and adjustments. Spending is not stored here: it is the prize
money of the unit's decisions (decision_items.prize_amount), read by prizes/ledger.py.

Entries are append-only: a mistake is corrected by an adjustment pointing at the entry it corrects, never by
deleting or editing (the ledger and its Excel export must keep balancing against what was recorded)."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import Base, utcnow
from awards.core.states import LabelledEnum, check_constraint, state_column


class BaseSalaryRow(Base):
    """The base salary in force from a date until the next row's (Nghị định of the Government)."""

    __tablename__ = "base_salaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # đồng per month
    source: Mapped[str] = mapped_column(String(255))  # "Nghị định 73/2024/NĐ-CP"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class EntryKind(LabelledEnum):
    allocation = "allocation", _l("Trích lập, cấp kinh phí"), "text-bg-success"
    adjustment = "adjustment", _l("Điều chỉnh"), "text-bg-warning"


class FundEntry(Base):
    """A recorded movement of a unit's reward fund: an allocation (positive) or an adjustment (either sign)."""

    __tablename__ = "prize_fund_entries"
    __table_args__ = (check_constraint("kind", EntryKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[EntryKind] = state_column(EntryKind, 12)
    entry_date: Mapped[date]
    amount: Mapped[int] = mapped_column(BigInteger)  # đồng; an adjustment may be negative
    source: Mapped[str] = mapped_column(String(255), default="")  # the document: "QĐ 12/QĐ-UBND ngày …"
    note: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("prize_fund_entries.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit = relationship("Unit")
    created_by = relationship("User")
