"""The catalog over the JSON API: GET /award-types (CONTRACT §4); POST /award-types and GET /award-types/<code>
(CONTRACT §6): an admin adds an award type with conditions composed from catalog.blocks."""

from typing import Any, Literal

from flask import Blueprint, g
from pydantic import BaseModel, Field

from awards.catalog import services
from awards.core.api import Out, Schema, endpoint
from awards.core.permissions import Role
from awards.extensions import csrf, db

bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ConditionBasis(BaseModel):
    article: str
    text: str = ""
    confirmed: bool = True


class Condition(BaseModel):
    rule: str
    params: dict[str, Any] = {}
    basis: ConditionBasis | None = None


class AwardTypeOut(Out):
    code: str
    name: str
    subject: str  # individual | collective (CONTRACT §4); a type given to both says individual, see `subjects`
    subjects: list[str]
    form: str
    level: str
    decided_by: str
    ballot: str  # secret | open | none (CONTRACT §4)
    voting: str  # secret | open | standing | none: how the award is handled (RULES §5, a setting)
    listing_before_council: bool  # listed publicly ≥ 10 working days before the council meets (NĐ 98 Art 46.2)
    threshold: float | None
    majority: str | None
    required_attachments: list[str]
    review_days: int
    basis: str
    builtin: bool
    active: bool
    period_years: int
    prize_coefficient: float | None
    conditions: list[Condition]


class AwardTypeList(BaseModel):
    items: list[AwardTypeOut]


class AwardTypeIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    subject: Literal["individual", "collective", "both"]
    ballot: Literal["secret", "open", "standing", "none"]
    threshold: float | None
    conditions: list[dict[str, Any]] = Field(max_length=20)
    form: Literal["title", "commendation"] = "commendation"
    level: Literal["grassroots", "provincial", "ministerial", "national"] = "grassroots"
    decided_by: str = Field("", max_length=200)
    review_days: int = 5
    required_attachments: list[str] | None = None
    period_years: int = 1
    prize_coefficient: float | None = None
    basis: str = Field("", max_length=2000)
    notes: str = Field("", max_length=2000)


@endpoint(bp, "/award-types", summary="Danh hiệu thi đua và hình thức khen thưởng, với thiết lập hiện hành",
          response=AwardTypeList)
def list_award_types():
    return {"items": [award_out(a) for a in services.award_types().values()]}


@endpoint(bp, "/award-types", "POST", summary="Thêm loại khen thưởng với các điều kiện (quản trị hệ thống)",
          body=AwardTypeIn, response=AwardTypeOut, status=201, roles=(Role.admin,), errors=(409,))
def create_award_type(data: AwardTypeIn):
    row = services.create_award_type(by=g.api_user, **data.model_dump())
    db.session.commit()
    return award_out(services.award_type(row.code))


@endpoint(bp, "/award-types/<code>", summary="Một loại khen thưởng (có sẵn hoặc tự định nghĩa) với các điều kiện",
          response=AwardTypeOut)
def get_award_type(code):
    return award_out(services.award_type(code))


def award_out(award) -> dict:
    """The award type as CONTRACT §4 says it, with how it is voted in full beside the contract's word; a stored
    type with its composed conditions."""
    values = {name: getattr(award, name) for name in AwardTypeOut.model_fields if hasattr(award, name)}
    return {**values, "ballot": award.api_ballot, "voting": str(award.ballot),
            "subject": "collective" if award.subject == "collective" else "individual",
            "subjects": list(award.subjects), "required_attachments": list(award.required_attachments),
            "conditions": [dict(c) for c in award.conditions]}
