"""Generated paper documents of a unit's dossiers: the Tờ trình and the Danh sách đề nghị khen thưởng (.docx).

Who may: managers for any unit; a unit officer for the units they act for; council members never."""

import re

from flask import Response, abort, request
from flask_login import current_user

from awards.core import clock
from awards.core.params import parse_int
from awards.core.permissions import Role, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.nominations import documents
from awards.nominations.blueprint import bp
from awards.nominations.models import Nomination
from awards.nominations.queries import nominations_stmt
from awards.nominations.states import DROPPED, STATUS_LABELS
from awards.units import queries as units_queries

_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "don-vi"


def _selection():
    """The unit (404 if unknown, 403 if the user does not act for it), the year, and its dossiers."""
    code = (request.args.get("unit") or "").strip()
    unit = units_queries.unit_by_code(code) if code else None
    if unit is None:
        abort(404)
    if not units_queries.may_write_people_in(current_user, unit):
        abort(403)
    year_arg = (request.args.get("year") or "").strip()
    if year_arg:
        year = parse_int(year_arg, 1900, 2200)
        if year is None:
            abort(400)
    else:
        year = clock.today().year
    status = (request.args.get("status") or "").strip()
    if status and status not in STATUS_LABELS:
        abort(400)
    stmt = nominations_stmt(current_user, status=status or None, unit_code=unit.code, year=year)
    if not status:
        stmt = stmt.where(Nomination.status.not_in(DROPPED))
    nominations = list(db.session.scalars(stmt).unique())
    nominations.sort(key=lambda n: n.id)
    return unit, year, nominations


def _attachment(data: bytes, filename: str) -> Response:
    db.session.commit()  # the record of the generation (awards.documents)
    return Response(data, mimetype=documents.DOCX_MIME,
                    headers={"Content-Disposition": f"attachment; filename={filename}",
                             "Cache-Control": "no-store"})


@bp.get("/documents/proposal.docx")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def proposal_docx():
    unit, year, nominations = _selection()
    data = documents.proposal_docx(unit, nominations, on=clock.today(), year=year)
    return _attachment(data, f"to-trinh-{_slug(unit.code)}-{year}.docx")


@bp.get("/documents/list.docx")
@roles_required(Role.admin, Role.staff, Role.unit_officer)
def nominee_list_docx():
    unit, year, nominations = _selection()
    data = documents.nominee_list_docx(unit, nominations, year=year, on=clock.today())
    return _attachment(data, f"danh-sach-de-nghi-{_slug(unit.code)}-{year}.docx")
