"""Award decisions (quyết định khen thưởng): the list, issuing one from the dossiers ready for it (and why the
others are not), a decision with its recipients' gold-book numbers, and its papers as .docx."""

import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.announcements import decisions, documents, queries
from awards.announcements.blueprint import bp
from awards.announcements.forms import DecisionForm, picked_ids
from awards.announcements.models import Decision, DecisionItem
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.forms import perform
from awards.core.params import int_arg, page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.nominations.picking import PickFilter
from awards.units import queries as units_queries

DECIDABLE_FROM = ("passed", "public_review", "appraised")  # where why_not_decidable may answer None
_SLUG = re.compile(r"[^a-z0-9]+")
PER_PAGE = 30
SHOWN = 100  # candidates on the decision's form; beyond them, the counts by award and year lead to the rest


def _decision(decision_id: int) -> Decision:
    return queries.decision_by_id(decision_id) or abort(404)


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "quyet-dinh"


@bp.get("/decisions")
@roles_required(*MANAGERS)
def decision_list():
    year = int_arg("year")
    year = year if year and 1945 <= year <= 2100 else None
    page = db.paginate(queries.decisions_stmt(year=year), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    counts = queries.counts(DecisionItem.decision_id, [d.id for d in page.items])
    return render_template("announcements/decisions.html", page=page, counts=counts, year=year,
                           args={"year": year} if year else {})


def _issue_page(form: DecisionForm, filters: PickFilter, chosen: list[int], scope, status: int = 200):
    handling = scope.id if scope else None
    rows, more = queries.candidates(DECIDABLE_FROM, filters, handling_unit_id=handling, limit=SHOWN)
    # beyond a page's worth, how many wait in each award and year: each group one click from its own list
    groups = queries.candidate_groups(DECIDABLE_FROM, filters, handling_unit_id=handling) if more else []
    reasons = decisions.pick_refusals(rows, scope)
    ready, blocked = [], []
    for nomination in rows:
        (blocked if reasons[nomination.id] else ready).append((nomination, reasons[nomination.id]))
    return render_template("announcements/decision_new.html", form=form, filters=filters, ready=ready,
                           blocked=blocked, more=more, groups=groups, chosen=set(chosen), limit=SHOWN,
                           scope=scope), status


def _decision_form(scope) -> DecisionForm:
    """The form, in the name of the staff user's unit when bound to one (its name, its head as signer, the next
    number of its series this year); a secretariat with no unit may choose the issuing unit."""
    form = DecisionForm()
    form.unit_code.choices = [("", _("— Đơn vị đang xử lý hồ sơ —")),
                              *((u.code, u.name) for u in units_queries.awarding_units())]
    if scope is not None:
        del form["unit_code"]  # its own name only: a refusal naming that field is shown as an alert
    if request.method == "GET" and scope is not None:
        head = units_queries.head_of(scope)
        form.issuer.data = form.issuer.data or scope.name
        form.number.data = form.number.data or decisions.next_number(scope, clock.today().year)
        if head is not None and not form.signer.data:
            form.signer.data = f"{head.full_name} — {head.position}"
    return form


@bp.route("/decisions/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def issue_decision():
    scope = units_queries.scope_unit(current_user)
    form = _decision_form(scope)
    filters = PickFilter(request.args, catalog.known_types())
    if request.method == "GET":
        return _issue_page(form, filters, [], scope)
    ids = picked_ids(request.form)
    if ids is None:
        abort(400)
    if not form.validate_on_submit():
        return _issue_page(form, filters, ids, scope, 400)
    outcome = perform(lambda: decisions.issue_decision(
        number=form.number.data, signed_on=form.signed_on.data, signer=form.signer.data, issuer=form.issuer.data,
        nomination_ids=ids, unit_code=None if scope else form.unit_code.data or None, by=current_user), form,
        success=lambda decision: _(
        "Đã ban hành quyết định số %(n)s: %(c)s người, tập thể được khen thưởng, ghi sổ vàng số %(a)s đến %(b)s.",
        n=decision.number, c=len(ids), a=decision.items[0].record.gold_book_number,
        b=decision.items[-1].record.gold_book_number))
    if not outcome:
        return _issue_page(form, filters, ids, scope, outcome.status)
    return redirect(url_for("announcements.decision", decision_id=outcome.value.id))


@bp.get("/decisions/<int:decision_id>")
@roles_required(*MANAGERS)
def decision(decision_id):
    decision = _decision(decision_id)
    return render_template("announcements/decision.html", decision=decision,
                           notice_units=documents.notice_units(decision),
                           prize_total=documents.prize_total(decision.items))


# --- the papers -----------------------------------------------------------------------------------------------

def _docx(data: bytes, filename: str) -> Response:
    db.session.commit()  # the record of the generation (awards.documents)
    return Response(data, mimetype=documents.DOCX_MIME,
                    headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})


@bp.get("/decisions/<int:decision_id>/decision.docx")
@roles_required(*MANAGERS)
def decision_docx(decision_id):
    decision = _decision(decision_id)
    return _docx(documents.decision_docx(decision), f"quyet-dinh-{_slug(decision.number)}.docx")


@bp.get("/decisions/<int:decision_id>/certificates.docx")
@roles_required(*MANAGERS)
def certificates_docx(decision_id):
    decision = _decision(decision_id)
    return _docx(documents.certificates_docx(decision), f"giay-chung-nhan-{_slug(decision.number)}.docx")


@bp.get("/decisions/<int:decision_id>/certificates/<int:item_id>.docx")
@roles_required(*MANAGERS)
def certificate_docx(decision_id, item_id):
    decision = _decision(decision_id)
    item = next((i for i in decision.items if i.id == item_id), None) or abort(404)
    return _docx(documents.certificates_docx(decision, item_ids=[item.id]),
                 f"giay-chung-nhan-{_slug(decision.number)}-so-{item.position}.docx")
