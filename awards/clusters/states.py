"""A cluster year's lifecycle: the transition table and the one function that moves it.

draft (the pledge is written and signed) → pledged (locked: signed by every member) → scoring (members score
themselves, the cluster scores each member) → ranked (scores frozen, the vote is recorded) → closed (read-only).
Opening the scoring locks an unsigned pledge too; a ranking without a recorded vote may go back to scoring."""

from awards.clusters.models import ClusterStatus
from awards.core import states

CLUSTER_STATUS = ClusterStatus.labels()
TRANSITIONS = {
    ClusterStatus.draft: {ClusterStatus.pledged, ClusterStatus.scoring},
    ClusterStatus.pledged: {ClusterStatus.scoring},
    ClusterStatus.scoring: {ClusterStatus.ranked},
    ClusterStatus.ranked: {ClusterStatus.scoring, ClusterStatus.closed},
    ClusterStatus.closed: set(),
}
EDITABLE = {ClusterStatus.draft}  # members, leader and criteria: the pledge before it is locked


def transition(cluster, to: str, *, by, note: str = "") -> None:
    """Move the cluster to `to` if the table allows it (else a 409 naming both states); audited."""
    states.transition(cluster, to, table=TRANSITIONS, by=by, note=note, action=f"cluster.{to}")
