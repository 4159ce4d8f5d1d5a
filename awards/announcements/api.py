"""Public review, feedback and award decisions over the JSON API (CONTRACT §4)."""

from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.announcements import decisions, queries, services
from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db

bp = Blueprint("announcements_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
FEEDBACK_LIMIT = "5 per minute;30 per day"  # per address: enough for a citizen, not for a flood
FEEDBACK_SCOPE = "public-feedback"  # one count for the JSON endpoint and the public page's form


class AnnouncementIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    nomination_ids: list[int] = Field(min_length=1, max_length=2000)
    opens_on: date
    closes_on: date


class NomineeOut(BaseModel):
    nomination_id: int
    subject_name: str
    unit_name: str
    award_code: str
    award_name: str
    summary: str


class AnnouncementOut(BaseModel):
    id: int
    title: str
    opens_on: date
    closes_on: date
    phase: str
    nominees: list[NomineeOut]


class FeedbackIn(Schema):
    nomination_id: int
    name: str = Field(min_length=1, max_length=services.LIMITS["name"])
    contact: str = Field(min_length=1, max_length=services.LIMITS["contact"])
    content: str = Field(min_length=1, max_length=services.LIMITS["content"])
    website: str = Field("", max_length=200)  # the honeypot: people never see it, robots fill it


class ReferenceOut(BaseModel):
    reference: str


class FeedbackOut(Out):
    id: int
    reference: str
    nomination_id: int
    name: str
    contact: str
    content: str
    status: str
    outcome: str | None
    action: str | None
    resolution: str
    created_at: datetime
    resolved_at: datetime | None


class ResolveIn(Schema):
    resolution: str = Field(min_length=1, max_length=5000)
    outcome: Literal["dismissed", "upheld"] = "dismissed"
    action: Literal["none", "return", "reject"] = "none"


class DecisionIn(Schema):
    number: str = Field(min_length=1, max_length=60)
    signed_on: date
    signer: str = Field(min_length=1, max_length=200)
    issuer: str = Field(min_length=1, max_length=255)
    nomination_ids: list[int] = Field(min_length=1, max_length=5000)
    unit_code: str | None = Field(None, max_length=40)  # the issuing unit (CONTRACT §5)


class RecipientOut(BaseModel):
    nomination_id: int
    record_id: int
    gold_book_number: str
    subject_type: str
    subject_name: str
    unit_name: str
    award_code: str
    award_name: str
    year: int


class DecisionOut(BaseModel):
    id: int
    number: str
    signed_on: date
    signer: str
    issuer: str
    unit_code: str | None = None  # the awarding unit that issued it
    recipients: list[RecipientOut]


class DecisionQuery(PageQuery):
    year: int | None = None


def _announcement(announcement_id: int):
    announcement = queries.announcement_by_id(announcement_id)
    if announcement is None:
        raise ApiError(404, _("Không có danh sách công khai số %(i)s.", i=announcement_id))
    return announcement


@endpoint(bp, "/announcements", "POST", summary="Công khai danh sách đề nghị khen thưởng để lấy ý kiến",
          body=AnnouncementIn, response=AnnouncementOut, status=201, roles=MANAGERS, errors=(409,))
def publish(data: AnnouncementIn):
    announcement = services.publish(by=g.api_user, **data.model_dump())
    db.session.commit()
    return queries.announcement_out(announcement)


@endpoint(bp, "/announcements", summary="Các danh sách công khai", query=PageQuery, response=Page[AnnouncementOut],
          roles=MANAGERS)
def list_announcements(query: PageQuery):
    page = paginate(db.session, queries.announcements_stmt(), query.page, query.per_page)
    page.items = [queries.announcement_out(a) for a in page.items]
    return page


@endpoint(bp, "/public/announcements/<int:announcement_id>", summary="Danh sách công khai (không cần đăng nhập)",
          response=AnnouncementOut, public=True, limit="120 per minute")
def public_announcement(announcement_id):
    return queries.announcement_out(_announcement(announcement_id))


@endpoint(bp, "/public/announcements/<int:announcement_id>/feedback", "POST",
          summary="Gửi ý kiến về người được đề nghị (họ tên, liên hệ bắt buộc); trả về số tham chiếu",
          body=FeedbackIn, response=ReferenceOut, status=201, public=True, errors=(409, 429), limit=FEEDBACK_LIMIT,
          limit_scope=FEEDBACK_SCOPE)
def send_feedback(announcement_id, data: FeedbackIn):
    feedback = services.submit_feedback(_announcement(announcement_id), nomination_id=data.nomination_id,
                                        name=data.name, contact=data.contact, content=data.content,
                                        honeypot=data.website)
    db.session.commit()
    return {"reference": feedback.reference}


@endpoint(bp, "/announcements/<int:announcement_id>/feedback", summary="Ý kiến phản ánh về một danh sách",
          query=PageQuery, response=Page[FeedbackOut], roles=MANAGERS)
def list_feedback(announcement_id, query: PageQuery):
    _announcement(announcement_id)
    return paginate(db.session, queries.feedback_stmt(announcement_id=announcement_id), query.page, query.per_page)


@endpoint(bp, "/feedback/<int:feedback_id>/resolve", "POST", summary="Giải quyết ý kiến phản ánh",
          body=ResolveIn, response=FeedbackOut, roles=MANAGERS, errors=(409,))
def resolve_feedback(feedback_id, data: ResolveIn):
    feedback = queries.feedback_by_id(feedback_id)
    if feedback is None:
        raise ApiError(404, _("Không có ý kiến số %(i)s.", i=feedback_id))
    services.resolve(feedback, resolution=data.resolution, outcome=data.outcome, action=data.action, by=g.api_user)
    db.session.commit()
    return feedback


@endpoint(bp, "/decisions", "POST",
          summary="Ban hành quyết định khen thưởng (ghi vào lưu trữ, số sổ vàng tiếp theo của sổ)",
          body=DecisionIn, response=DecisionOut, status=201, roles=MANAGERS, errors=(409,))
def issue_decision(data: DecisionIn):
    decision = decisions.issue_decision(by=g.api_user, **data.model_dump())
    db.session.commit()
    return queries.decision_out(decision)


@endpoint(bp, "/decisions/<int:decision_id>", summary="Xem quyết định khen thưởng", response=DecisionOut,
          roles=MANAGERS)
def get_decision(decision_id):
    decision = queries.decision_by_id(decision_id)
    if decision is None:
        raise ApiError(404, _("Không có quyết định số %(i)s.", i=decision_id))
    return queries.decision_out(decision)


@endpoint(bp, "/public/decisions", summary="Các quyết định khen thưởng đã công bố (không cần đăng nhập)",
          query=DecisionQuery, response=Page[DecisionOut], public=True, limit="120 per minute")
def public_decisions(query: DecisionQuery):
    page = paginate(db.session, queries.decisions_stmt(year=query.year), query.page, query.per_page)
    page.items = [queries.decision_out(d, public=True) for d in page.items]
    return page
