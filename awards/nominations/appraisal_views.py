"""The secretariat's appraisal pages: the queue, passing several all-green dossiers at once, and one dossier's
appraisal (return for a supplement, pass, fail). Managers (admin, staff) only.

Every view: load (404) → guard (403) → validate → service calls → commit → redirect or render."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.catalog.forms import ATTACHMENT_LABELS
from awards.catalog.rules import KIND_TEXT
from awards.catalog.types import DEFAULTS
from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.nominations import appraisal, queries, services
from awards.nominations.models import Nomination
from awards.nominations.states import STATUS_LABELS
from awards.nominations.views import bp

QUEUE_PER_PAGE = 50
MAX_BULK = 200
BULK_NOTE = "Thẩm định hàng loạt: đủ điều kiện"


class NoteForm(FlaskForm):
    """One of the appraisal page's three forms (prefixed return / pass / fail): the reason or note."""

    reason = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])


class BulkForm(FlaskForm):
    confirm = HiddenField()


def _labels() -> dict:
    return {"AWARDS": DEFAULTS, "STATUS_LABELS": STATUS_LABELS, "KIND_TEXT": KIND_TEXT,
            "ATTACHMENT_LABELS": ATTACHMENT_LABELS}


# --- the queue ---------------------------------------------------------------------------------------------

def _filters() -> dict:
    args = request.args
    status = args.get("status", "submitted")
    return {"status": status if status in appraisal.QUEUE_STATUSES else "submitted",
            "campaign_id": args.get("campaign_id", type=int), "unit_code": (args.get("unit") or "").strip(),
            "award_code": args.get("award") if args.get("award") in DEFAULTS else "",
            "year": args.get("year", type=int), "overdue_only": args.get("waiting") == "overdue"}


@bp.get("/queue")
@roles_required(*MANAGERS)
def queue():
    filters = _filters()
    settings = catalog.global_settings()
    known: dict = {}  # checklists the overdue filter has already read
    stmt = appraisal.queue_stmt(current_user, settings=settings, checklists=known, **filters)
    page, nominations = appraisal.paginate_queue(stmt, request.args.get("page", 1, type=int), QUEUE_PER_PAGE)
    rows = appraisal.queue_rows(nominations, settings, known)
    args = {key: value for key, value in (
        ("status", filters["status"] if filters["status"] != "submitted" else None),
        ("campaign_id", filters["campaign_id"]), ("unit", filters["unit_code"]), ("award", filters["award_code"]),
        ("year", filters["year"]), ("waiting", "overdue" if filters["overdue_only"] else None)) if value}
    campaigns = db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.status != "draft")
                                   .order_by(Campaign.year.desc(), Campaign.id.desc()).limit(200)).all()
    return render_template("nominations/queue.html", page=page, rows=rows, args=args, filters=filters,
                           campaigns=campaigns, units=appraisal.filter_units(), statuses=appraisal.QUEUE_STATUSES,
                           offset=(page.page - 1) * QUEUE_PER_PAGE, form=BulkForm(), **_labels())


@bp.post("/queue/appraise")
@roles_required(*MANAGERS)
def bulk_appraise():
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    ids = sorted({int(i) for i in request.form.getlist("ids") if i.isdigit()})
    if not ids:
        flash(_("Chưa chọn hồ sơ nào."), "warning")
        return redirect(url_for("nominations.queue"))
    if len(ids) > MAX_BULK:
        flash(_("Mỗi lần chỉ thẩm định tối đa %(n)s hồ sơ.", n=MAX_BULK), "warning")
        return redirect(url_for("nominations.queue"))
    nominations = list(db.session.scalars(select(Nomination).where(Nomination.id.in_(ids))
                                          .order_by(Nomination.id)).unique())
    if len(nominations) != len(ids):
        abort(404)
    problems = appraisal.bulk_blockers(nominations)
    if problems:
        flash(_("Không thẩm định hồ sơ nào: %(p)s.", p="; ".join(problems)), "danger")
        return render_template("nominations/_queue_confirm.html", nominations=nominations, problems=problems,
                               form=form, **_labels()), 409
    if form.confirm.data != "1":
        return render_template("nominations/_queue_confirm.html", nominations=nominations, problems=[], form=form,
                               **_labels())
    try:
        for nomination in nominations:
            services.appraise(nomination, result="pass", note=BULK_NOTE, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("nominations.queue"))
    db.session.commit()
    flash(_("Đã thẩm định đạt %(n)s hồ sơ.", n=len(nominations)), "success")
    return redirect(url_for("nominations.queue"))


# --- one dossier -------------------------------------------------------------------------------------------

ACTIONS = ("return", "pass", "fail")


@bp.route("/<int:nomination_id>/appraise", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def appraise_page(nomination_id):
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is None:
        abort(404)
    action = request.form.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in ACTIONS:
        abort(400)
    forms = {name: NoteForm(prefix=name, formdata=request.form if name == action else None) for name in ACTIONS}
    status = 200
    if action:
        form = forms[action]
        if form.validate_on_submit():
            reason = (form.reason.data or "").strip()
            try:
                if action == "return":
                    services.return_for_supplement(nomination, reason=reason, by=current_user)
                else:
                    if action == "pass":
                        appraisal.ensure_can_pass(nomination, queries.eligibility_of([nomination])[nomination.id])
                    services.appraise(nomination, result=action, note=reason, by=current_user)
            except DomainError as exc:
                status = refuse(form, exc)
                nomination = queries.nomination_by_id(nomination_id)
            else:
                db.session.commit()
                flash({"return": _("Đã trả lại hồ sơ #%(i)s để đơn vị bổ sung.", i=nomination.id),
                       "pass": _("Đã thẩm định đạt hồ sơ #%(i)s.", i=nomination.id),
                       "fail": _("Đã kết luận hồ sơ #%(i)s không đạt thẩm định.", i=nomination.id)}[action],
                      "success")
                return redirect(url_for("nominations.queue"))
        else:
            status = 400
    checklist = queries.eligibility_of([nomination])[nomination.id]
    settings = catalog.global_settings()
    quota = appraisal.quotas_for({(nomination.unit_id, nomination.year)}, settings).get(
        (nomination.unit_id, nomination.year)) if nomination.award_code == "CSTDCS" else None
    return render_template("nominations/appraise.html", nomination=nomination, checklist=checklist,
                           summary=appraisal.checklist_summary(checklist),
                           clock=appraisal.clock_of(nomination, checklist, settings), quota=quota, forms=forms,
                           blockers=appraisal.pass_blockers(checklist), **_labels()), status
