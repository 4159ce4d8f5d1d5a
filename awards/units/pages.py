"""The unit and person detail pages, rendered with their forms: shared by the view modules that post to them
(a refused form is shown again on its page, with its errors and the status of the refusal)."""

from flask import render_template
from flask_login import current_user

from awards.catalog.types import DEFAULTS
from awards.core.params import page_arg
from awards.extensions import db
from awards.units import privacy, queries
from awards.units.forms import (
    CloseProceedingForm,
    DisciplineForm,
    EvaluationForm,
    InitiativeForm,
    ProceedingForm,
    RaiseScopeForm,
    SuccessionForm,
)
from awards.units.models import Person, Unit
from awards.units.permissions import sees_sensitive
from awards.units.queries import people_counts

PER_PAGE = 50


def subject_forms(forms: dict) -> dict:
    """The forms every subject page with writing rights shows (a refused one replaces its blank)."""
    forms.setdefault("discipline_form", DisciplineForm(prefix="di"))
    forms.setdefault("proceeding_form", ProceedingForm(prefix="pr"))
    forms.setdefault("close_form", CloseProceedingForm(prefix="cl"))
    return forms


def person_page(person: Person, status: int = 200, **forms):
    writable = queries.may_write_people_in(current_user, person.unit)
    if writable:
        forms.setdefault("evaluation_form", EvaluationForm(prefix="ev"))
        forms.setdefault("initiative_form", InitiativeForm(prefix="in"))
        forms.setdefault("raise_form", RaiseScopeForm(prefix="ra"))
        subject_forms(forms)
    sensitive = sees_sensitive(current_user, person)
    if privacy.log_read([person], by=current_user, via="page"):
        db.session.commit()
    return render_template("units/person.html", person=person, writable=writable, sensitive=sensitive,
                           **forms), status


def unit_page(unit: Unit, form=None, status: int = 200, **forms):
    people = None
    if queries.may_read_people_in(current_user, unit):
        people = db.paginate(queries.people_stmt(unit_ids=[unit.id]), page=page_arg(), per_page=PER_PAGE,
                             error_out=False)
    if form is None and current_user.is_manager:
        form = EvaluationForm()
    if current_user.is_manager:
        forms.setdefault("succession_form", SuccessionForm(prefix="su"))
    writable = queries.may_write_people_in(current_user, unit)
    if writable:
        subject_forms(forms)
    children = list(unit.children)
    return render_template("units/unit.html", unit=unit, children=children, people=people, writable=writable,
                           child_counts=people_counts([c.id for c in children]), form=form,
                           decided_here=_decided_here(unit), **forms), status


def _decided_here(unit: Unit) -> list[str] | None:
    """What the unit decides itself, by name in the catalogue's order (None: it is not an awarding unit)."""
    if not unit.decides_awards:
        return None
    codes = set(queries.competence_codes(unit))
    return [award.name for code, award in DEFAULTS.items() if code in codes]
