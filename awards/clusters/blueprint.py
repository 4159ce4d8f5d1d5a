"""The cluster pages' blueprint and the labels its templates use."""

from flask import Blueprint

from awards.clusters.forms import KIND_LABELS
from awards.clusters.models import ProposedAward, ScoreKind
from awards.clusters.states import CLUSTER_STATUS

bp = Blueprint("clusters", __name__, url_prefix="/clusters")


@bp.context_processor
def cluster_labels() -> dict:
    return {"CLUSTER_KINDS": KIND_LABELS, "CLUSTER_STATUS": CLUSTER_STATUS, "SCORE_KINDS": ScoreKind.labels(),
            "PROPOSED_AWARDS": ProposedAward.labels(), "points": points}


def points(value) -> str:
    """Points and totals as Vietnamese write them: 37,5 (decimal comma), 40 (no trailing zeros)."""
    return "—" if value is None else f"{round(value, 2):g}".replace(".", ",")
