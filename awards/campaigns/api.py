"""Campaigns and registrations over the JSON API (CONTRACT §4)."""

from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.campaigns import permissions, queries, rules, services
from awards.core import clock
from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.units import queries as units_queries

bp = Blueprint("campaigns_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class CampaignIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    kind: Literal["regular", "thematic"]
    year: int
    organizer_unit_code: str = Field(min_length=1, max_length=40)
    starts_on: date
    ends_on: date
    registration_deadline: date
    nomination_deadline: date
    nominations_open_on: date | None = None
    award_codes: list[str] = Field(default_factory=list, max_length=20)
    theme: str = Field("", max_length=5000)
    targets_html: str = Field("", max_length=50_000)
    criteria_html: str = Field("", max_length=50_000)
    registration_required: bool = False
    draft: bool = False  # created launched unless asked otherwise, so units can register at once


class CampaignOut(Out):
    id: int
    title: str
    kind: str
    year: int
    organizer_unit_code: str
    starts_on: date
    ends_on: date
    registration_deadline: date
    nomination_deadline: date
    award_codes: list[str]
    registration_required: bool
    status: str
    phase: str
    theme: str
    targets_html: str
    criteria_html: str


class CampaignQuery(PageQuery):
    year: int | None = None
    status: Literal["draft", "launched", "closed"] | None = None


class IndividualIn(Schema):
    person_code: str = Field(min_length=1, max_length=40)
    award_code: str = Field(min_length=1, max_length=20)


class RegistrationIn(Schema):
    unit_code: str = Field(min_length=1, max_length=40)
    collective_award_codes: list[str] = Field(default_factory=list, max_length=20)
    individuals: list[IndividualIn] = Field(default_factory=list, max_length=5000)
    commitment: str = Field("", max_length=20_000)


class IndividualOut(Out):
    person_code: str
    award_code: str


class RegistrationOut(Out):
    id: int
    campaign_id: int
    unit_code: str
    collective_award_codes: list[str]
    individuals: list[IndividualOut]
    commitment: str
    updated_at: datetime


class RegistrationList(BaseModel):
    items: list[RegistrationOut]
    unregistered_unit_codes: list[str]


class ReopenIn(Schema):
    unit_code: str = Field(min_length=1, max_length=40)
    until: date
    reason: str = Field(min_length=1, max_length=2000)


def _out(campaign):
    return {**{name: getattr(campaign, name) for name in CampaignOut.model_fields if name != "phase"},
            "phase": rules.phase(campaign, clock.today())}


def _campaign(campaign_id: int):
    campaign = queries.campaign_by_id(campaign_id)
    if campaign is None or not permissions.can_view(g.api_user, campaign):
        raise ApiError(404, _("Không có phong trào số %(i)s.", i=campaign_id))
    return campaign


def _unit(code: str, field: str = "unit_code"):
    unit = units_queries.unit_by_code(code)
    if unit is None:
        raise ApiError(400, fields={field: _("Không có đơn vị mã “%(c)s”.", c=code)})
    return unit


@endpoint(bp, "/campaigns", "POST", summary="Tạo (và phát động) phong trào thi đua", body=CampaignIn,
          response=CampaignOut, status=201, roles=MANAGERS)
def create_campaign(data: CampaignIn):
    values = data.model_dump(exclude={"draft"})
    campaign = services.create_campaign(by=g.api_user, launch=not data.draft, **values)
    db.session.commit()
    return _out(campaign)


@endpoint(bp, "/campaigns/<int:campaign_id>", summary="Xem một phong trào, kèm giai đoạn hiện tại",
          response=CampaignOut)
def get_campaign(campaign_id):
    return _out(_campaign(campaign_id))


@endpoint(bp, "/campaigns", summary="Danh sách phong trào", query=CampaignQuery, response=Page[CampaignOut])
def list_campaigns(query: CampaignQuery):
    stmt = queries.campaigns_stmt(query.year, query.status, public_only=not g.api_user.is_manager)
    result = paginate(db.session, stmt, query.page, query.per_page)
    result.items = [_out(c) for c in result.items]
    return result


@endpoint(bp, "/campaigns/<int:campaign_id>/launch", "POST", summary="Phát động phong trào", response=CampaignOut,
          roles=MANAGERS, errors=(409,))
def launch_campaign(campaign_id):
    campaign = _campaign(campaign_id)
    services.launch_campaign(campaign, by=g.api_user)
    db.session.commit()
    return _out(campaign)


@endpoint(bp, "/campaigns/<int:campaign_id>/close", "POST", summary="Kết thúc phong trào", response=CampaignOut,
          roles=MANAGERS, errors=(409,))
def close_campaign(campaign_id):
    campaign = _campaign(campaign_id)
    services.close_campaign(campaign, by=g.api_user)
    db.session.commit()
    return _out(campaign)


@endpoint(bp, "/campaigns/<int:campaign_id>/registrations", "POST",
          summary="Đăng ký thi đua của một đơn vị (gửi lại trước hạn để thay bản cũ)", body=RegistrationIn,
          response=RegistrationOut, status=201, errors=(409,))
def register(campaign_id, data: RegistrationIn):
    campaign, unit = _campaign(campaign_id), _unit(data.unit_code)
    registration = services.register(
        campaign, unit, collective_award_codes=data.collective_award_codes, commitment=data.commitment,
        individuals=[(i.person_code, i.award_code) for i in data.individuals], by=g.api_user)
    db.session.commit()
    return registration


@endpoint(bp, "/campaigns/<int:campaign_id>/registrations", summary="Các đơn vị đã và chưa đăng ký",
          response=RegistrationList)
def list_registrations(campaign_id):
    campaign = _campaign(campaign_id)
    scope = permissions.registration_scope(g.api_user)  # other units' people and targets are theirs to see
    return {"items": [r for r in queries.registrations(campaign) if scope is None or r.unit_id in scope],
            "unregistered_unit_codes": [u.code for u in queries.unregistered_units(campaign)]}


@endpoint(bp, "/campaigns/<int:campaign_id>/reopenings", "POST",
          summary="Mở lại đăng ký cho một đơn vị sau hạn (có lý do, ghi nhật ký)", body=ReopenIn, status=201,
          roles=MANAGERS)
def reopen(campaign_id, data: ReopenIn):
    campaign, unit = _campaign(campaign_id), _unit(data.unit_code)
    reopening = services.reopen_registration(campaign, unit, until=data.until, reason=data.reason, by=g.api_user)
    db.session.commit()
    return {"id": reopening.id, "unit_code": unit.code, "until": reopening.until.isoformat()}
