"""Who may change the working calendar: the administrator, and the secretariat (staff) of the top level, not bound
to a unit; the calendar is the government's, the same for every unit."""

from awards.core.permissions import Role


def may_edit(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(Role.admin) or (user.has_role(Role.staff) and user.unit_id is None)
