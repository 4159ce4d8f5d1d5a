"""Who may read which archive records. Published records are public; a record kept unpublished (an import or
an entry marked so) is read by managers and council members, and by a unit officer only for their own units."""

from awards.core.permissions import Role
from awards.units import queries as units_queries


def unpublished_scope(user) -> list[int] | None:
    """None when the user reads every unpublished record; otherwise the units whose unpublished records they read."""
    if user.is_manager or user.has_role(Role.council_member):
        return None
    if user.unit_id is not None:
        return list(units_queries.subtree_ids(user.unit_id))
    return []


def can_view_record(user, record) -> bool:
    if record.published:
        return True
    scope = unpublished_scope(user)
    return scope is None or record.unit_id in scope
