"""The secretariat's public-review, feedback and decision pages' blueprint, and the labels and helpers their
templates use. Managers (admin, staff) only: unit officers and council members are refused (403)."""

from flask import Blueprint, current_app, url_for

from awards.announcements import services
from awards.announcements.forms import ACTION_LABELS, CASE_STATUS, OUTCOME_LABELS, PHASE_LABELS
from awards.catalog import services as catalog
from awards.nominations.states import STATUS_LABELS

bp = Blueprint("announcements", __name__)
public_bp = Blueprint("announcements_public", __name__, url_prefix="/public")  # no login: lists, results, feed

PHASE_BADGES = {"upcoming": "text-bg-secondary", "open": "text-bg-success", "closed": "text-bg-dark"}


def award_name(code: str) -> str:
    return catalog.award_name(code)


def public_url(endpoint: str, path: str, **values) -> str:
    """The public page of a list or a decision (the public blueprint's own URL when it is registered)."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return path


@bp.context_processor
def _labels():
    return {"PHASE_LABELS": PHASE_LABELS, "PHASE_BADGES": PHASE_BADGES, "CASE_STATUS": CASE_STATUS,
            "OUTCOME_LABELS": OUTCOME_LABELS, "ACTION_LABELS": ACTION_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "AWARD_TYPES": catalog.AllAwardTypes(), "award_name": award_name,
            "open_case_count": services.open_cases_count, "public_url": public_url}
