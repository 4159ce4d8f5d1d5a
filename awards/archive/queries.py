"""Reading the archive: search, a subject's timeline, and histories for the rules in a few set queries."""

import json
import re
import time
from collections import defaultdict

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    and_,
    any_,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
    union_all,
)

from awards.archive.models import SEARCH_KEY, AwardRecord, Entry, RecordInitiative
from awards.catalog import services as catalog
from awards.catalog.history import (
    DISCIPLINE_ORDER,
    AwardHeld,
    DisciplineFact,
    InitiativeFact,
    MemberYear,
    PersonHistory,
    UnitHistory,
)
from awards.clusters import queries as clusters_queries
from awards.core.text import fold, matches_word_start
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import (
    Discipline,
    Initiative,
    Person,
    PersonEvaluation,
    Proceeding,
    ProceedingKind,
    Unit,
    UnitEvaluation,
)

SORTS = {
    "year_desc": (AwardRecord.year.desc(), AwardRecord.id.desc()),
    "year": (AwardRecord.year, AwardRecord.id),
    "name": (AwardRecord.name_folded, AwardRecord.year.desc()),
    "decision": (AwardRecord.decision_date.desc(), AwardRecord.id.desc()),
}


def record_by_id(record_id: int) -> AwardRecord | None:
    return db.session.get(AwardRecord, record_id)


def current_records():
    """Awards and corrections not superseded by a later correction (revoked ones included, marked)."""
    return select(AwardRecord).where(AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded)


def search_stmt(q="", award_code=None, year=None, unit_code=None, subject_code=None, subject_type=None,
                include_revoked=True, published_only=False, sort="year_desc", capped=False, unpublished_of=None):
    """Current records matching the filters; q matches names (from a word start) and decision numbers,
    ignoring case and diacritics; unit_code includes the unit's descendants. `capped`: the caller reads no more
    than the first 1,001 matches (core.forms.CappedPage), so a broad search may stop there."""
    stmt = current_records()
    if award_code:
        stmt = stmt.where(AwardRecord.award_code == award_code)
    if year:
        stmt = stmt.where(AwardRecord.year == year)
    if subject_type:
        stmt = stmt.where(AwardRecord.subject_type == subject_type)
    if subject_code:
        stmt = stmt.where(AwardRecord.subject_code == subject_code)
    if unit_code:
        stmt = stmt.where(AwardRecord.unit_id.in_(unit_scope_ids(unit_code)))
    if not include_revoked:
        stmt = stmt.where(~AwardRecord.revoked)
    if published_only:
        stmt = stmt.where(AwardRecord.published)
    elif unpublished_of is not None:  # archive.permissions.unpublished_scope: published ones, and these units'
        stmt = stmt.where(or_(AwardRecord.published, AwardRecord.unit_id.in_(unpublished_of)))
    stmt = stmt.order_by(*SORTS.get(sort, SORTS["year_desc"]))
    if q and q.strip():
        first = _first_matches(stmt, q, newest_first=(sort if sort in SORTS else "year_desc") == "year_desc",
                               capped=capped)
        if db.engine.dialect.name == "sqlite":
            stmt = stmt.where(AwardRecord.id.in_(first if first is not None else
                                                 union(name_ids(q), decision_ids(q), code_ids(q))))
        else:  # PostgreSQL: the word index read newest first (_word_matches), else the trigram indexes
            plain = not (award_code or subject_type or subject_code or unit_code or not include_revoked
                         or published_only or unpublished_of is not None)  # the current records' rules alone
            found = _word_matches(stmt, q, year=year, capped=capped, plain=plain,
                                  newest_first=(sort if sort in SORTS else "year_desc") == "year_desc")
            stmt = stmt.where(found if found is not None else
                              or_(_name_matches(q), _decision_matches(q), _code_matches(q)))
    return stmt


def unit_scope_ids(unit_code: str) -> list[int]:
    """The units a unit-code filter covers: the unit's subtree, and the subtrees of the units it succeeded and of
    those that succeeded it (units.queries.lineage_ids): an old code still finds its records after a merger."""
    unit = units_queries.unit_by_code(unit_code)
    if unit is None:
        return []
    ids: set[int] = set()
    for uid in units_queries.lineage_ids(unit.id):
        ids.update(units_queries.subtree_ids(uid))
    return sorted(ids)


FIRST = 1_200  # full-text candidates read newest first: the 1,001 matches a capped page needs, with room to spare


def _first_matches(stmt, q: str, *, newest_first: bool, capped: bool):
    """SQLite: the search's matches (a subquery of ids) from the FIRST newest full-text candidates (and the decision
    and code matches), when those are provably all of them, or, for a capped page in the archive's order, its
    first 1,001 — the candidates come newest first, so any match left out comes after them. None when neither
    holds."""
    words = _words(q)
    if not words or db.engine.dialect.name != "sqlite":
        return None
    keys = db.session.scalars(text("SELECT rowid FROM award_records_fts WHERE award_records_fts MATCH :phrase "
                                   "ORDER BY rowid DESC LIMIT :n").bindparams(phrase=_phrase(words), n=FIRST)).all()
    others = db.session.scalars(union(decision_ids(q), code_ids(q)).limit(FIRST)).all()
    if len(others) == FIRST:
        return None
    candidates = [key % SEARCH_KEY for key in keys] + list(others)
    matches = or_(matches_word_start(AwardRecord.name_folded, q), AwardRecord.id.in_(_id_list(others)))
    found = stmt.with_only_columns(AwardRecord.id).where(AwardRecord.id.in_(_id_list(candidates)), matches)
    if len(keys) < FIRST:
        return _id_list(db.session.scalars(found).all())
    from awards.core.forms import CappedPage

    first = db.session.scalars(found.limit(CappedPage.CAP + 1)).all() if capped and newest_first else []
    return _id_list(first) if len(first) == CappedPage.CAP + 1 else None


PREFIX_WORDS = 32  # a last word standing for more distinct words than this is broad: the archive's order finds it
_WORDS = table("award_record_words", column("word", String), column("year", Integer), column("id", Integer),
               column("name", String))
_STATS: dict[str, tuple[float, dict[str, float]]] = {}
STATS_SECONDS = 600


def _word_matches(stmt, q: str, *, year, newest_first: bool, capped: bool, plain: bool = False):
    """PostgreSQL: the search's matches (a condition on the ids) from the word index (models.WORD_INDEX), when the
    FIRST newest candidates of each branch are provably all of them, or, for a capped page in the archive's order,
    its first 1,001, as _first_matches does on SQLite. Names: the query's words are the folded name's words in a
    row, all but the last whole, the last a prefix, so one of them — the rarest by the table's statistics — is read
    newest first and the rule is checked on the index entry; decision numbers by their bytewise prefix, codes by
    the subject index. None when neither holds (the caller falls back to the trigram indexes). Revocations are never
    candidates, so for a `plain` search (no filter but the current records') the first 1,001 candidates that no
    correction supersedes are the page's, without reading the records."""
    words = fold(q).split(" ")
    if not words[0]:
        return None
    year = int(year) if year else None
    in_year = [AwardRecord.year == year] if year else []
    branches = [("d", _decision_stream(q, year)), ("c", select(AwardRecord.year, AwardRecord.id).where(
        _code_matches(q), AwardRecord.entry != Entry.revocation, *in_year).order_by(*SORTS["year_desc"]).limit(FIRST))]
    name = _name_stream(words, q, year)
    if name is not None:
        branches.append(("n", name))
    rows: dict[str, list] = {tag: [] for tag, _ in branches}
    parts = [select(literal(tag).label("tag"), *sub.c) for tag, sub in ((t, b.subquery()) for t, b in branches)]
    for tag, record_year, record_id in db.session.execute(union_all(*parts)):
        rows[tag].append((record_year, record_id))
    cut = [min(branch_rows) for branch_rows in rows.values() if len(branch_rows) >= FIRST]  # a branch that stopped
    keys = {key for branch_rows in rows.values() for key in branch_rows if not cut or key >= max(cut)}
    # each branch is exact (the rule on the word index's copy of the name, a bytewise prefix, the code itself): the
    # ids alone, so that the page and its count read them by primary key rather than a trigram bitmap for the rule
    matches = AwardRecord.id == any_(_id_array({record_id for _, record_id in keys}))
    if not cut:
        return matches
    if not (capped and newest_first):
        return None
    from awards.core.forms import CappedPage

    if plain:
        newest = [record_id for _, record_id in sorted(keys, reverse=True)]
        superseded = set(db.session.scalars(select(AwardRecord.target_id).where(
            AwardRecord.target_id == any_(_id_array(newest)), AwardRecord.entry == Entry.correction)))
        first = [record_id for record_id in newest if record_id not in superseded][:CappedPage.CAP + 1]
        if len(first) == CappedPage.CAP + 1:
            return AwardRecord.id == any_(_id_array(first))
    first = db.session.scalars(stmt.with_only_columns(AwardRecord.id).where(matches).limit(CappedPage.CAP + 1)).all()
    return AwardRecord.id == any_(_id_array(first)) if len(first) == CappedPage.CAP + 1 else None


def _id_array(ids) -> object:
    """Ids as one PostgreSQL array parameter, sent as its text ('{3,1,2}'): adapting a list of 1,200 ints took
    psycopg ~2 ms a time."""
    return cast(literal("{" + ",".join(map(str, sorted(ids))) + "}"), ARRAY(Integer))


def _name_stream(words: list[str], q: str, year):
    """The records whose folded name may match, newest first (at most FIRST, with repeats): those of the rarest of
    the query's whole words, or of the words its last word begins (a Merge Append of their index ranges), with the
    word-start rule checked on the index entry; the archive's order itself when the last word alone is broad. None
    when no name can match: no indexed word begins with the last one."""
    *whole, last = words
    prefixes = _prefix_words(last)
    if not prefixes:
        return None
    frequency = _word_frequencies()
    rare = min(frequency.values(), default=0.0)
    choices = [(frequency.get(word, rare), -len(word), [word]) for word in set(whole)]
    if len(prefixes) <= PREFIX_WORDS:
        choices.append((sum(frequency.get(word, rare) for word in prefixes), -len(last), prefixes))
    if not choices:  # one broad word ("n", "th"): most records match, the archive's order finds them at once
        return select(AwardRecord.year, AwardRecord.id).where(
            matches_word_start(AwardRecord.name_folded, q), AwardRecord.entry != Entry.revocation,
            *([AwardRecord.year == year] if year else [])).order_by(*SORTS["year_desc"]).limit(FIRST)
    driving = min(choices, key=lambda choice: choice[:2])[2]
    rule = [matches_word_start(_WORDS.c.name, q)] if whole else []  # one word: its prefix is the rule
    if year:
        rule.append(_WORDS.c.year == year)
    # each word's range read in order and cut at FIRST on its own, so that no plan sorts a whole word's records
    ranges = [select(_WORDS.c.year, _WORDS.c.id).where(_WORDS.c.word == word, *rule).order_by(
        _WORDS.c.year.desc(), _WORDS.c.id.desc()).limit(FIRST) for word in driving]
    if len(ranges) == 1:
        return ranges[0]
    merged = union_all(*ranges).subquery()
    return select(merged.c.year, merged.c.id).order_by(merged.c.year.desc(), merged.c.id.desc()).limit(FIRST)


def _prefix_words(prefix: str) -> list[str]:
    """The distinct indexed words starting with `prefix` (bytewise), PREFIX_WORDS + 1 at most: a skip scan, one index
    descent per word."""
    return db.session.scalars(text(
        "WITH RECURSIVE found(word) AS ("
        "(SELECT word FROM award_record_words WHERE word >= :low AND word < :high ORDER BY word LIMIT 1) UNION ALL "
        "SELECT (SELECT w.word FROM award_record_words w WHERE w.word > found.word AND w.word < :high "
        "ORDER BY w.word LIMIT 1) FROM found WHERE found.word IS NOT NULL) "
        "SELECT word FROM found WHERE word IS NOT NULL LIMIT :most").bindparams(
        low=prefix, high=prefix + "\U0010ffff", most=PREFIX_WORDS + 1)).all()


def _word_frequencies() -> dict[str, float]:
    """The commonest words' shares of the word index (PostgreSQL's statistics, kept by ANALYZE and autovacuum),
    read again every STATS_SECONDS: a word not listed is rarer than any listed one. Empty before the first ANALYZE."""
    key = str(db.engine.url)
    now = time.monotonic()
    cached = _STATS.get(key)
    if cached is None or now - cached[0] > STATS_SECONDS:
        row = db.session.execute(text(
            "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats WHERE schemaname = "
            "current_schema() AND tablename = 'award_record_words' AND attname = 'word'")).first()
        cached = _STATS[key] = (now, dict(zip(row[0], row[1], strict=True)) if row and row[0] else {})
    return cached[1]


def _decision_stream(q: str, year):
    """Records whose decision number starts with q (folded), newest first: a bytewise range of
    ix_award_records_decision_c, right in any database collation."""
    folded = fold(q)
    number = AwardRecord.decision_folded.collate("C")
    return select(AwardRecord.year, AwardRecord.id).where(
        number >= folded, number < folded + "\U0010ffff", AwardRecord.entry != Entry.revocation,
        *([AwardRecord.year == year] if year else [])).order_by(*SORTS["year_desc"]).limit(FIRST)


def _id_list(ids: list[int]):
    """A list of ids as one SQLite parameter (a JSON array read by json_each), not a thousand bound values."""
    return select(literal_column("value")).select_from(
        func.json_each(literal(json.dumps(list(ids)), String)).table_valued("value"))


def _words(q: str) -> list[str]:
    """The query's words as the full-text index splits names: runs of letters and digits, folded."""
    return re.findall(r"[^\W_]+", fold(q))


def _phrase(words: list[str]) -> str:
    """The full-text query for the word-start rule: the words in a row, the last one a prefix."""
    return f'"{" ".join(words)}"*'


def name_ids(q: str):
    """Ids of the records with a word of the name starting with q (core.text.matches_word_start), found through the
    search index (models.SEARCH_INDEX): on SQLite the full-text phrase `"w1 w2 w3"*` gives candidates — the same
    words in a row, the last one a prefix, so never fewer than the rule finds — and the LIKE decides; on
    PostgreSQL the trigram index answers the LIKEs."""
    words = _words(q)
    if words and db.engine.dialect.name == "sqlite":
        candidates = select(literal_column(f"rowid % {SEARCH_KEY}")).select_from(table("award_records_fts")).where(
            text("award_records_fts MATCH :phrase").bindparams(phrase=_phrase(words)))
        return select(AwardRecord.id).where(AwardRecord.id.in_(candidates),
                                            matches_word_start(AwardRecord.name_folded, q))
    return select(AwardRecord.id).where(_name_matches(q))


def _name_matches(q: str):
    """The word-start rule, with a plain `%q%` first: one trigram index scan finds what either of the rule's two
    LIKEs can match (PostgreSQL; elsewhere a harmless extra condition)."""
    return and_(AwardRecord.name_folded.contains(fold(q), autoescape=True),
                matches_word_start(AwardRecord.name_folded, q))


def decision_ids(q: str):
    return select(AwardRecord.id).where(_decision_matches(q))


def _decision_matches(q: str):
    """Decision numbers starting with q (folded), through an index: a range on SQLite (its LIKE is case-blind and
    skips the index), the trigram index on PostgreSQL."""
    folded = fold(q)
    prefix = AwardRecord.decision_folded.startswith(folded, autoescape=True)
    if db.engine.dialect.name == "sqlite":
        prefix = and_(AwardRecord.decision_folded >= folded, AwardRecord.decision_folded < folded + "\U0010ffff",
                      prefix)
    return prefix


def code_ids(q: str):
    return select(AwardRecord.id).where(_code_matches(q))


def _code_matches(q: str):
    """The records of the subject with code q, typed in any case (codes are kept as written: mostly capitals),
    through the subject index."""
    code = q.strip()
    return and_(AwardRecord.subject_type.in_(("person", "unit")),
                AwardRecord.subject_code.in_(sorted({code, code.upper(), code.lower()})))


def timeline(subject_type: str, subject_code: str, unpublished_of=None) -> dict[int, list[AwardRecord]]:
    """A subject's awards by year, newest first, revoked ones included (marked)."""
    by_year: dict[int, list[AwardRecord]] = defaultdict(list)
    stmt = search_stmt(subject_type=subject_type, subject_code=subject_code, sort="year_desc",
                       unpublished_of=unpublished_of)
    for record in db.session.scalars(stmt):
        by_year[record.year].append(record)
    return dict(by_year)


def _rows(stmt):
    """Plain rows for the history queries: the ORM's row handling cost more than the queries themselves."""
    return db.session.connection().execute(stmt)


def _awards_by_subject(subject_type: str, codes: list[str]) -> dict[str, list[AwardHeld]]:
    rows = _rows(
        select(AwardRecord.subject_code, AwardRecord.award_code, AwardRecord.year, AwardRecord.kind,
               AwardRecord.revoked, AwardRecord.id, AwardRecord.period_from, AwardRecord.period_to,
               AwardRecord.decision_number)
        .where(AwardRecord.subject_type == subject_type, AwardRecord.subject_code.in_(codes),
               AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded))
    result: dict[str, list[AwardHeld]] = defaultdict(list)
    spans = {code: a.period_years for code, a in catalog.stored_types().items() if a.period_years > 1}
    for code, award, year, kind, revoked, record_id, first, last, decision in rows:
        if first is None and award in spans and kind == "regular":  # a stored type's default period (issue 25)
            first, last = (last or year) - spans[award] + 1, last or year
        result[code].append(AwardHeld(award, year, kind, bool(revoked), record_id, first, last, decision or ""))
    return result


def _disciplines(column, ids: list[int]) -> dict[int, list[DisciplineFact]]:
    """Disciplines of people (column Discipline.person_id) or collectives (Discipline.unit_id), with their dates."""
    result: dict[int, list[DisciplineFact]] = defaultdict(list)
    for owner, year, level, decided_on, ends_on in _rows(select(
            column, Discipline.year, Discipline.level, Discipline.decided_on, Discipline.ends_on).where(
            column.in_(ids))):
        result[owner].append(DisciplineFact(year, str(level), decided_on, ends_on))
    return result


def _frozen(column, ids: list[int]) -> dict[int, str]:
    """Why each subject's awards are frozen: its open proceedings (NĐ 152/2025 Art 4.4), in words."""
    result: dict[int, list[str]] = defaultdict(list)
    for owner, kind, opened_on in _rows(select(column, Proceeding.kind, Proceeding.opened_on).where(
            column.in_(ids), Proceeding.closed_on.is_(None)).order_by(Proceeding.opened_on)):
        label = ProceedingKind.get(kind).label if ProceedingKind.get(kind) else kind
        result[owner].append(f"{label} từ {opened_on.strftime('%d/%m/%Y')}")
    return {owner: "; ".join(reasons) for owner, reasons in result.items()}


def person_histories(person_ids: list[int]) -> dict[int, PersonHistory]:
    """Histories for many people with a fixed number of set queries (ratings, awards, initiatives, disciplines,
    open proceedings)."""
    found = _rows(select(Person.id, Person.code, Person.full_name, Person.sector_start_date, Person.gender)
                  .where(Person.id.in_(person_ids))).all()
    people = {pid: code for pid, code, *_rest in found}
    histories = {pid: PersonHistory(name=name, service_start=start, female=str(gender) == "female")
                 for pid, _code, name, start, gender in found}
    for pid, year, rating in _rows(select(
            PersonEvaluation.person_id, PersonEvaluation.year, PersonEvaluation.rating).where(
            PersonEvaluation.person_id.in_(person_ids))):
        histories[pid].ratings[year] = str(rating)
    awards = _awards_by_subject("person", list(people.values()))
    for pid, code in people.items():
        histories[pid].awards = awards.get(code, [])
    for pid, facts in _initiatives(person_ids).items():
        histories[pid].initiatives = facts
    for pid, facts in _disciplines(Discipline.person_id, person_ids).items():
        histories[pid].disciplines = facts
    for pid, reason in _frozen(Proceeding.person_id, person_ids).items():
        histories[pid].frozen_reason = reason
    return histories


def _initiatives(person_ids: list[int]) -> dict[int, list[InitiativeFact]]:
    """Each person's initiatives: one fact per initiative, from its first recognition, with the later recognitions
    of a wider scope (rows that supersede it) as its rises, and the award codes it already supported."""
    rows = _rows(select(Initiative.person_id, Initiative.id, Initiative.year, Initiative.scope, Initiative.title,
                        Initiative.supersedes_id).where(Initiative.person_id.in_(person_ids))
                 .order_by(Initiative.year, Initiative.id)).all()
    root: dict[int, int] = {}
    for _pid, iid, _year, _scope, _title, parent in rows:
        root[iid] = root.get(parent, parent) if parent is not None else iid
    used = _used_initiatives(person_ids)
    uses: dict[int, set[str]] = defaultdict(set)
    rises: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for _pid, iid, year, scope, _title, parent in rows:
        uses[root[iid]] |= used.get(iid, set())
        if parent is not None:
            rises[root[iid]].append((year, str(scope)))
    result: dict[int, list[InitiativeFact]] = defaultdict(list)
    for pid, iid, year, scope, title, parent in rows:
        if parent is None:
            result[pid].append(InitiativeFact(iid, year, str(scope), title, tuple(sorted(uses[iid])),
                                              tuple(rises[iid])))
    return result


def _used_initiatives(person_ids: list[int]) -> dict[int, set[str]]:
    """Initiatives that already supported a live award: initiative id → the award codes it supported."""
    rows = _rows(
        select(RecordInitiative.initiative_id, AwardRecord.award_code, AwardRecord.revoked, AwardRecord.superseded)
        .join(AwardRecord, AwardRecord.id == RecordInitiative.record_id)
        .join(Initiative, Initiative.id == RecordInitiative.initiative_id)
        .where(Initiative.person_id.in_(person_ids)))
    result: dict[int, set[str]] = defaultdict(set)
    for iid, code, revoked, superseded in rows:
        if not revoked and not superseded:
            result[iid].add(code)
    return result


RATING_ORDER = {"not_done": 0, "done": 1, "good": 2, "excellent": 3}


def unit_histories(unit_ids: list[int], year: int, *, members: bool = True) -> dict[int, UnitHistory]:
    """Histories for many collectives: their ratings and awards, and their members' year (current members of
    the unit's subtree: who belonged in past years is not recorded yet) — a fixed number of set queries however
    many collectives there are. `members=False` leaves the members out (their year is empty): what only reads the
    collective's own chain (rules.chain_progress, the history page) need not read a hospital's thousands of people,
    their ratings, titles and disciplines (issue 21: most of that page's time at full scale).

    A collective's chain follows its successor links (units.models.UnitSuccession): a unit formed by a merger, a
    split or a re-coding carries its predecessors' ratings and awards of the years up to the year each one was
    taken over, where it has none of its own for that year (two predecessors rated differently in one year: the
    lower rating counts). The Law 06/2022 and NĐ 152/2025 texts at hand say nothing explicit on this; it follows
    the 2025 reorganisation's practice that a unit formed by sắp xếp inherits the achievements of the units it
    replaced (see tests/units/test_reorganisation.py)."""
    chains = units_queries.predecessors_of(unit_ids)
    every = sorted(set(unit_ids) | {old for found in chains.values() for old in found})
    units = dict(_rows(select(Unit.id, Unit.code).where(Unit.id.in_(every))).all())
    names = dict(_rows(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    histories = {uid: UnitHistory(name=names[uid]) for uid in units if uid in names}
    ratings: dict[int, dict[int, str]] = defaultdict(dict)
    for uid, y, rating in _rows(select(UnitEvaluation.unit_id, UnitEvaluation.year,
                                       UnitEvaluation.rating).where(UnitEvaluation.unit_id.in_(every))):
        ratings[uid][y] = str(rating)
    awards = _awards_by_subject("unit", list(units.values()))
    people = _members(list(histories), year) if members else {}
    for uid, history in histories.items():
        history.ratings = dict(ratings.get(uid, {}))
        history.awards = list(awards.get(units[uid], []))
        if members:
            history.members[year] = people.get(uid, [])
        inherited: dict[int, str] = {}
        for old, day in chains.get(uid, {}).items():
            for y, rating in ratings.get(old, {}).items():
                if y <= day.year and y not in history.ratings and (
                        y not in inherited or RATING_ORDER[rating] < RATING_ORDER[inherited[y]]):
                    inherited[y] = rating
            history.awards += [held for held in awards.get(units[old], []) if held.year <= day.year]
        history.ratings.update(inherited)
    for uid, facts in _disciplines(Discipline.unit_id, list(histories)).items():
        histories[uid].disciplines = facts
    for uid, reason in _frozen(Proceeding.unit_id, list(histories)).items():
        histories[uid].frozen_reason = reason
    _cluster_results(histories, chains)
    return histories


def _cluster_results(histories: dict[int, UnitHistory], chains: dict) -> None:
    """The years each unit led its cụm, khối (the cluster's recorded vote), with its predecessors' results up to
    the year each was taken over, as for ratings and awards."""
    led, results = clusters_queries.cluster_results(
        sorted(set(histories) | {old for found in chains.values() for old in found}))
    for uid, history in histories.items():
        years, names = set(led.get(uid, ())), dict(results.get(uid, {}))
        for old, day in chains.get(uid, {}).items():
            for year, name in results.get(old, {}).items():
                if year <= day.year and year not in names:
                    names[year] = name
                    years |= {year} & led.get(old, set())
        history.led_clusters, history.cluster_results = frozenset(years), names


def _members(unit_ids: list[int], year: int) -> dict[int, list[MemberYear]]:
    """Each unit's active people in its subtree, with their rating, titles and heaviest discipline of `year`: one
    recursive query for every subtree at once, then one query each for ratings, titles and disciplines."""
    if not unit_ids:
        return {}
    tree = select(Unit.id.label("root"), Unit.id.label("id")).where(Unit.id.in_(unit_ids)).cte("tree", recursive=True)
    tree = tree.union_all(select(tree.c.root, Unit.id).where(Unit.parent_id == tree.c.id))
    people = _rows(select(tree.c.root, Person.id, Person.code, Person.gender)
                   .join(Person, Person.unit_id == tree.c.id).where(Person.active)).all()
    if not people:
        return {}
    everyone = select(Person.id).join(tree, Person.unit_id == tree.c.id).where(Person.active)
    ratings = dict(_rows(select(PersonEvaluation.person_id, PersonEvaluation.rating).where(
        PersonEvaluation.person_id.in_(everyone), PersonEvaluation.year == year)).all())
    titles: dict[str, set[str]] = defaultdict(set)
    for code, award, kind, revoked in _rows(
            select(AwardRecord.subject_code, AwardRecord.award_code, AwardRecord.kind, AwardRecord.revoked)
            .where(AwardRecord.subject_type == "person", AwardRecord.year == year,
                   AwardRecord.subject_code.in_(select(Person.code).where(Person.id.in_(everyone))),
                   AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded)):
        if AwardHeld(award, year, kind, bool(revoked)).counts:
            titles[code].add(award)
    heaviest: dict[int, str] = {}
    for pid, level in _rows(select(Discipline.person_id, Discipline.level).where(
            Discipline.person_id.in_(everyone), Discipline.year == year)):
        if DISCIPLINE_ORDER[str(level)] >= DISCIPLINE_ORDER.get(heaviest.get(pid, "reprimand"), 0):
            heaviest[pid] = str(level)
    by_unit: dict[int, list[MemberYear]] = defaultdict(list)
    for root, pid, code, gender in people:
        by_unit[root].append(MemberYear(str(ratings[pid]) if pid in ratings else None,
                                        frozenset(titles.get(code, ())), heaviest.get(pid),
                                        str(gender) == "female"))
    return by_unit


def overrides_for(subject_type: str, subject_code: str, award_code: str, year: int):
    from awards.archive.models import EligibilityOverride

    return db.session.scalars(select(EligibilityOverride).where(and_(
        EligibilityOverride.subject_type == subject_type, EligibilityOverride.subject_code == subject_code,
        EligibilityOverride.award_code == award_code, EligibilityOverride.year == year,
        EligibilityOverride.withdrawn_at.is_(None))).order_by(EligibilityOverride.id)).all()
