"""The archive's blueprints: the pages (search, records, histories, eligibility, import and export), the public
search, and the JSON API; and the labels every page's templates use."""

from flask import Blueprint

from awards.archive.models import KIND_LABELS, SOURCE_LABELS, SUBJECT_LABELS
from awards.catalog import services as catalog
from awards.extensions import csrf

bp = Blueprint("archive", __name__, url_prefix="/archive")
public_bp = Blueprint("archive_public", __name__, url_prefix="/public")  # no login: published awards only
api_bp = Blueprint("archive_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)


@bp.app_context_processor
def _labels():
    return {"AWARDS": catalog.AllAwardTypes(), "KIND_LABELS": KIND_LABELS, "SOURCE_LABELS": SOURCE_LABELS,
            "SUBJECT_LABELS": SUBJECT_LABELS}
