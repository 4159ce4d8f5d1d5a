"""The council pages' blueprint (Hội đồng Thi đua – Khen thưởng) and the labels its templates use."""

from flask import Blueprint

from awards.catalog.types import ATTACHMENT_LABELS
from awards.council.forms import BALLOT_LABELS, ROLE_LABELS, SESSION_STATUS
from awards.nominations.forms import KIND_LABELS, SUBJECT_LABELS
from awards.nominations.states import STATUS_LABELS

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.context_processor
def _labels():
    return {"SEAT_ROLES": ROLE_LABELS, "SESSION_STATUS": SESSION_STATUS,
            "BALLOT_LABELS": BALLOT_LABELS, "STATUS_LABELS": STATUS_LABELS, "NOMINATION_KINDS": KIND_LABELS,
            "SUBJECT_TYPES": SUBJECT_LABELS, "ATTACHMENT_LABELS": ATTACHMENT_LABELS}
