"""Read-only lookups of cluster years: lists, the scoring table with its ranking, and the results the
eligibility checklist reads (who led which cụm, khối in which year)."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from awards.clusters.models import Cluster, ClusterMember, ClusterScore, ClusterVote
from awards.extensions import db


def clusters_stmt(year: int | None = None, unit_id: int | None = None):
    """Clusters, newest year first; only those `unit_id` is a member of when given."""
    stmt = select(Cluster).order_by(Cluster.year.desc(), Cluster.name, Cluster.id)
    if year:
        stmt = stmt.where(Cluster.year == year)
    if unit_id is not None:
        stmt = stmt.where(Cluster.id.in_(select(ClusterMember.cluster_id).where(ClusterMember.unit_id == unit_id)))
    return stmt


def cluster_by_id(cluster_id: int) -> Cluster | None:
    return db.session.get(Cluster, cluster_id)


def cluster_named(name: str, year: int) -> Cluster | None:
    return db.session.scalar(select(Cluster).where(Cluster.name == name, Cluster.year == year))


def scores(cluster: Cluster) -> dict[tuple[int, int, str], float]:
    """(member id, criterion id, kind) → points."""
    member_ids = [m.id for m in cluster.members]
    if not member_ids:
        return {}
    rows = db.session.execute(select(ClusterScore.member_id, ClusterScore.criterion_id, ClusterScore.kind,
                                     ClusterScore.points).where(ClusterScore.member_id.in_(member_ids)))
    return {(m, c, str(k)): p for m, c, k, p in rows}


@dataclass
class Row:
    """One member's line of the scoring table: points per criterion (self and cluster), weighted totals, rank."""

    member: ClusterMember
    own: dict[int, float] = field(default_factory=dict)
    cluster: dict[int, float] = field(default_factory=dict)
    own_total: float = 0.0
    total: float = 0.0
    rank: int | None = None
    complete: bool = False  # the cluster scored every criterion


def scoring_table(cluster: Cluster) -> list[Row]:
    """Every member with totals = Σ weight × points, ranked by the cluster's total (equal totals share a rank);
    members the cluster has not fully scored come last, unranked."""
    found = scores(cluster)
    rows = []
    for member in cluster.members:
        row = Row(member)
        for criterion in cluster.criteria:
            for kind, points in (("self", row.own), ("cluster", row.cluster)):
                value = found.get((member.id, criterion.id, kind))
                if value is not None:
                    points[criterion.id] = value
        row.own_total = round(sum(c.weight * row.own.get(c.id, 0) for c in cluster.criteria), 2)
        row.total = round(sum(c.weight * row.cluster.get(c.id, 0) for c in cluster.criteria), 2)
        row.complete = bool(cluster.criteria) and len(row.cluster) == len(cluster.criteria)
        rows.append(row)
    rows.sort(key=lambda r: (not r.complete, -r.total, r.member.unit.code))
    for position, row in enumerate(rows, start=1):
        if row.complete:
            previous = rows[position - 2] if position > 1 else None
            row.rank = previous.rank if previous and previous.complete and previous.total == row.total else position
    return rows


def cluster_results(unit_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, dict[int, str]]]:
    """For the eligibility histories: the years each unit was the voted leading unit of a cụm, khối, and for
    every year a result was recorded for a cluster the unit belongs to, that cluster's name (the one it led
    first)."""
    led: dict[int, set[int]] = defaultdict(set)
    names: dict[int, dict[int, str]] = defaultdict(dict)
    if not unit_ids:
        return led, names
    rows = db.session.execute(
        select(ClusterMember.unit_id, Cluster.year, Cluster.name, ClusterVote.leading_unit_id)
        .join(Cluster, Cluster.id == ClusterMember.cluster_id).join(ClusterVote, ClusterVote.cluster_id == Cluster.id)
        .where(ClusterMember.unit_id.in_(unit_ids)).order_by(Cluster.year, Cluster.name))
    for unit_id, year, name, leader in rows:
        if leader == unit_id:
            led[unit_id].add(year)
            names[unit_id][year] = name
        elif year not in led[unit_id]:
            names[unit_id].setdefault(year, name)
    return led, names
