"""The secretariat's pages for proposing upward (đề nghị cấp trên, issue 18): "Trình cấp trên" (the dossiers its
level may forward now, as one batch with its generated tờ trình and list, or one from the dossier page) and "Chờ
kết quả cấp trên" (what it sent outside, the working days waiting, and the answer recorded once for one dossier
or many, with the decision's file). Managers only; the guards are the services'.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect or render."""

import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.catalog import services as catalog
from awards.core import clock, uploads
from awards.core.db import NotFound
from awards.core.forms import perform
from awards.core.params import ids_arg, int_arg, page_arg, parse_int
from awards.core.permissions import MANAGERS, Role, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.nominations import documents, queries, services
from awards.nominations.blueprint import bp
from awards.nominations.forms import ForwardForm, OutcomeForm
from awards.nominations.permissions import can_handle, can_view, can_view_all
from awards.units import competence
from awards.units import queries as units_queries

AWAITING_PER_PAGE = 50
_SLUG = re.compile(r"[^a-z0-9]+")


def _loaded(nomination_id: int):
    """The dossier, as the dossier page loads it: 404 when unknown or not the user's to see, 403 for a secretariat
    bound to another level."""
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is not None and current_user.is_manager and not can_view(current_user, nomination):
        abort(403)  # a secretariat bound to another level (CONTRACT §5)
    if nomination is None or not can_view(current_user, nomination):
        abort(404)
    return nomination


# --- Trình cấp trên -------------------------------------------------------------------------------------------

def _ready_page(form: ForwardForm, status: int = 200, ticked=()):
    year, award = int_arg("year"), request.args.get("award", "")
    award = award if award and catalog.known_award(award) else ""
    ready = queries.ready_to_forward(current_user, year=year, award_code=award or None)
    shown = ready[:services.MAX_BULK]
    above = queries.next_levels(shown)  # each row's unit names the one above it, and where it goes: one read
    types = catalog.award_types(inactive=True)
    rows = [{"n": n, "to": _destination(n, above[n.id], types)} for n in shown]
    return render_template("nominations/forwarding.html", rows=rows, more=max(len(ready) - services.MAX_BULK, 0),
                           form=form, ticked=set(ticked), filters={"year": year or "", "award": award}), status


def _destination(nomination, above, types) -> str:
    """Where forwarding sends the dossier: the next awarding unit above (`above`: queries.next_level's), or the
    level outside."""
    if above is not None:
        return above.name
    return competence.level_outside(nomination.award_code) or types[nomination.award_code].decided_by


@bp.get("/forwarding")
@roles_required(*MANAGERS)
def forwarding():
    return _ready_page(ForwardForm())


@bp.post("/forwarding")
@roles_required(*MANAGERS)
def forward_batch():
    form = ForwardForm()
    ids = ids_arg()
    if not form.validate_on_submit():
        return _ready_page(form, 400, ids)
    outcome = perform(lambda: services.forward_many(ids, note=form.note.data or "", by=current_user), form,
                      success=lambda done: _("Đã trình cấp trên %(n)s hồ sơ.", n=len(done)))
    if outcome:
        return redirect(url_for("nominations.forwarded_batch", ids=[n.id for n in outcome.value]))
    if outcome.status == 403:
        abort(403)
    return _ready_page(form, outcome.status, ids)


@bp.post("/<int:nomination_id>/forward")
@roles_required(*MANAGERS)
def forward_one(nomination_id):
    nomination = _loaded(nomination_id)
    form = ForwardForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = perform(lambda: services.forward(nomination, note=form.note.data or "", by=current_user),
                      success=_("Đã trình cấp trên hồ sơ #%(i)s.", i=nomination_id))
    if outcome:
        return redirect(url_for("nominations.forwarded_batch", ids=[nomination_id]))
    if outcome.status == 403:
        abort(403)
    return redirect(url_for("nominations.detail", nomination_id=nomination_id))  # the refusal is flashed there


def _batch():
    """The dossiers of one proposal (`ids` in the query string) and the level that proposed them: 404 for an
    unknown id, 403 when the user may not see one or did not act for that level, 400 for a mixed batch."""
    ids = list(dict.fromkeys(n for n in (parse_int(v, 1, 2**31 - 1) for v in request.args.getlist("ids"))
                             if n is not None))
    if not ids or len(ids) > services.MAX_BULK:
        abort(400)
    try:
        nominations = queries.proposal_batch(ids)
    except NotFound:
        abort(404)
    if not can_view_all(current_user, nominations):
        abort(403)
    senders = {queries.proposed_by(n) for n in nominations}
    if len(senders) != 1 or None in senders:
        abort(400)
    sender = units_queries.unit_by_code(senders.pop())
    scope = units_queries.scope_unit(current_user)
    if sender is None or (scope is not None and scope.id != sender.id):
        abort(403)
    return sender, nominations


@bp.get("/forwarding/sent")
@roles_required(*MANAGERS)
def forwarded_batch():
    sender, nominations = _batch()
    return render_template("nominations/forwarded_batch.html", sender=sender, nominations=nominations,
                           ids=[n.id for n in nominations])


def _receiver(sender, nominations) -> str | None:
    """Whom the batch's tờ trình addresses: the level above that now handles the dossiers; None for a batch sent
    outside the system (the tờ trình then names who decides the award)."""
    above = {n.handling_unit_id: n.handling_unit for n in nominations if n.handling_unit_id != sender.id}
    return next(iter(above.values())).name if len(above) == 1 else None


def _docx(data: bytes, stem: str, sender) -> Response:
    db.session.commit()  # the record of the generation (awards.documents)
    name = f"{stem}-{_SLUG.sub('-', fold(sender.code)).strip('-') or 'don-vi'}-{clock.today():%Y%m%d}.docx"
    return Response(data, mimetype=documents.DOCX_MIME,
                    headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"})


@bp.get("/forwarding/proposal.docx")
@roles_required(*MANAGERS)
def forwarded_proposal_docx():
    sender, nominations = _batch()
    data = documents.proposal_docx(sender, nominations, on=clock.today(), year=max(n.year for n in nominations),
                                   to=_receiver(sender, nominations))
    return _docx(data, "to-trinh", sender)


@bp.get("/forwarding/list.docx")
@roles_required(*MANAGERS)
def forwarded_list_docx():
    sender, nominations = _batch()
    data = documents.nominee_list_docx(sender, nominations, year=max(n.year for n in nominations), on=clock.today())
    return _docx(data, "danh-sach-de-nghi", sender)


# --- Chờ kết quả cấp trên -------------------------------------------------------------------------------------

def _awaiting_page(form: OutcomeForm, status: int = 200, ticked=()):
    page = db.paginate(queries.awaiting_answer_stmt(current_user), page=page_arg(), per_page=AWAITING_PER_PAGE,
                       error_out=False)
    queries.with_units(page.items)  # each row's unit named with the one above it, read at once
    rows = [{"n": n, "days": queries.forwarded_workdays(n), "since": queries.forwarded_since(n)} for n in page.items]
    return render_template("nominations/awaiting.html", page=page, rows=rows, form=form, ticked=set(ticked)), status


@bp.get("/forwarded")
@roles_required(*MANAGERS)
def awaiting():
    return _awaiting_page(OutcomeForm(formdata=None))


@bp.post("/forwarded")
@roles_required(*MANAGERS)
def record_answers():
    form = OutcomeForm()
    ids = ids_arg()
    if not form.validate_on_submit():
        return _awaiting_page(form, 400, ids)
    outcome = perform(lambda: services.record_outcomes(ids, by=current_user, **form.values()), form,
                      file_field="file",
                      success=lambda done: _("Đã ghi kết quả cấp trên cho %(n)s hồ sơ.", n=len(done)))
    if outcome:
        return redirect(url_for("nominations.awaiting"))
    if outcome.status == 403:
        abort(403)
    return _awaiting_page(form, outcome.status, ids)


@bp.route("/<int:nomination_id>/outcome", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def record_answer(nomination_id):
    nomination = _loaded(nomination_id)
    if not can_handle(current_user, nomination):
        abort(403)
    form = OutcomeForm(formdata=None) if request.method == "GET" else OutcomeForm()
    if request.method == "GET":
        form.issuer.data = competence.level_outside(nomination.award_code) or ""
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            outcome = perform(lambda: services.record_outcome(nomination, by=current_user, **form.values()), form,
                              file_field="file",
                              success=_("Đã ghi kết quả cấp trên cho hồ sơ #%(i)s.", i=nomination_id))
            if outcome:
                return redirect(url_for("nominations.detail", nomination_id=nomination_id))
            status, nomination = outcome.status, queries.nomination_by_id(nomination_id)
    return render_template("nominations/outcome.html", n=nomination, form=form,
                           days=queries.forwarded_workdays(nomination)), status


@bp.get("/<int:nomination_id>/answer-file")
@roles_required(*Role)
def answer_file(nomination_id):
    nomination = _loaded(nomination_id)
    item = queries.answer_item(nomination)
    if item is None or item.answer.upload is None:
        abort(404)
    return uploads.download(item.answer.upload, name=item.answer.upload.original_name)
