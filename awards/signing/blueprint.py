"""The signing pages' blueprints (the secretariat's; the public check and published copies under /public) and
what other features' templates ask of signing: a decision's signing panel, the published copies' links."""

from flask import Blueprint, url_for
from flask_login import current_user

from awards.signing import queries
from awards.signing.certificates import ALIGNS, FIELDS
from awards.signing.models import Outcome, TimeSource
from awards.signing.permissions import can_print, can_sign

bp = Blueprint("signing", __name__)
public_bp = Blueprint("signing_public", __name__, url_prefix="/public")


def signing_panel(decision) -> dict:
    """What the decision page shows of its signed files (signing/_decision_panel.html)."""
    from awards.signing.services import signing_configured

    return {"files": queries.signed_files(decision.id), "published": queries.published(decision.id),
            "can_sign": can_sign(current_user, decision), "can_print": can_print(current_user, decision),
            "in_system": signing_configured()}


def signed_pdf_links(decision_ids) -> dict[int, str]:
    """decision id → the public address of its published signed PDF, for a page of decisions."""
    return {decision_id: url_for("signing_public.signed_pdf", decision_id=decision_id)
            for decision_id in queries.published_ids(list(decision_ids))}


@bp.app_context_processor
def _hooks():
    return {"signing_panel": signing_panel, "signed_pdf_links": signed_pdf_links}


@bp.context_processor
def _labels():
    return {"OUTCOMES": Outcome, "TIME_SOURCES": TimeSource, "CERTIFICATE_FIELDS": FIELDS, "ALIGNS": ALIGNS}
