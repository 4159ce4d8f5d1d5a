"""Units and people over the JSON API (CONTRACT §4): the same services as the pages."""

from datetime import date
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import AliasPath, Field

from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS, Role
from awards.extensions import csrf, db
from awards.units import privacy, queries, services
from awards.units.permissions import SENSITIVE_FIELDS, sees_sensitive

bp = Blueprint("units_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

CODE = r"^[A-Za-z0-9._-]+$"
RatingWord = Literal["excellent", "good", "done", "not_done"]
UnitKindWord = Literal["department_of_health", "hospital", "centre", "health_centre", "station", "division",
                       "other"]


class UnitIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    name: str = Field(min_length=1, max_length=255)
    parent_code: str | None = Field(None, max_length=40)
    grassroots: bool = False
    kind: UnitKindWord = "other"
    decides_awards: bool | None = None  # default: false, except a unit with no parent (CONTRACT §5)
    enterprise: bool = False  # the statistics forms (biểu 0602.N, 0603.N): "Trong đó: Doanh nghiệp"
    foreign_organisation: bool = False  # khen thưởng đối ngoại


class UnitOut(Out):
    code: str
    name: str
    parent_code: str | None
    grassroots: bool
    kind: str
    active: bool
    decides_awards: bool
    enterprise: bool
    foreign_organisation: bool
    awarding_unit_code: str | None  # the nearest unit, itself or above, that decides awards


SuccessionWord = Literal["merge", "split", "rename", "move"]


class SuccessionIn(Schema):
    successor_code: str = Field(min_length=1, max_length=40, pattern=CODE)
    kind: SuccessionWord
    effective_on: date
    decision: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)


class SuccessionOut(Out):
    predecessor_code: str
    successor_code: str
    kind: str
    effective_on: date
    decision: str
    note: str


class UnitDetailOut(UnitOut):
    predecessors: list[SuccessionOut] = Field(validation_alias="predecessor_links")  # who this unit took over from
    successors: list[SuccessionOut] = Field(validation_alias="successor_links")  # who took over from it


class CompetenceIO(Schema):
    award_codes: list[str] = Field(max_length=100)


class UnitQuery(PageQuery):
    q: str = ""
    parent_code: str | None = None


class PersonIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=CODE)
    full_name: str = Field(min_length=1, max_length=200)
    gender: Literal["female", "male"]
    birth_date: date
    ethnic_minority: bool = False
    ethnicity: str = Field("", max_length=60)
    unit_code: str = Field(min_length=1, max_length=40)
    position: str = Field("", max_length=200)
    frontline: bool = False
    # the statistics forms' inputs (biểu 0602.N, 0603.N): the person's group (null: not recorded), a foreigner
    occupation_group: Literal["leader_central", "leader_department", "businessperson", "leader_other",
                              "direct_worker", "other"] | None = None
    foreign_national: bool = False
    sector_start_date: date | None = None  # ngày vào ngành: years of service (issue 25)


class PersonOut(Out):
    """birth_date, ethnic_minority, ethnicity are null for a reader who may not see them (units.permissions)."""
    code: str
    full_name: str
    gender: str
    birth_date: date | None
    ethnic_minority: bool | None
    ethnicity: str | None
    unit_code: str
    position: str
    frontline: bool
    occupation_group: str | None
    foreign_national: bool
    sector_start_date: date | None
    active: bool


class PersonQuery(PageQuery):
    q: str = ""
    unit_code: str | None = None


class EvaluationIn(Schema):
    year: int
    rating: RatingWord


class PersonEvaluationOut(Out):
    id: int
    year: int
    rating: str


LevelWord = Literal["reprimand", "warning", "demotion", "dismissal", "removal"]
ScopeWord = Literal["unit", "provincial", "national"]
ProceedingWord = Literal["discipline_review", "investigation", "complaint"]


class DisciplineIn(Schema):
    year: int
    level: LevelWord
    decided_on: date
    ends_on: date | None = None  # end of the execution period; default by level (12 or 24 months)
    note: str = Field("", max_length=2000)


class DisciplineOut(Out):
    id: int
    year: int
    level: str
    decided_on: date
    ends_on: date | None
    note: str
    subject_code: str


class InitiativeIn(Schema):
    year: int
    title: str = Field(min_length=1, max_length=500)
    scope: ScopeWord
    recognised_on: date | None = None


class RaiseIn(Schema):
    scope: ScopeWord
    recognised_on: date
    year: int | None = None  # the year of the wider recognition; default: recognised_on's year


class InitiativeOut(Out):
    id: int
    year: int
    title: str
    scope: str
    recognised_on: date | None
    supersedes_id: int | None
    is_current: bool


class ProceedingIn(Schema):
    kind: ProceedingWord
    opened_on: date
    note: str = Field("", max_length=2000)


class CloseIn(Schema):
    closed_on: date
    closing_note: str = Field(min_length=1, max_length=2000)


class ProceedingOut(Out):
    id: int
    kind: str
    opened_on: date
    closed_on: date | None
    note: str
    closing_note: str
    is_open: bool
    person_code: str | None = Field(None, validation_alias=AliasPath("person", "code"))
    unit_code: str | None = Field(None, validation_alias=AliasPath("unit", "code"))


class PersonDetailOut(PersonOut):
    evaluations: list[PersonEvaluationOut]
    disciplines: list[DisciplineOut]
    initiatives: list[InitiativeOut]
    proceedings: list[ProceedingOut]


class UnitFactsOut(Out):
    disciplines: list[DisciplineOut]
    proceedings: list[ProceedingOut]


def _shown(model, person, user):
    """The person as `model`, with the sensitive fields nulled for a user who may not see them (the keys stay:
    CONTRACT §4 lists birth_date and ethnic_minority among the required fields)."""
    out = model.model_validate(person, from_attributes=True)
    if not sees_sensitive(user, person):
        for name in SENSITIVE_FIELDS:
            setattr(out, name, None)
    return out


def _unit(code: str):
    unit = queries.unit_by_code(code)
    if unit is None:
        raise ApiError(404, _("Không có đơn vị mã “%(c)s”.", c=code))
    return unit


def _writable_unit(code: str):
    """The unit, if this API user may record facts on it: managers, a unit officer in their subtree."""
    unit = _unit(code)
    if not queries.may_write_people_in(g.api_user, unit):
        raise ApiError(403)
    return unit


def _person(code: str, *, write: bool = False):
    """The person, if this API user may read it (write: change it): 404 unknown, 403 out of scope."""
    person = queries.person_by_code(code)
    if person is None:
        raise ApiError(404, _("Không có cá nhân mã “%(c)s”.", c=code))
    check = queries.may_write_people_in if write else queries.may_read_people_in
    if not check(g.api_user, person.unit):
        raise ApiError(403)
    return person


@endpoint(bp, "/units", "POST", summary="Tạo đơn vị", body=UnitIn, response=UnitOut, status=201,
          roles=MANAGERS, errors=(409,))
def create_unit(data: UnitIn):
    unit = services.create_unit(by=g.api_user, **data.model_dump())
    db.session.commit()
    return unit


@endpoint(bp, "/units/<code>", summary="Xem một đơn vị, kèm đơn vị tiền thân và kế thừa", response=UnitDetailOut)
def get_unit(code):
    return _unit(code)


@endpoint(bp, "/units/<code>/successions", "POST",
          summary="Ghi nhận sắp xếp đơn vị: hợp nhất, chia tách, đổi tên, chuyển cơ quan quản lý",
          body=SuccessionIn, response=SuccessionOut, status=201, roles=MANAGERS, errors=(409,))
def record_succession(code, data: SuccessionIn):
    link = services.record_succession(_unit(code), by=g.api_user, **data.model_dump())
    db.session.commit()
    return link


@endpoint(bp, "/units", summary="Danh sách đơn vị (tìm theo tên không dấu hoặc mã)", query=UnitQuery,
          response=Page[UnitOut])
def list_units(query: UnitQuery):
    return paginate(db.session, queries.units_stmt(query.q, query.parent_code), query.page, query.per_page)


@endpoint(bp, "/units/<code>/evaluations", "POST", summary="Xếp loại tập thể trong năm", body=EvaluationIn,
          response=PersonEvaluationOut, status=201, roles=MANAGERS, errors=(409,))
def add_unit_evaluation(code, data: EvaluationIn):
    evaluation = services.add_unit_evaluation(_unit(code), year=data.year, rating=data.rating, by=g.api_user)
    db.session.commit()
    return evaluation


@endpoint(bp, "/people", "POST", summary="Thêm cá nhân", body=PersonIn, response=PersonOut, status=201,
          errors=(409,))
def create_person(data: PersonIn):
    person = services.create_person(by=g.api_user, **data.model_dump())
    db.session.commit()
    return _shown(PersonOut, person, g.api_user)


@endpoint(bp, "/people/<code>", summary="Xem một cá nhân, kèm xếp loại, kỷ luật, sáng kiến",
          response=PersonDetailOut)
def get_person(code):
    person = _person(code)
    if privacy.log_read([person], by=g.api_user, via="api"):
        db.session.commit()
    return _shown(PersonDetailOut, person, g.api_user)


@endpoint(bp, "/people", summary="Danh sách cá nhân (q tìm theo họ tên không dấu hoặc mã)", query=PersonQuery,
          response=Page[PersonOut], errors=(404,))  # 404: no unit of that unit_code
def list_people(query: PersonQuery):
    if not queries.can_read_people(g.api_user):
        raise ApiError(403)
    readable = queries.readable_unit_ids(g.api_user)
    unit_ids = readable
    if query.unit_code:
        wanted = set(queries.subtree_ids(_unit(query.unit_code).id))
        unit_ids = [i for i in (readable if readable is not None else wanted) if i in wanted]
    result = paginate(db.session, queries.people_stmt(query.q, unit_ids), query.page, query.per_page)
    if privacy.log_read(result.items, by=g.api_user, via="list_api"):
        db.session.commit()
    result.items = [_shown(PersonOut, person, g.api_user) for person in result.items]
    return result


@endpoint(bp, "/people/<code>/evaluations", "POST", summary="Xếp loại cá nhân trong năm (mỗi năm một lần)",
          body=EvaluationIn, response=PersonEvaluationOut, status=201, errors=(409,))
def add_person_evaluation(code, data: EvaluationIn):
    evaluation = services.add_person_evaluation(_person(code, write=True), year=data.year, rating=data.rating,
                                                by=g.api_user)
    db.session.commit()
    return evaluation


@endpoint(bp, "/people/<code>/disciplines", "POST", summary="Ghi nhận kỷ luật", body=DisciplineIn,
          response=DisciplineOut, status=201)
def add_discipline(code, data: DisciplineIn):
    discipline = services.add_discipline(_person(code, write=True), by=g.api_user, **data.model_dump())
    db.session.commit()
    return discipline


@endpoint(bp, "/people/<code>/initiatives", "POST", summary="Ghi nhận sáng kiến, đề tài được công nhận",
          body=InitiativeIn, response=InitiativeOut, status=201)
def add_initiative(code, data: InitiativeIn):
    initiative = services.add_initiative(_person(code, write=True), by=g.api_user, **data.model_dump())
    db.session.commit()
    return initiative


@endpoint(bp, "/initiatives/<int:initiative_id>/raise", "POST",
          summary="Công nhận sáng kiến ở phạm vi rộng hơn: một lần công nhận mới, lần trước được giữ",
          body=RaiseIn, response=InitiativeOut, status=201, errors=(404, 409))
def raise_initiative_scope(initiative_id, data: RaiseIn):
    initiative = queries.initiative_by_id(initiative_id)
    if initiative is None:
        raise ApiError(404, _("Không có sáng kiến số %(i)s.", i=initiative_id))
    _person(initiative.person.code, write=True)
    wider = services.raise_initiative_scope(initiative, by=g.api_user, **data.model_dump())
    db.session.commit()
    return wider


@endpoint(bp, "/units/<code>/disciplines", "POST", summary="Ghi nhận kỷ luật của tập thể", body=DisciplineIn,
          response=DisciplineOut, status=201)
def add_unit_discipline(code, data: DisciplineIn):
    discipline = services.add_unit_discipline(_writable_unit(code), by=g.api_user, **data.model_dump())
    db.session.commit()
    return discipline


@endpoint(bp, "/units/<code>/facts", summary="Kỷ luật và các việc đang xem xét của một tập thể",
          response=UnitFactsOut)
def get_unit_facts(code):
    unit = _unit(code)
    if not queries.may_read_people_in(g.api_user, unit):
        raise ApiError(403)
    return {"disciplines": unit.disciplines, "proceedings": unit.proceedings}


@endpoint(bp, "/people/<code>/proceedings", "POST",
          summary="Ghi nhận đang xem xét kỷ luật, thanh tra, khiếu nại: tạm dừng khen thưởng (NĐ 152/2025 Điều 4)",
          body=ProceedingIn, response=ProceedingOut, status=201)
def open_person_proceeding(code, data: ProceedingIn):
    proceeding = services.open_proceeding(_person(code, write=True), by=g.api_user, **data.model_dump())
    db.session.commit()
    return proceeding


@endpoint(bp, "/units/<code>/proceedings", "POST",
          summary="Ghi nhận tập thể đang bị xem xét, thanh tra, khiếu nại: tạm dừng khen thưởng", body=ProceedingIn,
          response=ProceedingOut, status=201)
def open_unit_proceeding(code, data: ProceedingIn):
    proceeding = services.open_proceeding(_writable_unit(code), by=g.api_user, **data.model_dump())
    db.session.commit()
    return proceeding


@endpoint(bp, "/proceedings/<int:proceeding_id>/close", "POST", summary="Kết thúc việc xem xét (kèm kết quả)",
          body=CloseIn, response=ProceedingOut, errors=(404, 409))
def close_proceeding(proceeding_id, data: CloseIn):
    proceeding = queries.proceeding_by_id(proceeding_id)
    if proceeding is None:
        raise ApiError(404, _("Không có việc số %(i)s.", i=proceeding_id))
    if not queries.may_write_people_in(g.api_user, proceeding.unit or proceeding.person.unit):
        raise ApiError(403)
    services.close_proceeding(proceeding, by=g.api_user, **data.model_dump())
    db.session.commit()
    return proceeding


@endpoint(bp, "/units/<code>/competence", summary="Thẩm quyền khen thưởng của đơn vị (mã danh hiệu, hình thức đơn vị "
          "tự quyết định)", response=CompetenceIO)
def get_competence(code):
    unit = _unit(code)
    return {"award_codes": queries.competence_codes(unit) if unit.decides_awards else []}


@endpoint(bp, "/units/<code>/competence", "PUT", summary="Sửa thẩm quyền khen thưởng của đơn vị (quản trị)",
          body=CompetenceIO, response=CompetenceIO, roles=(Role.admin,), errors=(409,))
def put_competence(code, data: CompetenceIO):
    codes = services.set_competence(_unit(code), data.award_codes, by=g.api_user)
    db.session.commit()
    return {"award_codes": codes}
