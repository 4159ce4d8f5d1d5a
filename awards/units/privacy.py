"""Reads of sensitive personal data, logged (NĐ 13/2023/NĐ-CP; docs/PERSONAL-DATA.md): one audit entry per page
or API read that showed them, naming who read whose data through which door — never the values read."""

from awards.core import audit
from awards.units import queries
from awards.units.permissions import SENSITIVE_FIELDS


def visible(user, people) -> list:
    """The people of `people` whose sensitive fields this user sees (`sees_sensitive` for a whole page: the
    reader's subtree is read once, not once a person)."""
    people = list(people)
    if not (user and user.is_authenticated) or not people:
        return []
    if user.is_manager:
        return people
    if not queries.writes_people(user):
        return []
    mine = set(queries.subtree_ids(user.unit_id))
    return [person for person in people if person.unit_id in mine]


def log_read(people, *, by, via: str):
    """Record that `by` was shown the sensitive fields of `people` (those they may see) through `via` ("page",
    "api", "list_page", "list_api"). Nothing is recorded when no such field was shown. The caller commits."""
    shown = visible(by, people)
    if not shown:
        return None
    codes = [person.code for person in shown]
    single = len(shown) == 1 and not via.startswith("list")
    return audit.record("person.sensitive_read", shown[0] if single else None, by=by,
                        object_type="Person", object_id=codes[0] if single else "",
                        after={"via": via, "fields": list(SENSITIVE_FIELDS), "people": codes})
