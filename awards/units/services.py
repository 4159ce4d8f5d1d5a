"""Changes to units, people and their yearly facts. Each validates, flushes and audits; callers commit."""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.core import audit, clock
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.units import competence, queries
from awards.units.models import (
    SCOPE_LABELS,
    Discipline,
    DisciplineLevel,
    Initiative,
    InitiativeScope,
    Person,
    PersonEvaluation,
    Proceeding,
    ProceedingKind,
    SuccessionKind,
    Unit,
    UnitCompetence,
    UnitEvaluation,
    UnitSuccession,
    default_discipline_end,
)

UNIT_FIELDS = ("code", "name", "parent_code", "kind", "grassroots", "active", "decides_awards", "enterprise",
               "foreign_organisation")
PERSON_FIELDS = ("code", "full_name", "gender", "birth_date", "ethnicity", "ethnic_minority", "unit_code",
                 "position", "frontline", "occupation_group", "foreign_national", "active")
FIRST_YEAR = 1945
PERSON_FIELDS = (*PERSON_FIELDS, "sector_start_date")  # ngày vào ngành (issue 25), audited on every change


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
RESERVED_CODES = {"new", "import", "import-template.xlsx", "lookup"}  # page paths beside /units/<code>, /people/<code>


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


def create_unit(*, code, name, parent_code=None, kind="other", grassroots=False, decides_awards=None,
                enterprise=False, foreign_organisation=False, by=None) -> Unit:
    """A new unit under its parent (none for the top of the tree). `decides_awards` (đơn vị có thẩm quyền):
    default false, except a unit with no parent (CONTRACT §5); a deciding unit starts with the default
    competence (units.competence, Law 06/2022 Art 80.1)."""
    parent = _unit(parent_code, "parent_code")
    unit = Unit(code=_check_code(Unit, code), name=name, parent=parent, kind=kind, grassroots=grassroots,
                decides_awards=parent is None if decides_awards is None else bool(decides_awards),
                enterprise=bool(enterprise), foreign_organisation=bool(foreign_organisation))
    if not unit.name:
        raise Invalid(_("Tên đơn vị không được để trống."), field="name")
    db.session.add(unit)
    db.session.flush()
    if unit.decides_awards:
        _seed_competence(unit)
    audit.record("unit.create", unit, by=by, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(unit: Unit, *, name, parent_code, kind, grassroots, active=True, decides_awards=None,
                enterprise=None, foreign_organisation=None, by) -> Unit:
    """Rename or move a unit; it cannot be moved under itself or one of its own units. `decides_awards`,
    `enterprise`, `foreign_organisation` None keep them; marking a unit as deciding gives it the default competence
    when it has none."""
    before = audit.snapshot(unit, UNIT_FIELDS)
    parent = _unit(parent_code, "parent_code")
    if parent is not None and parent.id in queries.subtree_ids(unit.id):
        raise Invalid(_("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."), field="parent_code")
    unit.name, unit.parent, unit.kind, unit.grassroots, unit.active = name, parent, kind, grassroots, active
    if not unit.name:
        raise Invalid(_("Tên đơn vị không được để trống."), field="name")
    if decides_awards is not None:
        unit.decides_awards = bool(decides_awards)
    if enterprise is not None:
        unit.enterprise = bool(enterprise)
    if foreign_organisation is not None:
        unit.foreign_organisation = bool(foreign_organisation)
    db.session.flush()
    if unit.decides_awards and not queries.competence_codes(unit):
        _seed_competence(unit)
    audit.record("unit.update", unit, by=by, before=before, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def record_succession(predecessor: Unit, *, successor_code: str, kind, effective_on: date, decision: str = "",
                      note: str = "", by) -> UnitSuccession:
    """Record that `successor_code` took over from `predecessor` on `effective_on` (managers): a merger, a split,
    a rename or a move. A rename or a move that keeps the row names the unit itself; a merger or a split needs
    another unit, and no unit may end up succeeding itself through a chain."""
    if by is not None and not by.is_manager:
        raise DomainError(_("Chỉ quản trị hoặc thư ký thi đua ghi nhận việc sắp xếp đơn vị."), status=403,
                          code="forbidden")
    kind = SuccessionKind.get(kind)
    if kind is None:
        raise Invalid(_("Hãy chọn hình thức sắp xếp."), field="kind")
    successor = _unit((successor_code or "").strip(), "successor_code")
    if successor is None:
        raise Invalid(_("Hãy chọn đơn vị kế thừa."), field="successor_code")
    if effective_on is None:
        raise Invalid(_("Hãy nhập ngày có hiệu lực."), field="effective_on")
    if successor.id == predecessor.id and kind not in (SuccessionKind.rename, SuccessionKind.move):
        raise Invalid(_("Một đơn vị không thể kế thừa chính nó."), field="successor_code")
    if successor.id != predecessor.id and successor.id in queries.predecessors_of([predecessor.id]).get(
            predecessor.id, {}):
        raise Invalid(_("“%(s)s” đã là đơn vị tiền thân của “%(p)s”: không thể tạo vòng kế thừa.",
                        s=successor.code, p=predecessor.code), field="successor_code")
    duplicate = db.session.scalar(select(UnitSuccession.id).where(
        UnitSuccession.predecessor_id == predecessor.id, UnitSuccession.successor_id == successor.id,
        UnitSuccession.kind == kind.value, UnitSuccession.effective_on == effective_on))
    if duplicate is not None:
        raise DomainError(_("Việc sắp xếp này đã được ghi nhận."), code="duplicate", field="successor_code")
    link = UnitSuccession(predecessor=predecessor, successor=successor, kind=kind.value, effective_on=effective_on,
                          decision=(decision or "").strip(), note=(note or "").strip(),
                          created_by_id=by.id if by is not None else None)
    db.session.add(link)
    db.session.flush()
    audit.record("unit.succession", link, by=by, after={
        "predecessor": predecessor.code, "successor": successor.code, "kind": kind.value,
        "effective_on": effective_on.isoformat(), "decision": link.decision, "note": link.note})
    return link


def _seed_competence(unit: Unit) -> None:
    for award_code in competence.default_award_codes():
        db.session.add(UnitCompetence(unit_id=unit.id, award_code=award_code))
    db.session.flush()


def set_competence(unit: Unit, award_codes, *, by) -> list[str]:
    """Replace a unit's competence table (admin): the award codes it decides itself. Returns the sorted codes.
    The page and the API both come here: admin only (403), a unit that decides awards (409), known codes (400)."""
    if by is not None and not by.has_role("admin"):
        raise DomainError(_("Chỉ quản trị hệ thống sửa thẩm quyền khen thưởng của đơn vị."), status=403,
                          code="forbidden")
    if not unit.decides_awards:
        raise DomainError(_("%(u)s không phải đơn vị có thẩm quyền khen thưởng: hãy đánh dấu “Có thẩm quyền khen "
                            "thưởng” trên trang sửa đơn vị trước.", u=unit.name), code="not_awarding",
                          field="award_codes")
    codes = sorted({(c or "").strip() for c in award_codes})
    stored = db.metadata.tables["award_types"]  # the catalog's stored types (issue 25), read by table: it sits above
    known = competence.KNOWN | set(db.session.scalars(select(stored.c.code).where(stored.c.active)))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=unknown[0]), field="award_codes")
    before = queries.competence_codes(unit)
    for row in queries.competence_rows(unit):
        if row.award_code not in codes:
            db.session.delete(row)
    for code in codes:
        if code not in before:
            db.session.add(UnitCompetence(unit_id=unit.id, award_code=code))
    db.session.flush()
    audit.record("unit.competence", unit, by=by, before={"award_codes": before}, after={"award_codes": codes})
    return codes


def _check_person(values: dict) -> None:
    if not values.get("full_name"):
        raise Invalid(_("Họ và tên không được để trống."), field="full_name")
    birth = values.get("birth_date")
    if birth is not None and not (date(1900, 1, 1) <= birth <= clock.calendar_today()):
        raise Invalid(_("Ngày sinh phải từ 01/01/1900 đến hôm nay."), field="birth_date")
    start = values.get("sector_start_date")  # ngày vào ngành (issue 25): not in the future, not before birth
    if start is not None and not (date(1945, 1, 1) <= start <= clock.calendar_today()):
        raise Invalid(_("Ngày vào ngành phải từ 01/01/1945 đến hôm nay."), field="sector_start_date")
    if start is not None and birth is not None and start <= birth:
        raise Invalid(_("Ngày vào ngành phải sau ngày sinh."), field="sector_start_date")


def _check_writes_people_in(by, unit: Unit) -> None:
    """A unit officer adds and moves people only within their unit's subtree (managers anywhere; `by=None` is the
    system: the demo, a migration): the same refusal on the page, the API and the sheet import."""
    if by is not None and not queries.may_write_people_in(by, unit):
        raise DomainError(_("Đơn vị “%(c)s” nằm ngoài phạm vi bạn quản lý.", c=unit.code), status=403,
                          code="forbidden", field="unit_code")


def create_person(*, code, full_name, gender, unit_code, birth_date=None, ethnicity="Kinh",
                  ethnic_minority=False, position="", frontline=False, occupation_group=None,
                  foreign_national=False, sector_start_date=None, by=None) -> Person:
    """A new person in a unit; `sector_start_date` (ngày vào ngành) counts their years of service."""
    values = dict(full_name=(full_name or "").strip(), gender=gender, birth_date=birth_date,
                  ethnicity=(ethnicity or "").strip() or "Kinh", ethnic_minority=ethnic_minority,
                  position=(position or "").strip(), frontline=frontline,
                  occupation_group=occupation_group or None, foreign_national=foreign_national,
                  sector_start_date=sector_start_date)
    _check_person(values)
    unit = _unit(unit_code, "unit_code")
    if unit is None:
        raise Invalid(_("Cần chọn đơn vị."), field="unit_code")
    _check_writes_people_in(by, unit)
    person = Person(code=_check_code(Person, code), unit=unit, **values)
    db.session.add(person)
    db.session.flush()
    audit.record("person.create", person, by=by, after=audit.snapshot(person, PERSON_FIELDS))
    return person


def update_person(person: Person, *, by, **values) -> Person:
    """Change a person's details or move them to another unit."""
    before = audit.snapshot(person, PERSON_FIELDS)
    unit_code = values.pop("unit_code", None)
    _check_person({"full_name": person.full_name, "birth_date": person.birth_date, **values})
    _check_writes_people_in(by, person.unit)
    if unit_code:
        person.unit = _unit(unit_code, "unit_code")
        _check_writes_people_in(by, person.unit)
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


def _not_future(day: date | None, field: str) -> None:
    if day is not None and day > clock.today():
        raise Invalid(_("Ngày không được ở tương lai."), field=field)


def _discipline(subject: dict, code: str, action: str, *, year, level, decided_on, ends_on, note, by) -> Discipline:
    check_year(year)
    if DisciplineLevel.get(level) is None:
        raise Invalid(_("Hình thức kỷ luật không hợp lệ."), field="level")
    _not_future(decided_on, "decided_on")
    if ends_on is None:
        ends_on = default_discipline_end(level, decided_on)
    elif ends_on < decided_on:
        raise Invalid(_("Hết thời hạn thi hành kỷ luật phải sau ngày quyết định."), field="ends_on")
    discipline = Discipline(**subject, year=year, level=level, decided_on=decided_on, ends_on=ends_on,
                            note=(note or "").strip())
    db.session.add(discipline)
    db.session.flush()
    audit.record(action, discipline, by=by, after={"subject": code, "year": year, "level": level,
                                                   "decided_on": decided_on, "ends_on": ends_on})
    return discipline


def add_discipline(person: Person, *, year: int, level, decided_on: date, ends_on: date | None = None,
                   note: str = "", by) -> Discipline:
    """A disciplinary decision on a person, with the end of its execution period (default by level: 12 or 24
    months, DISCIPLINE_MONTHS); it blocks the titles of its year (RULES §4)."""
    return _discipline({"person": person}, person.code, "person.discipline", year=year, level=level,
                       decided_on=decided_on, ends_on=ends_on, note=note, by=by)


def add_unit_discipline(unit: Unit, *, year: int, level, decided_on: date, ends_on: date | None = None,
                        note: str = "", by) -> Discipline:
    """A disciplinary decision on a collective, recorded like a person's (NĐ 152/2025 Art 4.4)."""
    return _discipline({"unit": unit}, unit.code, "unit.discipline", year=year, level=level,
                       decided_on=decided_on, ends_on=ends_on, note=note, by=by)


def open_proceeding(subject: Person | Unit, *, kind, opened_on: date, note: str = "", by) -> Proceeding:
    """A discipline review, inspection or complaint under verification: the subject's awards freeze until it is
    closed (NĐ 152/2025 Art 4.4)."""
    if ProceedingKind.get(kind) is None:
        raise Invalid(_("Loại việc không hợp lệ."), field="kind")
    _not_future(opened_on, "opened_on")
    owner = {"person": subject} if isinstance(subject, Person) else {"unit": subject}
    proceeding = Proceeding(**owner, kind=kind, opened_on=opened_on, note=(note or "").strip(),
                            created_by_id=getattr(by, "id", None))
    db.session.add(proceeding)
    db.session.flush()
    audit.record("proceeding.open", proceeding, by=by, after={"subject": subject.code, "kind": kind,
                                                              "opened_on": opened_on})
    return proceeding


def close_proceeding(proceeding: Proceeding, *, closed_on: date, closing_note: str, by) -> Proceeding:
    """Close it with its outcome; the freeze lifts (a discipline that follows is recorded on its own)."""
    if not proceeding.is_open:
        raise DomainError(_("Việc này đã kết thúc ngày %(d)s.", d=proceeding.closed_on.strftime("%d/%m/%Y")),
                          code="wrong_state")
    _not_future(closed_on, "closed_on")
    if closed_on < proceeding.opened_on:
        raise Invalid(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."), field="closed_on")
    if not (closing_note or "").strip():
        raise Invalid(_("Cần ghi kết quả."), field="closing_note")
    proceeding.closed_on, proceeding.closing_note = closed_on, closing_note.strip()
    db.session.flush()
    audit.record("proceeding.close", proceeding, by=by, before={"closed_on": None},
                 after={"subject": proceeding.subject.code, "closed_on": closed_on, "note": proceeding.closing_note})
    return proceeding


def add_initiative(person: Person, *, year: int, title: str, scope, recognised_on: date | None = None,
                   by) -> Initiative:
    """A recognised initiative or research topic."""
    check_year(year)
    if not (title or "").strip():
        raise Invalid(_("Tên sáng kiến không được để trống."), field="title")
    _not_future(recognised_on, "recognised_on")
    initiative = Initiative(person=person, year=year, title=title.strip(), scope=scope, recognised_on=recognised_on)
    db.session.add(initiative)
    db.session.flush()
    audit.record("person.initiative", initiative, by=by, after={"person": person.code, "year": year,
                                                                 "title": initiative.title, "scope": scope,
                                                                 "recognised_on": recognised_on})
    return initiative


def raise_initiative_scope(initiative: Initiative, *, scope, recognised_on: date, year: int | None = None,
                           by) -> Initiative:
    """A wider recognition (unit → provincial → national) of an initiative: a new row with its date that
    supersedes the earlier one, which stays as it was (issue 17)."""
    if not initiative.is_current:
        raise DomainError(_("Sáng kiến này đã được công nhận ở phạm vi rộng hơn; hãy ghi trên lần công nhận mới "
                            "nhất."), code="superseded")
    widths = [str(s) for s in InitiativeScope]  # declared narrowest first
    if str(scope) not in widths or widths.index(str(scope)) <= widths.index(str(initiative.scope)):
        raise Invalid(_("Phạm vi mới phải rộng hơn phạm vi hiện tại (%(s)s).", s=SCOPE_LABELS[initiative.scope]),
                      field="scope")
    if recognised_on is None:
        raise Invalid(_("Cần ngày công nhận."), field="recognised_on")
    _not_future(recognised_on, "recognised_on")
    if initiative.recognised_on is not None and recognised_on < initiative.recognised_on:
        raise Invalid(_("Ngày công nhận mới phải sau lần công nhận trước."), field="recognised_on")
    year = check_year(year if year is not None else recognised_on.year)
    wider = Initiative(person=initiative.person, year=year, title=initiative.title, scope=scope,
                       recognised_on=recognised_on, supersedes=initiative)
    db.session.add(wider)
    db.session.flush()
    db.session.expire(initiative, ["superseded_by"])
    audit.record("person.initiative_scope", wider, by=by, before={"initiative": initiative.id,
                                                                  "scope": initiative.scope},
                 after={"scope": scope, "recognised_on": recognised_on, "year": year})
    return wider
