"""Who may see a person's sensitive personal data (NĐ 13/2023/NĐ-CP Art 2.4: "nguồn gốc chủng tộc, nguồn gốc
dân tộc"; the birth date is kept beside it as the other field the award rules read). docs/PERSONAL-DATA.md."""

from awards.units import queries

# Fields of a person that only `sees_sensitive` users get; others get them omitted on pages and null in the API.
SENSITIVE_FIELDS = ("birth_date", "ethnicity", "ethnic_minority")


def sees_sensitive(user, person) -> bool:
    """Those who enter and check the facts the rules read: admin and staff anywhere, a unit officer for the people
    of their own unit's subtree. Council members and other readers see the name, unit, position, not these."""
    return bool(user and user.is_authenticated) and queries.may_write_people_in(user, person.unit)


def sees_sensitive_in(user, unit) -> bool:
    """The same rule for a list of one unit's subtree (the people list page, a unit's page)."""
    return bool(user and user.is_authenticated) and unit is not None and queries.may_write_people_in(user, unit)
