"""Archive pages: search, a record, revoke and correct, a subject's award history, the eligibility checklist."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.archive import eligibility, permissions, queries, services
from awards.archive.blueprint import bp
from awards.archive.forms import CorrectForm, EligibilityForm, OverrideForm, RecordForm, RevokeForm, search_args
from awards.archive.models import EligibilityOverride
from awards.catalog import rules
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.db import DomainError
from awards.core.forms import CappedPage, perform
from awards.core.params import int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units import queries as units_queries


@bp.get("")
@roles_required()
def search():
    args = search_args()
    stmt = queries.search_stmt(args.get("q", ""), args.get("award_code"), args.get("year"), args.get("unit_code"),
                               subject_type=args.get("subject_type"), sort=args.get("sort", "year_desc"),
                               capped=True, unpublished_of=permissions.unpublished_scope(current_user))
    page = CappedPage(stmt, page=page_arg(), per_page=50)
    return render_template("archive/search.html", page=page, args=args)


@bp.route("/records/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_record():
    form = RecordForm()
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.record_award(
            **{k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")}, by=current_user), form,
            success=_("Đã ghi khen thưởng vào kho lưu trữ."))
        if outcome:
            return redirect(url_for("archive.record", record_id=outcome.value.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("archive/record_form.html", form=form), status


def _record_page(record, revoke_form=None, correct_form=None, status=200):
    versions = []
    node = record
    while node is not None:
        versions.append(node)
        node = node.target
    later = db.session.scalars(db.select(type(record)).where(type(record).target_id == record.id)).all()
    correct_form = correct_form or CorrectForm(obj=record)
    return render_template("archive/record.html", record=record, versions=versions, later=later,
                           revoke_form=revoke_form or RevokeForm(), correct_form=correct_form), status


@bp.get("/records/<int:record_id>")
@roles_required()
def record(record_id):
    record = queries.record_by_id(record_id)
    if record is None or not permissions.can_view_record(current_user, record):
        abort(404)
    return _record_page(record)


@bp.post("/records/<int:record_id>/revoke")
@roles_required(*MANAGERS)
def revoke_record(record_id):
    record = queries.record_by_id(record_id) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _record_page(record, revoke_form=form, status=400)
    outcome = perform(lambda: services.revoke_record(
        record, reason=form.reason.data, decision_number=form.decision_number.data,
        decision_date=form.decision_date.data, by=current_user), form,
        success=_("Đã thu hồi khen thưởng. Bản ghi vẫn được lưu, đánh dấu đã thu hồi."))
    if not outcome:
        return _record_page(record, revoke_form=form, status=outcome.status)
    return redirect(url_for("archive.record", record_id=record_id))


@bp.post("/records/<int:record_id>/correct")
@roles_required(*MANAGERS)
def correct_record(record_id):
    record = queries.record_by_id(record_id) or abort(404)
    form = CorrectForm()
    if not form.validate_on_submit():
        return _record_page(record, correct_form=form, status=400)
    outcome = perform(lambda: services.correct_record(record, by=current_user, **{
        k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")}), form,
        success=_("Đã đính chính; bản ghi cũ vẫn được lưu."))
    if not outcome:
        return _record_page(record, correct_form=form, status=outcome.status)
    return redirect(url_for("archive.record", record_id=outcome.value.id))


@bp.get("/people/<code>")
@roles_required()
def person_history(code):
    person = units_queries.person_by_code(code) or abort(404)
    history = queries.person_histories([person.id])[person.id]
    return render_template("archive/history.html", subject=person, subject_type="person", name=person.full_name,
                           timeline=queries.timeline("person", code, permissions.unpublished_scope(current_user)),
                           progress=rules.chain_progress(history, max(history.ratings or [0]) or clock.today().year))


@bp.get("/units/<code>")
@roles_required()
def unit_history(code):
    unit = units_queries.unit_by_code(code) or abort(404)
    year = clock.today().year
    # the progress line reads the collective's own chain: its members' year is not read (issue 21)
    history = queries.unit_histories([unit.id], year, members=False)[unit.id]
    return render_template("archive/history.html", subject=unit, subject_type="unit", name=unit.name,
                           timeline=queries.timeline("unit", code, permissions.unpublished_scope(current_user)),
                           progress=rules.chain_progress(history, year))


@bp.get("/eligibility")
@roles_required()
def eligibility_page():
    form = EligibilityForm(request.args)
    result, status = None, 200
    if request.args and form.validate():
        if not eligibility.may_check(current_user, form.subject_type.data, form.subject_code.data.strip()):
            abort(403)
        try:
            result = eligibility.checklist(form.subject_type.data, form.subject_code.data.strip(),
                                           form.award_code.data, form.year.data, form.kind.data)
        except DomainError as exc:
            form.subject_code.errors = [exc.message]
            status = exc.status
    elif request.args:
        status = 400
    return render_template("archive/eligibility.html", form=form, result=result,
                           override_form=OverrideForm()), status


@bp.post("/eligibility/override")
@roles_required(*MANAGERS)
def override_check():
    form, target = OverrideForm(), EligibilityForm(request.form)
    if not (form.validate_on_submit() and target.validate()):
        flash(_("Cần ghi lý do vượt qua dòng điều kiện."), "danger")
    else:
        perform(lambda: eligibility.override_check(
            target.subject_type.data, target.subject_code.data, target.award_code.data, target.year.data,
            form.rule.data, form.reason.data, by=current_user),
            success=_("Đã ghi ý kiến thẩm định; ý kiến được hiển thị cho Hội đồng."))
    return redirect(url_for("archive.eligibility_page", **{k: request.form.get(k, "") for k in (
        "subject_type", "subject_code", "award_code", "year", "kind")}))


@bp.post("/overrides/<int:override_id>/withdraw")
@roles_required(*MANAGERS)
def withdraw_override(override_id):
    override = db.get_or_404(EligibilityOverride, override_id)
    eligibility.withdraw_override(override, by=current_user)
    db.session.commit()
    flash(_("Đã rút ý kiến vượt qua."), "info")
    return redirect(url_for("archive.eligibility_page", subject_type=override.subject_type,
                            subject_code=override.subject_code, award_code=override.award_code, year=override.year))


@bp.get("/award-types/<code>/preview")
@roles_required(*MANAGERS)
def award_type_preview(code):
    """The catalogue's preview (issue 25): an award type checked against ten people (or collectives) of the
    database for a year, each with its checklist."""
    award = catalog.known_award(code) or abort(404)
    subject_type = request.args.get("subject", "")
    if subject_type not in ("person", "unit") or not award.for_subject_type(subject_type):
        subject_type = "person" if award.for_subject_type("person") else "unit"
    year = int_arg("year") or clock.today().year
    try:
        results = eligibility.preview(code, year, subject_type)
    except DomainError as exc:
        flash(exc.message, "danger")
        results = []
    return render_template("archive/award_type_preview.html", award=award, results=results, year=year,
                           subject_type=subject_type)
