"""Who may see and act on a cluster year: the secretariat (admin, staff) everywhere; a unit officer only for
their own unit as a member (see it, sign its pledge, score itself) and, when their unit is the leader, the
cluster's scoring. One predicate per question, for the pages, the API and the services alike."""

from flask import abort

from awards.clusters.models import Cluster
from awards.core.permissions import Role
from awards.extensions import db


def own_unit_id(user) -> int | None:
    """The unit a unit officer acts for (only that unit: not the units below it)."""
    if not user.is_authenticated or not user.has_role(Role.unit_officer):
        return None
    return user.unit_id


def can_view(user, cluster: Cluster) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_manager:
        return True
    return cluster.member_for(own_unit_id(user)) is not None if own_unit_id(user) else False


def may_act_for(user, cluster: Cluster, unit_id: int) -> bool:
    """Sign or self-score for the member `unit_id`: staff on the unit's behalf, or that unit's own officer."""
    if cluster.member_for(unit_id) is None:
        return False
    return user.is_manager or own_unit_id(user) == unit_id


def may_score_cluster(user, cluster: Cluster) -> bool:
    """The cluster's scoring of each member: the staff, or an officer of the leader unit (trưởng cụm, khối)."""
    if user.is_manager:
        return True
    return cluster.leader_unit_id is not None and own_unit_id(user) == cluster.leader_unit_id


def may_read_lists(user) -> bool:
    return user.is_authenticated and (user.is_manager or own_unit_id(user) is not None)


def load_cluster(cluster_id: int, user) -> Cluster:
    """The cluster, or 404 when it does not exist; 403 when the user's unit is not one of its members."""
    cluster = db.session.get(Cluster, cluster_id)
    if cluster is None:
        abort(404)
    if not can_view(user, cluster):
        abort(403)
    return cluster
