"""GET /api/v1/decisions/<id>/document.pdf (CONTRACT §6): the decision with its annex as PDF."""

from flask import Response

from awards.announcements import documents, queries
from awards.announcements.api import bp
from awards.core.api import ApiError, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import db


@endpoint(bp, "/decisions/<int:decision_id>/document.pdf", summary="Quyết định kèm danh sách, bản PDF",
          roles=MANAGERS, errors=(404, 503))
def decision_document_pdf(decision_id):
    decision = queries.decision_by_id(decision_id)
    if decision is None:
        raise ApiError(404)
    data = documents.decision_pdf(decision)
    db.session.commit()  # the record of the generation (template version, hashes)
    return Response(data, mimetype=documents.PDF_MIME, headers={
        "Content-Disposition": f"attachment; filename=quyet-dinh-{decision.id}.pdf", "Cache-Control": "no-store"})
