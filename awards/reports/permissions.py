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


def receives_all_reports(user) -> bool:
    """The Sở's secretariat, to which the units report: the admin, staff with no unit, or staff bound to the top of
    the tree (the Sở itself — the demo's desk is)."""
    if user is None or not user.has_any_role(*MANAGERS):
        return False
    scope = scope_unit(user)
    return scope is None or scope.parent_id is None


def reading_scope(user):
    """The only awarding unit whose report a staff user bound to a unit below the Sở reads, or None: every unit's."""
    return None if receives_all_reports(user) else scope_unit(user)


def may_read_report(user, unit) -> bool:
    """A unit's submitted report and its workbook: the unit's own secretariat, or the Sở's."""
    return may_report_for(user, unit) or receives_all_reports(user)


def may_set_deadlines(user) -> bool:
    """The deadlines of the units' reports: the Sở's secretariat (or the admin)."""
    return receives_all_reports(user)


def may_read_all_reports(user) -> bool:
    """Every unit's report and the Sở's consolidated one: the Sở's secretariat (or the admin)."""
    return receives_all_reports(user)
