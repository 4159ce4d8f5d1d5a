"""The prize of a recipient as the database knows it: the base-salary table as stored, the catalogue's coefficient for
a type the decrees do not list. Read by announcements/decisions.py when a decision is issued (below announcements:
this module reads no decision)."""

from datetime import date

from sqlalchemy import select

from awards.catalog import services as catalog
from awards.extensions import db
from awards.prizes import rules
from awards.prizes.models import BaseSalaryRow


def base_table() -> list[rules.BaseSalary]:
    """Every stored row, oldest first (a few rows: one per decree on the base salary)."""
    rows = db.session.scalars(select(BaseSalaryRow).order_by(BaseSalaryRow.effective_from))
    return [rules.BaseSalary(r.effective_from, r.amount, r.source) for r in rows]


def catalogue_coefficient(code: str) -> float | None:
    """The coefficient an admin gave a stored award type (catalog's AwardType.prize_coefficient), or None."""
    value = getattr(catalog.known_award(code), "prize_coefficient", None)
    return float(value) if value is not None else None


def prize_for(award_code: str, subject_type: str, decided_on: date, table=None) -> rules.Prize:
    """The decree's coefficient for the built-in awards (dated, with its article); the catalogue's for a type the
    decrees' table does not list; × the base salary in force on the decision date."""
    override = None
    if rules.regime_on(decided_on).coefficients.get(award_code) is None:
        override = catalogue_coefficient(award_code)
    return rules.prize_amount(award_code, subject_type, decided_on, override,
                              base_table() if table is None else table)
