"""Who may write a unit's report upward, and whose reports a user may read."""

from awards.core.permissions import MANAGERS
from awards.units.queries import scope_unit


def may_report_for(user, unit) -> bool:
    """The secretariat of that awarding unit (staff bound to it), or a manager with no unit (admin, the Sở's
    staff with no unit) for any unit."""
    if user is None or not user.has_any_role(*MANAGERS):
        return False
    scope = scope_unit(user)
    return scope is None or scope.id == unit.id


def reading_scope(user):
    """The only awarding unit whose report a staff user bound to a unit reads, or None: every unit's."""
    return scope_unit(user)


def may_read_report(user, unit) -> bool:
    """A unit's submitted report and its workbook: the unit's own secretariat, or a manager with no unit."""
    return may_report_for(user, unit)


def may_set_deadlines(user) -> bool:
    """The deadlines of the units' reports: the admin, or the Sở's secretariat (staff bound to no unit)."""
    return user is not None and user.has_any_role(*MANAGERS) and scope_unit(user) is None


def may_read_all_reports(user) -> bool:
    """Every unit's report and the Sở's consolidated one: a manager with no unit."""
    return user is not None and user.has_any_role(*MANAGERS) and scope_unit(user) is None
