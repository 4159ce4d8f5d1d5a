"""Who reads and writes prize money: the secretariat (staff) and the admin. A secretariat bound to a unit sees and
keeps its own awarding unit's fund only; the Sở's secretariat (no unit) and the admin see every awarding unit's."""

from awards.units import queries as units_queries


def is_manager(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_manager


def may_edit_base_salaries(user) -> bool:
    """The base salary is the Government's, the same for every unit: any secretariat records a new decree."""
    return is_manager(user)


def may_keep_fund(user, unit) -> bool:
    """Read and write `unit`'s ledger: a manager whose scope is that unit, or who has no scope."""
    if not is_manager(user):
        return False
    scope = units_queries.scope_unit(user)
    return scope is None or scope.id == unit.id
