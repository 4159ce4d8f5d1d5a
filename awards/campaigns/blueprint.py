"""The campaign pages' blueprints (staff and units; the public pages and honour board) and the labels and phase
helper every campaign template uses."""

from flask import Blueprint

from awards.campaigns import rules
from awards.campaigns.forms import KIND_LABELS, REVIEW_KIND_LABELS
from awards.campaigns.states import CAMPAIGN_STATUS
from awards.core import clock

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
public_bp = Blueprint("campaigns_public", __name__, url_prefix="/public")

PHASE_BADGES = {"draft": "text-bg-secondary", "not_started": "text-bg-info", "registering": "text-bg-primary",
                "running": "text-bg-success", "nominating": "text-bg-warning", "closed": "text-bg-dark"}


def campaign_labels() -> dict:
    """Labels and the phase helper every campaign template uses (public pages too)."""
    today = clock.today()
    return {"CAMPAIGN_PHASES": rules.PHASES, "PHASE_BADGES": PHASE_BADGES, "CAMPAIGN_KINDS": KIND_LABELS,
            "CAMPAIGN_STATUS": CAMPAIGN_STATUS, "REVIEW_KINDS": REVIEW_KIND_LABELS,
            "campaign_phase": lambda campaign: rules.phase(campaign, today),
            "nominations_open_on": rules.nominations_open_on}


bp.context_processor(campaign_labels)
public_bp.context_processor(campaign_labels)
