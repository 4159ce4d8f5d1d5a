"""The pages' blueprint of the unit tree and its people, and the labels every page's templates use."""

from flask import Blueprint, url_for
from flask_login import current_user

from awards.units import picker
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


# what templates/_macros/unit_picker.html asks (globals: an imported macro sees no context processor's names)

@bp.app_template_global()
def unit_suggestions(scope: str = "all", active_only: bool = True) -> list[tuple[str, str, int]]:
    """The picker's <datalist>: the top two levels of the units it offers this user (every unit for a visitor's
    public filter)."""
    allowed = picker.scope_of(current_user, scope) if current_user.is_authenticated else picker.EVERYTHING
    return picker.suggestions(allowed, active_only=active_only)


@bp.app_template_global()
def unit_lookup_url(scope: str = "all", inactive: bool = False) -> str | None:
    """The lookup the picker's script asks as the user types (none for a visitor: the suggestions only)."""
    if not current_user.is_authenticated:
        return None
    return url_for("units.lookup", scope=scope, **({"inactive": 1} if inactive else {}))
