"""The secretariat's appraisal pages: the queue, passing several all-green dossiers at once, and one dossier's
appraisal (return for a supplement, pass, fail; a written opinion that passes a failing checklist line, in place).
Managers (admin, staff) only.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from awards.archive import eligibility as subject_eligibility
from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.core.forms import REQUIRED, perform
from awards.core.params import ids_arg, int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.nominations import appraisal, eligibility, outcomes, priorities, queries, services
from awards.nominations.blueprint import bp
from awards.nominations.models import Nomination
from awards.nominations.permissions import can_handle
from awards.units.rules import PRIORITY_FLAGS

QUEUE_PER_PAGE = 50
BULK_NOTE = "Thẩm định hàng loạt: đủ điều kiện"


class NoteForm(FlaskForm):
    """One of the appraisal page's three forms (prefixed return / pass / fail): the reason or note."""

    reason = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])


class OverrideForm(FlaskForm):
    """A written opinion passing one failing line of the subject's checklist (the line's rule in `rule`)."""

    rule = HiddenField(validators=[DataRequired(REQUIRED), Length(max=60)])
    reason = TextAreaField(_l("Lý do vượt qua dòng điều kiện này"), validators=[DataRequired(REQUIRED),
                                                                              Length(max=2000)])


# Lines of the dossier's own (the campaign's registration, the unit's CSTĐCS quota): not the subject's, so no
# written opinion passes them on the archive's checklist.
DOSSIER_RULES = ("registered_in_campaign", eligibility.QUOTA_RULE)


class BulkForm(FlaskForm):
    confirm = HiddenField()


# --- the queue ---------------------------------------------------------------------------------------------

def _filters() -> dict:
    args = request.args
    status = args.get("status", "submitted")
    return {"status": status if status in appraisal.QUEUE_STATUSES else "submitted",
            "campaign_id": int_arg("campaign_id"), "unit_code": (args.get("unit") or "").strip(),
            "award_code": args.get("award") if args.get("award") and catalog.known_award(args.get("award")) else "",
            "year": int_arg("year"), "overdue_only": args.get("waiting") == "overdue",
            "priority": args.get("priority") if args.get("priority") in priorities.FILTERS else ""}


@bp.get("/queue")
@roles_required(*MANAGERS)
def queue():
    filters = _filters()
    settings = catalog.global_settings()
    # the stale outcomes of the filtered set and of the page are refreshed (normally none); rows read stored ones
    stmt = appraisal.queue_stmt(current_user, settings=settings, **filters)
    page, nominations = appraisal.paginate_queue(stmt, page_arg(), QUEUE_PER_PAGE)
    rows = appraisal.queue_rows(nominations, settings)
    refreshed = db.session.info.pop(outcomes.REFRESHED, False)
    flags = priorities.page_priorities(nominations, current_user).flags
    args = {key: value for key, value in (
        ("status", filters["status"] if filters["status"] != "submitted" else None),
        ("campaign_id", filters["campaign_id"]), ("unit", filters["unit_code"]), ("award", filters["award_code"]),
        ("year", filters["year"]), ("waiting", "overdue" if filters["overdue_only"] else None),
        ("priority", filters["priority"])) if value}
    campaigns = db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.status != "draft")
                                   .order_by(Campaign.year.desc(), Campaign.id.desc()).limit(200)).all()
    html = render_template("nominations/queue.html", page=page, rows=rows, flags=flags, args=args, filters=filters,
                           PRIORITY_FLAGS=PRIORITY_FLAGS, FILTERS=priorities.FILTERS,
                           campaigns=campaigns, units=appraisal.filter_units(), statuses=appraisal.QUEUE_STATUSES,
                           offset=(page.page - 1) * QUEUE_PER_PAGE, form=BulkForm())
    # after rendering: a commit would expire the page's rows
    if priorities.log_shown(nominations, current_user) or refreshed:
        db.session.commit()
    return html


@bp.post("/queue/appraise")
@roles_required(*MANAGERS)
def bulk_appraise():
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    ids = sorted(ids_arg())
    if 0 < len(ids) <= services.MAX_BULK:
        nominations = queries.nominations_by_ids(ids)  # 404 when one does not exist
        problems = eligibility.bulk_blockers(nominations)
        if problems or form.confirm.data != "1":  # the confirmation page, or what keeps them from passing
            return render_template("nominations/_queue_confirm.html", nominations=nominations, problems=problems,
                                   form=form), 409 if problems else 200
    perform(lambda: services.appraise_many(ids, note=BULK_NOTE, by=current_user),
            success=lambda n: _("Đã thẩm định đạt %(n)s hồ sơ.", n=n))
    return redirect(url_for("nominations.queue"))


# --- one dossier -------------------------------------------------------------------------------------------

ACTIONS = ("return", "pass", "fail")
DONE = {"return": _l("Đã trả lại hồ sơ #%(i)s để đơn vị bổ sung."), "pass": _l("Đã thẩm định đạt hồ sơ #%(i)s."),
        "fail": _l("Đã kết luận hồ sơ #%(i)s không đạt thẩm định.")}


def _act(nomination: Nomination, action: str, reason: str):
    if action == "return":
        return services.return_for_supplement(nomination, reason=reason, by=current_user)
    return services.appraise(nomination, result=action, note=reason, by=current_user)


@bp.route("/<int:nomination_id>/appraise", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def appraise_page(nomination_id):
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is None:
        abort(404)
    if not can_handle(current_user, nomination):  # another level's or another hospital's dossier
        abort(403)
    action = request.form.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in ACTIONS:
        abort(400)
    forms = {name: NoteForm(prefix=name, formdata=request.form if name == action else None) for name in ACTIONS}
    status = 200
    if action:
        form = forms[action]
        if not form.validate_on_submit():
            status = 400
        else:
            reason = (form.reason.data or "").strip()
            outcome = perform(lambda: _act(nomination, action, reason), form,
                              success=DONE[action] % {"i": nomination_id})
            if outcome:
                return redirect(url_for("nominations.queue"))
            status, nomination = outcome.status, queries.nomination_by_id(nomination_id)
    return _appraise_page(nomination, forms, status=status)


def _appraise_page(nomination: Nomination, forms: dict, *, override: OverrideForm | None = None, status: int = 200):
    settings = catalog.global_settings()
    checklist = eligibility.checklists_of([nomination], settings)[nomination.id]
    overridable = [c.rule for c in checklist.blockers if c.rule not in DOSSIER_RULES]
    override_forms = {rule: override if override is not None and override.rule.data == rule
                      else OverrideForm(formdata=None, rule=rule) for rule in overridable}
    return render_template("nominations/appraise.html", nomination=nomination, checklist=checklist,
                           summary=eligibility.summary(checklist),
                           clock=appraisal.clock_of(nomination, checklist, settings), forms=forms,
                           override_forms=override_forms), status


@bp.post("/<int:nomination_id>/appraise/override")
@roles_required(*MANAGERS)
def override_line(nomination_id):
    """Pass one failing line of the subject's checklist with a written reason, and come back to the appraisal."""
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is None:
        abort(404)
    if not can_handle(current_user, nomination):
        abort(403)
    form = OverrideForm()
    back = redirect(url_for("nominations.appraise_page", nomination_id=nomination_id, _anchor="checklist-h"))
    if form.validate_on_submit():
        outcome = perform(lambda: subject_eligibility.override_check(
            nomination.subject_type, nomination.subject_code, nomination.award_code, nomination.year,
            form.rule.data, form.reason.data, by=current_user), form,
            success=_("Đã ghi ý kiến thẩm định; ý kiến được hiển thị cho Hội đồng."))
        if outcome:
            return back
        status = outcome.status
    else:
        status = 400
    forms = {name: NoteForm(prefix=name, formdata=None) for name in ACTIONS}
    return _appraise_page(queries.nomination_by_id(nomination_id), forms, override=form, status=status)
