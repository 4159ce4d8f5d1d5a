"""Pages for the unit tree and its people: lists, details, forms, yearly facts and the Excel import.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render.
Managers (admin, staff) write everything; council members read everything; a unit officer reads the
tree and reads and writes the people of their own unit's subtree.
"""

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.core.api import error_response
from awards.core.db import DomainError
from awards.core.forms import ListPage, perform, refuse
from awards.core.params import page_arg, text_arg
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.core.xlsx import workbook_bytes
from awards.extensions import db
from awards.units import imports, picker, privacy, queries, services
from awards.units.blueprint import bp
from awards.units.forms import (
    DisciplineForm,
    EvaluationForm,
    ImportForm,
    InitiativeForm,
    PersonCreateForm,
    PersonEditForm,
    SuccessionForm,
    UnitCreateForm,
    UnitEditForm,
)
from awards.units.models import (
    Person,
    Unit,
)
from awards.units.pages import person_page, unit_page

PER_PAGE = 50
TREE_PER_PAGE = 100
MAX_SHOWN_ERRORS = 500
WRITERS = (Role.admin, Role.staff, Role.unit_officer)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- permissions ---------------------------------------------------------------------------------

def _readable_person(code: str) -> Person:
    person = queries.person_by_code(code) or abort(404)
    if not queries.may_read_people_in(current_user, person.unit):
        abort(403)
    return person


def _writable_person(code: str) -> Person:
    person = queries.person_by_code(code) or abort(404)
    if not queries.may_write_people_in(current_user, person.unit):
        abort(403)
    return person


# --- helpers -------------------------------------------------------------------------------------

def _page_arg() -> int:
    return page_arg()


# --- the unit picker's lookup -----------------------------------------------------------------------

@bp.get("/units/lookup")
def lookup():
    """The unit picker's list (JSON): units whose code starts with `q` or whose name (diacritics or not) has words
    starting with its words, within `scope` (all, writable: the units the user acts for, readable: those whose people
    they read), active ones unless `inactive=1`; at most 20, each {code, name, path, depth, active}."""
    if not current_user.is_authenticated:
        return error_response(401, _("Hãy đăng nhập để tìm đơn vị."))
    scope = request.args.get("scope", "all")
    if scope not in picker.SCOPES:
        return error_response(400, _("Phạm vi tìm đơn vị không hợp lệ: chỉ nhận all, writable hoặc readable."),
                              fields={"scope": _("Lựa chọn không hợp lệ.")})
    q = text_arg("q").strip()[:100]
    found = picker.lookup(q, picker.scope_of(current_user, scope), inactive=request.args.get("inactive") == "1")
    return jsonify(picker.describe(found))


# --- units ---------------------------------------------------------------------------------------

@bp.get("/units")
@roles_required()
def units():
    q = request.args.get("q", "").strip()
    if q:
        page = db.paginate(queries.units_stmt(q), page=_page_arg(), per_page=PER_PAGE, error_out=False)
        rows = [(unit, 0) for unit in page.items]
    else:
        page = ListPage(queries.unit_tree(), _page_arg(), TREE_PER_PAGE)
        rows = page.items
    counts = queries.people_counts([unit.id for unit, _depth in rows])
    return render_template("units/units.html", page=page, rows=rows, counts=counts, q=q)


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_unit():
    form = UnitCreateForm()
    if request.method == "GET" and request.args.get("parent"):
        form.parent_code.data = picker.code_of(text_arg("parent"))[:40]
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.create_unit(
            code=form.code.data, name=form.name.data, parent_code=form.parent_code.data or None, kind=form.kind.data,
            grassroots=form.grassroots.data, by=current_user, enterprise=form.enterprise.data,
            foreign_organisation=form.foreign_organisation.data,
            decides_awards=(form.decides_awards.data or None) if current_user.has_role("admin") else None), form,
            success=lambda unit: _("Đã thêm đơn vị %(name)s.", name=unit.name))
        if outcome:
            return redirect(url_for("units.unit", code=outcome.value.code))
        status = outcome.status
    elif request.method == "POST":
        status = 400
    return render_template("units/unit_form.html", form=form, unit=None), status


@bp.route("/units/<code>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_unit(code):
    unit = queries.unit_by_code(code) or abort(404)
    form = UnitEditForm(obj=unit)
    form.parent_code.keep.add(unit.parent_code)  # an inactive parent it already has stays accepted
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.update_unit(
            unit, name=form.name.data, parent_code=form.parent_code.data or None, kind=form.kind.data,
            grassroots=form.grassroots.data, active=form.active.data, by=current_user,
            enterprise=form.enterprise.data, foreign_organisation=form.foreign_organisation.data,
            decides_awards=form.decides_awards.data if current_user.has_role("admin") else None), form,
            success=lambda _result: _("Đã lưu đơn vị %(name)s.", name=unit.name))
        if outcome:
            return redirect(url_for("units.unit", code=unit.code))
        status = outcome.status
    elif request.method == "POST":
        status = 400
    return render_template("units/unit_form.html", form=form, unit=unit), status


@bp.get("/units/<code>")
@roles_required()
def unit(code):
    unit = queries.unit_by_code(code) or abort(404)
    return unit_page(unit)


@bp.post("/units/<code>/evaluations")
@roles_required(*MANAGERS)
def add_unit_evaluation(code):
    unit = queries.unit_by_code(code) or abort(404)
    form = EvaluationForm()
    if not form.validate_on_submit():
        return unit_page(unit, form, 400)
    outcome = perform(lambda: services.add_unit_evaluation(unit, year=form.year.data, rating=form.rating.data,
                                                           by=current_user), form,
                      success=_("Đã thêm xếp loại năm %(y)s.", y=form.year.data))
    if not outcome:
        return unit_page(unit, form, outcome.status)
    return redirect(url_for("units.unit", code=unit.code, _anchor="xep-loai"))


@bp.post("/units/<code>/successions")
@roles_required(*MANAGERS)
def record_succession(code):
    unit = queries.unit_by_code(code) or abort(404)
    form = SuccessionForm(prefix="su")
    if not form.validate_on_submit():
        return unit_page(unit, status=400, succession_form=form)
    outcome = perform(lambda: services.record_succession(
        unit, successor_code=form.successor_code.data, kind=form.kind.data, effective_on=form.effective_on.data,
        decision=form.decision.data or "", note=form.note.data or "", by=current_user), form,
        success=_("Đã ghi nhận việc sắp xếp đơn vị."))
    if not outcome:
        return unit_page(unit, status=outcome.status, succession_form=form)
    return redirect(url_for("units.unit", code=unit.code, _anchor="sap-xep"))


# --- people --------------------------------------------------------------------------------------

@bp.get("/people")
@roles_required()
def people():
    if not queries.can_read_people(current_user):
        abort(403)
    q = request.args.get("q", "").strip()
    unit_code = picker.code_of(text_arg("unit"))[:40]
    readable = queries.readable_unit_ids(current_user)
    unit_ids, chosen = readable, None
    if unit_code:
        chosen = queries.unit_by_code(unit_code)
        unit_ids = queries.subtree_ids(chosen.id) if chosen else []
        if readable is not None:
            allowed = set(readable)
            unit_ids = [i for i in unit_ids if i in allowed]
    page = db.paginate(queries.people_stmt(q, unit_ids), page=_page_arg(), per_page=PER_PAGE, error_out=False)
    ids = [person.id for person in page.items]
    if privacy.log_read(page.items, by=current_user, via="list_page"):
        db.session.commit()  # expires the rows: read them again at once, not one statement per row as it shows them
        db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
    units = queries.load_with_ancestors(ids={person.unit_id for person in page.items})  # kept while it renders
    shown = {person.id for person in privacy.visible(current_user, page.items)}  # the reader's subtree read once
    args = {k: v for k, v in (("q", q), ("unit", unit_code)) if v}
    return render_template("units/people.html", page=page, q=q, unit_code=unit_code, chosen=chosen, args=args,
                           can_write=queries.writes_people(current_user), units=units,
                           sees=lambda person: person.id in shown)


def _person_values(form) -> dict:
    return dict(full_name=form.full_name.data, gender=form.gender.data, birth_date=form.birth_date.data,
                ethnicity=form.ethnicity.data or "Kinh", ethnic_minority=form.ethnic_minority.data,
                unit_code=form.unit_code.data, position=form.position.data or "",
                frontline=form.frontline.data, occupation_group=form.occupation_group.data or None,
                foreign_national=form.foreign_national.data, sector_start_date=form.sector_start_date.data)


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def create_person():
    if not queries.writes_people(current_user):
        abort(403)
    form = PersonCreateForm()
    if request.method == "GET":
        form.unit_code.data = picker.code_of(text_arg("unit"))[:40] or current_user.unit_code or ""
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.create_person(code=form.code.data, by=current_user,
                                                         **_person_values(form)), form,
                          success=lambda person: _("Đã thêm %(name)s.", name=person.full_name))
        if outcome:
            return redirect(url_for("units.person", code=outcome.value.code))
        status = outcome.status
    elif request.method == "POST":
        status = picker.invalid_status(form)
    return render_template("units/person_form.html", form=form, person=None), status


@bp.route("/people/<code>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_person(code):
    person = _writable_person(code)
    form = PersonEditForm(obj=person)
    form.unit_code.keep.add(person.unit.code)  # a person of a unit since closed can still be saved
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.update_person(person, by=current_user, active=form.active.data,
                                                         **_person_values(form)), form,
                          success=lambda _result: _("Đã lưu %(name)s.", name=person.full_name))
        if outcome:
            return redirect(url_for("units.person", code=person.code))
        status = outcome.status
    elif request.method == "POST":
        status = picker.invalid_status(form)
    return render_template("units/person_form.html", form=form, person=person), status


@bp.get("/people/<code>")
@roles_required()
def person(code):
    return person_page(_readable_person(code))


def _add_fact(code, form, key, service, values, done, anchor):
    """Add a yearly fact to a person: the three POST routes of the detail page share this."""
    person = _writable_person(code)
    if not form.validate_on_submit():
        return person_page(person, 400, **{key: form})
    outcome = perform(lambda: service(person, by=current_user, **values(form)), form, success=done)
    if not outcome:
        return person_page(person, outcome.status, **{key: form})
    return redirect(url_for("units.person", code=person.code, _anchor=anchor))


@bp.post("/people/<code>/evaluations")
@roles_required(*WRITERS)
def add_person_evaluation(code):
    return _add_fact(code, EvaluationForm(prefix="ev"), "evaluation_form", services.add_person_evaluation,
                     lambda f: {"year": f.year.data, "rating": f.rating.data},
                     _("Đã thêm xếp loại năm %(y)s.", y=request.form.get("ev-year")), "xep-loai")


@bp.post("/people/<code>/disciplines")
@roles_required(*WRITERS)
def add_discipline(code):
    return _add_fact(code, DisciplineForm(prefix="di"), "discipline_form", services.add_discipline,
                     lambda f: {"year": f.year.data, "level": f.level.data, "decided_on": f.decided_on.data,
                                "ends_on": f.ends_on.data, "note": f.note.data or ""},
                     _("Đã thêm quyết định kỷ luật."), "ky-luat")


@bp.post("/people/<code>/initiatives")
@roles_required(*WRITERS)
def add_initiative(code):
    return _add_fact(code, InitiativeForm(prefix="in"), "initiative_form", services.add_initiative,
                     lambda f: {"year": f.year.data, "title": f.title.data, "scope": f.scope.data,
                                "recognised_on": f.recognised_on.data},
                     _("Đã thêm sáng kiến."), "sang-kien")


# --- import from Excel ---------------------------------------------------------------------------

@bp.route("/people/import", methods=["GET", "POST"])
@roles_required(*WRITERS)
def import_people():
    if not queries.writes_people(current_user):
        abort(403)
    form = ImportForm()
    if request.method == "GET":
        return render_template("units/import.html", form=form, result=None)
    if not form.validate_on_submit():
        return render_template("units/import.html", form=form, result=None), 400
    try:
        result = imports.import_people(form.file.data.stream, dry_run=form.dry_run.data, by=current_user)
    except DomainError as exc:
        status = refuse(form, exc)
        return render_template("units/import.html", form=form, result=None), status
    if result.errors or result.dry_run:
        db.session.rollback()
        return render_template("units/import.html", form=form, result=result,
                               shown_errors=result.errors[:MAX_SHOWN_ERRORS]), 400 if result.errors else 200
    db.session.commit()
    flash(_("Đã nhập %(n)s cá nhân.", n=result.imported), "success")
    return redirect(url_for("units.people"))


@bp.get("/people/import-template.xlsx")
@roles_required(*WRITERS)
def import_template():
    if not queries.writes_people(current_user):
        abort(403)
    example_unit = current_user.unit_code or db.session.scalar(select(Unit.code).order_by(Unit.code).limit(1))
    headers, rows = imports.template_rows(example_unit or "DV01")
    data = workbook_bytes({_("Cá nhân"): (headers, rows)})
    return Response(data, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": "attachment; filename=mau-nhap-ca-nhan.xlsx"})
