"""Campaign pages for staff and units: list, create, edit, launch, close, coverage, reviews.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render.
Managers (admin, staff) write; unit officers and council members read launched and closed campaigns.
"""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.campaigns import queries, rules, services
from awards.campaigns.blueprint import bp
from awards.campaigns.forms import CampaignForm, ReopenForm, ReviewForm
from awards.campaigns.models import Campaign, CampaignReview, Reopening
from awards.campaigns.permissions import can_view, load_campaign
from awards.campaigns.states import CAMPAIGN_STATUS
from awards.campaigns.xlsx import XLSX_MIME, registrations_workbook
from awards.core import audit, clock, uploads
from awards.core.forms import ListPage, perform
from awards.core.params import int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units import queries as units_queries

PER_PAGE = 20
REGISTRATIONS_PER_PAGE = 50
CAMPAIGN_FIELDS = ("title", "kind", "year", "organizer_unit_code", "starts_on", "ends_on", "registration_deadline",
                   "nominations_open_on", "nomination_deadline", "award_codes", "registration_required", "theme",
                   "targets_html", "criteria_html")


# --- helpers ---------------------------------------------------------------------------------------

def _store(field):
    """The uploaded file of `field` kept as an Upload, or None when no file was chosen."""
    if not field.data:
        return None
    return uploads.store(field.data.read(), field.data.filename or "", allowed=uploads.DOCUMENTS, by=current_user)


def _values(form: CampaignForm) -> dict:
    return {name: form[name].data for name in CAMPAIGN_FIELDS}


def _open_reopenings(campaign: Campaign) -> dict[int, Reopening]:
    """Reopenings still running today, by unit."""
    rows = db.session.scalars(select(Reopening).where(Reopening.campaign_id == campaign.id,
                                                      Reopening.until >= clock.today())
                              .order_by(Reopening.until)).all()
    return {row.unit_id: row for row in rows}


def _detail_page(campaign: Campaign, status: int = 200, reopen_form: ReopenForm | None = None):
    views = current_app.view_functions
    context = {"campaign": campaign, "phase": rules.phase(campaign, clock.today()),
               "can_register": "campaigns.register" in views and campaign.status == "launched" and (
                   current_user.is_manager or current_user.has_role("unit_officer")),
               "examples_link": "campaigns.examples" in views and campaign.status != "draft"}
    if current_user.is_manager:
        registrations = queries.registrations(campaign)
        context.update(
            coverage=queries.coverage(campaign), reopenings=_open_reopenings(campaign),
            registrations=ListPage(registrations, page_arg(), REGISTRATIONS_PER_PAGE),
            may_reopen=campaign.status == "launched" and clock.passed(campaign.registration_deadline),
            reopen_form=reopen_form)
    return render_template("campaigns/detail.html", **context), status


# --- list, create, edit -------------------------------------------------------------------------------

@bp.get("")
@roles_required()
def index():
    year = int_arg("year")
    status = request.args.get("status", "")
    allowed = CAMPAIGN_STATUS if current_user.is_manager else ("launched", "closed")
    status = status if status in allowed else ""
    stmt = queries.campaigns_stmt(year, status or None, public_only=not current_user.is_manager)
    page = db.paginate(stmt, page=page_arg(), per_page=PER_PAGE, error_out=False)
    args = {k: v for k, v in (("year", year), ("status", status)) if v}
    return render_template("campaigns/index.html", page=page, args=args, statuses=allowed)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create():
    form = CampaignForm()
    if not form.is_submitted() and current_user.unit_code:
        form.organizer_unit_code.data = current_user.unit_code
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.create_campaign(by=current_user, launch_document=_store(form.document),
                                                           **_values(form)), form, file_field="document",
                          success=_("Đã tạo phong trào (bản nháp). Kiểm tra lại rồi bấm “Phát động” để các đơn vị "
                                    "đăng ký."))
        if outcome:
            return redirect(url_for("campaigns.detail", campaign_id=outcome.value.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("campaigns/form.html", form=form, campaign=None), status


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    form = CampaignForm(obj=campaign)
    form.organizer_unit_code.keep.add(campaign.organizer_unit_code)  # its organizer, closed since, stays accepted
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.update_campaign(campaign, by=current_user,
                                                           launch_document=_store(form.document), **_values(form)),
                          form, file_field="document", success=_("Đã lưu thay đổi của phong trào."))
        if outcome:
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("campaigns/form.html", form=form, campaign=campaign), status


# --- lifecycle ---------------------------------------------------------------------------------------

@bp.post("/<int:campaign_id>/launch")
@roles_required(*MANAGERS)
def launch(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    outcome = perform(lambda: services.launch_campaign(campaign, by=current_user),
                      success=_("Đã phát động phong trào. Cán bộ các đơn vị trực thuộc đã được thông báo."))
    if not outcome:
        return _detail_page(campaign, status=outcome.status)
    return redirect(url_for("campaigns.detail", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/close")
@roles_required(*MANAGERS)
def close(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    outcome = perform(lambda: services.close_campaign(campaign, by=current_user),
                      success=_("Đã kết thúc phong trào."))
    if not outcome:
        return _detail_page(campaign, status=outcome.status)
    return redirect(url_for("campaigns.detail", campaign_id=campaign_id))


# --- detail, coverage, reminders, reopening ------------------------------------------------------------

@bp.get("/<int:campaign_id>")
@roles_required()
def detail(campaign_id):
    return _detail_page(load_campaign(campaign_id, current_user))


@bp.post("/<int:campaign_id>/remind")
@roles_required(*MANAGERS)
def remind(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    outcome = perform(lambda: services.remind_unregistered(campaign, by=current_user),
                      success=lambda result: _("Đã gửi lời nhắc tới %(n)s cán bộ đơn vị.", n=result[0]))
    if not outcome:
        return _detail_page(campaign, status=outcome.status)
    without_officer = ", ".join(f"{unit.name} ({unit.code})" for unit in outcome.value[1])
    if without_officer:
        flash(_("Các đơn vị chưa có tài khoản cán bộ đơn vị, cần liên hệ trực tiếp: %(u)s.", u=without_officer),
              "warning")
    return redirect(url_for("campaigns.detail", campaign_id=campaign_id, _anchor="coverage"))


@bp.post("/<int:campaign_id>/reopen")
@roles_required(*MANAGERS)
def reopen(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _detail_page(campaign, status=400, reopen_form=form)
    unit = units_queries.unit_by_code(form.unit_code.data)
    if unit is None:
        flash(_("Không có đơn vị mã “%(c)s”.", c=form.unit_code.data), "danger")
        return _detail_page(campaign, status=400, reopen_form=form)
    outcome = perform(lambda: services.reopen_registration(campaign, unit, until=form.until.data,
                                                           reason=form.reason.data, by=current_user), form,
                      success=_("Đã mở lại đăng ký cho %(u)s đến hết ngày %(d)s.", u=unit.name,
                                d=form.until.data.strftime("%d/%m/%Y")))
    if not outcome:
        return _detail_page(campaign, status=outcome.status, reopen_form=form)
    return redirect(url_for("campaigns.detail", campaign_id=campaign_id, _anchor="coverage"))


@bp.get("/<int:campaign_id>/registrations.xlsx")
@roles_required(*MANAGERS)
def export_registrations(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    registrations = queries.registrations(campaign)
    data = registrations_workbook(registrations)
    audit.record("campaign.export", campaign, by=current_user, after={"registrations": len(registrations)})
    db.session.commit()
    return Response(data, mimetype=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=dang-ky-thi-dua-{campaign_id}.xlsx"})


# --- reviews and files ------------------------------------------------------------------------------------

@bp.route("/<int:campaign_id>/reviews/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def add_review(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.add_review(
            campaign, kind=form.kind.data, held_on=form.held_on.data, summary_html=form.summary.data or "",
            figures=form.figures_dict(), report=_store(form.report), by=current_user), form, file_field="report",
            success=_("Đã lưu kết quả sơ kết, tổng kết."))
        if outcome:
            return redirect(url_for("campaigns.detail", campaign_id=campaign_id, _anchor="reviews"))
        status = outcome.status
    elif form.is_submitted():
        status = 400
    return render_template("campaigns/review_form.html", form=form, campaign=campaign), status


@bp.get("/files/<int:upload_id>")
@roles_required()
def file(upload_id):
    """A campaign's launch document or a review's report; drafts' files only to managers; else 404."""
    upload = uploads.upload_by_id(upload_id) or abort(404)
    campaign = db.session.scalar(select(Campaign).where(Campaign.launch_document_id == upload.id).limit(1))
    if campaign is None:
        review = db.session.scalar(select(CampaignReview).where(CampaignReview.report_id == upload.id).limit(1))
        campaign = review.campaign if review is not None else None
    if campaign is None or not can_view(current_user, campaign):
        abort(404)
    return uploads.download(upload)
