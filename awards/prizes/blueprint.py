"""The prize money pages' blueprint and its templates' helpers; the filters that write money and coefficients are
app-wide (the decision pages use them too)."""

from flask import Blueprint

from awards.catalog.services import award_name
from awards.prizes.rules import format_coefficient, format_dong

bp = Blueprint("prizes", __name__, url_prefix="/prizes")
bp.add_app_template_filter(format_dong, "dong")
bp.add_app_template_filter(format_coefficient, "coefficient")


@bp.context_processor
def _helpers():
    return {"award_name": award_name}
