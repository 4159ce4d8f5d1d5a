"""Who may change a unit's document templates and signing details: the secretariat of that awarding unit (staff
bound to it), and admin or staff with no unit for any unit and for the default of every unit (unit None)."""

from awards.core.permissions import Role
from awards.units.queries import scope_unit


def may_manage(user, unit) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.has_any_role(Role.admin, Role.staff):
        return False
    scope = scope_unit(user)
    if scope is None:
        return True
    return unit is not None and unit.id == scope.id


def may_open(user) -> bool:
    """The templates page: the secretariat (admin, staff)."""
    return bool(user and getattr(user, "is_authenticated", False) and user.has_any_role(Role.admin, Role.staff))
