"""Dossier pages for units and the secretariat."""

from flask import Blueprint

bp = Blueprint("nominations", __name__, url_prefix="/nominations")

# the dossier pages, the appraisal queue and the generated documents live on this blueprint, in their own modules
from awards.nominations import appraisal_views, document_views, dossier_views  # noqa: E402,F401
