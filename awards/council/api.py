"""Councils, sessions and ballots over the JSON API (CONTRACT §4)."""

from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.core.api import ApiError, Out, Page, PageQuery, Schema, endpoint, paginate
from awards.core.permissions import MANAGERS
from awards.council import permissions, queries, services, voting
from awards.council.models import MEMBER_ROLES
from awards.extensions import csrf, db

bp = Blueprint("council_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
VIEWERS = permissions.VIEWERS


class SeatIn(Schema):
    username: str = Field(min_length=1, max_length=80)
    role: Literal[MEMBER_ROLES] = "member"  # type: ignore[valid-type]


class CouncilIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    unit_code: str = Field(min_length=1, max_length=40)
    chair_username: str = Field(min_length=1, max_length=80)
    member_usernames: list[str] = Field(default_factory=list, max_length=200)
    seats: list[SeatIn] = Field(default_factory=list, max_length=200)  # vice-chairs and secretary, if any
    term_from: date | None = None
    term_to: date | None = None
    recusal_scope: Literal["nominee", "unit_head", "unit"] | None = None  # who steps back automatically
    recused_count: bool | None = None  # recused members still count in the total membership (default yes)


class SeatOut(Out):
    username: str
    full_name: str
    role: str


class CouncilOut(Out):
    id: int
    code: str
    name: str
    unit_code: str
    term_from: date | None
    term_to: date | None
    recusal_scope: str
    recused_count: bool
    members: list[SeatOut]


class SessionIn(Schema):
    council_code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=300)
    nomination_ids: list[int] = Field(max_length=2000)
    closes_at: datetime
    opens_at: datetime | None = None


class AgendaIn(Schema):
    nomination_ids: list[int] = Field(max_length=2000)


class ItemOut(BaseModel):
    nomination_id: int
    position: int
    subject_name: str
    unit_code: str
    award_code: str
    status: str
    ballot: str
    threshold: float | None
    needed_yes: int | None  # "Đồng ý" votes the item needs (None: more than half of the ballots cast on it)
    recused: int  # members who take no part in it


class SessionOut(BaseModel):
    id: int
    council_code: str
    title: str
    status: str
    round: int
    previous_id: int | None
    opens_at: datetime | None
    closes_at: datetime
    members: int
    ballots_cast: int
    voted: bool
    recused_from: list[int]
    items: list[ItemOut]


class SessionQuery(PageQuery):
    status: Literal["draft", "open", "closed"] | None = None
    council_code: str | None = None


class VoteIn(Schema):
    nomination_id: int
    choice: Literal["yes", "no"]


class BallotIn(Schema):
    votes: list[VoteIn] = Field(max_length=2000)


class ReceiptOut(BaseModel):
    receipt: str


class RecusalIn(Schema):
    nomination_id: int
    reason: str = Field(min_length=1, max_length=2000)


class RecusalOut(BaseModel):
    nomination_id: int
    username: str
    reason: str
    automatic: bool


class ResultItemOut(BaseModel):
    nomination_id: int
    yes: int
    no: int
    blank: int
    needed: int
    recused: int
    ballot: str
    threshold: float | None
    passed: bool


class ResultsOut(BaseModel):
    members: int
    ballots_cast: int
    quorum: float | None
    quorum_met: bool
    items: list[ResultItemOut]


class ReceiptsOut(BaseModel):
    receipts: list[str]


class SecondRoundIn(Schema):
    nomination_ids: list[int] = Field(min_length=1, max_length=2000)
    closes_at: datetime


def _council_out(council) -> dict:
    return {"id": council.id, "code": council.code, "name": council.name, "unit_code": council.unit.code,
            "term_from": council.term_from, "term_to": council.term_to,
            "recusal_scope": str(council.recusal_scope), "recused_count": council.recused_count,
            "members": [{"username": m.user.username, "full_name": m.user.full_name, "role": m.role}
                        for m in council.members]}


def _session_out(session) -> dict:
    user, needs = g.api_user, queries.needs(session)
    return {"id": session.id, "council_code": session.council.code, "title": session.title,
            "status": session.status, "round": session.round, "previous_id": session.previous_id,
            "opens_at": session.opens_at, "closes_at": session.closes_at, "members": len(queries.seats(session)),
            "ballots_cast": queries.ballots_cast(session), "voted": queries.has_voted(session, user),
            "recused_from": sorted(queries.recused_items(session, user)),
            "items": [{"nomination_id": i.nomination_id, "position": i.position,
                       "subject_name": i.nomination.subject_name, "unit_code": i.nomination.unit_code,
                       "award_code": i.nomination.award_code, "status": i.nomination.status, "ballot": i.ballot,
                       "threshold": i.threshold, "needed_yes": needs[i.nomination_id]["needed"],
                       "recused": needs[i.nomination_id]["recused"]} for i in session.items]}


def _session(session_id: int):
    session = queries.session_by_id(session_id)
    if session is None or not permissions.may_view(g.api_user, session):
        raise ApiError(404, _("Không có phiên họp số %(i)s.", i=session_id))
    return session


@endpoint(bp, "/councils", "POST", summary="Lập Hội đồng Thi đua – Khen thưởng", body=CouncilIn,
          response=CouncilOut, status=201, roles=MANAGERS, errors=(409,))
def create_council(data: CouncilIn):
    members = [(name, "member") for name in data.member_usernames] + [(s.username, s.role) for s in data.seats]
    council = services.save_council(code=data.code, name=data.name, unit_code=data.unit_code,
                                    chair_username=data.chair_username, members=members, term_from=data.term_from,
                                    term_to=data.term_to, recusal_scope=data.recusal_scope,
                                    recused_count=data.recused_count, by=g.api_user)
    db.session.commit()
    return _council_out(council)


@endpoint(bp, "/councils", summary="Danh sách hội đồng", query=PageQuery, response=Page[CouncilOut], roles=VIEWERS)
def list_councils(query: PageQuery):
    page = paginate(db.session, queries.councils_stmt(g.api_user), query.page, query.per_page)
    page.items = [_council_out(c) for c in page.items]
    return page


@endpoint(bp, "/council-sessions", "POST", summary="Lập phiên họp (bản nháp) với chương trình các hồ sơ",
          body=SessionIn, response=SessionOut, status=201, roles=MANAGERS, errors=(409,))
def create_session(data: SessionIn):
    council = queries.council_by_code(data.council_code)
    if council is None:
        raise ApiError(400, fields={"council_code": _("Không có hội đồng mã “%(c)s”.", c=data.council_code)})
    session = services.create_session(council=council, title=data.title, nomination_ids=data.nomination_ids,
                                      closes_at=data.closes_at, opens_at=data.opens_at, by=g.api_user)
    db.session.commit()
    return _session_out(session)


@endpoint(bp, "/council-sessions", summary="Danh sách phiên họp", query=SessionQuery, response=Page[SessionOut],
          roles=VIEWERS)
def list_sessions(query: SessionQuery):
    council = queries.council_by_code(query.council_code) if query.council_code else None
    stmt = queries.sessions_stmt(g.api_user, council.id if council else None, query.status)
    if query.council_code and council is None:
        stmt = stmt.where(False)
    page = paginate(db.session, stmt, query.page, query.per_page)
    page.items = [_session_out(s) for s in page.items]
    return page


@endpoint(bp, "/council-sessions/<int:session_id>", summary="Xem phiên họp và chương trình", response=SessionOut,
          roles=VIEWERS)
def get_session(session_id):
    return _session_out(_session(session_id))


@endpoint(bp, "/council-sessions/<int:session_id>/agenda", "POST", summary="Sắp xếp lại chương trình (bản nháp)",
          body=AgendaIn, response=SessionOut, roles=MANAGERS, errors=(409,))
def set_agenda(session_id, data: AgendaIn):
    session = _session(session_id)
    services.set_agenda(session, nomination_ids=data.nomination_ids, by=g.api_user)
    db.session.commit()
    return _session_out(session)


@endpoint(bp, "/council-sessions/<int:session_id>/open", "POST", summary="Mở bỏ phiếu (hồ sơ chuyển sang Hội đồng)",
          response=SessionOut, roles=VIEWERS, errors=(409,))
def open_session(session_id):
    session = _session(session_id)
    voting.open_session(session, by=g.api_user)
    db.session.commit()
    return _session_out(session)


@endpoint(bp, "/council-sessions/<int:session_id>/ballots", "POST",
          summary="Bỏ phiếu (một lần mỗi phiên; hồ sơ bỏ trống tính là không đồng ý)", body=BallotIn,
          response=ReceiptOut, status=201, roles=VIEWERS, errors=(409,), light_user=True)
def cast_ballot(session_id, data: BallotIn):
    votes = {v.nomination_id: v.choice for v in data.votes}
    if len(votes) != len(data.votes):
        _session(session_id)  # a session the user may not see is 404 first, as everywhere
        raise ApiError(400, fields={"votes": _("Mỗi hồ sơ chỉ được biểu quyết một lần.")})
    # no session loaded here: the service's one guard query answers 404 as _session would (issue 21)
    receipt = voting.cast_ballot(session_id, votes=votes, by=g.api_user)
    db.session.commit()
    return {"receipt": receipt}


@endpoint(bp, "/council-sessions/<int:session_id>/recusals", "POST", summary="Tự khai tránh xung đột lợi ích",
          body=RecusalIn, response=RecusalOut, status=201, roles=VIEWERS, errors=(409,))
def declare_recusal(session_id, data: RecusalIn):
    session = _session(session_id)
    recusal = voting.declare_recusal(session, nomination_id=data.nomination_id, reason=data.reason, by=g.api_user)
    db.session.commit()
    return {"nomination_id": recusal.nomination_id, "username": recusal.user.username, "reason": recusal.reason,
            "automatic": recusal.automatic}


@endpoint(bp, "/council-sessions/<int:session_id>/close", "POST", summary="Kết thúc bỏ phiếu và kiểm phiếu",
          response=ResultsOut, roles=VIEWERS, errors=(409,))
def close_session(session_id):
    session = _session(session_id)
    tally = voting.close_session(session, by=g.api_user)
    db.session.commit()
    return tally


@endpoint(bp, "/council-sessions/<int:session_id>/results", summary="Kết quả kiểm phiếu (sau khi kết thúc)",
          response=ResultsOut, roles=VIEWERS, errors=(409,))
def results(session_id):
    return voting.results(_session(session_id))


@endpoint(bp, "/council-sessions/<int:session_id>/receipts", summary="Danh sách mã phiếu đã được kiểm",
          response=ReceiptsOut, roles=VIEWERS, errors=(409,))
def receipts(session_id):
    session = _session(session_id)
    voting.results(session)  # 409 before the close
    return {"receipts": queries.receipts(session)}


@endpoint(bp, "/council-sessions/<int:session_id>/second-round", "POST",
          summary="Mở vòng bỏ phiếu thứ hai cho hồ sơ không đạt với cách biệt nhỏ", body=SecondRoundIn,
          response=SessionOut, status=201, roles=VIEWERS, errors=(409,))
def second_round(session_id, data: SecondRoundIn):
    second = voting.open_second_round(_session(session_id), nomination_ids=data.nomination_ids,
                                      closes_at=data.closes_at, by=g.api_user)
    db.session.commit()
    return _session_out(second)
