"""The document templates' blueprint (mẫu văn bản) and the labels its pages use."""

from flask import Blueprint

from awards.documents.kinds import KIND_LABELS

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.context_processor
def _labels():
    return {"DOCUMENT_KINDS": KIND_LABELS}
