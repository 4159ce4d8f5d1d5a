"""Pages that bring a Department's existing sheets in (issue 26): the unit tree, yearly ratings of people and of
units, disciplines and initiatives, each with its template, a dry run and all rows or none. People keep their own
page (/people/import, views.py), on the same engine. The guard is the service's (imports.check_may_import)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.core.permissions import MANAGERS, roles_required
from awards.core.xlsx import workbook_bytes
from awards.extensions import db
from awards.units import imports
from awards.units.blueprint import bp
from awards.units.forms import ImportForm
from awards.units.models import Person, Unit

MAX_SHOWN_ERRORS = 500
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(name: str) -> imports.Kind:
    kind = imports.KINDS.get(name) or abort(404)
    if not imports.may_import(current_user):
        abort(403)
    return kind


def _render(kind, form, result=None, status=200):
    errors = result.errors[:MAX_SHOWN_ERRORS] if result else []
    return render_template("units/import_kind.html", kind=kind, form=form, result=result, shown_errors=errors,
                           required=[kind.headers[n] for n in kind.required],
                           columns=[kind.headers[n] for n in kind.template]), status


@bp.route("/imports/<name>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_sheet(name):
    if name == imports.PEOPLE.name:
        return redirect(url_for("units.import_people"))
    kind = _kind(name)
    form = ImportForm()
    if request.method == "GET":
        return _render(kind, form)
    if not form.validate_on_submit():
        return _render(kind, form, status=400)
    try:
        result = imports.run_import(kind, form.file.data.stream, dry_run=form.dry_run.data, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        return _render(kind, form, status=refuse(form, exc))
    if result.errors or result.dry_run:
        db.session.rollback()
        return _render(kind, form, result, 400 if result.errors else 200)
    db.session.commit()
    flash(_("Đã nhập %(n)s %(what)s.", n=result.imported, what=kind.noun), "success")
    return redirect(url_for("units.import_sheet", name=kind.name))


@bp.get("/imports/<name>/template.xlsx")
@roles_required(*MANAGERS)
def import_sheet_template(name):
    kind = _kind(name)
    data = workbook_bytes({str(kind.title): imports.template(kind, *example_codes())})
    return Response(data, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename={kind.filename}"})


def example_codes() -> tuple[str, str]:
    """A real unit and person code for the templates' example rows, when there are some."""
    unit = db.session.scalar(select(Unit.code).order_by(Unit.id).limit(1))
    person = db.session.scalar(select(Person.code).order_by(Person.id).limit(1))
    return unit or "DV01", person or "CN0001"
