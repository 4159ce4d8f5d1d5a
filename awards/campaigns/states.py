"""The lifecycles of campaigns and advanced examples: transition tables and the one function that moves them."""

from awards.campaigns.models import CampaignStatus, Stage
from awards.core import states

CAMPAIGN_STATUS = CampaignStatus.labels()
CAMPAIGN_TRANSITIONS = {CampaignStatus.draft: {CampaignStatus.launched},
                        CampaignStatus.launched: {CampaignStatus.closed}, CampaignStatus.closed: set()}

EXAMPLE_STAGES = Stage.labels()
EXAMPLE_TRANSITIONS = {Stage.discovered: {Stage.nurtured}, Stage.nurtured: {Stage.summarised},
                       Stage.summarised: {Stage.replicated}, Stage.replicated: set()}


def transition(obj, to: str, *, by, note: str = "", field: str = "status", table=None) -> None:
    """Move `obj.<field>` to `to` if the table allows it (else a 409 naming both states); audited."""
    table = table or (CAMPAIGN_TRANSITIONS if field == "status" else EXAMPLE_TRANSITIONS)
    states.transition(obj, to, table=table, by=by, note=note, field=field)
