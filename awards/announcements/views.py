"""The secretariat's pages for public review (công khai lấy ý kiến): the lists made public and a new one; the
feedback cases and the award decisions are on the same blueprint, in their own modules.

Every view: load (404) → guard (403) → validate → one service call → commit → redirect (flash) or render.
Managers (admin, staff) only: unit officers and council members are refused (403)."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.announcements import queries, services
from awards.announcements.blueprint import bp
from awards.announcements.forms import AnnouncementForm, picked_ids
from awards.announcements.models import AnnouncementItem, Feedback
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.forms import perform
from awards.core.params import page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.nominations.picking import PickFilter

PER_PAGE = 30
SHOWN = 100  # candidates on the new list's form; beyond them, the counts by award and year lead to the rest


# --- public lists ---------------------------------------------------------------------------------------------

@bp.get("/announcements")
@roles_required(*MANAGERS)
def index():
    ending = request.args.get("ending") == "week"  # the home page's "ends within 7 days"
    page = db.paginate(queries.announcements_stmt(ending_days=7 if ending else None, today=clock.today()),
                       page=page_arg(), per_page=PER_PAGE, error_out=False)
    ids = [a.id for a in page.items]
    return render_template("announcements/index.html", page=page, ending=ending,
                           nominees=queries.counts(AnnouncementItem.announcement_id, ids),
                           cases=queries.counts(Feedback.announcement_id, ids),
                           open_cases=queries.counts(Feedback.announcement_id, ids, Feedback.status == "open"))


def _create_page(form: AnnouncementForm, filters: PickFilter, chosen: list[int], status: int = 200,
                 checked: dict | None = None):
    rows, more = queries.candidates(services.PUBLISHABLE, filters, limit=SHOWN)
    # beyond a page's worth, how many wait in each award and year: each group one click from its own list
    groups = queries.candidate_groups(services.PUBLISHABLE, filters) if more else []
    awards = catalog.award_types()
    shown = {n.award_code for n in rows} or set(awards)
    periods = [(award.name, award.review_days) for code, award in awards.items() if code in shown]
    return render_template("announcements/new.html", form=form, filters=filters, rows=rows, more=more,
                           groups=groups, chosen=set(chosen), periods=periods, limit=SHOWN,
                           checked=checked), status


def _checked(form: AnnouncementForm, ids: list[int]) -> tuple[dict | None, int]:
    """The dates and dossiers checked before the confirmation: the working days counted and each award's minimum;
    (None, status) when a guard refuses (shown on its field)."""
    outcome = perform(lambda: services.check_publication(title=form.title.data, nomination_ids=ids,
                                                         opens_on=form.opens_on.data, closes_on=form.closes_on.data),
                      form, fields={"nomination_ids": None})
    if not outcome:
        return None, outcome.status
    nominations, days = outcome.value
    needs = {}
    for n in nominations:
        award = catalog.award_type(n.award_code)
        needs[award.name] = award.review_days
    return {"days": days, "count": len(nominations), "needs": sorted(needs.items(), key=lambda item: -item[1]),
            "opens_on": form.opens_on.data, "closes_on": form.closes_on.data}, 200


@bp.route("/announcements/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create():
    form = AnnouncementForm()
    filters = PickFilter(request.args, catalog.known_types())
    if request.method == "GET":
        return _create_page(form, filters, [])
    ids = picked_ids(request.form)
    if ids is None:
        abort(400)
    if not form.validate_on_submit():
        return _create_page(form, filters, ids, 400)
    if request.form.getlist("checked") != ["1"]:  # first the check, with the working days, then the confirmation
        checked, status = _checked(form, ids)
        return _create_page(form, filters, ids, status, checked=checked)
    outcome = perform(lambda: services.publish(title=form.title.data, nomination_ids=ids, opens_on=form.opens_on.data,
                                               closes_on=form.closes_on.data, by=current_user), form,
                      success=lambda announcement: _(
                          "Đã công khai danh sách “%(t)s” gồm %(n)s hồ sơ, lấy ý kiến từ %(a)s đến hết %(b)s.",
                          t=announcement.title, n=len(ids), a=announcement.opens_on.strftime("%d/%m/%Y"),
                          b=announcement.closes_on.strftime("%d/%m/%Y")))
    if not outcome:
        return _create_page(form, filters, ids, outcome.status)
    return redirect(url_for("announcements.detail", announcement_id=outcome.value.id))


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
