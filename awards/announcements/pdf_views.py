"""A decision's papers as PDF (the decision with its annex, the certificates) and the notification of the result
to a unit (.docx and PDF): the pages' side of issue 24. Each generation is recorded with its template version
(awards.documents), so the view commits."""

import re

from flask import Response, abort

from awards.announcements import documents, queries
from awards.announcements.blueprint import bp
from awards.core.permissions import MANAGERS, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.units.queries import unit_by_code

_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "quyet-dinh"


def _decision(decision_id: int):
    return queries.decision_by_id(decision_id) or abort(404)


def sent(data: bytes, filename: str, mime: str) -> Response:
    """A generated file as an attachment, after the record of its generation is committed."""
    db.session.commit()
    return Response(data, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={filename}",
                                                  "Cache-Control": "no-store"})


@bp.get("/decisions/<int:decision_id>/document.pdf")
@roles_required(*MANAGERS)
def decision_pdf(decision_id):
    decision = _decision(decision_id)
    data = documents.decision_pdf(decision)
    return sent(data, f"quyet-dinh-{_slug(decision.number)}.pdf", documents.PDF_MIME)


@bp.get("/decisions/<int:decision_id>/certificates.pdf")
@roles_required(*MANAGERS)
def certificates_pdf(decision_id):
    decision = _decision(decision_id)
    data = documents.certificates_pdf(decision)
    return sent(data, f"giay-chung-nhan-{_slug(decision.number)}.pdf", documents.PDF_MIME)


def _notice(decision_id: int, unit_code: str, build):
    decision = _decision(decision_id)
    unit = unit_by_code(unit_code) or abort(404)
    try:
        data = build(decision, unit)
    except ValueError:
        abort(404)  # the decision awards no one of that unit
    return decision, unit, data


@bp.get("/decisions/<int:decision_id>/notices/<unit_code>.docx")
@roles_required(*MANAGERS)
def notice_docx(decision_id, unit_code):
    decision, unit, data = _notice(decision_id, unit_code, documents.notification_docx)
    return sent(data, f"thong-bao-{_slug(decision.number)}-{_slug(unit.code)}.docx", documents.DOCX_MIME)


@bp.get("/decisions/<int:decision_id>/notices/<unit_code>.pdf")
@roles_required(*MANAGERS)
def notice_pdf(decision_id, unit_code):
    decision, unit, data = _notice(decision_id, unit_code, documents.notification_pdf)
    return sent(data, f"thong-bao-{_slug(decision.number)}-{_slug(unit.code)}.pdf", documents.PDF_MIME)


