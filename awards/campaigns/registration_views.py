"""The registration page: a unit registers its collective targets, its members' individual targets and a
commitment for a campaign, and revises them until the deadline (end of the day in Vietnam) or a reopening.

A hospital has thousands of people (issue 21): the form lists one part of the unit at a time — its own people, or
the people of one unit below it (a department), each part with its count of who has registered, a page of
MEMBERS_PER_PAGE at a time, optionally only those who have not registered. A submit saves the collective targets,
the commitment and the targets of exactly the rows it posted, all or nothing; everyone else's are kept."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from awards.campaigns import queries, services
from awards.campaigns.blueprint import bp
from awards.campaigns.permissions import load_campaign, registrable_units
from awards.catalog import services as catalog
from awards.catalog.types import COLLECTIVE, INDIVIDUAL
from awards.core.db import DomainError
from awards.core.forms import ListPage
from awards.core.params import page_arg, parse_int
from awards.core.permissions import roles_required
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Person

MEMBERS_PER_PAGE = 120  # people of one part (a department) listed at once; the others' targets are kept as they are
MAX_POSTED = 500  # target rows one submit may carry (a page has MEMBERS_PER_PAGE)
COMMITMENT_MAX = 20_000


class RegistrationForm(FlaskForm):
    collective = SelectMultipleField(_l("Danh hiệu tập thể đăng ký"), choices=[], validate_choice=True,
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    commitment = TextAreaField(_l("Nội dung giao ước, cam kết thi đua"),
                               validators=[Length(max=COMMITMENT_MAX, message=_l("Tối đa %(max)d ký tự."))],
                               description=_l("Ví dụ: toàn bộ cán bộ hoàn thành tốt nhiệm vụ; không có cá nhân vi "
                                              "phạm kỷ luật."))
    submit = SubmitField(_l("Lưu đăng ký"))


def collective_codes(campaign) -> list[str]:
    """The campaign's awards a collective can register for (Giấy khen, Bằng khen go to either)."""
    types = catalog.types_for(campaign.award_codes)  # built-in and stored (issue 25)
    return [c for c in campaign.award_codes or [] if c in types and COLLECTIVE in types[c].subjects]


def individual_codes(campaign) -> list[str]:
    types = catalog.types_for(campaign.award_codes)
    return [c for c in campaign.award_codes or [] if c in types and INDIVIDUAL in types[c].subjects]


def _chosen_unit(campaign, units: list):
    """The unit asked for with ?unit=CODE (404 unknown, 403 outside the user's scope); otherwise the only
    unit or the user's own; None when a manager still has to choose."""
    code = request.args.get("unit", "").strip()
    if code:
        unit = units_queries.unit_by_code(code) or abort(404)
        if unit.id not in {u.id for u in units}:
            abort(403)
        return unit
    if len(units) == 1:
        return units[0]
    return next((u for u in units if u.id == current_user.unit_id), None)


def _part(unit, parts: list[dict]) -> dict | None:
    """The part of the form asked for with ?part=CODE (404 when it is not one of the unit's), else the unit's own
    people, else its first part; None when the unit has nobody."""
    code = request.args.get("part", "").strip()
    if code:
        return next((p for p in parts if p["unit"].code == code), None) or abort(404)
    return parts[0] if parts else None


def _members(registration, part: dict | None, unregistered: bool) -> tuple[list[Person], ListPage]:
    """One page (MEMBERS_PER_PAGE) of the part's people by name, and the page (its number, count, links)."""
    ids = queries.part_member_ids(part["unit"], registration, unregistered=unregistered) if part else []
    last = max((len(ids) + MEMBERS_PER_PAGE - 1) // MEMBERS_PER_PAGE, 1)
    page = ListPage(ids, min(page_arg(), last), MEMBERS_PER_PAGE)
    return queries.people_by_ids(page.items), page


def _part_args(campaign, unit, part: dict | None, unregistered: bool) -> dict:
    """What names the part shown (its pages' links, the form's action, the redirect after saving)."""
    args = {"campaign_id": campaign.id, "unit": unit.code}
    if part is not None:
        args["part"] = part["unit"].code
    if unregistered:
        args["todo"] = 1
    return args


def _render(campaign, units, unit, form=None, chosen=None, row_errors=None, status=200):
    detail = "campaigns.detail" in current_app.view_functions
    context = {"campaign": campaign, "units": units, "unit": unit, "form": form,
               "registered_ids": {r.unit_id for r in queries.registrations(campaign)},
               "awards": catalog.types_for(campaign.award_codes),
               "detail_url": url_for("campaigns.detail", campaign_id=campaign.id) if detail else None}
    if unit is not None:
        registration = queries.registration_for(campaign, unit)
        parts = queries.member_parts(unit, registration)
        part = _part(unit, parts)
        unregistered = request.args.get("todo") == "1"
        members, page = _members(registration, part, unregistered)
        current = queries.entries_of(registration, [p.id for p in members])
        part_args = _part_args(campaign, unit, part, unregistered)
        context.update(
            registration=registration, parts=parts, part=part, unregistered=unregistered, members=members,
            page=page, part_args=part_args,
            post_url=url_for("campaigns.register", **part_args, **({"page": page.page} if page.page > 1 else {})),
            member_total=sum(p["total"] for p in parts), current=current,
            chosen=chosen if chosen is not None else {k: v[-1] for k, v in current.items()},
            kept=sum(p["registered"] for p in parts) - len(current),
            individual_codes=individual_codes(campaign), row_errors=row_errors or {},
            is_open=services.registration_open_for(campaign, unit),
            reopening=queries.open_reopening(campaign, unit))
    return render_template("campaigns/register.html", **context), status


def _posted_people(unit) -> tuple[list[Person], dict[int, str]] | None:
    """The people whose rows the form posted (a `target-<id>` select each, "" for no target) with the target
    chosen for each; None when one is not an active member of the unit (the page is out of date)."""
    chosen: dict[int, str] = {}
    for key, value in request.form.items():
        if key.startswith("target-"):
            person_id = parse_int(key.removeprefix("target-"), 1, 2**31 - 1)
            if person_id is None:
                return None
            chosen[person_id] = value.strip()
    if len(chosen) > MAX_POSTED:
        return None
    people = queries.people_by_ids(list(chosen))
    members = set(units_queries.subtree_ids(unit.id))
    if len(people) != len(chosen) or any(not p.active or p.unit_id not in members for p in people):
        return None
    return people, chosen


def _form(campaign, registration=None) -> RegistrationForm:
    form = RegistrationForm(data={"collective": list(registration.collective_award_codes or []),
                                  "commitment": registration.commitment} if registration else None)
    form.collective.choices = [(c, catalog.award_name(c)) for c in collective_codes(campaign)]
    return form


@bp.route("/<int:campaign_id>/register", methods=["GET", "POST"])
@roles_required()
def register(campaign_id):
    campaign = load_campaign(campaign_id, current_user)
    units = registrable_units(current_user, campaign)
    if not units:
        abort(403)
    unit = _chosen_unit(campaign, units)
    if unit is None:
        if request.method == "POST":
            flash(_("Hãy chọn đơn vị đăng ký."), "danger")
            return _render(campaign, units, None, status=400)
        return _render(campaign, units, None)
    registration = queries.registration_for(campaign, unit)
    form = _form(campaign, registration if request.method == "GET" else None)
    if request.method == "GET":
        return _render(campaign, units, unit, form)

    posted = _posted_people(unit)
    if posted is None:
        flash(_("Danh sách cá nhân trên trang đã thay đổi (có người chuyển đơn vị hoặc nghỉ công tác). Hãy mở lại "
                "trang rồi chọn lại."), "danger")
        return _render(campaign, units, unit, form, status=400)
    members, chosen = posted
    allowed = set(individual_codes(campaign))
    row_errors = {pid: _("Chọn một danh hiệu trong danh sách.") for pid, code in chosen.items()
                  if code and code not in allowed}
    if not form.validate_on_submit() or row_errors:
        return _render(campaign, units, unit, form, chosen, row_errors, status=400)
    individuals = [(p.code, chosen[p.id]) for p in members if chosen[p.id]]
    try:
        services.register(campaign, unit, collective_award_codes=form.collective.data or [],
                          individuals=individuals, commitment=form.commitment.data or "", by=current_user,
                          people={p.id for p in members})
    except DomainError as exc:
        db.session.rollback()
        if not _place_error(exc, form, members, individuals, row_errors):
            flash(exc.message, "danger")
        return _render(campaign, units, unit, form, chosen, row_errors, status=exc.status)
    db.session.commit()
    flash(_("Đã lưu đăng ký thi đua của %(u)s.", u=unit.name), "success")
    # back to the same part of the form: the next department is one choice away (the campaign page links here)
    return redirect(url_for("campaigns.register", campaign_id=campaign.id, unit=unit.code,
                            **{k: v for k in ("part", "page", "todo") if (v := request.args.get(k))}))


def _place_error(exc: DomainError, form, members, individuals, row_errors) -> bool:
    """Show a service's refusal on its field (a member's row: `individuals.3.award_code`); False if none fits."""
    if exc.field == "collective_award_codes":
        form.collective.errors = [*form.collective.errors, exc.message]
        return True
    parts = (exc.field or "").split(".")
    if len(parts) == 3 and parts[0] == "individuals" and parts[1].isdigit() and int(parts[1]) < len(individuals):
        code = individuals[int(parts[1])][0]
        person = next((p for p in members if p.code == code), None)
        if person is not None:
            row_errors[person.id] = exc.message
            return True
    return False
