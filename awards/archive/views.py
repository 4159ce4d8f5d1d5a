"""Archive pages: search, a record, revoke and correct, a subject's award history, the eligibility checklist."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.archive import eligibility, queries, services
from awards.archive.forms import CorrectForm, EligibilityForm, OverrideForm, RecordForm, RevokeForm
from awards.archive.models import KIND_LABELS, SOURCE_LABELS, SUBJECT_LABELS, EligibilityOverride
from awards.catalog import rules
from awards.catalog.types import DEFAULTS
from awards.core import clock
from awards.core.db import DomainError
from awards.core.forms import CappedPage, refuse
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units import queries as units_queries

bp = Blueprint("archive", __name__, url_prefix="/archive")
FILTERS = ("q", "award_code", "year", "unit_code", "subject_type", "sort")


@bp.app_context_processor
def _labels():
    return {"AWARDS": DEFAULTS, "KIND_LABELS": KIND_LABELS, "SOURCE_LABELS": SOURCE_LABELS,
            "SUBJECT_LABELS": SUBJECT_LABELS}


def search_args() -> dict:
    """The search filters of the query string, shared by the page and its Excel export."""
    args = {name: request.args.get(name, "").strip() for name in FILTERS}
    args["year"] = request.args.get("year", type=int)
    return {k: v for k, v in args.items() if v}


@bp.get("")
@roles_required()
def search():
    args = search_args()
    stmt = queries.search_stmt(args.get("q", ""), args.get("award_code"), args.get("year"), args.get("unit_code"),
                               subject_type=args.get("subject_type"), sort=args.get("sort", "year_desc"),
                               capped=True)
    page = CappedPage(stmt, page=request.args.get("page", 1, type=int), per_page=50)
    return render_template("archive/search.html", page=page, args=args)


@bp.route("/records/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create_record():
    form = RecordForm()
    status = 200
    if form.validate_on_submit():
        try:
            record = services.record_award(**{k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")},
                                           by=current_user)
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            db.session.commit()
            flash(_("Đã ghi khen thưởng vào kho lưu trữ."), "success")
            return redirect(url_for("archive.record", record_id=record.id))
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
    return _record_page(queries.record_by_id(record_id) or abort(404))


@bp.post("/records/<int:record_id>/revoke")
@roles_required(*MANAGERS)
def revoke_record(record_id):
    record = queries.record_by_id(record_id) or abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _record_page(record, revoke_form=form, status=400)
    try:
        services.revoke_record(record, reason=form.reason.data, decision_number=form.decision_number.data,
                               decision_date=form.decision_date.data, by=current_user)
    except DomainError as exc:
        return _record_page(record, revoke_form=form, status=refuse(form, exc))
    db.session.commit()
    flash(_("Đã thu hồi khen thưởng. Bản ghi vẫn được lưu, đánh dấu đã thu hồi."), "success")
    return redirect(url_for("archive.record", record_id=record_id))


@bp.post("/records/<int:record_id>/correct")
@roles_required(*MANAGERS)
def correct_record(record_id):
    record = queries.record_by_id(record_id) or abort(404)
    form = CorrectForm()
    if not form.validate_on_submit():
        return _record_page(record, correct_form=form, status=400)
    try:
        correction = services.correct_record(record, by=current_user, **{
            k: v for k, v in form.data.items() if k not in ("submit", "csrf_token")})
    except DomainError as exc:
        return _record_page(record, correct_form=form, status=refuse(form, exc))
    db.session.commit()
    flash(_("Đã đính chính; bản ghi cũ vẫn được lưu."), "success")
    return redirect(url_for("archive.record", record_id=correction.id))


@bp.get("/people/<code>")
@roles_required()
def person_history(code):
    person = units_queries.person_by_code(code) or abort(404)
    history = queries.person_histories([person.id])[person.id]
    return render_template("archive/history.html", subject=person, subject_type="person", name=person.full_name,
                           timeline=queries.timeline("person", code),
                           progress=rules.chain_progress(history, max(history.ratings or [0]) or clock.today().year))


@bp.get("/units/<code>")
@roles_required()
def unit_history(code):
    unit = units_queries.unit_by_code(code) or abort(404)
    year = clock.today().year
    history = queries.unit_histories([unit.id], year)[unit.id]
    return render_template("archive/history.html", subject=unit, subject_type="unit", name=unit.name,
                           timeline=queries.timeline("unit", code), progress=rules.chain_progress(history, year))


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
        try:
            eligibility.override_check(target.subject_type.data, target.subject_code.data, target.award_code.data,
                                       target.year.data, form.rule.data, form.reason.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("Đã ghi ý kiến thẩm định; ý kiến được hiển thị cho Hội đồng."), "success")
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


from awards.archive import import_views  # noqa: E402,F401  (the import and export pages live on this blueprint)
