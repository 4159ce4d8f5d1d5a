"""Changes to units, people and their yearly facts. Each validates, flushes and audits; callers commit."""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.core import audit
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.units import queries
from awards.units.models import (
    Discipline,
    Initiative,
    Person,
    PersonEvaluation,
    Unit,
    UnitEvaluation,
)

UNIT_FIELDS = ("code", "name", "parent_code", "kind", "grassroots", "active")
PERSON_FIELDS = ("code", "full_name", "gender", "birth_date", "ethnicity", "ethnic_minority", "unit_code",
                 "position", "frontline", "active")
FIRST_YEAR = 1945


def check_year(year: int, field: str = "year") -> int:
    """Years from 1945 to next year: an award year in the future or before the republic is a typo."""
    last = utcnow().year + 1
    if not FIRST_YEAR <= year <= last:
        raise Invalid(_("Năm phải từ %(a)s đến %(b)s.", a=FIRST_YEAR, b=last), field=field)
    return year


def _unit(code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    unit = queries.unit_by_code(code)
    if unit is None:
        raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=code), field=field)
    return unit


CODE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
RESERVED_CODES = {"new", "import", "import-template.xlsx"}  # page paths beside /units/<code>, /people/<code>


def _check_code(model, code: str, current_id: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise Invalid(_("Mã không được để trống."), field="code")
    if not CODE.match(code) or code.casefold() in RESERVED_CODES:
        raise Invalid(_("Mã “%(c)s” không hợp lệ: chỉ dùng chữ cái không dấu, chữ số, dấu chấm, gạch ngang, "
                        "gạch dưới (tối đa 40 ký tự).", c=code), field="code")
    existing = db.session.scalar(select(model.id).where(model.code == code))
    if existing is not None and existing != current_id:
        raise DomainError(_("Mã “%(c)s” đã được dùng.", c=code), code="duplicate", field="code")
    return code


def create_unit(*, code, name, parent_code=None, kind="other", grassroots=False, by=None) -> Unit:
    """A new unit under its parent (none for the top of the tree)."""
    unit = Unit(code=_check_code(Unit, code), name=name, parent=_unit(parent_code, "parent_code"),
                kind=kind, grassroots=grassroots)
    if not unit.name:
        raise Invalid(_("Tên đơn vị không được để trống."), field="name")
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", unit, by=by, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(unit: Unit, *, name, parent_code, kind, grassroots, active=True, by) -> Unit:
    """Rename or move a unit; it cannot be moved under itself or one of its own units."""
    before = audit.snapshot(unit, UNIT_FIELDS)
    parent = _unit(parent_code, "parent_code")
    if parent is not None and parent.id in queries.subtree_ids(unit.id):
        raise Invalid(_("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."), field="parent_code")
    unit.name, unit.parent, unit.kind, unit.grassroots, unit.active = name, parent, kind, grassroots, active
    if not unit.name:
        raise Invalid(_("Tên đơn vị không được để trống."), field="name")
    db.session.flush()
    audit.record("unit.update", unit, by=by, before=before, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def _check_person(values: dict) -> None:
    if not values.get("full_name"):
        raise Invalid(_("Họ và tên không được để trống."), field="full_name")
    birth = values.get("birth_date")
    if birth is not None and not (date(1900, 1, 1) <= birth <= date.today()):
        raise Invalid(_("Ngày sinh phải từ 01/01/1900 đến hôm nay."), field="birth_date")


def create_person(*, code, full_name, gender, unit_code, birth_date=None, ethnicity="Kinh",
                  ethnic_minority=False, position="", frontline=False, by=None) -> Person:
    """A new person in a unit."""
    values = dict(full_name=(full_name or "").strip(), gender=gender, birth_date=birth_date,
                  ethnicity=(ethnicity or "").strip() or "Kinh", ethnic_minority=ethnic_minority,
                  position=(position or "").strip(), frontline=frontline)
    _check_person(values)
    unit = _unit(unit_code, "unit_code")
    if unit is None:
        raise Invalid(_("Cần chọn đơn vị."), field="unit_code")
    person = Person(code=_check_code(Person, code), unit=unit, **values)
    db.session.add(person)
    db.session.flush()
    audit.record("person.create", person, by=by, after=audit.snapshot(person, PERSON_FIELDS))
    return person


def update_person(person: Person, *, by, **values) -> Person:
    """Change a person's details or move them to another unit."""
    before = audit.snapshot(person, PERSON_FIELDS)
    unit_code = values.pop("unit_code", None)
    _check_person({**audit.snapshot(person, ("full_name", "birth_date")), **values})
    if unit_code:
        person.unit = _unit(unit_code, "unit_code")
    for key, value in values.items():
        setattr(person, key, value)
    db.session.flush()
    audit.record("person.update", person, by=by, before=before, after=audit.snapshot(person, PERSON_FIELDS))
    return person


def add_person_evaluation(person: Person, *, year: int, rating, by) -> PersonEvaluation:
    """The person's rating for a year; a second rating for the same year is refused (409)."""
    check_year(year)
    if any(e.year == year for e in person.evaluations):
        raise DomainError(_("%(name)s đã có xếp loại năm %(y)s.", name=person.full_name, y=year),
                          code="duplicate")
    evaluation = PersonEvaluation(person=person, year=year, rating=rating)
    db.session.add(evaluation)
    db.session.flush()
    audit.record("person.evaluation", evaluation, by=by, after={"person": person.code, "year": year,
                                                                 "rating": rating})
    return evaluation


def add_unit_evaluation(unit: Unit, *, year: int, rating, by) -> UnitEvaluation:
    """The collective's rating for a year; one per year (409 for a second)."""
    check_year(year)
    if any(e.year == year for e in unit.evaluations):
        raise DomainError(_("%(name)s đã có xếp loại năm %(y)s.", name=unit.name, y=year), code="duplicate")
    evaluation = UnitEvaluation(unit=unit, year=year, rating=rating)
    db.session.add(evaluation)
    db.session.flush()
    audit.record("unit.evaluation", evaluation, by=by, after={"unit": unit.code, "year": year, "rating": rating})
    return evaluation


def add_discipline(person: Person, *, year: int, level, decided_on: date, note: str = "", by) -> Discipline:
    """A disciplinary decision; it freezes awards in its year (RULES §4)."""
    check_year(year)
    if decided_on > date.today():
        raise Invalid(_("Ngày quyết định không được ở tương lai."), field="decided_on")
    discipline = Discipline(person=person, year=year, level=level, decided_on=decided_on, note=note or "")
    db.session.add(discipline)
    db.session.flush()
    audit.record("person.discipline", discipline, by=by, after={"person": person.code, "year": year,
                                                                 "level": level, "decided_on": decided_on})
    return discipline


def add_initiative(person: Person, *, year: int, title: str, scope, by) -> Initiative:
    """A recognised initiative or research topic."""
    check_year(year)
    if not (title or "").strip():
        raise Invalid(_("Tên sáng kiến không được để trống."), field="title")
    initiative = Initiative(person=person, year=year, title=title.strip(), scope=scope)
    db.session.add(initiative)
    db.session.flush()
    audit.record("person.initiative", initiative, by=by, after={"person": person.code, "year": year,
                                                                 "title": initiative.title, "scope": scope})
    return initiative
