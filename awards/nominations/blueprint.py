"""The dossier pages' blueprint (hồ sơ đề nghị khen thưởng) and the labels their templates use. The pages live in
dossier_views.py, appraisal_views.py, document_views.py and forwarding_views.py, each registering its routes on
`bp`."""

from flask import Blueprint

from awards.catalog import services as catalog
from awards.catalog.rules import KIND_TEXT
from awards.catalog.types import ATTACHMENT_LABELS
from awards.nominations.forms import KIND_LABELS, SUBJECT_LABELS
from awards.nominations.models import regimes
from awards.nominations.states import STATUS_LABELS

bp = Blueprint("nominations", __name__, url_prefix="/nominations")


@bp.context_processor
def _labels():
    return {"STATUS_LABELS": STATUS_LABELS, "NOMINATION_KINDS": KIND_LABELS,
            "SUBJECT_TYPES": SUBJECT_LABELS, "ATTACHMENT_LABELS": ATTACHMENT_LABELS,
            "AWARD_TYPES": catalog.AllAwardTypes(),
            "KIND_TEXT": KIND_TEXT, "nomination_regimes": regimes}
