"""Dossier pages: the list, a new dossier, a dossier (checklist, files, submit, withdraw, history), and the
year-end bulk creation from a campaign's registrations.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render.
Staff (admin, staff) act for every unit; a unit officer for their units; council members read."""

import re
from datetime import UTC

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from awards.campaigns import queries as campaign_queries
from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.catalog.types import ATTACHMENT_LABELS
from awards.core import clock, uploads
from awards.core.forms import perform
from awards.core.params import int_arg, page_arg, text_arg
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.core.text import name_sort_key
from awards.core.workdays import working_days_between
from awards.extensions import db
from awards.nominations import eligibility, queries, services
from awards.nominations.blueprint import bp
from awards.nominations.forms import (
    AttachmentForm,
    BulkChooseForm,
    BulkCreateForm,
    NominationForm,
    WithdrawForm,
)
from awards.nominations.models import Attachment, Nomination
from awards.nominations.permissions import can_act, can_create, can_edit, can_handle, can_view, can_withdraw
from awards.nominations.states import DROPPED, STATUS_LABELS
from awards.units import queries as units_queries
from awards.units.models import Person, Unit

PER_PAGE = 50
PICK_LIMIT = 500
SEARCH_LIMIT = 20
CODE_IN_TEXT = re.compile(r"\(([^()]{1,40})\)\s*$")
CLOCK_STATUSES = ("submitted", "returned", "appraised")
WRITERS = (*MANAGERS, Role.unit_officer)


# --- helpers ---------------------------------------------------------------------------------------

def _nomination(nomination_id: int) -> Nomination:
    """The dossier, or 404 when it does not exist or the user may not see it (403 for a secretariat bound to a
    unit, on another level's dossier: CONTRACT §5)."""
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is not None and current_user.is_manager and not can_view(current_user, nomination):
        abort(403)
    if nomination is None or not can_view(current_user, nomination):
        abort(404)
    return nomination


def _guard(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _launched_campaigns() -> list[Campaign]:
    return list(db.session.scalars(select(Campaign).where(Campaign.status == "launched")
                                   .order_by(Campaign.year.desc(), Campaign.id.desc())))


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
    may_edit = can_edit(current_user, nomination)
    may_withdraw = can_withdraw(current_user, nomination)
    appraise_url = (url_for("nominations.appraise_page", nomination_id=nomination.id)
                    if can_handle(current_user, nomination)
                    and "nominations.appraise_page" in current_app.view_functions else None)
    context = {
        **_levels_context(nomination),
        "n": nomination, "checklist": eligibility.checklist_of(nomination),
        "required": sorted(required), "missing": sorted(required - present), "may_edit": may_edit,
        "may_withdraw": may_withdraw, "processing_days": _processing_days(nomination), "appraise_url": appraise_url,
        "attachment_form": attachment_form or (AttachmentForm() if may_edit else None),
        "withdraw_form": withdraw_form or (WithdrawForm() if may_withdraw else None),
    }
    return render_template("nominations/detail.html", **context), status


def _levels_context(nomination: Nomination) -> dict:
    """Issue 18 on the dossier page: the levels it crossed (unit, status, date), its wait for the answer from
    outside, the answer with its file, and for the secretariat handling it whether it may go upward now."""
    units = {e.handling_unit.code: e.handling_unit for e in nomination.events if e.handling_unit is not None}
    levels = [{**level, "unit": units.get(level["unit_code"])} for level in queries.levels(nomination)]
    handles = can_handle(current_user, nomination)
    refusal = queries.forward_refusal(nomination) if handles else None
    return {"levels": levels, "forwarded_days": queries.forwarded_workdays(nomination),
            "answer": queries.answer_item(nomination),
            "may_forward": handles and refusal is None, "forward_to": queries.next_level(nomination),
            "not_ready": refusal[1] if refusal and refusal[0] == "not_ready" else None,
            "may_answer": handles and nomination.status == "forwarded"}


def _unit_scope() -> list[int] | None:
    """The ids of the units the user may nominate for: None (every unit) for staff."""
    if current_user.is_manager:
        return None
    return list(units_queries.subtree_ids(current_user.unit_id)) if current_user.unit_id else []


def _subjects(q: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """People, then units, whose folded name starts a word with `q` (or whose code is `q`), in the user's units:
    what the search box of a new dossier offers."""
    scope = _unit_scope()
    if not q or scope == []:
        return []
    people = db.session.scalars(units_queries.people_stmt(q, scope).limit(limit)).all()
    units_stmt = units_queries.units_stmt(q).where(Unit.active.is_(True))
    if scope is not None:
        units_stmt = units_stmt.where(Unit.id.in_(scope))
    units = db.session.scalars(units_stmt.limit(max(limit - len(people), 5))).all()
    found = [{"value": f"person:{p.code}", "label": p.full_name, "code": p.code,
              "detail": _("Cá nhân · %(c)s · %(u)s", c=p.code, u=p.unit.display_name)} for p in people]
    found += [{"value": f"unit:{u.code}", "label": u.display_name, "code": u.code,
               "detail": _("Tập thể · %(c)s", c=u.code)} for u in units]
    return found


def _resolve_typed(form: NominationForm) -> None:
    """Without the script, the text typed in the search box: a code, or "Name (CODE)", of a person or a unit."""
    if form.pick.data or form.subject_code.data or not form.subject_q.data:
        return
    match = CODE_IN_TEXT.search(form.subject_q.data)
    code = (match.group(1) if match else form.subject_q.data).strip()
    if db.session.scalar(db.select(Person.id).where(Person.code == code)) is not None:
        form.pick.data = f"person:{code}"
    elif db.session.scalar(db.select(Unit.id).where(Unit.code == code)) is not None:
        form.pick.data = f"unit:{code}"
    else:
        hits = _subjects(form.subject_q.data, 2)
        if len(hits) == 1:  # one person or unit of the user's starts with the words typed
            form.pick.data = hits[0]["value"]


def _award_choices(form: NominationForm, campaigns: list[Campaign]) -> None:
    """The award list: the chosen campaign's awards first (a group of their own), then the others."""
    group, others = _("Danh hiệu của phong trào"), _("Danh hiệu khác")
    form.award_code.render_kw = {"data-campaign-group": group, "data-other-group": others}
    chosen = next((c for c in campaigns if str(c.id) == (form.campaign_id.data or "")), None)
    offered = catalog.award_types()  # the built-in types, then the active stored ones (issue 25)
    first = [code for code in (chosen.award_codes or []) if code in offered] if chosen else []
    if not first:
        form.award_code.choices = [(code, award.name) for code, award in offered.items()]
        return
    form.award_code.choices = {group: [(code, offered[code].name) for code in first],
                               others: [(code, award.name) for code, award in offered.items() if code not in first]}
    if request.method == "GET" and form.award_code.data not in first:
        form.award_code.data = first[0]


# --- list and create ---------------------------------------------------------------------------------

@bp.get("")
@roles_required(*Role)
def index():
    args = {name: request.args.get(name, "").strip() for name in ("status", "unit_code", "award_code")}
    if args["status"] not in STATUS_LABELS:
        args["status"] = ""
    year = int_arg("year")
    campaign_id = int_arg("campaign_id")
    stmt = queries.nominations_stmt(current_user, args["status"] or None, args["unit_code"] or None, year,
                                    args["award_code"] or None, campaign_id)
    page = db.paginate(stmt, page=page_arg(), per_page=PER_PAGE, error_out=False)
    args.update(year=year or "", campaign_id=campaign_id or "")
    args = {k: v for k, v in args.items() if v}
    return render_template("nominations/index.html", page=page, args=args, may_create=can_create(current_user))


@bp.get("/subjects")
@roles_required(*WRITERS)
def subjects():
    """The new dossier's search box (JSON): people and units of the user's units matching `q`."""
    return jsonify(_subjects(text_arg("q").strip()[:100]))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def create():
    form = NominationForm()
    campaigns = _launched_campaigns()
    form.campaign_id.choices = [("", _("— Không theo phong trào —"))] + [
        SelectChoice(str(c.id), f"{c.title} ({c.year})",
                     render_kw={"data-awards": " ".join(c.award_codes or []), "data-year": str(c.year)})
        for c in campaigns]
    if request.method == "GET" and request.args.get("campaign_id"):
        form.campaign_id.data = request.args["campaign_id"]
        chosen = next((c for c in campaigns if str(c.id) == form.campaign_id.data), None)
        if chosen is not None:
            form.year.data = chosen.year
    _award_choices(form, campaigns)
    _resolve_typed(form)
    status = 200
    if form.validate_on_submit():
        outcome = perform(lambda: services.create_nomination(by=current_user, **form.values()), form,
                          fields={"subject_code": "subject_q", "subject_type": "subject_q"},
                          success=lambda n: _("Đã lập hồ sơ #%(i)s (bản nháp). Tải lên các tài liệu bắt buộc rồi "
                                              "bấm “Nộp hồ sơ”.", i=n.id))
        if outcome:
            return redirect(url_for("nominations.detail", nomination_id=outcome.value.id))
        if outcome.status == 403:
            abort(403)
        status = outcome.status
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
    _guard(can_act(current_user, nomination))
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _detail_page(nomination, status=400, attachment_form=form)
    files, kind = form.files(), form.kind.data
    outcome = perform(lambda: [services.add_attachment(nomination, data=f.read(), filename=f.filename or "", kind=kind,
                                                       by=current_user) for f in files],
                      form, file_field="file",
                      success=_("Đã tải lên “%(k)s”.", k=ATTACHMENT_LABELS[kind]) if len(files) == 1 else
                      _("Đã tải lên %(n)s tệp “%(k)s”.", n=len(files), k=ATTACHMENT_LABELS[kind]))
    if outcome:
        return redirect(url_for("nominations.detail", nomination_id=nomination_id, _anchor="attachments"))
    return _refused(nomination_id, outcome, attachment_form=form)


@bp.post("/<int:nomination_id>/submit")
@roles_required(*WRITERS)
def submit(nomination_id):
    nomination = _nomination(nomination_id)
    _guard(can_act(current_user, nomination))
    outcome = perform(lambda: services.submit(nomination, by=current_user),
                      success=_("Đã nộp hồ sơ. Cán bộ thường trực sẽ thẩm định và báo lại kết quả."))
    if outcome:
        return redirect(url_for("nominations.detail", nomination_id=nomination_id))
    return _refused(nomination_id, outcome)


@bp.post("/<int:nomination_id>/withdraw")
@roles_required(*WRITERS)
def withdraw(nomination_id):
    nomination = _nomination(nomination_id)
    _guard(can_act(current_user, nomination))
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _detail_page(nomination, status=400, withdraw_form=form)
    outcome = perform(lambda: services.withdraw(nomination, reason=form.reason.data, by=current_user), form,
                      success=_("Đã rút hồ sơ."))
    if outcome:
        return redirect(url_for("nominations.detail", nomination_id=nomination_id))
    return _refused(nomination_id, outcome, withdraw_form=form)


def _refused(nomination_id: int, outcome, **forms):
    """The dossier page again, as it is now, after a refused action."""
    return _detail_page(_nomination(nomination_id), status=outcome.status, **forms)


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
            Nomination.status.not_in(DROPPED)))}
    rows = [{"person": e.person, "existing": existing.get(e.person.code)} for e in entries]
    rows.sort(key=lambda row: (name_sort_key(row["person"].full_name), row["person"].code))
    return rows


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(*WRITERS)
def bulk():
    campaigns = _launched_campaigns()
    choose = BulkChooseForm(request.args if request.method == "GET" else request.form)
    choose.campaign_id.choices = [("", _("— Chọn phong trào —"))] + [
        (str(c.id), f"{c.title} ({c.year})") for c in campaigns]
    if not choose.unit_code.data and current_user.unit_code:
        choose.unit_code.data = current_user.unit_code
    campaign = unit = None
    rows, status = [], 200
    form = BulkCreateForm()
    if choose.campaign_id.data:
        if not choose.validate():
            if choose.unit_code.refused:  # a unit the user does not act for
                abort(403)
            status = 400
        else:
            campaign = next(c for c in campaigns if str(c.id) == choose.campaign_id.data)
            unit = choose.unit_code.unit
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
            outcome = perform(lambda: services.create_for_campaign(
                campaign, [people[code] for code in form.people.data], form.award_code.data, by=current_user),
                success=lambda made: _("Đã lập %(n)s hồ sơ.", n=len(made)))
            if outcome:
                return redirect(url_for("nominations.index", campaign_id=campaign.id, unit_code=unit.code,
                                        award_code=form.award_code.data))
            rows, status = _bulk_rows(campaign, unit, form.award_code.data), outcome.status
    return _bulk_page(choose, form, campaign, unit, rows, status)


def _bulk_page(choose, form, campaign, unit, rows, status):
    return render_template("nominations/bulk.html", choose=choose, form=form, campaign=campaign, unit=unit,
                           rows=rows, has_campaigns=bool(choose.campaign_id.choices[1:])), status

