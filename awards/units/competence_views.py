"""The admin's page of a unit's competence (thẩm quyền khen thưởng, issue 18): the catalogue's award types as
checkboxes grouped by kind, the unit's table ticked, each default with its article; saving or restoring the
defaults goes through services.set_competence, the same as PUT /api/v1/units/<code>/competence.

The award types' names and kinds are the catalogue's pure data (catalog.types); the rule of who decides stays in
units.competence, whose codes a test checks against that catalogue."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import services as catalog
from awards.catalog.types import COLLECTIVE, INDIVIDUAL, TITLE
from awards.core.forms import perform
from awards.core.permissions import Role, roles_required
from awards.units import competence, queries, services
from awards.units.blueprint import bp
from awards.units.forms import CompetenceForm


def _groups() -> list[tuple[str, list[dict]]]:
    """The catalogue's award types by kind (the built-in ones, then the active stored ones: issue 25), each with
    the default decider and its article."""
    kinds = [(_("Danh hiệu thi đua cá nhân"), lambda a: a.form == TITLE and a.subject == INDIVIDUAL),
             (_("Danh hiệu thi đua tập thể"), lambda a: a.form == TITLE and a.subject == COLLECTIVE),
             (_("Hình thức khen thưởng"), lambda a: a.form != TITLE)]
    return [(label, [{"code": a.code, "name": a.name, "default": a.code in competence.UNIT_DEFAULTS,
                      "level": competence.level_outside(a.code), "basis": competence.basis_of(a.code)}
                     for a in catalog.award_types().values() if belongs(a)]) for label, belongs in kinds]


def _page(unit, form, codes, status=200):
    return render_template("units/competence.html", unit=unit, form=form, groups=_groups(), codes=set(codes),
                           defaults=set(competence.default_award_codes())), status


@bp.route("/units/<code>/competence", methods=["GET", "POST"])
@roles_required(Role.admin)
def competence_page(code):
    unit = queries.unit_by_code(code) or abort(404)
    form = CompetenceForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _page(unit, form, queries.competence_codes(unit), 200 if request.method == "GET" else 400)
    restore = bool(form.restore.data)
    chosen = competence.default_award_codes() if restore else request.form.getlist("award_codes")
    outcome = perform(lambda: services.set_competence(unit, chosen, by=current_user), form,
                      success=_("Đã khôi phục thẩm quyền mặc định của %(u)s.", u=unit.name) if restore
                      else _("Đã lưu thẩm quyền khen thưởng của %(u)s.", u=unit.name))
    if not outcome:
        return _page(unit, form, chosen, outcome.status)
    return redirect(url_for("units.competence_page", code=unit.code))
