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
    ballot: str  # secret | open | none (CONTRACT §4)
    voting: str  # secret | open | standing | none: how the award is handled (RULES §5, a setting)
    listing_before_council: bool  # listed publicly ≥ 10 working days before the council meets (NĐ 98 Art 46.2)
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
    return {"items": [award_out(a) for a in services.award_types().values()]}


def award_out(award) -> dict:
    """The award type as CONTRACT §4 says it, with how it is voted in full beside the contract's word."""
    values = {name: getattr(award, name) for name in AwardTypeOut.model_fields if hasattr(award, name)}
    return {**values, "ballot": award.api_ballot, "voting": str(award.ballot),
            "required_attachments": list(award.required_attachments)}
