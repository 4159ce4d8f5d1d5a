"""Who may see a campaign and register a unit for it: one predicate per question, for the pages, the API and the
CLI alike. Managers (admin, staff) see drafts; everyone else sees launched and closed campaigns."""

from flask import abort

from awards.campaigns import queries
from awards.campaigns.models import AdvancedExample, Campaign
from awards.extensions import db
from awards.units import queries as units_queries


def is_public(campaign: Campaign) -> bool:
    """Launched and closed campaigns are public; drafts are not."""
    return campaign.status != "draft"


def can_view(user, campaign: Campaign) -> bool:
    return is_public(campaign) or (user.is_authenticated and user.is_manager)


def may_register(user, campaign: Campaign, unit) -> bool:
    """Staff for any unit of the campaign; a unit officer for their own unit (or one below it)."""
    return unit.id in registrable_ids(user, campaign)


def registrable_ids(user, campaign: Campaign) -> set[int]:
    """The ids of every unit this user may register for this campaign (may_register's answer for all units at
    once, in at most two queries): the units below the organizer; for a unit officer, only those of their own
    subtree; none for anyone else."""
    officer = user.has_role("unit_officer") and user.unit_id is not None
    if not (user.is_manager or officer):
        return set()
    found = set(units_queries.subtree_ids(campaign.organizer_unit_id)) - {campaign.organizer_unit_id}
    if not user.is_manager:
        found &= set(units_queries.subtree_ids(user.unit_id))
    return found


def registration_scope(user) -> list[int] | None:
    """The units whose registrations (targets, people) the user may read: every unit for managers (None), a unit
    officer's own subtree, none for anyone else. Who has not registered yet stays visible to all: it names units,
    not people."""
    if user.is_manager:
        return None
    if user.has_role("unit_officer") and user.unit_id is not None:
        return list(units_queries.subtree_ids(user.unit_id))
    return []


def registrable_units(user, campaign: Campaign) -> list:
    """The units this user may register for this campaign: among the expected units and the user's own unit."""
    candidates = list(queries.expected_units(campaign))
    if user.unit is not None and all(u.id != user.unit_id for u in candidates):
        candidates.append(user.unit)
    allowed = registrable_ids(user, campaign)
    return [u for u in candidates if u.id in allowed]


def load_campaign(campaign_id: int, user) -> Campaign:
    """The campaign, or 404 when it does not exist or the user may not see it (a draft, to anyone but managers)."""
    campaign = queries.campaign_by_id(campaign_id)
    if campaign is None or not can_view(user, campaign):
        abort(404)
    return campaign


def load_example(example_id: int, user) -> AdvancedExample:
    """The advanced example, or 404 when it does not exist or its campaign is a draft the user may not see."""
    example = db.session.get(AdvancedExample, example_id)
    if example is None or not can_view(user, example.campaign):
        abort(404)
    return example
