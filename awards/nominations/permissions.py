"""Who may do what with a dossier: one predicate per question, asked by the pages (to guard and to show a
button), the API and the services (which refuse with 403, so the CLI and bulk actions obey them too)."""

from awards.core.permissions import Role
from awards.nominations.models import Nomination
from awards.nominations.states import BEFORE_AWARD, EDITABLE
from awards.units import queries as units_queries


def can_view(user, nomination: Nomination) -> bool:
    """Managers and council members see every dossier; a unit officer sees their units' dossiers."""
    if user.is_manager or user.has_role(Role.council_member):
        return True
    return units_queries.may_write_people_in(user, nomination.unit)


def can_act(user, nomination: Nomination) -> bool:
    """Staff, or an officer of the dossier's unit (or a unit above it): who prepares, submits, withdraws."""
    return user.is_manager or units_queries.may_write_people_in(user, nomination.unit)


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
