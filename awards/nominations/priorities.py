"""The plan's priorities beside a page of dossiers (the appraisal queue, a council agenda): each individual's
badges, read from the people and units the page already loaded (no query a dossier), and the queue's filter.

The flags themselves are `awards.units.rules.priority_flags`; the ethnic-minority and under-40 ones only for a
reader who may see that person's sensitive data (`units.privacy`), and each such page read is logged there."""

from typing import NamedTuple

from sqlalchemy import and_, exists, extract, or_, select

from awards.nominations.models import Nomination
from awards.units import privacy
from awards.units.models import Gender, Person, Unit, UnitKind
from awards.units.rules import PRIORITY_FLAGS, SENSITIVE_FLAGS, YOUNG_BELOW, flag_counts, priority_flags

FILTERS = ("any", *PRIORITY_FLAGS)  # the queue's “Ưu tiên” choices: any flag, or one of them


def _people(nominations) -> list[Person]:
    return list({n.person.id: n.person for n in nominations if n.person is not None}.values())


class PagePriorities(NamedTuple):
    flags: dict[int, tuple[str, ...]]  # dossier id → its person's flags (collective dossiers have none)
    counts: dict[str, int]  # flag → dossiers carrying it; the sensitive flags only when the reader sees them all


def page_priorities(nominations, user) -> PagePriorities:
    """The flags of each individual's dossier, those from sensitive data only where `user` may see that person's
    (one query at most: a unit officer's subtree), and the page's count of each flag."""
    people = _people(nominations)
    shown = {person.id for person in privacy.visible(user, people)}
    flags = {n.id: priority_flags(n.person, n.year, sensitive=n.person.id in shown)
             for n in nominations if n.person is not None}
    counts = flag_counts(flags.values())
    if len(shown) < len(people):  # a count over hidden values would disclose them
        counts = {flag: n for flag, n in counts.items() if flag not in SENSITIVE_FLAGS}
    return PagePriorities(flags, counts)


def log_shown(nominations, user) -> bool:
    """Record that the page showed flags read from the sensitive data of its people (those `user` may see);
    True when something was recorded (the caller commits)."""
    return privacy.log_read(_people(nominations), by=user, via="list_page") is not None


def _condition(flag: str):
    """The SQL test of one flag on the dossier's person (a correlated Person/Unit row), as priority_flags reads it."""
    young_after = Nomination.year - YOUNG_BELOW  # born in a later year: under 40 on 31 December
    return {
        "frontline": Person.frontline.is_(True),
        "station": Unit.kind == UnitKind.station,
        "female": Person.gender == Gender.female,
        "ethnic_minority": Person.ethnic_minority.is_(True),
        "under_40": and_(Person.birth_date.is_not(None), extract("year", Person.birth_date) > young_after),
    }[flag]


def priority_clause(choice: str):
    """The WHERE clause keeping the individuals' dossiers with the chosen flag (`any`: at least one of them)."""
    wanted = list(PRIORITY_FLAGS) if choice == "any" else [choice]
    return exists(select(Person.id).join(Unit, Unit.id == Person.unit_id)
                  .where(Person.id == Nomination.person_id, or_(*(_condition(flag) for flag in wanted)))
                  .correlate(Nomination))
