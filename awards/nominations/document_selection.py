"""Which dossiers a unit's generated papers (tờ trình, danh sách) hold, read from the request: the unit (404 when
unknown, 403 when the user does not act for it), the year (400 when not a year), the status filter (400 when
unknown); withdrawn and dropped dossiers are left out unless asked for by status."""

from flask import abort, request

from awards.core import clock
from awards.core.params import parse_int
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.nominations.queries import nominations_stmt
from awards.nominations.states import DROPPED, STATUS_LABELS
from awards.units import queries as units_queries


def document_selection(user):
    """(unit, year, nominations in id order) for ?unit=&year=&status=."""
    code = (request.args.get("unit") or "").strip()
    unit = units_queries.unit_by_code(code) if code else None
    if unit is None:
        abort(404)
    if not units_queries.may_write_people_in(user, unit):
        abort(403)
    year_arg = (request.args.get("year") or "").strip()
    year = parse_int(year_arg, 1900, 2200) if year_arg else clock.today().year
    if year is None:
        abort(400)
    status = (request.args.get("status") or "").strip()
    if status and status not in STATUS_LABELS:
        abort(400)
    stmt = nominations_stmt(user, status=status or None, unit_code=unit.code, year=year)
    if not status:
        stmt = stmt.where(Nomination.status.not_in(DROPPED))
    nominations = sorted(db.session.scalars(stmt).unique(), key=lambda n: n.id)
    return unit, year, nominations
