"""The archive over the JSON API (CONTRACT §4): records, revoke, search, eligibility, import."""

from datetime import date
from typing import Literal

from flask import g
from flask_babel import gettext as _
from pydantic import Field

from awards.archive import eligibility, permissions, queries, services
from awards.archive.blueprint import api_bp as bp
from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS
from awards.extensions import db

SubjectType = Literal["person", "unit"]
Kind = Literal["regular", "adhoc", "thematic"]


class RecordIn(Schema):
    subject_type: SubjectType
    subject_code: str = Field(min_length=1, max_length=40)
    award_code: str = Field(min_length=1, max_length=20)
    year: int
    decision_number: str = Field(min_length=1, max_length=60)
    decision_date: date
    issuer: str = Field(min_length=1, max_length=255)
    kind: Kind = "regular"
    gold_book_number: str = Field("", max_length=40)
    published: bool = True
    initiative_ids: list[int] = Field(default_factory=list, max_length=10)
    # the achievement period it rewarded; both or neither (default: the award's chain ending in `year`)
    period_from: int | None = None
    period_to: int | None = None


class RecordOut(Out):
    id: int
    entry: str
    subject_type: str
    subject_code: str
    subject_name: str
    unit_code: str
    award_code: str
    year: int
    kind: str
    decision_number: str
    decision_date: date
    issuer: str
    gold_book_number: str
    source: str
    published: bool
    revoked: bool
    superseded: bool
    target_id: int | None
    reason: str
    hash: str
    # the achievement period: the one written on the record, or for a record from before periods its award's
    # default (period_stated false)
    period_from: int = Field(validation_alias="period_start")
    period_to: int = Field(validation_alias="period_end")
    period_stated: bool


class RevokeIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)
    decision_number: str = Field(min_length=1, max_length=60)
    decision_date: date


class CorrectIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)
    decision_number: str | None = Field(None, min_length=1, max_length=60)
    decision_date: date | None = None
    issuer: str | None = Field(None, min_length=1, max_length=255)
    gold_book_number: str | None = Field(None, max_length=40)
    kind: Kind | None = None
    period_from: int | None = None
    period_to: int | None = None


class RecordQuery(PageQuery):
    q: str = ""
    award_code: str | None = None
    year: int | None = None
    unit_code: str | None = None
    subject_code: str | None = None
    subject_type: SubjectType | None = None
    include_revoked: bool = True
    sort: Literal["year_desc", "year", "name", "decision"] = "year_desc"


class CheckOut(Out):
    rule: str
    passed: bool
    detail: str
    article: str
    manual: bool
    overridden: bool
    override_reason: str | None = None


class EligibilityOut(Out):
    eligible: bool
    ruleset: str
    checks: list[CheckOut]
    route: str = "chain"
    period: tuple[int, int] | None = None  # the achievement years the chain used


class EligibilityQuery(PageQuery):
    subject_type: SubjectType
    subject_code: str = Field(min_length=1)
    award_code: str = Field(min_length=1)
    year: int
    kind: Kind = "regular"
    route: Literal["chain", "campaign", "adhoc", "contribution", "other"] | None = None


def _record(record_id: int):
    record = queries.record_by_id(record_id)
    if record is None or not permissions.can_view_record(g.api_user, record):
        raise ApiError(404, _("Không có bản ghi khen thưởng số %(i)s.", i=record_id))
    return record


@endpoint(bp, "/archive/records", "POST", summary="Ghi một khen thưởng vào kho lưu trữ", body=RecordIn,
          response=RecordOut, status=201, roles=MANAGERS, errors=(409,))
def create_record(data: RecordIn):
    record = services.record_award(**data.model_dump(), source="entered", by=g.api_user)
    db.session.commit()
    return record


@endpoint(bp, "/archive/records/<int:record_id>", summary="Xem một bản ghi khen thưởng", response=RecordOut)
def get_record(record_id):
    return _record(record_id)


@endpoint(bp, "/archive/records/<int:record_id>/revoke", "POST", summary="Thu hồi khen thưởng (Luật TĐKT Điều 93)",
          body=RevokeIn, response=RecordOut, roles=MANAGERS, errors=(409,))
def revoke_record(record_id, data: RevokeIn):
    record = _record(record_id)
    services.revoke_record(record, by=g.api_user, **data.model_dump())
    db.session.commit()
    return queries.record_by_id(record_id)


@endpoint(bp, "/archive/records/<int:record_id>/correct", "POST",
          summary="Đính chính một bản ghi (quyết định, thời gian đạt thành tích): một bản ghi mới, kèm lý do",
          body=CorrectIn, response=RecordOut, status=201, roles=MANAGERS, errors=(409,))
def correct_record(record_id, data: CorrectIn):
    correction = services.correct_record(_record(record_id), by=g.api_user, **data.model_dump())
    db.session.commit()
    return queries.record_by_id(correction.id)


@endpoint(bp, "/archive/records", summary="Tra cứu kho lưu trữ (q: tên hoặc số quyết định, không dấu)",
          query=RecordQuery, response=Page[RecordOut])
def list_records(query: RecordQuery):
    stmt = queries.search_stmt(query.q, query.award_code, query.year, query.unit_code, query.subject_code,
                               query.subject_type, include_revoked=query.include_revoked, sort=query.sort,
                               unpublished_of=permissions.unpublished_scope(g.api_user))
    return paginate(db.session, stmt, query.page, query.per_page)


@endpoint(bp, "/eligibility", summary="Kiểm tra điều kiện một khen thưởng cho một đối tượng, theo từng điều luật",
          query=EligibilityQuery, response=EligibilityOut, errors=(404,))  # 404: no such subject
def get_eligibility(query: EligibilityQuery):
    if not eligibility.may_check(g.api_user, query.subject_type, query.subject_code):
        raise ApiError(403)
    return eligibility.checklist(query.subject_type, query.subject_code, query.award_code, query.year, query.kind,
                                 query.route)
