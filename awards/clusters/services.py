"""Changing cluster years: each guards (403, 409, 400), changes, flushes and audits; callers commit.

The pledge (members, leader, criteria) is written while the year is a draft and locks once every member has
signed it or the scoring opens. Scores are taken only while scoring; a closed year changes no more."""

from datetime import date

from flask_babel import gettext as _

from awards.clusters import permissions
from awards.clusters.models import (
    Cluster,
    ClusterCriterion,
    ClusterKind,
    ClusterMember,
    ClusterScore,
    ClusterStatus,
    ClusterVote,
    ClusterVoteCount,
    ProposedAward,
)
from awards.clusters.queries import cluster_named, scoring_table
from awards.clusters.states import EDITABLE, transition
from awards.core import audit, clock
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.notifications import queries as recipients
from awards.notifications.services import notify
from awards.units import queries as units_queries
from awards.units.services import check_year

FIELDS = ("name", "kind", "year", "status")


def _forbidden(message: str) -> DomainError:
    return DomainError(message, status=403, code="forbidden")


def _manager(by) -> None:
    if by is not None and not by.is_manager:
        raise _forbidden(_("Chỉ cán bộ thường trực thi đua mới lập và điều hành cụm, khối thi đua."))


def _not_closed(cluster: Cluster) -> None:
    if cluster.status == ClusterStatus.closed:
        raise DomainError(_("Cụm, khối thi đua năm %(y)s đã kết thúc: chỉ xem, không sửa được.", y=cluster.year),
                          code="wrong_state")


def _editable(cluster: Cluster) -> None:
    _not_closed(cluster)
    if cluster.status not in EDITABLE:
        raise DomainError(_("Giao ước thi đua đã khóa (đã ký đủ hoặc đã mở chấm điểm): không sửa thành viên, "
                            "trưởng cụm, khối hay tiêu chí được nữa."), code="pledge_locked")


def _units(codes, field: str) -> list:
    units = []
    for code in dict.fromkeys(c.strip() for c in codes or () if c and c.strip()):
        unit = units_queries.unit_by_code(code)
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=code), field=field)
        units.append(unit)
    return units


def _snapshot(cluster: Cluster) -> dict:
    return {**audit.snapshot(cluster, FIELDS), "leader": cluster.leader.code if cluster.leader else None,
            "members": [m.unit.code for m in cluster.members],
            "criteria": [[c.group, c.text, c.weight, c.max_points] for c in cluster.criteria]}


def _apply(cluster: Cluster, *, name: str, kind: str, year: int, member_codes, leader_code: str | None) -> None:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Tên cụm, khối thi đua không được để trống."), field="name")
    if kind not in ClusterKind.labels():
        raise Invalid(_("Loại phải là cụm (cluster) hoặc khối (block)."), field="kind")
    check_year(year)
    same = cluster_named(name, year)
    if same is not None and same.id != cluster.id:
        raise DomainError(_("Năm %(y)s đã có cụm, khối “%(n)s”.", y=year, n=name), code="duplicate")
    units = _units(member_codes, "member_codes")
    if len(units) < 2:
        raise Invalid(_("Cụm, khối thi đua cần ít nhất 2 đơn vị thành viên."), field="member_codes")
    leader = _units([leader_code], "leader_code")[0] if (leader_code or "").strip() else None
    if leader is not None and leader.id not in {u.id for u in units}:
        raise Invalid(_("Trưởng cụm, khối phải là một đơn vị thành viên."), field="leader_code")
    cluster.name, cluster.kind, cluster.year, cluster.leader = name, kind, year, leader
    keep = {u.id for u in units}
    cluster.members = [m for m in cluster.members if m.unit_id in keep]
    have = {m.unit_id for m in cluster.members}
    cluster.members += [ClusterMember(unit=u) for u in units if u.id not in have]


def create_cluster(*, name: str, kind: str, year: int, member_codes, leader_code: str | None = None,
                   criteria=(), by) -> Cluster:
    """A cụm or khối for a year (a draft): its members, its leader unit and, if given, the pledge's criteria."""
    _manager(by)
    cluster = Cluster(status=ClusterStatus.draft, created_by_id=getattr(by, "id", None))
    _apply(cluster, name=name, kind=kind, year=year, member_codes=member_codes, leader_code=leader_code)
    db.session.add(cluster)
    _criteria(cluster, criteria)
    db.session.flush()
    audit.record("cluster.create", cluster, by=by, after=_snapshot(cluster))
    return cluster


def update_cluster(cluster: Cluster, *, name: str, kind: str, year: int, member_codes, leader_code=None,
                   by) -> Cluster:
    """Change a draft's name, kind, year, members or leader (a member removed takes its signature with it)."""
    _manager(by)
    _editable(cluster)
    before = _snapshot(cluster)
    _apply(cluster, name=name, kind=kind, year=year, member_codes=member_codes, leader_code=leader_code)
    db.session.flush()
    audit.record("cluster.update", cluster, by=by, before=before, after=_snapshot(cluster))
    return cluster


def _criteria(cluster: Cluster, items) -> None:
    rows = []
    for index, item in enumerate(items or ()):
        group, text, weight, max_points = (item.get(k) for k in ("group", "text", "weight", "max_points"))
        if not (text or "").strip():
            raise Invalid(_("Tiêu chí thứ %(n)s chưa có nội dung.", n=index + 1), field=f"criteria.{index}.text")
        for key, value in (("weight", weight), ("max_points", max_points)):
            if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 1000:
                raise Invalid(_("Tiêu chí thứ %(n)s: trọng số và điểm tối đa phải là số lớn hơn 0 (tối đa 1000).",
                                n=index + 1), field=f"criteria.{index}.{key}")
        rows.append(ClusterCriterion(position=index, group=(group or "").strip()[:200], text=text.strip(),
                                     weight=float(weight), max_points=float(max_points)))
    cluster.criteria = rows


def set_criteria(cluster: Cluster, items, *, by) -> Cluster:
    """Replace the pledge's scored criteria (group, text, weight, maximum points) while it is a draft; the
    signatures already given are cleared, since they were for other terms."""
    _manager(by)
    _editable(cluster)
    before = _snapshot(cluster)
    _criteria(cluster, items)
    for member in cluster.members:
        member.signed_at, member.signed_by_id, member.signer_name = None, None, ""
    db.session.flush()
    audit.record("cluster.criteria", cluster, by=by, before=before, after=_snapshot(cluster))
    return cluster


def _ready(cluster: Cluster) -> None:
    if not cluster.criteria:
        raise DomainError(_("Giao ước thi đua chưa có tiêu chí chấm điểm."), code="no_criteria")


def sign_pledge(cluster: Cluster, unit, *, signer_name: str = "", by) -> ClusterMember:
    """A member unit signs the pledge (who, when); the last signature locks it (→ pledged)."""
    if by is not None and not permissions.may_act_for(by, cluster, unit.id):
        raise _forbidden(_("Chỉ đơn vị thành viên (hoặc cán bộ thường trực) ký giao ước của đơn vị mình."))
    _editable(cluster)
    _ready(cluster)
    member = cluster.member_for(unit.id)
    if member.signed_at is not None:
        raise DomainError(_("%(u)s đã ký giao ước ngày %(d)s.", u=unit.name,
                            d=member.signed_at.strftime("%d/%m/%Y")), code="already_signed")
    member.signed_at, member.signed_by_id = utcnow(), getattr(by, "id", None)
    member.signer_name = (signer_name or getattr(by, "full_name", "") or "").strip()[:200]
    db.session.flush()
    audit.record("cluster.sign", cluster, by=by, after={"unit": unit.code, "signer": member.signer_name})
    if cluster.all_signed:
        transition(cluster, ClusterStatus.pledged, by=by, note=_("Các đơn vị thành viên đã ký đủ giao ước."))
        db.session.flush()
    return member


def lock_pledge(cluster: Cluster, *, by) -> None:
    _manager(by)
    _ready(cluster)
    transition(cluster, ClusterStatus.pledged, by=by)
    db.session.flush()


def open_scoring(cluster: Cluster, *, by) -> None:
    """Year end: members score themselves, the cluster scores them; an unsigned pledge locks as it stands."""
    _manager(by)
    _ready(cluster)
    if cluster.leader_unit_id is None:
        raise DomainError(_("Chưa chọn trưởng cụm, khối: chọn trước khi mở chấm điểm."), code="no_leader")
    transition(cluster, ClusterStatus.scoring, by=by)
    db.session.flush()
    _tell_members(cluster, "cluster_scoring_opened", _("Chấm điểm thi đua: %(n)s năm %(y)s", n=cluster.name,
                                                        y=cluster.year),
                  _("Đơn vị tự chấm điểm theo các tiêu chí của giao ước thi đua."))


def _tell_members(cluster: Cluster, kind: str, subject: str, body: str) -> None:
    officers = [o for member in cluster.members for o in recipients.unit_officers(member.unit)]
    notify(officers, kind, subject, body, f"/clusters/{cluster.id}", about=("cluster", cluster.id))


def submit_scores(cluster: Cluster, unit, kind: str, points: dict[int, float], *, by) -> list[ClusterScore]:
    """Points of one member per criterion: its own (`self`) or the cluster's (`cluster`), each ≤ the maximum;
    criteria left out keep their earlier points."""
    member = cluster.member_for(getattr(unit, "id", None))
    if kind not in ("self", "cluster"):
        raise Invalid(_("Loại chấm điểm phải là tự chấm (self) hoặc cụm, khối chấm (cluster)."), field="kind")
    if member is None:
        raise Invalid(_("%(u)s không phải đơn vị thành viên của cụm, khối này.", u=getattr(unit, "name", "")),
                      field="unit_code")
    allowed = permissions.may_act_for if kind == "self" else (lambda u, c, _uid: permissions.may_score_cluster(u, c))
    if by is not None and not allowed(by, cluster, unit.id):
        raise _forbidden(_("Đơn vị chỉ tự chấm điểm cho mình.") if kind == "self" else
                         _("Chỉ trưởng cụm, khối hoặc cán bộ thường trực chấm điểm cho các đơn vị."))
    _not_closed(cluster)
    if cluster.status != ClusterStatus.scoring:
        raise DomainError(_("Chỉ chấm điểm được khi cụm, khối đang ở giai đoạn chấm điểm."), code="wrong_state")
    criteria = {c.id: c for c in cluster.criteria}
    found = {(s.criterion_id): s for s in db.session.scalars(
        db.select(ClusterScore).where(ClusterScore.member_id == member.id, ClusterScore.kind == kind))}
    saved = []
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise Invalid(_("Tiêu chí %(c)s không thuộc giao ước này.", c=criterion_id), field=f"points.{criterion_id}")
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= criterion.max_points:
            raise Invalid(_("“%(t)s”: điểm phải từ 0 đến %(m)s.", t=criterion.text, m=_number(criterion.max_points)),
                          field=f"points.{criterion_id}")
        score = found.get(criterion_id) or ClusterScore(member_id=member.id, criterion_id=criterion_id, kind=kind)
        score.points, score.scored_at, score.scored_by_id = float(value), utcnow(), getattr(by, "id", None)
        db.session.add(score)
        saved.append(score)
    db.session.flush()
    audit.record(f"cluster.score_{kind}", cluster, by=by, after={"unit": unit.code, "points": {
        str(k): v for k, v in points.items()}})
    return saved


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def rank_cluster(cluster: Cluster, *, by) -> None:
    """Freeze the scores into a ranking: only when the cluster has scored every member on every criterion."""
    _manager(by)
    missing = [row.member.unit.name for row in scoring_table(cluster) if not row.complete]
    if cluster.status == ClusterStatus.scoring and missing:
        raise DomainError(_("Cụm, khối chưa chấm đủ điểm cho: %(u)s.", u=", ".join(missing)), code="incomplete")
    transition(cluster, ClusterStatus.ranked, by=by)
    db.session.flush()


def reopen_scoring(cluster: Cluster, *, by) -> None:
    _manager(by)
    if cluster.vote is not None:
        raise DomainError(_("Đã ghi nhận kết quả bình bầu: không mở lại chấm điểm được."), code="wrong_state")
    transition(cluster, ClusterStatus.scoring, by=by, note=_("Mở lại chấm điểm"))
    db.session.flush()


def record_vote(cluster: Cluster, *, voted_on: date, voters: int, counts: dict[str, tuple[int, int]],
                proposed_award_code: str | None = None, proposed_unit_code: str | None = None, minutes=None,
                note: str = "", by) -> ClusterVote:
    """The cluster's vote on its leading unit: for/against per proposed member; the unit with the most votes for
    leads (a tie is voted again); the unit proposed for a Cờ thi đua or Bằng khen (the leader by default).
    Recorded again while ranked, it replaces the earlier record."""
    _manager(by)
    _not_closed(cluster)
    if cluster.status != ClusterStatus.ranked:
        raise DomainError(_("Chỉ ghi kết quả bình bầu sau khi đã xếp hạng."), code="wrong_state")
    if not isinstance(voters, int) or voters < 1:
        raise Invalid(_("Số người (đơn vị) bỏ phiếu phải là số nguyên dương."), field="voters")
    if voted_on > clock.today():
        raise Invalid(_("Ngày bình bầu không thể sau hôm nay."), field="voted_on")
    rows = []
    for code, (yes, no) in counts.items():
        unit = _units([code], "counts")[0]
        if cluster.member_for(unit.id) is None:
            raise Invalid(_("%(u)s không phải đơn vị thành viên.", u=unit.name), field=f"counts.{code}")
        if min(yes, no) < 0 or yes + no > voters:
            raise Invalid(_("%(u)s: số phiếu đồng ý và không đồng ý phải từ 0 và cộng lại không quá %(n)s.",
                            u=unit.name, n=voters), field=f"counts.{code}")
        rows.append((unit, yes, no))
    if not rows:
        raise Invalid(_("Cần số phiếu của ít nhất một đơn vị được đề xuất."), field="counts")
    best = max(yes for _u, yes, _n in rows)
    leaders = [unit for unit, yes, _n in rows if yes == best]
    if best == 0 or len(leaders) > 1:
        raise DomainError(_("Không xác định được đơn vị dẫn đầu (bằng phiếu hoặc không có phiếu đồng ý): cần bình "
                            "bầu lại."), code="tie")
    if proposed_award_code and proposed_award_code not in ProposedAward.labels():
        raise Invalid(_("Chỉ đề nghị Cờ thi đua cấp tỉnh (CO_TINH) hoặc Bằng khen cấp tỉnh (BK_TINH)."),
                      field="proposed_award_code")
    proposed = _units([proposed_unit_code], "proposed_unit_code")[0] if proposed_unit_code else leaders[0]
    if cluster.member_for(proposed.id) is None:
        raise Invalid(_("Đơn vị được đề nghị khen thưởng phải là đơn vị thành viên."), field="proposed_unit_code")
    vote = cluster.vote or ClusterVote(cluster=cluster)
    before = _vote_snapshot(vote) if vote.id else None
    vote.voted_on, vote.voters, vote.leading_unit_id, vote.note = voted_on, voters, leaders[0].id, (note or "").strip()
    vote.proposed_award_code = proposed_award_code or None
    vote.proposed_unit_id = proposed.id if proposed_award_code else None
    if minutes is not None:
        vote.minutes = minutes
    vote.recorded_at, vote.recorded_by_id = utcnow(), getattr(by, "id", None)
    vote.counts.clear()
    db.session.add(vote)
    db.session.flush()
    vote.counts = [ClusterVoteCount(unit_id=u.id, votes_for=y, votes_against=n) for u, y, n in rows]
    db.session.flush()
    audit.record("cluster.vote", cluster, by=by, before=before, after=_vote_snapshot(vote))
    _tell_members(cluster, "cluster_leader_voted", _("Đơn vị dẫn đầu %(n)s năm %(y)s", n=cluster.name, y=cluster.year),
                  _("Đơn vị dẫn đầu: %(u)s.", u=leaders[0].name))
    return vote


def _vote_snapshot(vote: ClusterVote) -> dict:
    return {"voted_on": vote.voted_on, "voters": vote.voters, "leading_unit_id": vote.leading_unit_id,
            "proposed": [vote.proposed_award_code, vote.proposed_unit_id],
            "counts": [[c.unit_id, c.votes_for, c.votes_against] for c in vote.counts]}


def close_cluster(cluster: Cluster, *, by) -> None:
    """End the year: read-only from now on; needs the recorded vote."""
    _manager(by)
    if cluster.status == ClusterStatus.ranked and cluster.vote is None:
        raise DomainError(_("Chưa ghi nhận kết quả bình bầu đơn vị dẫn đầu."), code="no_vote")
    transition(cluster, ClusterStatus.closed, by=by)
    db.session.flush()


def next_leader(cluster: Cluster):
    """The leader rotates yearly: the member after this year's leader, in member order."""
    units = cluster.member_units
    if not units:
        return None
    ids = [u.id for u in units]
    at = ids.index(cluster.leader_unit_id) if cluster.leader_unit_id in ids else -1
    return units[(at + 1) % len(units)]


def copy_to_next_year(cluster: Cluster, *, by) -> Cluster:
    """One click: next year's draft with the same name, kind, members and criteria, the leader rotated."""
    _manager(by)
    leader = next_leader(cluster)
    copy = create_cluster(name=cluster.name, kind=str(cluster.kind), year=cluster.year + 1,
                          member_codes=[u.code for u in cluster.member_units],
                          leader_code=leader.code if leader else None,
                          criteria=[{"group": c.group, "text": c.text, "weight": c.weight,
                                     "max_points": c.max_points} for c in cluster.criteria], by=by)
    copy.previous_id = cluster.id
    db.session.flush()
    return copy
