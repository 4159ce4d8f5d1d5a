"""Reading the archive: search, a subject's timeline, and histories for the rules in a few set queries."""

import functools
import json
import re
import time
from bisect import bisect_left
from collections import defaultdict
from itertools import pairwise
from typing import NamedTuple

from sqlalchemy import (
    ARRAY,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    cast,
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
from sqlalchemy.orm import aliased

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
from awards.core.db import among
from awards.core.text import fold, matches_word_start, word_start_patterns
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
    display_name,
)

SORTS = {
    "year_desc": (AwardRecord.year.desc(), AwardRecord.id.desc()),
    "year": (AwardRecord.year, AwardRecord.id),
    "name": (AwardRecord.name_folded, AwardRecord.year.desc()),
    "decision": (AwardRecord.decision_date.desc(), AwardRecord.id.desc()),
}


def record_by_id(record_id: int) -> AwardRecord | None:
    return db.session.get(AwardRecord, record_id)


@functools.cache  # one statement object, built once (statements are immutable: each filter makes a new one)
def current_records():
    """Awards and corrections not superseded by a later correction (revoked ones included, marked)."""
    return select(AwardRecord).where(AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded)


class ResultLine:
    """A record as the search pages show it (templates/archive/search.html, archive/_public_results.html), read as
    plain columns with its unit's display name: building a page's 50 ORM records with their units and the units
    above them was ~4 of a search's ~7 ms of CPU (issue 21), for columns the page never shows."""

    __slots__ = ("id", "year", "entry", "kind", "subject_type", "subject_code", "subject_name", "award_code",
                 "decision_number", "decision_date", "issuer", "revoked", "superseded", "unit")

    def __init__(self, row):
        (self.id, self.year, self.entry, self.kind, self.subject_type, self.subject_code, self.subject_name,
         self.award_code, self.decision_number, self.decision_date, self.issuer, self.revoked, self.superseded,
         unit_code, unit_name, parent_name, grandparent_id) = row
        self.revoked, self.superseded = bool(self.revoked), bool(self.superseded)
        self.unit = UnitLabel(unit_code, display_name(unit_name, parent_name, grandparent_id))


class UnitLabel(NamedTuple):
    """A record's unit as the search pages name it."""

    code: str
    display_name: str


@functools.cache  # built at the first search: the aliased unit configures the mappers, which need every model
def _lines(dialect: str):
    """The page's statement, one object per dialect (its cache key is kept). PostgreSQL takes the ids as one array
    parameter: 50 bound values went past the 50 whose SQL psycopg keeps parsed, so each page's was parsed again."""
    parent = aliased(Unit, name="parent_unit")
    ids = (AwardRecord.id == any_(cast(bindparam("ids", type_=String), ARRAY(Integer))) if dialect == "postgresql"
           else AwardRecord.id.in_(bindparam("ids", expanding=True)))
    return select(
        AwardRecord.id, AwardRecord.year, AwardRecord.entry, AwardRecord.kind, AwardRecord.subject_type,
        AwardRecord.subject_code, AwardRecord.subject_name, AwardRecord.award_code, AwardRecord.decision_number,
        AwardRecord.decision_date, AwardRecord.issuer, AwardRecord.revoked, AwardRecord.superseded, Unit.code,
        Unit.name, parent.name, parent.parent_id,
    ).join(Unit, Unit.id == AwardRecord.unit_id).outerjoin(parent, parent.id == Unit.parent_id).where(ids)


def result_lines(ids: list[int]) -> list[ResultLine]:
    """The records `ids` as a search page shows them (core.forms.CappedPage's `page_rows`), in no order."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    value = "{" + ",".join(map(str, ids)) + "}" if dialect == "postgresql" else list(ids)  # as _id_array sends them
    return [ResultLine(row) for row in connection.execute(_lines(dialect), {"ids": value}).all()]


def search_stmt(q="", award_code=None, year=None, unit_code=None, subject_code=None, subject_type=None,
                include_revoked=True, published_only=False, sort="year_desc", capped=False, unpublished_of=None):
    """Current records matching the filters; q matches names (from a word start) and decision numbers,
    ignoring case and diacritics; unit_code includes the unit's descendants. `capped`: the caller reads no more
    than the first 1,001 matches (core.forms.CappedPage), so a broad search may stop there."""
    stmt = current_records().execution_options(page_rows=result_lines)
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
        newest_first = (sort if sort in SORTS else "year_desc") == "year_desc"
        plain = not (award_code or subject_type or subject_code or unit_code or not include_revoked
                     or published_only or unpublished_of is not None)  # the current records' rules alone
        if db.engine.dialect.name == "sqlite":
            found = _first_matches(stmt, q, newest_first=newest_first, capped=capped, plain=plain and not year)
            if found is None:
                return stmt.where(AwardRecord.id.in_(union(name_ids(q), decision_ids(q), code_ids(q))))
        else:  # PostgreSQL: the word index read newest first (_word_matches), else the trigram indexes
            found = _word_matches(stmt, q, year=year, capped=capped, plain=plain, newest_first=newest_first)
            if found is None:
                return stmt.where(or_(_name_matches(q), _decision_matches(q), _code_matches(q)))
        condition, known = found
        stmt = stmt.where(condition)
        if known is not None:
            stmt = stmt.execution_options(known_matches=KnownMatches(stmt, *known))
    return stmt


class KnownMatches:
    """The matches of a search statement, in its order, when building it already read them (all of them, or its
    first CappedPage.CAP + 1): core.forms.CappedPage then pages and counts from these ids, with no query of its own
    but the page's records (issue 21: a search was six statements, the count and the page's ids re-reading what the
    word index had just given). Carried as the statement's execution option `known_matches`; a statement derived from
    it with another condition, order, limit or offset is not the one they answer, and `applies_to` says so."""

    __slots__ = ("ids", "complete", "_where", "_order")

    def __init__(self, stmt, ids: list[int], complete: bool):
        self.ids, self.complete = ids, complete
        self._where, self._order = stmt._where_criteria, stmt._order_by_clauses

    def applies_to(self, stmt) -> bool:
        return (stmt._where_criteria is self._where and stmt._order_by_clauses is self._order
                and stmt._limit_clause is None and stmt._offset_clause is None)


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


def _first_matches(stmt, q: str, *, newest_first: bool, capped: bool, plain: bool = False):
    """SQLite: (the search's condition, its matches in the statement's order, complete or not) from the FIRST newest
    full-text candidates (and the decision and code matches), when those are provably all of them, or, for a capped
    page in the archive's order, its first 1,001 — the candidates come newest first, so any match left out comes
    after them. None when neither holds. One statement: the candidates of both kinds (common table expressions), the
    matches among them under the statement's own rules and order, and how many candidates of each kind were read
    (issue 21: the candidates went to Python and back as a 1,200-id JSON list, a second statement). A `plain`
    search (no filter but the current records' rules) in the archive's order sends that statement as fixed SQL text
    (_SQLITE_PLAIN) and reads the driver's rows: building, keying and compiling the statement each time, and
    SQLAlchemy's rows for its 1,200 ids, were most of the Python around a search (at 1 M records its CPU went from
    8.4–10.1 ms to 6.5–7.0, the same SQL replayed bare taking 5.3–5.7)."""
    from awards.core.forms import CappedPage

    words = _words(q)
    if not words:
        return None
    folded, code = fold(q), q.strip()
    params = {"phrase": _phrase(words), "first_n": FIRST, "low": folded, "high": folded + "\U0010ffff", "code": code,
              "upper": code.upper(), "lower": code.lower(), "first_o": FIRST}
    connection = db.session.connection()
    if plain and newest_first:
        params["p1"], params["p2"] = word_start_patterns(q)
        result = connection.exec_driver_sql(_SQLITE_PLAIN[0], params)
        try:
            rows = result.cursor.fetchall()  # the driver's tuples: SQLAlchemy's rows for 1,200 ids cost ~1 ms more
        finally:
            result.close()
        names_read, others_read = rows[0][1:] if rows else connection.exec_driver_sql(_SQLITE_PLAIN[1], params).one()
    else:
        names = _SQLITE_NAMES.bindparams(**{key: params[key] for key in ("phrase", "first_n")}).cte("name_candidates")
        others = _SQLITE_OTHERS.bindparams(**{key: params[key] for key in ("low", "high", "code", "upper", "lower",
                                                                           "first_o")}).cte("other_candidates")
        counted = [select(func.count()).select_from(cte).scalar_subquery() for cte in (names, others)]
        found = stmt.with_only_columns(AwardRecord.id, *counted).where(
            AwardRecord.id.in_(union_all(select(names.c.key), select(others.c.key))),
            or_(matches_word_start(AwardRecord.name_folded, q), AwardRecord.id.in_(select(others.c.key))))
        rows = connection.execute(found).all()  # plain rows: the ORM's row handling cost ~0.4 ms here
        # nothing matched: were all the candidates read? (a second statement, only then)
        names_read, others_read = rows[0][1:] if rows else connection.execute(select(*counted)).one()
    ids = [row[0] for row in rows]
    if others_read == FIRST:
        return None
    if names_read < FIRST:  # every candidate read: the matches among them are all of them
        return AwardRecord.id.in_(_id_list(ids)), (ids, True)
    first = ids[:CappedPage.CAP + 1] if capped and newest_first else []
    return (AwardRecord.id.in_(_id_list(first)), (first, False)) if len(first) == CappedPage.CAP + 1 else None


# the full-text candidates newest first (by the archive's order folded into the rowid: SEARCH_KEY), and the records
# whose decision number starts with the query or whose subject code is it
_NAMES_SQL = (f"SELECT rowid % {SEARCH_KEY} AS key FROM award_records_fts WHERE award_records_fts MATCH :phrase "
              "ORDER BY rowid DESC LIMIT :first_n")
_OTHERS_SQL = (
    "SELECT key FROM (SELECT id AS key FROM award_records WHERE decision_folded >= :low AND decision_folded < :high "
    "AND substr(decision_folded, 1, length(:low)) = :low UNION SELECT id FROM award_records WHERE subject_type IN "
    "('person', 'unit') AND subject_code IN (:code, :upper, :lower)) LIMIT :first_o")
_SQLITE_NAMES = text(_NAMES_SQL).columns(key=Integer)
_SQLITE_OTHERS = text(_OTHERS_SQL).columns(key=Integer)
# the same statement for a plain search in the archive's order, as sqlite3 takes it (named parameters), with the
# current records' rules of current_records(); and, when nothing matched, how many candidates of each kind were read
_CANDIDATES_SQL = f"WITH name_candidates AS ({_NAMES_SQL}), other_candidates AS ({_OTHERS_SQL}) "
_COUNTED_SQL = "(SELECT count(*) FROM name_candidates), (SELECT count(*) FROM other_candidates)"
_SQLITE_PLAIN = (
    f"{_CANDIDATES_SQL}SELECT r.id, {_COUNTED_SQL} FROM award_records r WHERE r.entry != 'revocation' AND NOT EXISTS "
    "(SELECT 1 FROM award_records later WHERE later.target_id = r.id AND later.entry = 'correction') AND r.id IN "
    "(SELECT key FROM name_candidates UNION ALL SELECT key FROM other_candidates) AND (r.name_folded LIKE :p1 "
    "ESCAPE '\\' OR r.name_folded LIKE :p2 ESCAPE '\\' OR r.id IN (SELECT key FROM other_candidates)) "
    "ORDER BY r.year DESC, r.id DESC",
    f"{_CANDIDATES_SQL}SELECT {_COUNTED_SQL}",
)


PREFIX_WORDS = 32  # a last word standing for more distinct words than this is broad: the archive's order finds it
_STATS: dict[str, tuple[float, dict[str, float], list[str]]] = {}
STATS_SECONDS = 600


def _word_matches(stmt, q: str, *, year, newest_first: bool, capped: bool, plain: bool = False):
    """PostgreSQL: (the search's condition, its matches in the statement's order, complete or not) from the word
    index (models.WORD_INDEX), when the FIRST newest candidates of each branch are provably all of them, or, for a
    capped page in the archive's order, its first 1,001, as _first_matches does on SQLite. Names: the query's words
    are the folded name's words in a row, all but the last whole, the last a prefix, so one of them or a pair of
    adjacent ones — the rarest by the table's statistics (_name_branch) — is read newest first and the rule is
    checked on the index entry; decision numbers by their bytewise prefix, codes by the subject index; all three
    branches in one statement (_candidates), which also says which candidates a correction superseded. None when
    neither holds (the caller falls back to the trigram indexes). Revocations are never candidates, so for a `plain`
    search (no filter but the current records') in the archive's order the candidates no correction superseded are
    the matches, without reading the records."""
    from awards.core.forms import CappedPage

    words = fold(q).split(" ")
    if not words[0]:
        return None
    year = int(year) if year else None
    sql, params, guessed = _candidates(words, q, year)
    rows = _driver_rows(sql, params)
    begun = [word for tag, _, _, _, word in rows if tag == "w"]
    if guessed is not None and begun != guessed:  # a word the statistics do not list: ask again with the words
        sql, params, _ = _candidates(words, q, year, begun)
        rows = _driver_rows(sql, params)
    branches: dict[str, list] = defaultdict(list)
    superseded = set()
    for tag, record_year, record_id, corrected, _ in rows:
        if tag != "w":
            branches[tag].append((record_year, record_id))
        if corrected:
            superseded.add(record_id)
    cut = [min(rows) for rows in branches.values() if len(rows) >= FIRST]  # a branch that stopped
    last = max(cut, default=(0, 0))  # older than a cut, a branch that stopped may have left matches out
    keys = {key for rows in branches.values() for key in rows if key >= last}
    if plain and newest_first and (capped or not cut):
        newest = [record_id for _, record_id in sorted(keys, reverse=True) if record_id not in superseded]
        first = newest if not cut else newest[:CappedPage.CAP + 1]
        if not cut or len(first) == CappedPage.CAP + 1:
            return AwardRecord.id == any_(_id_array(first)), (first, not cut)
    # each branch is exact (the rule on the word index's copy of the name, a bytewise prefix, the code itself): the
    # ids alone, so that the page and its count read them by primary key rather than a trigram bitmap for the rule
    matches = AwardRecord.id == any_(_id_array({record_id for _, record_id in keys}))
    if not cut:
        if not capped:
            return matches, None
        ids = db.session.scalars(stmt.with_only_columns(AwardRecord.id).where(matches)).all()
        return AwardRecord.id == any_(_id_array(ids)), (ids, True)
    if not (capped and newest_first):
        return None
    first = db.session.scalars(stmt.with_only_columns(AwardRecord.id).where(matches).limit(CappedPage.CAP + 1)).all()
    return (AwardRecord.id == any_(_id_array(first)), (first, False)) if len(first) == CappedPage.CAP + 1 else None


@functools.lru_cache(maxsize=256)  # a search's statements take a few shapes (ranges, a year): parsed once each
def _text(sql: str):
    return text(sql)


def _driver_rows(sql: str, params: dict) -> list[tuple]:
    """A statement's rows as the driver's tuples: SQLAlchemy's rows for a search's 1,200–3,600 candidates cost about
    1 µs each (a millisecond or more a search, issue 21's ratio)."""
    result = db.session.connection().execute(_text(sql), params)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _id_array(ids) -> object:
    """Ids as one PostgreSQL array parameter, sent as its text ('{3,1,2}'): adapting a list of 1,200 ints took
    psycopg ~2 ms a time."""
    return cast(literal("{" + ",".join(map(str, sorted(ids))) + "}"), ARRAY(Integer))


_NEWEST = " ORDER BY year DESC, id DESC LIMIT :first"
_LIVE = " AND entry <> 'revocation'"


def _candidates(words: list[str], q: str, year: int | None, begun: list[str] | None = None):
    """One statement for the search's candidates, each branch newest first and cut at FIRST: its SQL, parameters, and
    the words the name branch took the last word to begin (when it guessed them from the statistics, else None).
    Rows (tag, year, id, superseded, word): "d" decision numbers starting with the folded query (a bytewise range of
    ix_award_records_decision_c, right in any database collation), "c" the subject with that code, "n" the names
    (_name_branch); and, after a guess, "w" the words the last word does begin (a skip scan, one index descent
    each, over words alone: a pair's key starts with a space), so that the caller sees a wrong guess and asks
    again. Plain SQL text: no statement to build each time."""
    folded, code = fold(q), q.strip()
    first, inner = word_start_patterns(q)
    params = {"first": FIRST, "low": folded, "high": folded + "\U0010ffff", "code": code, "upper": code.upper(),
              "lower": code.lower(), "p1": first, "p2": inner}
    in_year = ""
    if year:
        params["year"], in_year = year, " AND year = :year"
    name, guessed = _name_branch(words, params, in_year, begun)
    hits = " UNION ALL ".join([
        "(SELECT 'd' AS tag, year, id FROM award_records WHERE (decision_folded COLLATE \"C\") >= :low AND "
        f"(decision_folded COLLATE \"C\") < :high{_LIVE}{in_year}{_NEWEST})",
        "(SELECT 'c', year, id FROM award_records WHERE subject_type IN ('person', 'unit') AND subject_code IN "
        f"(:code, :upper, :lower){_LIVE}{in_year}{_NEWEST})",
        f"(SELECT 'n', year, id FROM ({name}) n)"])
    # superseded: one probe of the targets' index a candidate, bounded by the candidates; the hashed list of every
    # correction it replaces grew with the archive (5 M records: 10,420 corrections, 5,500 buffers and 3.5 ms a search,
    # against 2,450 buffers and 1.0–1.3 ms for 1,200 candidates; at 100,000 records 0.5 ms against 0.7–1.0)
    sql = ("SELECT tag, year, id, EXISTS (SELECT 1 FROM award_records c WHERE c.target_id = hits.id AND "
           f"c.entry = 'correction'), NULL AS word FROM ({hits}) hits")
    if guessed is not None:
        params["prefix"], params["prefix_end"], params["most"] = words[-1], words[-1] + "\U0010ffff", PREFIX_WORDS + 1
        sql = ("WITH RECURSIVE begun(word) AS ((SELECT word FROM award_record_words WHERE word >= :prefix AND "
               "word < :prefix_end ORDER BY word LIMIT 1) UNION ALL SELECT (SELECT w.word FROM award_record_words w "
               "WHERE w.word > begun.word AND w.word < :prefix_end ORDER BY w.word LIMIT 1) FROM begun "
               f"WHERE begun.word IS NOT NULL) {sql} UNION ALL (SELECT 'w', NULL, NULL, NULL, word FROM begun "
               "WHERE word IS NOT NULL LIMIT :most)")
    return sql, params, guessed


def _name_branch(words: list[str], params: dict, in_year: str, begun: list[str] | None):
    """The names' branch: the records of the rarest key the query gives the word index — one of its whole words, a
    pair of adjacent whole words (' w1 w2'), or the keys of its last word: the pairs of the last whole word with each
    word the last word begins (' w2 b'), or those words alone when there is no whole word (`begun`; guessed, when not
    given, from the words the statistics list: then returned). Each key's range is read newest first and cut at FIRST
    on its own (a Merge Append: no plan sorts a whole word's records), with the word-start rule checked on the index
    entry, so the choice only decides how much is read, never what is found; the archive's order itself when the
    last word alone is broad. A pair is what keeps a common name flat as the archive grows: "Phạm Anh" read every
    record of "anh" (31,801 at 1 M records, five times that at 5 M), and reads those of ' pham anh'."""
    *whole, last = words
    frequency, common = _word_frequencies(), _common_words()
    rare = min(frequency.values(), default=0.0)  # a key the statistics do not list is rarer than any they do
    guessed = begun is None
    if guessed:  # never a pair: a word prefix's range starts with no space, the pairs' with one
        begun = common[bisect_left(common, last):bisect_left(common, last + "\U0010ffff")]
    # (share of the index, longer first on a tie, the keys to merge, whether they are the last word's)
    keys = dict.fromkeys([*whole, *(f" {first} {second}" for first, second in pairwise(whole))])
    choices = [(frequency.get(key, rare), -len(key), [key], False) for key in keys]
    if len(begun) <= PREFIX_WORDS:
        ends = [f" {whole[-1]} {word}" for word in begun] if whole else list(begun)
        longest = f" {whole[-1]} {last}" if whole else last
        choices.append((sum(frequency.get(key, rare) for key in ends) or rare, -len(longest), ends, True))
    if not choices:  # one broad word ("n", "th"): most records match, the archive's order finds them at once
        return ("SELECT year, id FROM award_records WHERE (name_folded LIKE :p1 ESCAPE '\\' OR name_folded LIKE :p2 "
                f"ESCAPE '\\'){_LIVE}{in_year}{_NEWEST}"), None
    rule = " AND (name LIKE :p1 ESCAPE '\\' OR name LIKE :p2 ESCAPE '\\')" if whole else ""  # one word: the prefix
    _, _, driving, of_last = min(choices, key=lambda choice: choice[:2])
    for n, key in enumerate(driving):
        params[f"w{n}"] = key
    ranges = [f"SELECT year, id FROM award_record_words WHERE word = :w{n}{rule}{in_year}{_NEWEST}"
              for n in range(len(driving))]
    if not ranges:
        name = "SELECT NULL::integer AS year, NULL::integer AS id WHERE false"
    elif len(ranges) == 1:
        name = ranges[0]
    else:
        name = f"SELECT year, id FROM ({' UNION ALL '.join(f'({r})' for r in ranges)}) m{_NEWEST}"
    return name, (begun if guessed and of_last else None)


def _word_frequencies() -> dict[str, float]:
    """The commonest words' shares of the word index (PostgreSQL's statistics, kept by ANALYZE and autovacuum),
    read again every STATS_SECONDS: a word not listed is rarer than any listed one. Empty before the first ANALYZE."""
    return _statistics()[0]


def _common_words() -> list[str]:
    """The listed words of _word_frequencies, in bytewise order (those a prefix begins are a slice)."""
    return _statistics()[1]


def _statistics() -> tuple[dict[str, float], list[str]]:
    key = str(db.engine.url)
    now = time.monotonic()
    cached = _STATS.get(key)
    if cached is None or now - cached[0] > STATS_SECONDS:
        row = db.session.execute(text(
            "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats WHERE schemaname = "
            "current_schema() AND tablename = 'award_record_words' AND attname = 'word'")).first()
        frequency = dict(zip(row[0], row[1], strict=True)) if row and row[0] else {}
        cached = _STATS[key] = (now, frequency, sorted(frequency))  # code points: UTF-8's bytes
    return cached[1], cached[2]


def _id_list(ids: list[int]):
    """A list of ids as one SQLite parameter (a JSON array read by json_each), not a thousand bound values; encoded
    only if the statement runs (a page in the archive's order is read from the ids themselves: KnownMatches)."""
    ids = list(ids)
    return select(literal_column("value")).select_from(
        func.json_each(bindparam(None, callable_=lambda: json.dumps(ids), type_=String)).table_valued("value"))


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
    # the people found, as one bound value each (an array, a JSON text): the subtrees are walked once, not again in
    # each of the three queries below (issue 21: 4 recursive walks of 25 hospitals' trees for a council session)
    dialect = db.session.get_bind().dialect.name
    everyone = sorted({pid for _root, pid, _code, _gender in people})
    ratings = dict(_rows(select(PersonEvaluation.person_id, PersonEvaluation.rating).where(
        among(PersonEvaluation.person_id, everyone, dialect), PersonEvaluation.year == year)).all())
    titles: dict[str, set[str]] = defaultdict(set)
    for code, award, kind, revoked in _rows(
            select(AwardRecord.subject_code, AwardRecord.award_code, AwardRecord.kind, AwardRecord.revoked)
            .where(AwardRecord.subject_type == "person", AwardRecord.year == year,
                   among(AwardRecord.subject_code, {code for _r, _p, code, _g in people}, dialect),
                   AwardRecord.entry != Entry.revocation, ~AwardRecord.superseded)):
        if AwardHeld(award, year, kind, bool(revoked)).counts:
            titles[code].add(award)
    heaviest: dict[int, str] = {}
    for pid, level in _rows(select(Discipline.person_id, Discipline.level).where(
            among(Discipline.person_id, everyone, dialect), Discipline.year == year)):
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
