"""The registration page: a unit registers its collective targets, its members' individual targets and a
commitment for a campaign, and revises them until the deadline (end of the day in Vietnam) or a reopening."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from awards.campaigns import queries, services
from awards.campaigns.blueprint import bp
from awards.campaigns.permissions import load_campaign, registrable_units
from awards.catalog import services as catalog
from awards.catalog.types import COLLECTIVE, INDIVIDUAL
from awards.core.db import DomainError
from awards.core.permissions import roles_required
from awards.core.text import name_sort_key
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Person

MEMBER_CAP = 500  # members listed on the page; entries of the others are kept as they are
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


def _members(unit) -> tuple[list[Person], int]:
    """Active people of the unit and the units below it, by name: the first MEMBER_CAP and the total."""
    where = (Person.unit_id.in_(units_queries.subtree_ids(unit.id)), Person.active)
    total = db.session.scalar(select(func.count(Person.id)).where(*where))
    people = db.session.scalars(select(Person).where(*where).options(selectinload(Person.unit))
                                .order_by(Person.name_folded, Person.code).limit(MEMBER_CAP)).all()
    return sorted(people, key=lambda p: (name_sort_key(p.full_name), p.code)), total


def _render(campaign, units, unit, form=None, chosen=None, row_errors=None, status=200):
    detail = "campaigns.detail" in current_app.view_functions
    context = {"campaign": campaign, "units": units, "unit": unit, "form": form, "member_cap": MEMBER_CAP,
               "registered_ids": {r.unit_id for r in queries.registrations(campaign)},
               "awards": catalog.types_for(campaign.award_codes),
               "detail_url": url_for("campaigns.detail", campaign_id=campaign.id) if detail else None}
    if unit is not None:
        registration = queries.registration_for(campaign, unit)
        members, total = _members(unit)
        shown = {p.id for p in members}
        current: dict[int, list[str]] = {}
        for entry in registration.individuals if registration else []:
            current.setdefault(entry.person_id, []).append(entry.award_code)
        context.update(
            registration=registration, members=members, member_total=total,
            current=current, chosen=chosen if chosen is not None else {k: v[-1] for k, v in current.items()},
            kept=sum(len(v) for k, v in current.items() if k not in shown),
            individual_codes=individual_codes(campaign), row_errors=row_errors or {},
            is_open=services.registration_open_for(campaign, unit),
            reopening=queries.open_reopening(campaign, unit))
    return render_template("campaigns/register.html", **context), status


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

    members, _total = _members(unit)
    chosen = {p.id: request.form.get(f"target-{p.id}", "").strip() for p in members}
    allowed = set(individual_codes(campaign))
    row_errors = {pid: _("Chọn một danh hiệu trong danh sách.") for pid, code in chosen.items()
                  if code and code not in allowed}
    if not form.validate_on_submit() or row_errors:
        return _render(campaign, units, unit, form, chosen, row_errors, status=400)
    shown = {p.id for p in members}
    individuals = [(p.code, chosen[p.id]) for p in members if chosen[p.id]]
    if registration:  # people beyond the listed ones keep what they had
        individuals += [(e.person.code, e.award_code) for e in registration.individuals if e.person_id not in shown]
    try:
        services.register(campaign, unit, collective_award_codes=form.collective.data or [],
                          individuals=individuals, commitment=form.commitment.data or "", by=current_user)
    except DomainError as exc:
        db.session.rollback()
        if not _place_error(exc, form, members, individuals, row_errors):
            flash(exc.message, "danger")
        return _render(campaign, units, unit, form, chosen, row_errors, status=exc.status)
    db.session.commit()
    flash(_("Đã lưu đăng ký thi đua của %(u)s.", u=unit.name), "success")
    if "campaigns.detail" in current_app.view_functions:
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return redirect(url_for("campaigns.register", campaign_id=campaign.id, unit=unit.code))


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
