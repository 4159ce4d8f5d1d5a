"""Dossier pages: the list, a new dossier, a dossier (checklist, files, submit, withdraw, history), and the
year-end bulk creation from a campaign's registrations.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render.
Staff (admin, staff) act for every unit; a unit officer for their units; council members read."""

from datetime import UTC

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from awards.campaigns import queries as campaign_queries
from awards.campaigns.models import Campaign
from awards.catalog.forms import ATTACHMENT_LABELS
from awards.catalog.types import DEFAULTS
from awards.core import clock, uploads
from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.core.text import name_sort_key
from awards.core.workdays import working_days_between
from awards.extensions import db
from awards.nominations import appraisal, queries, services
from awards.nominations.forms import (
    KIND_LABELS,
    SUBJECT_LABELS,
    AttachmentForm,
    BulkChooseForm,
    BulkCreateForm,
    NominationForm,
    WithdrawForm,
)
from awards.nominations.models import Attachment, Nomination
from awards.nominations.states import BEFORE_AWARD, STATUS_LABELS
from awards.nominations.views import bp
from awards.units import queries as units_queries

PER_PAGE = 50
PICK_LIMIT = 500
CLOCK_STATUSES = ("submitted", "returned", "appraised")
STATUS_BADGES = {"draft": "text-bg-secondary", "submitted": "text-bg-primary", "returned": "text-bg-warning",
                 "appraised": "text-bg-info", "rejected": "text-bg-danger", "in_council": "text-bg-info",
                 "passed": "text-bg-success", "failed": "text-bg-danger", "public_review": "text-bg-info",
                 "awarded": "text-bg-success", "withdrawn": "text-bg-light border"}
LIVE = ("withdrawn", "rejected", "failed")  # dossiers that no longer block a new one
WRITERS = (*MANAGERS, Role.unit_officer)


@bp.context_processor
def _labels():
    return {"STATUS_LABELS": STATUS_LABELS, "STATUS_BADGES": STATUS_BADGES, "NOMINATION_KINDS": KIND_LABELS,
            "SUBJECT_TYPES": SUBJECT_LABELS, "ATTACHMENT_LABELS": ATTACHMENT_LABELS, "AWARD_TYPES": DEFAULTS}


# --- helpers ---------------------------------------------------------------------------------------

def _nomination(nomination_id: int) -> Nomination:
    """The dossier, or 404 when it does not exist or the user may not see it."""
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is None or not services.may_view(current_user, nomination):
        abort(404)
    return nomination


def _acts(nomination: Nomination) -> None:
    if not services.acts_for_unit(current_user, nomination):
        abort(403)


def _launched_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(Campaign.status == "launched")
                                   .order_by(Campaign.year.desc(), Campaign.id.desc())))


def _writable_units():
    """The units the user acts for, as (unit, depth) of the tree: every unit for staff."""
    tree = units_queries.unit_tree()
    if current_user.is_manager:
        return tree
    own = set(units_queries.subtree_ids(current_user.unit_id)) if current_user.unit_id else set()
    return [(unit, depth) for unit, depth in tree if unit.id in own]


def _processing_days(nomination: Nomination) -> int | None:
    """Working days since the latest submission, while the secretariat holds the clock."""
    if nomination.status not in CLOCK_STATUSES or nomination.submitted_at is None:
        return None
    at = nomination.submitted_at
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return working_days_between(at.astimezone(clock.VIETNAM).date(), clock.today())


def _detail_page(nomination: Nomination, status: int = 200, attachment_form=None, withdraw_form=None):
    present = {a.kind for a in nomination.attachments}
    required = services.required_attachments(nomination)
    may_edit = services.may_edit(current_user, nomination)
    may_withdraw = nomination.status in BEFORE_AWARD and services.acts_for_unit(current_user, nomination)
    appraise_url = (url_for("nominations.appraise_page", nomination_id=nomination.id)
                    if current_user.is_manager and "nominations.appraise_page" in current_app.view_functions
                    else None)
    context = {
        "n": nomination, "checklist": queries.eligibility_of([nomination])[nomination.id],
        "required": sorted(required), "missing": sorted(required - present), "may_edit": may_edit,
        "may_withdraw": may_withdraw, "processing_days": _processing_days(nomination), "appraise_url": appraise_url,
        "attachment_form": attachment_form or (AttachmentForm() if may_edit else None),
        "withdraw_form": withdraw_form or (WithdrawForm() if may_withdraw else None),
        # RULES §2: the unit sees its CSTĐCS quota as soon as it nominates (None when the setting is off)
        "quota": appraisal.quota_for(nomination.unit, nomination.year) if nomination.award_code == "CSTDCS" else None,
    }
    return render_template("nominations/detail.html", **context), status


def _subject_choices() -> list[tuple[str, str]]:
    """For a unit officer: their units and the people of those units (capped), as one select."""
    if current_user.is_manager or not current_user.unit_id:
        return []
    units = _writable_units()
    people = db.session.scalars(units_queries.people_stmt(unit_ids=[u.id for u, _depth in units])
                                .limit(PICK_LIMIT)).all()
    choices = [("", _("— Chọn hoặc nhập mã bên dưới —"))]
    choices += [(f"unit:{unit.code}", _("Tập thể: %(n)s (%(c)s)", n=unit.name, c=unit.code)) for unit, _d in units]
    choices += [(f"person:{p.code}", f"{p.full_name} ({p.code})")
                for p in sorted(people, key=lambda p: name_sort_key(p.full_name))]
    return choices


# --- list and create ---------------------------------------------------------------------------------

@bp.get("")
@roles_required(*Role)
def index():
    args = {name: request.args.get(name, "").strip() for name in ("status", "unit_code", "award_code")}
    if args["status"] not in STATUS_LABELS:
        args["status"] = ""
    year = request.args.get("year", type=int)
    campaign_id = request.args.get("campaign_id", type=int)
    stmt = queries.nominations_stmt(current_user, args["status"] or None, args["unit_code"] or None, year,
                                    args["award_code"] or None, campaign_id)
    page = db.paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    args.update(year=year or "", campaign_id=campaign_id or "")
    args = {k: v for k, v in args.items() if v}
    may_create = current_user.is_manager or (current_user.has_role(Role.unit_officer) and current_user.unit_id)
    return render_template("nominations/index.html", page=page, args=args, may_create=may_create)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def create():
    form = NominationForm()
    form.pick.choices = _subject_choices()
    form.campaign_id.choices = [("", _("— Không theo phong trào —"))] + [
        (str(c.id), f"{c.title} ({c.year})") for c in _launched_campaigns()]
    status = 200
    if form.validate_on_submit():
        try:
            nomination = services.create_nomination(by=current_user, **form.values())
        except DomainError as exc:
            if exc.status == 403:
                db.session.rollback()
                abort(403)
            status = refuse(form, exc)
            if exc.field in ("subject_type", "subject_code") and form.pick.data:
                form.pick.errors = [*form.pick.errors, exc.message]
        else:
            db.session.commit()
            flash(_("Đã lập hồ sơ #%(i)s (bản nháp). Tải lên các tài liệu bắt buộc rồi bấm “Nộp hồ sơ”.",
                    i=nomination.id), "success")
            return redirect(url_for("nominations.detail", nomination_id=nomination.id))
    elif form.is_submitted():
        status = 400
    return render_template("nominations/new.html", form=form), status


# --- one dossier -----------------------------------------------------------------------------------------

@bp.get("/<int:nomination_id>")
@roles_required(*Role)
def detail(nomination_id):
    return _detail_page(_nomination(nomination_id))


@bp.get("/<int:nomination_id>/attachments/<int:attachment_id>")
@roles_required(*Role)
def download_attachment(nomination_id, attachment_id):
    nomination = _nomination(nomination_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.nomination_id != nomination.id:
        abort(404)
    return uploads.download(attachment.upload, name=attachment.upload.original_name)


@bp.post("/<int:nomination_id>/attachments")
@roles_required(*WRITERS)
def add_attachment(nomination_id):
    nomination = _nomination(nomination_id)
    _acts(nomination)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _detail_page(nomination, status=400, attachment_form=form)
    try:
        services.add_attachment(nomination, data=form.file.data.read(), filename=form.file.data.filename or "",
                                kind=form.kind.data, by=current_user)
    except DomainError as exc:
        status = refuse(form, exc, file_field="file")
        return _detail_page(_nomination(nomination_id), status=status, attachment_form=form)
    db.session.commit()
    flash(_("Đã tải lên “%(k)s”.", k=ATTACHMENT_LABELS[form.kind.data]), "success")
    return redirect(url_for("nominations.detail", nomination_id=nomination_id, _anchor="attachments"))


@bp.post("/<int:nomination_id>/submit")
@roles_required(*WRITERS)
def submit(nomination_id):
    nomination = _nomination(nomination_id)
    _acts(nomination)
    try:
        services.submit(nomination, by=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _detail_page(_nomination(nomination_id), status=exc.status)
    db.session.commit()
    flash(_("Đã nộp hồ sơ. Cán bộ thường trực sẽ thẩm định và báo lại kết quả."), "success")
    return redirect(url_for("nominations.detail", nomination_id=nomination_id))


@bp.post("/<int:nomination_id>/withdraw")
@roles_required(*WRITERS)
def withdraw(nomination_id):
    nomination = _nomination(nomination_id)
    _acts(nomination)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _detail_page(nomination, status=400, withdraw_form=form)
    try:
        services.withdraw(nomination, reason=form.reason.data, by=current_user)
    except DomainError as exc:
        status = refuse(form, exc)
        return _detail_page(_nomination(nomination_id), status=status, withdraw_form=form)
    db.session.commit()
    flash(_("Đã rút hồ sơ."), "success")
    return redirect(url_for("nominations.detail", nomination_id=nomination_id))


# --- bulk creation from a campaign's registrations ------------------------------------------------------

def _bulk_rows(campaign: Campaign, unit, award_code: str) -> list[dict]:
    """The unit's registered people for the award, each with the live dossier they already have, if any."""
    registration = campaign_queries.registration_for(campaign, unit)
    entries = [e for e in (registration.individuals if registration else []) if e.award_code == award_code]
    codes = [e.person.code for e in entries]
    existing = {}
    if codes:
        existing = {n.subject_code: n for n in db.session.scalars(select(Nomination).where(
            Nomination.subject_type == "person", Nomination.subject_code.in_(codes),
            Nomination.award_code == award_code, Nomination.year == campaign.year,
            Nomination.status.not_in(LIVE)))}
    rows = [{"person": e.person, "existing": existing.get(e.person.code)} for e in entries]
    rows.sort(key=lambda row: (name_sort_key(row["person"].full_name), row["person"].code))
    return rows


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(*WRITERS)
def bulk():
    campaigns = _launched_campaigns()
    units = _writable_units()
    choose = BulkChooseForm(request.args if request.method == "GET" else request.form)
    choose.campaign_id.choices = [("", _("— Chọn phong trào —"))] + [
        (str(c.id), f"{c.title} ({c.year})") for c in campaigns]
    choose.unit_code.choices = [(u.code, "\u00a0\u00a0\u00a0" * depth + u.name) for u, depth in units]
    if not choose.unit_code.data and current_user.unit_code:
        choose.unit_code.data = current_user.unit_code
    campaign = unit = None
    rows, status = [], 200
    form = BulkCreateForm()
    if choose.campaign_id.data:
        if not choose.validate():
            status = 400
        else:
            campaign = next(c for c in campaigns if str(c.id) == choose.campaign_id.data)
            unit = units_queries.unit_by_code(choose.unit_code.data)
            if unit is None or not units_queries.may_write_people_in(current_user, unit):
                abort(403)
            rows = _bulk_rows(campaign, unit, choose.award_code.data)
            form.people.choices = [(r["person"].code, r["person"].full_name) for r in rows]
            if request.method == "GET":  # all ticked, but those that already have a dossier
                form.people.data = [r["person"].code for r in rows if not r["existing"]]
                form.campaign_id.data, form.unit_code.data = str(campaign.id), unit.code
                form.award_code.data = choose.award_code.data
    if request.method == "POST":
        if campaign is None:
            abort(400)
        if not form.validate_on_submit():
            status = 400
        else:
            people = {r["person"].code: r["person"] for r in rows}
            kind = "thematic" if campaign.kind == "thematic" else "regular"
            count = 0
            for code in form.people.data:
                try:
                    services.create_nomination(subject_type="person", subject_code=code,
                                               award_code=form.award_code.data, year=campaign.year, kind=kind,
                                               campaign_id=campaign.id, by=current_user)
                except DomainError as exc:
                    db.session.rollback()
                    person = people[code]
                    flash(_("Không lập hồ sơ nào: dòng %(name)s (%(code)s) bị từ chối — %(m)s",
                            name=person.full_name, code=code, m=exc.message), "danger")
                    return _bulk_page(choose, form, campaign, unit, _bulk_rows(campaign, unit, form.award_code.data),
                                      exc.status)
                count += 1
            db.session.commit()
            flash(_("Đã lập %(n)s hồ sơ.", n=count), "success")
            return redirect(url_for("nominations.index", campaign_id=campaign.id, unit_code=unit.code,
                                    award_code=form.award_code.data))
    return _bulk_page(choose, form, campaign, unit, rows, status)


def _bulk_page(choose, form, campaign, unit, rows, status):
    return render_template("nominations/bulk.html", choose=choose, form=form, campaign=campaign, unit=unit,
                           rows=rows, has_campaigns=bool(choose.campaign_id.choices[1:])), status

