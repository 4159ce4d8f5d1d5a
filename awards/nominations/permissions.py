"""Who may do what with a dossier: one predicate per question, asked by the pages (to guard and to show a
button), the API and the services (which refuse with 403, so the CLI and bulk actions obey them too)."""

from awards.core.permissions import Role
from awards.nominations.models import Nomination
from awards.nominations.states import BEFORE_AWARD, EDITABLE
from awards.units import queries as units_queries


def in_scope(user, nomination: Nomination) -> bool:
    """A staff user bound to a unit works for its awarding unit only (CONTRACT §5): the dossiers that unit
    handles and those of its own units. Admin, staff with no unit and everyone else: True (their own rules)."""
    scope = units_queries.scope_unit(user)
    if scope is None:
        return True
    return nomination.handling_unit_id == scope.id or nomination.unit_id in units_queries.subtree_ids(scope.id)


def can_handle(user, nomination: Nomination) -> bool:
    """The secretariat of the level handling the dossier now: admin and staff with no unit everywhere, staff
    bound to a unit only the dossiers its awarding unit handles (another scope → 403)."""
    if not can_appraise(user):
        return False
    scope = units_queries.scope_unit(user)
    return scope is None or nomination.handling_unit_id == scope.id


def can_view(user, nomination: Nomination) -> bool:
    """Managers (within their scope) and council members see every dossier; a unit officer sees their units'
    dossiers."""
    if user.has_role(Role.council_member) and not user.is_manager:
        return True
    if user.is_manager:
        return in_scope(user, nomination)
    return units_queries.may_write_people_in(user, nomination.unit)


def can_view_all(user, nominations: list[Nomination]) -> bool:
    """can_view for every one of a batch, a secretariat's subtree read once for all of them (not once for each
    dossier its awarding unit no longer handles)."""
    scope = units_queries.scope_unit(user) if user.is_manager else None
    if scope is None:
        return all(can_view(user, n) for n in nominations)
    tree = set(units_queries.subtree_ids(scope.id))
    return all(n.handling_unit_id == scope.id or n.unit_id in tree for n in nominations)


def can_act(user, nomination: Nomination) -> bool:
    """Staff (within their scope), or an officer of the dossier's unit (or a unit above it): who prepares,
    submits, withdraws."""
    if user.is_manager:
        return in_scope(user, nomination)
    return units_queries.may_write_people_in(user, nomination.unit)


def can_edit(user, nomination: Nomination) -> bool:
    """Who acts for the unit, while the dossier is being prepared or was returned for a supplement."""
    return nomination.status in EDITABLE and can_act(user, nomination)


def can_withdraw(user, nomination: Nomination) -> bool:
    """Who acts for the unit, at any step before the award."""
    return nomination.status in BEFORE_AWARD and can_act(user, nomination)


def can_appraise(user) -> bool:
    """The secretariat (admin, staff) appraises and returns dossiers."""
    return user is not None and user.is_manager


def can_create(user) -> bool:
    """Staff, or a unit officer bound to a unit."""
    return user.is_manager or bool(user.has_role(Role.unit_officer) and user.unit_id)
