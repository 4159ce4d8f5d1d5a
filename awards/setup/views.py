"""The first-run checklist page (admin): each line green or missing, with a link to where it is fixed."""

from flask import render_template, url_for

from awards.core.permissions import Role, roles_required
from awards.setup import queries
from awards.setup.blueprint import bp
from awards.units.imports import KINDS


@bp.get("/setup")
@roles_required(Role.admin)
def checklist():
    lines = queries.checklist()
    templates = [(kind.title, url_for("units.import_sheet_template", name=name) if name != "people"
                  else url_for("units.import_template")) for name, kind in KINDS.items()]
    return render_template("setup/checklist.html", lines=lines, templates=templates,
                           missing=sum(line.status == queries.MISSING for line in lines))
