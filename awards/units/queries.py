"""Read-only lookups over units and people: by code, subtree, folded-name search."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from awards.core.permissions import Role
from awards.core.text import fold, matches_word_start
from awards.extensions import db
from awards.units.models import Initiative, Person, Proceeding, Unit, UnitCompetence, UnitSuccession


def unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def person_by_code(code: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.code == code))


def competence_rows(unit: Unit) -> list[UnitCompetence]:
    return list(db.session.scalars(select(UnitCompetence).where(UnitCompetence.unit_id == unit.id)
                                   .order_by(UnitCompetence.award_code)))


def competence_codes(unit: Unit) -> list[str]:
    """The award codes the unit's competence table holds, sorted (what it decides when it decides awards)."""
    return [row.award_code for row in competence_rows(unit)]


def competence_table() -> dict[int, frozenset[str]]:
    """Every deciding unit's competence codes by unit id, in one query: what `decides` reads unit by unit, for a
    page that asks it of many dossiers (its size follows the deciding units, not the dossiers)."""
    table: dict[int, set[str]] = {}
    rows = db.session.execute(select(UnitCompetence.unit_id, UnitCompetence.award_code)
                              .join(Unit, Unit.id == UnitCompetence.unit_id).where(Unit.decides_awards.is_(True)))
    for unit_id, code in rows:
        table.setdefault(unit_id, set()).add(code)
    return {unit_id: frozenset(codes) for unit_id, codes in table.items()}


def decides(unit: Unit, award_code: str, table: dict[int, frozenset[str]] | None = None) -> bool:
    """Does this unit decide this award itself: a deciding unit whose competence table holds it. `table`: the
    competence_table() read once for many questions (the same answer without a query each)."""
    if not unit.decides_awards:
        return False
    return award_code in (table.get(unit.id, ()) if table is not None else competence_codes(unit))


def deciding_unit_above(unit: Unit, award_code: str, table: dict[int, frozenset[str]] | None = None
                        ) -> Unit | None:
    """The nearest deciding unit, the unit itself or above it, whose competence holds the award (None: none in
    the system decides it, the level outside does)."""
    node = unit
    while node is not None:
        if decides(node, award_code, table):
            return node
        node = node.parent
    return None


def load_with_ancestors(units=(), ids=()) -> dict[int, Unit]:
    """Bring these units (objects, or ids) and all their ancestors into the session in one statement (a recursive
    query up the tree, however deep), and set each one's `.parent` to the loaded unit, so that walking `.parent`
    over a page of rows (display names, the awarding unit, the deciding level, a dossier's next level) reads
    nothing more. Returns every unit read, by id: the session holds units only while something refers to them, so a
    caller that asked by id keeps the map (or ties the units to its rows) for as long as it walks them — the chain
    above a unit object given here stays as long as that unit does."""
    found: dict[int, Unit] = {}
    for unit in units:
        while unit is not None and unit.id not in found:  # with the chain above it already tied in memory
            found[unit.id] = unit
            unit = unit.__dict__.get("parent")
    start = {u.parent_id for u in found.values() if u.parent_id is not None} | {i for i in ids if i is not None}
    if start - found.keys():
        up = select(Unit.id, Unit.parent_id).where(Unit.id.in_(start)).cte("up", recursive=True)
        up = up.union(select(Unit.id, Unit.parent_id).join(up, Unit.id == up.c.parent_id))
        found.update((u.id, u) for u in db.session.scalars(select(Unit).where(Unit.id.in_(select(up.c.id)))))
    for unit in found.values():
        if "parent" not in unit.__dict__ and (unit.parent_id is None or unit.parent_id in found):  # not loaded
            set_committed_value(unit, "parent", found.get(unit.parent_id))
    return found


def awarding_units() -> list[Unit]:
    """The units that decide awards, by name (the issuing units a secretariat with no unit may choose)."""
    return list(db.session.scalars(select(Unit).where(Unit.decides_awards.is_(True)).order_by(Unit.name)))


HEAD_POSITIONS = ("giam doc", "thu truong", "chu tich")  # who signs a unit's decisions, folded


def head_of(unit: Unit) -> Person | None:
    """The head who signs the unit's decisions: its first active person whose position is Giám đốc, Thủ trưởng or
    Chủ tịch (a deputy, Phó …, is not), or None."""
    for person in db.session.scalars(select(Person).where(Person.unit_id == unit.id, Person.active.is_(True))
                                     .order_by(Person.id)):
        if fold(person.position or "").startswith(HEAD_POSITIONS):
            return person
    return None


def scope_unit(user) -> Unit | None:
    """The awarding unit a staff user bound to a unit acts for (CONTRACT §5), or None: admin, and staff with no
    unit, act everywhere."""
    if user is None or user.has_role(Role.admin) or not user.has_role(Role.staff) or user.unit is None:
        return None
    return user.unit.awarding_unit or user.unit


def _links() -> list[tuple[int, int, object]]:
    """Every successor link (predecessor id, successor id, effective date) between two different units: the table
    is small (one row per reorganised unit), read whole."""
    return list(db.session.execute(select(UnitSuccession.predecessor_id, UnitSuccession.successor_id,
                                          UnitSuccession.effective_on)
                                   .where(UnitSuccession.predecessor_id != UnitSuccession.successor_id)).all())


def predecessors_of(unit_ids) -> dict[int, dict[int, object]]:
    """Each unit's predecessors, direct and earlier ones, with the date each one was taken over (its years count
    up to that date's year): unit id → {predecessor id: effective date}. Units without any are left out."""
    before: dict[int, list[tuple[int, object]]] = {}
    for old, new, day in _links():
        before.setdefault(new, []).append((old, day))
    result: dict[int, dict[int, object]] = {}
    for uid in unit_ids:
        found: dict[int, object] = {}
        stack = list(before.get(uid, []))
        while stack:
            old, day = stack.pop()
            if old == uid or (old in found and found[old] >= day):
                continue
            found[old] = day
            stack.extend(before.get(old, []))
        if found:
            result[uid] = found
    return result


def lineage_ids(unit_id: int) -> set[int]:
    """The unit with every unit it succeeded and every unit that succeeded it, transitively (not a split's other
    successors): an old code finds the successor's records and a new code the predecessors'."""
    after: dict[int, set[int]] = {}
    before: dict[int, set[int]] = {}
    for old, new, _day in _links():
        after.setdefault(old, set()).add(new)
        before.setdefault(new, set()).add(old)
    found = {unit_id}
    for edges in (after, before):
        seen, stack = {unit_id}, [unit_id]
        while stack:
            for other in edges.get(stack.pop(), ()):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
        found |= seen
    return found


def subtree_ids(unit_id: int) -> list[int]:
    """The unit and every unit below it (one recursive query)."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return list(db.session.scalars(select(tree.c.id)))


def writes_people(user) -> bool:
    """Managers, and unit officers bound to a unit, keep people records."""
    return user.is_manager or (user.has_role(Role.unit_officer) and user.unit_id is not None)


def may_write_people_in(user, unit: Unit) -> bool:
    """Managers anywhere; a unit officer in their unit's subtree (never a council member)."""
    if user.is_manager:
        return True
    return writes_people(user) and unit.id in subtree_ids(user.unit_id)


def may_read_people_in(user, unit: Unit) -> bool:
    readable = readable_unit_ids(user)
    return readable is None or unit.id in readable


def can_read_people(user) -> bool:
    return user.is_manager or user.has_role(Role.council_member) or user.unit_id is not None


def readable_unit_ids(user) -> list[int] | None:
    """None when the user may read every unit's people; otherwise the units they may read."""
    if user.is_manager or user.has_role(Role.council_member):
        return None
    return subtree_ids(user.unit_id) if user.unit_id else []


def units_stmt(q: str = "", parent_code: str | None = None):
    stmt = select(Unit).order_by(Unit.code)
    if q.strip():
        stmt = stmt.where(or_(matches_word_start(Unit.name_folded, q), func.lower(Unit.code) == fold(q)))
    if parent_code:
        parent_id = select(Unit.id).where(Unit.code == parent_code).scalar_subquery()
        stmt = stmt.where(Unit.parent_id == parent_id)
    return stmt


def people_stmt(q: str = "", unit_ids: list[int] | None = None):
    """People whose name (folded) or code contains q, optionally within some units, by name."""
    stmt = select(Person).order_by(Person.name_folded, Person.code)
    if q.strip():
        stmt = stmt.where(or_(matches_word_start(Person.name_folded, q), func.lower(Person.code) == fold(q)))
    if unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(unit_ids))
    return stmt


def people_counts(unit_ids: list[int]) -> dict[int, int]:
    """How many people each unit has (one grouped query)."""
    if not unit_ids:
        return {}
    rows = db.session.execute(select(Person.unit_id, func.count(Person.id))
                              .where(Person.unit_id.in_(unit_ids)).group_by(Person.unit_id))
    return dict(rows.all())


def open_proceedings(person_ids=(), unit_ids=()) -> list:
    """The open proceedings of these people and units (awards frozen while open, NĐ 152/2025 Art 4.4)."""
    conditions = []
    if person_ids:
        conditions.append(Proceeding.person_id.in_(list(person_ids)))
    if unit_ids:
        conditions.append(Proceeding.unit_id.in_(list(unit_ids)))
    if not conditions:
        return []
    return list(db.session.scalars(select(Proceeding).where(or_(*conditions), Proceeding.closed_on.is_(None))
                                   .order_by(Proceeding.opened_on)))


def proceeding_by_id(proceeding_id: int):
    return db.session.get(Proceeding, proceeding_id)


def initiative_by_id(initiative_id: int):
    return db.session.get(Initiative, initiative_id)


def home_stats() -> dict:
    return {
        "units": db.session.scalar(select(func.count(Unit.id))),
        "people": db.session.scalar(select(func.count(Person.id))),
    }


def unit_tree() -> list[tuple[Unit, int]]:
    """Every unit with its depth, in tree order (parents before children, siblings by name)."""
    units = db.session.scalars(select(Unit).order_by(Unit.name_folded)).all()
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered
