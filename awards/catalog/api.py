"""The catalog over the JSON API: GET /award-types (CONTRACT §4)."""

from flask import Blueprint
from pydantic import BaseModel

from awards.catalog import services
from awards.core.api import Out, endpoint
from awards.extensions import csrf

bp = Blueprint("catalog_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class AwardTypeOut(Out):
    code: str
    name: str
    subject: str
    form: str
    level: str
    decided_by: str
    ballot: str
    threshold: float | None
    majority: str | None
    required_attachments: list[str]
    review_days: int
    basis: str


class AwardTypeList(BaseModel):
    items: list[AwardTypeOut]


@endpoint(bp, "/award-types", summary="Danh hiệu thi đua và hình thức khen thưởng, với thiết lập hiện hành",
          response=AwardTypeList)
def list_award_types():
    return {"items": list(services.award_types().values())}
