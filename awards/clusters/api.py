"""Cluster years over the JSON API, through the same services as the pages: create (staff), read (staff, or the
officer of a member unit), sign the pledge, submit scores, move the year on, record the vote."""

from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from awards.clusters import permissions, queries, services
from awards.core.api import ApiError, Schema, endpoint
from awards.core.permissions import MANAGERS
from awards.extensions import csrf, db
from awards.units import queries as units_queries

bp = Blueprint("clusters_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

ACTIONS = {"lock": services.lock_pledge, "open_scoring": services.open_scoring, "rank": services.rank_cluster,
           "reopen_scoring": services.reopen_scoring, "close": services.close_cluster}


class CriterionIn(Schema):
    group: str = Field("", max_length=200)
    text: str = Field(min_length=1, max_length=5000)
    weight: float = Field(gt=0, le=1000)
    max_points: float = Field(gt=0, le=1000)


class ClusterIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    kind: Literal["cluster", "block"]
    year: int
    member_codes: list[str] = Field(min_length=2, max_length=500)
    leader_code: str | None = None
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=200)


class SignIn(Schema):
    unit_code: str = Field(min_length=1, max_length=40)
    signer_name: str = Field("", max_length=200)


class PointsIn(Schema):
    criterion_id: int
    points: float


class ScoresIn(Schema):
    unit_code: str = Field(min_length=1, max_length=40)
    kind: Literal["self", "cluster"]
    points: list[PointsIn] = Field(max_length=200)


class ActionIn(Schema):
    action: Literal["lock", "open_scoring", "rank", "reopen_scoring", "close"]


class CountIn(Schema):
    unit_code: str = Field(min_length=1, max_length=40)
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)


class VoteIn(Schema):
    voted_on: date
    voters: int = Field(ge=1)
    counts: list[CountIn] = Field(min_length=1, max_length=500)
    proposed_award_code: Literal["CO_TINH", "BK_TINH"] | None = None
    proposed_unit_code: str | None = None
    note: str = Field("", max_length=2000)


class MemberOut(BaseModel):
    unit_code: str
    signed_at: datetime | None
    signer_name: str


class CriterionOut(BaseModel):
    id: int
    group: str
    text: str
    weight: float
    max_points: float


class RankOut(BaseModel):
    unit_code: str
    rank: int | None
    self_total: float
    total: float


class VoteOut(BaseModel):
    voted_on: date
    voters: int
    leading_unit_code: str
    counts: list[CountIn]
    proposed_award_code: str | None
    proposed_unit_code: str | None


class ClusterOut(BaseModel):
    id: int
    name: str
    kind: str
    year: int
    status: str
    leader_unit_code: str | None
    members: list[MemberOut]
    criteria: list[CriterionOut]
    ranking: list[RankOut]
    vote: VoteOut | None


def _out(cluster) -> dict:
    vote = cluster.vote
    return {"id": cluster.id, "name": cluster.name, "kind": str(cluster.kind), "year": cluster.year,
            "status": str(cluster.status), "leader_unit_code": cluster.leader.code if cluster.leader else None,
            "members": [{"unit_code": m.unit.code, "signed_at": m.signed_at, "signer_name": m.signer_name}
                        for m in cluster.members],
            "criteria": [{"id": c.id, "group": c.group, "text": c.text, "weight": c.weight,
                          "max_points": c.max_points} for c in cluster.criteria],
            "ranking": [{"unit_code": r.member.unit.code, "rank": r.rank, "self_total": r.own_total,
                         "total": r.total} for r in queries.scoring_table(cluster)],
            "vote": None if vote is None else {
                "voted_on": vote.voted_on, "voters": vote.voters, "leading_unit_code": vote.leading_unit.code,
                "counts": [{"unit_code": c.unit.code, "votes_for": c.votes_for, "votes_against": c.votes_against}
                           for c in vote.counts],
                "proposed_award_code": vote.proposed_award_code and str(vote.proposed_award_code),
                "proposed_unit_code": vote.proposed_unit.code if vote.proposed_unit else None}}


def _cluster(cluster_id: int):
    cluster = queries.cluster_by_id(cluster_id)
    if cluster is None:
        raise ApiError(404, _("Không có cụm, khối thi đua số %(i)s.", i=cluster_id))
    if not permissions.can_view(g.api_user, cluster):
        raise ApiError(403, _("Đơn vị của bạn không thuộc cụm, khối thi đua này."))
    return cluster


def _unit(code: str, field: str = "unit_code"):
    unit = units_queries.unit_by_code(code)
    if unit is None:
        raise ApiError(400, fields={field: _("Không có đơn vị mã “%(c)s”.", c=code)})
    return unit


@endpoint(bp, "/clusters", "POST", summary="Lập cụm, khối thi đua của một năm (bản nháp giao ước)", body=ClusterIn,
          response=ClusterOut, status=201, roles=MANAGERS, errors=(409,))
def create_cluster(data: ClusterIn):
    cluster = services.create_cluster(name=data.name, kind=data.kind, year=data.year, member_codes=data.member_codes,
                                      leader_code=data.leader_code, by=g.api_user,
                                      criteria=[c.model_dump() for c in data.criteria])
    db.session.commit()
    return _out(cluster)


@endpoint(bp, "/clusters/<int:cluster_id>", summary="Xem cụm, khối: thành viên, giao ước, bảng điểm, bình bầu",
          response=ClusterOut, errors=(403, 404))
def get_cluster(cluster_id):
    return _out(_cluster(cluster_id))


@endpoint(bp, "/clusters/<int:cluster_id>/signatures", "POST", summary="Đơn vị thành viên ký giao ước thi đua",
          body=SignIn, response=ClusterOut, errors=(403, 404, 409))
def sign_pledge(cluster_id, data: SignIn):
    cluster = _cluster(cluster_id)
    services.sign_pledge(cluster, _unit(data.unit_code), signer_name=data.signer_name, by=g.api_user)
    db.session.commit()
    return _out(cluster)


@endpoint(bp, "/clusters/<int:cluster_id>/scores", "POST", summary="Chấm điểm một đơn vị (tự chấm hoặc cụm chấm)",
          body=ScoresIn, response=ClusterOut, errors=(403, 404, 409))
def submit_scores(cluster_id, data: ScoresIn):
    cluster = _cluster(cluster_id)
    services.submit_scores(cluster, _unit(data.unit_code), data.kind, {p.criterion_id: p.points for p in data.points},
                           by=g.api_user)
    db.session.commit()
    return _out(cluster)


@endpoint(bp, "/clusters/<int:cluster_id>/actions", "POST", summary="Chuyển giai đoạn: khóa giao ước, mở chấm "
          "điểm, xếp hạng, mở lại chấm điểm, kết thúc", body=ActionIn, response=ClusterOut, roles=MANAGERS,
          errors=(404, 409))
def act(cluster_id, data: ActionIn):
    cluster = _cluster(cluster_id)
    ACTIONS[data.action](cluster, by=g.api_user)
    db.session.commit()
    return _out(cluster)


@endpoint(bp, "/clusters/<int:cluster_id>/vote", "POST", summary="Ghi kết quả bình bầu đơn vị dẫn đầu",
          body=VoteIn, response=ClusterOut, roles=MANAGERS, errors=(404, 409))
def record_vote(cluster_id, data: VoteIn):
    cluster = _cluster(cluster_id)
    services.record_vote(cluster, voted_on=data.voted_on, voters=data.voters,
                         counts={c.unit_code: (c.votes_for, c.votes_against) for c in data.counts},
                         proposed_award_code=data.proposed_award_code, proposed_unit_code=data.proposed_unit_code,
                         note=data.note, by=g.api_user)
    db.session.commit()
    return _out(cluster)
