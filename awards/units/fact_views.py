"""Pages that record what freezes or limits a subject's awards: a collective's disciplines, proceedings (a
discipline review, an inspection, a complaint being verified) opened and closed, and an initiative's wider
recognition. Managers anywhere; a unit officer for the people and units of their own subtree.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render."""

from flask import abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.core.forms import perform
from awards.core.permissions import Role, roles_required
from awards.units import queries, services
from awards.units.blueprint import bp
from awards.units.forms import CloseProceedingForm, DisciplineForm, ProceedingForm, RaiseScopeForm
from awards.units.models import Person, Unit
from awards.units.pages import person_page, unit_page

WRITERS = (Role.admin, Role.staff, Role.unit_officer)


def _writable_unit(code: str) -> Unit:
    unit = queries.unit_by_code(code) or abort(404)
    if not queries.may_write_people_in(current_user, unit):
        abort(403)
    return unit


def _writable_person(code: str) -> Person:
    person = queries.person_by_code(code) or abort(404)
    if not queries.may_write_people_in(current_user, person.unit):
        abort(403)
    return person


def _subject_page(subject, status: int, **forms):
    if isinstance(subject, Person):
        return person_page(subject, status, **forms)
    return unit_page(subject, None, status, **forms)


def _subject_url(subject, anchor: str) -> str:
    if isinstance(subject, Person):
        return url_for("units.person", code=subject.code, _anchor=anchor)
    return url_for("units.unit", code=subject.code, _anchor=anchor)


@bp.post("/units/<code>/disciplines")
@roles_required(*WRITERS)
def add_unit_discipline(code):
    unit = _writable_unit(code)
    form = DisciplineForm(prefix="di")
    if not form.validate_on_submit():
        return unit_page(unit, None, 400, discipline_form=form)
    outcome = perform(lambda: services.add_unit_discipline(
        unit, year=form.year.data, level=form.level.data, decided_on=form.decided_on.data, ends_on=form.ends_on.data,
        note=form.note.data or "", by=current_user), form, success=_("Đã thêm quyết định kỷ luật."))
    if not outcome:
        return unit_page(unit, None, outcome.status, discipline_form=form)
    return redirect(_subject_url(unit, "ky-luat"))


def _open(subject):
    form = ProceedingForm(prefix="pr")
    if not form.validate_on_submit():
        return _subject_page(subject, 400, proceeding_form=form)
    outcome = perform(lambda: services.open_proceeding(subject, kind=form.kind.data, opened_on=form.opened_on.data,
                                                       note=form.note.data or "", by=current_user), form,
                      success=_("Đã ghi nhận; khen thưởng của đối tượng tạm dừng đến khi việc này kết thúc."))
    if not outcome:
        return _subject_page(subject, outcome.status, proceeding_form=form)
    return redirect(_subject_url(subject, "dang-xem-xet"))


@bp.post("/people/<code>/proceedings")
@roles_required(*WRITERS)
def open_person_proceeding(code):
    return _open(_writable_person(code))


@bp.post("/units/<code>/proceedings")
@roles_required(*WRITERS)
def open_unit_proceeding(code):
    return _open(_writable_unit(code))


@bp.post("/proceedings/<int:proceeding_id>/close")
@roles_required(*WRITERS)
def close_proceeding(proceeding_id):
    proceeding = queries.proceeding_by_id(proceeding_id) or abort(404)
    subject = proceeding.subject
    if not queries.may_write_people_in(current_user, subject.unit if isinstance(subject, Person) else subject):
        abort(403)
    form = CloseProceedingForm(prefix="cl")
    if not form.validate_on_submit():
        return _subject_page(subject, 400, close_form=form)
    outcome = perform(lambda: services.close_proceeding(proceeding, closed_on=form.closed_on.data,
                                                        closing_note=form.closing_note.data, by=current_user), form,
                      success=_("Đã kết thúc việc xem xét."))
    if not outcome:
        return _subject_page(subject, outcome.status, close_form=form)
    return redirect(_subject_url(subject, "dang-xem-xet"))


@bp.post("/initiatives/<int:initiative_id>/raise")
@roles_required(*WRITERS)
def raise_initiative_scope(initiative_id):
    initiative = queries.initiative_by_id(initiative_id) or abort(404)
    person = _writable_person(initiative.person.code)
    form = RaiseScopeForm(prefix="ra")
    if not form.validate_on_submit():
        return person_page(person, 400, raise_form=form)
    outcome = perform(lambda: services.raise_initiative_scope(initiative, scope=form.scope.data,
                                                              recognised_on=form.recognised_on.data,
                                                              by=current_user), form,
                      success=_("Đã ghi nhận phạm vi công nhận mới; lần công nhận trước vẫn được giữ."))
    if not outcome:
        return person_page(person, outcome.status, raise_form=form)
    return redirect(_subject_url(person, "sang-kien"))
