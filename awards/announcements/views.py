"""The secretariat's pages for public review (công khai lấy ý kiến): the lists made public and a new one; the
feedback cases and the award decisions live on this blueprint in their own modules.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect (flash) or render.
Managers (admin, staff) only: unit officers and council members are refused (403)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from awards.announcements import queries, services
from awards.announcements.forms import (
    ACTION_LABELS,
    CASE_STATUS,
    OUTCOME_LABELS,
    PHASE_LABELS,
    AnnouncementForm,
    picked_ids,
)
from awards.announcements.models import AnnouncementItem, Feedback
from awards.catalog import services as catalog
from awards.catalog.types import DEFAULTS
from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.core.permissions import MANAGERS, roles_required
from awards.core.text import fold, name_sort_key
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.nominations.picking import PickFilter, pick_stmt
from awards.nominations.states import STATUS_LABELS

bp = Blueprint("announcements", __name__)

PER_PAGE = 30
PICK_LIMIT = 300  # candidates shown at once: beyond that, the filters narrow the list
PHASE_BADGES = {"upcoming": "text-bg-secondary", "open": "text-bg-success", "closed": "text-bg-dark"}
STATUS_BADGES = {"appraised": "text-bg-info", "passed": "text-bg-success", "public_review": "text-bg-info",
                 "awarded": "text-bg-success", "returned": "text-bg-warning", "rejected": "text-bg-danger",
                 "in_council": "text-bg-info", "withdrawn": "text-bg-light border"}
_AWARD_ORDER = {code: i for i, code in enumerate(DEFAULTS)}


@bp.context_processor
def _labels():
    return {"PHASE_LABELS": PHASE_LABELS, "PHASE_BADGES": PHASE_BADGES, "CASE_STATUS": CASE_STATUS,
            "OUTCOME_LABELS": OUTCOME_LABELS, "ACTION_LABELS": ACTION_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "STATUS_BADGES": STATUS_BADGES, "AWARD_TYPES": DEFAULTS, "award_name": award_name,
            "open_case_count": services.open_cases_count, "public_url": public_url}


def award_name(code: str) -> str:
    return DEFAULTS[code].name if code in DEFAULTS else code


def public_url(endpoint: str, path: str, **values) -> str:
    """The public page of a list or a decision (the public blueprint's own URL when it is registered)."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **values)
    return path


# --- the dossiers one may pick, for a list or a decision --------------------------------------------------------

def candidates(statuses, filters: PickFilter) -> tuple[list[Nomination], bool]:
    """Dossiers in `statuses`, filtered by award, unit (with the units under it), year and folded name; at most
    PICK_LIMIT of them (and whether more were left out), by year, award in catalog order, unit and name."""
    stmt = pick_stmt(statuses, filters)
    stmt = stmt.order_by(Nomination.year.desc(), Nomination.id).limit(PICK_LIMIT + 1)
    rows = list(db.session.scalars(stmt).unique())
    rows.sort(key=lambda n: (-n.year, _AWARD_ORDER.get(n.award_code, 99), fold(n.unit.name),
                             name_sort_key(n.subject_name), n.id))
    return rows[:PICK_LIMIT], len(rows) > PICK_LIMIT


# --- public lists ---------------------------------------------------------------------------------------------

def _counts(column, ids: list[int], *where) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(column, func.count()).where(column.in_(ids), *where)
                                   .group_by(column)).all())


@bp.get("/announcements")
@roles_required(*MANAGERS)
def index():
    page = db.paginate(queries.announcements_stmt(), page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    ids = [a.id for a in page.items]
    return render_template("announcements/index.html", page=page,
                           nominees=_counts(AnnouncementItem.announcement_id, ids),
                           cases=_counts(Feedback.announcement_id, ids),
                           open_cases=_counts(Feedback.announcement_id, ids, Feedback.status == "open"))


def _create_page(form: AnnouncementForm, filters: PickFilter, chosen: list[int], status: int = 200):
    rows, more = candidates(services.PUBLISHABLE, filters)
    awards = catalog.award_types()
    shown = {n.award_code for n in rows} or set(awards)
    periods = [(award.name, award.review_days) for code, award in awards.items() if code in shown]
    return render_template("announcements/new.html", form=form, filters=filters, rows=rows, more=more,
                           chosen=set(chosen), periods=periods, limit=PICK_LIMIT), status


@bp.route("/announcements/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create():
    form = AnnouncementForm()
    filters = PickFilter(request.args, DEFAULTS)
    if request.method == "GET":
        return _create_page(form, filters, [])
    ids = picked_ids(request.form)
    if ids is None:
        abort(400)
    if not form.validate_on_submit():
        return _create_page(form, filters, ids, 400)
    try:
        announcement = services.publish(title=form.title.data, nomination_ids=ids, opens_on=form.opens_on.data,
                                        closes_on=form.closes_on.data, by=current_user)
    except DomainError as exc:
        return _create_page(form, filters, ids, refuse(form, exc))
    db.session.commit()
    flash(_("Đã công khai danh sách “%(t)s” gồm %(n)s hồ sơ, lấy ý kiến từ %(a)s đến hết %(b)s.",
            t=announcement.title, n=len(ids), a=announcement.opens_on.strftime("%d/%m/%Y"),
            b=announcement.closes_on.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("announcements.detail", announcement_id=announcement.id))


@bp.get("/announcements/<int:announcement_id>")
@roles_required(*MANAGERS)
def detail(announcement_id):
    announcement = queries.announcement_by_id(announcement_id) or abort(404)
    cases = list(db.session.scalars(queries.feedback_stmt(announcement_id=announcement.id)))
    open_by_dossier = {}
    for case in reversed(cases):
        if case.status == "open":
            open_by_dossier.setdefault(case.nomination_id, case)
    return render_template("announcements/detail.html", announcement=announcement, cases=cases,
                           open_by_dossier=open_by_dossier)


# the feedback cases and the decisions live on this blueprint, in their own modules
from awards.announcements import decision_views, feedback_views  # noqa: E402,F401
