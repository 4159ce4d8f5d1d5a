"""The pages' blueprint of the unit tree and its people, and the labels every page's templates use."""

from flask import Blueprint

from awards.units.models import (
    DISCIPLINE_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    RATING_LABELS,
    SCOPE_LABELS,
    SUCCESSION_LABELS,
    UNIT_KIND_LABELS,
)

bp = Blueprint("units", __name__)


@bp.app_context_processor
def _labels():
    return {"UNIT_KIND_LABELS": UNIT_KIND_LABELS, "GENDER_LABELS": GENDER_LABELS,
            "RATING_LABELS": RATING_LABELS, "DISCIPLINE_LABELS": DISCIPLINE_LABELS,
            "SCOPE_LABELS": SCOPE_LABELS, "SUCCESSION_LABELS": SUCCESSION_LABELS,
            "OCCUPATION_LABELS": OCCUPATION_LABELS}
