"""Nomination dossiers over the JSON API (CONTRACT §4)."""

from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g, request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.nominations import eligibility, queries, services
from awards.nominations.models import ATTACHMENT_KINDS, regimes
from awards.nominations.permissions import can_act, can_view

bp = Blueprint("nominations_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class NominationIn(Schema):
    campaign_id: int | None = None
    subject_type: Literal["person", "unit"]
    subject_code: str = Field(min_length=1, max_length=40)
    award_code: str = Field(min_length=1, max_length=20)
    year: int
    kind: Literal["regular", "adhoc", "thematic"] = "regular"
    summary: str = Field("", max_length=20_000)
    # which of the award's routes it takes; default: its kind's (regular→chain, thematic→campaign, adhoc→adhoc)
    route: Literal["chain", "campaign", "adhoc", "contribution", "other"] | None = None


class CheckOut(Out):
    rule: str
    passed: bool
    detail: str
    article: str = ""
    manual: bool = False
    overridden: bool = False


class EligibilityOut(Out):
    eligible: bool
    checks: list[CheckOut]


class EventOut(Out):
    status: str
    at: datetime
    by: str | None
    note: str


class LevelOut(Out):
    unit_code: str | None
    status: str
    at: datetime


class AttachmentOut(Out):
    id: int
    kind: str
    sha256: str
    size: int


class NominationOut(BaseModel):
    id: int
    status: str
    award_code: str
    subject_type: str
    subject_code: str
    subject_name: str
    unit_code: str
    handling_unit_code: str | None  # the awarding unit whose secretariat handles the dossier now (CONTRACT §5)
    year: int
    kind: str
    route: str
    campaign_id: int | None
    summary: str
    received_on: date | None
    substance_basis: str  # the law whose conditions apply: the achievement year's
    procedure_basis: str  # the decree whose procedure applies: the day the dossier was received (NĐ 152 Art 60.3)
    eligibility: EligibilityOut
    attachments: list[AttachmentOut]
    history: list[EventOut]
    levels: list[LevelOut]  # each level crossed (CONTRACT §5)
    forwarded_workdays: int | None  # working days waiting for the answer from outside (status forwarded)


class NominationsOut(BaseModel):
    items: list[NominationOut]  # the dossiers of a batch action, in id order


class NominationQuery(PageQuery):
    status: str | None = None
    unit_code: str | None = None
    year: int | None = None
    award_code: str | None = None
    campaign_id: int | None = None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class ForwardIn(Schema):
    note: str = Field("", max_length=5000)


class ForwardManyIn(Schema):
    nomination_ids: list[int] = Field(min_length=1, max_length=services.MAX_BULK)
    note: str = Field("", max_length=5000)


class OutcomeIn(Schema):
    result: Literal["awarded", "not_awarded"]
    decision_number: str = Field("", max_length=60)
    decision_date: date | None = None
    issuer: str = Field("", max_length=255)
    reason: str = Field("", max_length=5000)


class OutcomesIn(OutcomeIn):
    nomination_ids: list[int] = Field(min_length=1, max_length=services.MAX_BULK)


class AppraiseIn(Schema):
    result: Literal["pass", "fail"]
    note: str = Field("", max_length=5000)


ATTACHMENT_FORM = {"type": "object", "required": ["file", "kind"], "properties": {
    "file": {"type": "string", "format": "binary"}, "kind": {"type": "string", "enum": list(ATTACHMENT_KINDS)}}}


def _out(nominations) -> list[dict]:
    checklists = eligibility.checklists_of(nominations)
    return [{"id": n.id, "status": n.status, "award_code": n.award_code, "subject_type": n.subject_type,
             "subject_code": n.subject_code, "subject_name": n.subject_name, "unit_code": n.unit_code,
             "handling_unit_code": n.handling_unit_code, "year": n.year, "kind": n.kind,
             "route": n.route_or_default, "campaign_id": n.campaign_id,
             "summary": n.summary, **regimes(n),
             "eligibility": checklists[n.id], "attachments": n.attachments,
             "history": [{"status": e.status, "at": e.at, "by": e.by_name, "note": e.note} for e in n.events],
             "levels": queries.levels(n), "forwarded_workdays": queries.forwarded_workdays(n)}
            for n in nominations]


def _nomination(nomination_id: int, *, edit: bool = False):
    nomination = queries.nomination_by_id(nomination_id)
    if nomination is not None and g.api_user.is_manager and not can_view(g.api_user, nomination):
        raise ApiError(403)  # a secretariat bound to a unit, on another level's dossier (CONTRACT §5)
    if nomination is None or not can_view(g.api_user, nomination):
        raise ApiError(404, _("Không có hồ sơ số %(i)s.", i=nomination_id))
    if edit and not can_act(g.api_user, nomination):
        raise ApiError(403)
    return nomination


@endpoint(bp, "/nominations", "POST", summary="Lập hồ sơ đề nghị khen thưởng (bản nháp)", body=NominationIn,
          response=NominationOut, status=201, errors=(409,))
def create_nomination(data: NominationIn):
    nomination = services.create_nomination(by=g.api_user, **data.model_dump())
    db.session.commit()
    return _out([nomination])[0]


@endpoint(bp, "/nominations/<int:nomination_id>", summary="Xem hồ sơ, kèm bảng kiểm tra điều kiện và lịch sử",
          response=NominationOut)
def get_nomination(nomination_id):
    return _out([_nomination(nomination_id)])[0]


@endpoint(bp, "/nominations", summary="Danh sách hồ sơ (trong phạm vi được xem)", query=NominationQuery,
          response=Page[NominationOut])
def list_nominations(query: NominationQuery):
    stmt = queries.nominations_stmt(g.api_user, query.status, query.unit_code, query.year, query.award_code,
                                    query.campaign_id)
    page = paginate(db.session, stmt, query.page, query.per_page)
    page.items = _out(page.items)
    return page


@endpoint(bp, "/nominations/<int:nomination_id>/attachments", "POST",
          summary="Đính kèm tài liệu (kiểm tra loại tệp theo nội dung)", response=AttachmentOut, status=201,
          multipart=ATTACHMENT_FORM, errors=(409, 413, 415))
def add_attachment(nomination_id):
    nomination = _nomination(nomination_id, edit=True)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, fields={"file": _("Trường này là bắt buộc.")})
    attachment = services.add_attachment(nomination, data=upload.read(), filename=upload.filename,
                                         kind=request.form.get("kind", ""), by=g.api_user)
    db.session.commit()
    return attachment


def _act(nomination_id, action, *, edit=False, **kwargs):
    nomination = _nomination(nomination_id, edit=edit)
    action(nomination, by=g.api_user, **kwargs)
    db.session.commit()
    return _out([nomination])[0]


@endpoint(bp, "/nominations/<int:nomination_id>/submit", "POST", summary="Nộp hồ sơ (cần đủ tài liệu bắt buộc)",
          response=NominationOut, errors=(409,))
def submit(nomination_id):
    return _act(nomination_id, services.submit, edit=True)


@endpoint(bp, "/nominations/<int:nomination_id>/return", "POST", summary="Trả hồ sơ để bổ sung (cán bộ thường trực)",
          body=ReasonIn, response=NominationOut, roles=MANAGERS, errors=(409,))
def return_nomination(nomination_id, data: ReasonIn):
    return _act(nomination_id, services.return_for_supplement, reason=data.reason)


@endpoint(bp, "/nominations/<int:nomination_id>/appraise", "POST", summary="Thẩm định: đạt hoặc không đạt",
          body=AppraiseIn, response=NominationOut, roles=MANAGERS, errors=(409,))
def appraise(nomination_id, data: AppraiseIn):
    return _act(nomination_id, services.appraise, result=data.result, note=data.note)


@endpoint(bp, "/nominations/<int:nomination_id>/withdraw", "POST", summary="Rút hồ sơ (đơn vị)", body=ReasonIn,
          response=NominationOut, errors=(409,))
def withdraw(nomination_id, data: ReasonIn):
    return _act(nomination_id, services.withdraw, edit=True, reason=data.reason)


@endpoint(bp, "/nominations/<int:nomination_id>/forward", "POST",
          summary="Trình cấp trên (đơn vị không có thẩm quyền quyết định danh hiệu này)", body=ForwardIn,
          response=NominationOut, roles=MANAGERS, errors=(409,))
def forward(nomination_id, data: ForwardIn):
    return _act(nomination_id, services.forward, note=data.note)


@endpoint(bp, "/nominations/forward", "POST", summary="Trình cấp trên nhiều hồ sơ một lần (tất cả hoặc không)",
          body=ForwardManyIn, response=NominationsOut, roles=MANAGERS, errors=(404, 409))  # 404: an unknown id
def forward_many(data: ForwardManyIn):
    nominations = services.forward_many(data.nomination_ids, note=data.note, by=g.api_user)
    db.session.commit()
    return {"items": _out(nominations)}


@endpoint(bp, "/nominations/<int:nomination_id>/outcome", "POST",
          summary="Ghi kết quả cấp trên trả lời (được khen thưởng hoặc không)", body=OutcomeIn,
          response=NominationOut, roles=MANAGERS, errors=(409,))
def outcome(nomination_id, data: OutcomeIn):
    return _act(nomination_id, services.record_outcome, **data.model_dump())


@endpoint(bp, "/nominations/outcomes", "POST",
          summary="Ghi một kết quả cho nhiều hồ sơ (một quyết định; tất cả hoặc không)", body=OutcomesIn,
          response=NominationsOut, roles=MANAGERS, errors=(404, 409))  # 404: an unknown id
def outcomes(data: OutcomesIn):
    fields = data.model_dump()
    nominations = services.record_outcomes(fields.pop("nomination_ids"), by=g.api_user, **fields)
    db.session.commit()
    return {"items": _out(nominations)}
