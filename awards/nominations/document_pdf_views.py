"""The Tờ trình and the Danh sách đề nghị khen thưởng as PDF (issue 24): the same dossiers as the .docx
(document_selection), the template in force for the unit, converted by LibreOffice; the generation is recorded."""

import re

from flask import Response
from flask_login import current_user

from awards.core import clock
from awards.core.permissions import Role, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.nominations import documents
from awards.nominations.blueprint import bp
from awards.nominations.document_selection import document_selection

_SLUG = re.compile(r"[^a-z0-9]+")


def _pdf(data: bytes, filename: str) -> Response:
    db.session.commit()  # the record of the generation
    return Response(data, mimetype=documents.PDF_MIME,
                    headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "don-vi"


@bp.get("/documents/proposal.pdf")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def proposal_pdf():
    unit, year, nominations = document_selection(current_user)
    data = documents.proposal_pdf(unit, nominations, on=clock.today(), year=year)
    return _pdf(data, f"to-trinh-{_slug(unit.code)}-{year}.pdf")


@bp.get("/documents/list.pdf")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def nominee_list_pdf():
    unit, year, nominations = document_selection(current_user)
    data = documents.nominee_list_pdf(unit, nominations, year=year, on=clock.today())
    return _pdf(data, f"danh-sach-de-nghi-{_slug(unit.code)}-{year}.pdf")
