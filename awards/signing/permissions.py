"""Who may sign, upload signed files and print certificates for a decision, and who calibrates the blanks."""

from awards.core.permissions import Role
from awards.units import queries as units_queries


def can_sign(user, decision) -> bool:
    """The secretariat of the unit that issued the decision (staff bound to it), staff with no unit, or admin."""
    if user is None or not user.is_authenticated or not user.is_manager:
        return False
    scope = units_queries.scope_unit(user)
    return scope is None or scope.id == decision.unit_id


def can_print(user, decision) -> bool:
    """Printing a decision's certificates belongs to the same secretariat as its signing."""
    return can_sign(user, decision)


def can_calibrate(user) -> bool:
    """The blanks are the secretariat's: admin and staff."""
    return user is not None and user.is_authenticated and user.has_any_role(Role.admin, Role.staff)
