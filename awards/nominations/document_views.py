"""Generated paper documents of a unit's dossiers: the Tờ trình and the Danh sách đề nghị khen thưởng (.docx).

Who may: managers for any unit; a unit officer for the units they act for; council members never."""

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


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "don-vi"


def _attachment(data: bytes, filename: str) -> Response:
    db.session.commit()  # the record of the generation (awards.documents)
    return Response(data, mimetype=documents.DOCX_MIME,
                    headers={"Content-Disposition": f"attachment; filename={filename}",
                             "Cache-Control": "no-store"})


@bp.get("/documents/proposal.docx")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def proposal_docx():
    unit, year, nominations = document_selection(current_user)
    data = documents.proposal_docx(unit, nominations, on=clock.today(), year=year)
    return _attachment(data, f"to-trinh-{_slug(unit.code)}-{year}.docx")


@bp.get("/documents/list.docx")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def nominee_list_docx():
    unit, year, nominations = document_selection(current_user)
    data = documents.nominee_list_docx(unit, nominations, year=year, on=clock.today())
    return _attachment(data, f"danh-sach-de-nghi-{_slug(unit.code)}-{year}.docx")
