"""Award records from the spreadsheets agencies keep (.xlsx, .xls, .ods): all rows or none, 100,000 rows in one go.

The first sheet is read by python-calamine (core.xlsx.open_workbook: its cells held compactly by the Rust
reader, turned into Python one row at a time) and checked in batches of 1,000 rows the way
`services.record_award` checks one record: the subject exists, the award suits it, the year and the decision
date make sense, and nothing is recorded twice (against the live archive and within the file). Checked rows
are spilled to a temporary file, so memory stays flat; only when every row passed are they written, in file
order, with bulk inserts linked into the hash chain. The caller commits (or rolls back on errors and dry runs).
"""

import functools
import hashlib
import json
import operator
import pickle
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import ARRAY, Integer, String, bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from awards.archive import services
from awards.archive.models import AwardRecord, Entry, ImportJob, content_hash, names_indexed_after
from awards.catalog import services as catalog
from awards.catalog.types import TITLE
from awards.core import audit
from awards.core.db import DomainError, among, utcnow
from awards.core.states import JobStatus
from awards.core.text import fold, normalize
from awards.core.uploads import write_file
from awards.core.xlsx import cell_date, cell_text, open_workbook, workbook_bytes
from awards.extensions import db
from awards.units.models import Person, Unit
from awards.units.services import check_year

MAX_ROWS = 200_000
MAX_ERRORS = 1000
BATCH = 1000  # rows checked together: one IN query per batch for people, units and existing records
INSERT_CHUNK = 2000  # rows an insert statement carries on SQLite; the rows between two progress reports everywhere

# field -> header text, Vietnamese whatever the interface language; matched folded ("Nam", "NĂM", "nam")
HEADERS = {
    "subject_type": "Loại đối tượng", "subject_code": "Mã đối tượng", "award": "Danh hiệu", "year": "Năm",
    "decision_number": "Số quyết định", "decision_date": "Ngày quyết định", "issuer": "Cơ quan ban hành",
    "gold_book_number": "Số sổ vàng", "kind": "Loại khen thưởng",
    # the achievement period (thời gian đạt thành tích, NĐ 98/2023 Art 30.9); blank: the award's default
    "period_from": "Thành tích từ năm", "period_to": "Thành tích đến năm",
}
# other headers accepted for a column: the archive's own export can be read back
ALIASES = {"Danh hiệu / Hình thức": "award", "Hình thức khen thưởng": "award",
           "Danh hiệu, hình thức khen thưởng": "award", "Từ năm": "period_from", "Đến năm": "period_to"}
REQUIRED_COLUMNS = ("subject_type", "subject_code", "award", "year", "decision_number", "decision_date", "issuer")
TEXT_FIELDS = ("subject_type", "subject_code", "award", "decision_number", "issuer", "gold_book_number", "kind")
MAX_LENGTHS = {"subject_code": 40, "decision_number": 60, "issuer": 255, "gold_book_number": 40}

SUBJECT_WORDS = {"ca nhan": "person", "person": "person", "tap the": "unit", "unit": "unit"}
KIND_WORDS = {"thuong xuyen": "regular", "regular": "regular", "dot xuat": "adhoc", "adhoc": "adhoc",
              "chuyen de": "thematic", "theo chuyen de": "thematic", "thematic": "thematic"}
_YEAR_TEXT = re.compile(r"^\d{4}$")

Progress = Callable[[str, int, int], None]

# told (session, rows) of each chunk the import writes, before it is written: the rows pass no ORM hook (a COPY on
# PostgreSQL, a Core executemany on SQLite). nominations.outcomes marks the subjects' open dossiers stale with it.
WRITTEN: list[Callable[[Session, list[dict]], None]] = []

# the type, award and kind columns repeat a handful of words, a decision number hundreds of rows: each distinct
# text is folded once (bounded: a file of distinct numbers only evicts)
_fold_word = functools.lru_cache(maxsize=4096)(fold)


@functools.lru_cache(maxsize=4096)
def _decision_number(text: str) -> tuple[str, str]:
    """(stored, folded) decision number."""
    number = normalize(text)
    return number, fold(number)


@dataclass
class ImportResult:
    imported: int = 0  # rows stored; on a dry run without errors, the rows that would be stored
    errors: list[dict] = field(default_factory=list)  # {"row": Excel row number, "message": Vietnamese}
    total: int = 0  # data rows read (blank rows skipped)
    error_count: int = 0  # every row error, also those beyond the MAX_ERRORS reported
    dry_run: bool = False
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class _RowError(Exception):
    pass


def award_lookup(types=None) -> dict[str, str]:
    """Folded award code or Vietnamese name -> award code: "LDTT", "ldtt", "Lao động tiên tiến" (the stored types
    too, deactivated ones included: old records of them may be imported)."""
    lookup = {}
    for award in (types or catalog.known_types()).values():
        lookup[fold(award.code)] = award.code
        lookup[fold(award.name)] = award.code
    return lookup


def _workbook(data: bytes):
    """The workbook (.xlsx, .xls or .ods), or Invalid (field "file") when the bytes are none of them."""
    return open_workbook(BytesIO(data))


def check_xlsx(data: bytes) -> None:
    """Refuse (Invalid) anything that is not a spreadsheet the reader opens (.xlsx, .xls, .ods)."""
    _workbook(data).close()


def _read(stream_or_path) -> bytes:
    if isinstance(stream_or_path, (str, Path)):
        return Path(stream_or_path).read_bytes()
    return stream_or_path.read()


# --- one row ---------------------------------------------------------------------------------------

def _header_map(header_row) -> dict[str, int]:
    wanted = {fold(text): name for name, text in HEADERS.items()}
    wanted.update({fold(text): name for text, name in ALIASES.items()})
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_row or ()):
        name = wanted.get(fold(cell_text(cell)))
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def _year(value) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        text = cell_text(value)
        if not _YEAR_TEXT.match(text):
            raise _RowError(_("Năm “%(v)s” không hợp lệ (cần 4 chữ số, ví dụ 2024).", v=text))
        value = int(text)
    try:
        return check_year(value)
    except DomainError as exc:
        raise _RowError(exc.message) from None


def _period(from_value, to_value, year: int, award_code: str, kind: str) -> tuple[int, int]:
    """The row's achievement period: both years, or neither (then the award's default, catalog.periods)."""
    if cell_text(from_value) == "" and cell_text(to_value) == "":
        return catalog.default_period(award_code, year, kind)
    if cell_text(from_value) == "" or cell_text(to_value) == "":
        raise _RowError(_("Cần cả “%(a)s” và “%(b)s”, hoặc để trống cả hai.", a=HEADERS["period_from"],
                          b=HEADERS["period_to"]))
    period_from, period_to = _year(from_value), _year(to_value)
    try:
        services.check_period(year, period_from, period_to)
    except DomainError as exc:
        raise _RowError(exc.message) from None
    return period_from, period_to


def _decision_date(value) -> date:
    try:
        decided = cell_date(value)
    except ValueError:
        decided = None
    if decided is None:
        raise _RowError(_("Ngày quyết định “%(v)s” không hợp lệ (cần một ngày có thật, dạng dd/mm/yyyy).",
                          v=cell_text(value)))
    return decided


def _parse_row(values: tuple, columns: dict[str, int], awards: dict[str, str]) -> tuple:
    """(subject_type, code, award, year, kind, decision_number, decision_date, issuer, gold_book_number,
    period_from, period_to)."""
    width = len(values)
    cells = {name: values[index] for name, index in columns.items() if index < width}
    cell = cells.get
    text = {name: cell_text(cell(name)) for name in TEXT_FIELDS}  # each cell read once
    for name in REQUIRED_COLUMNS:
        if not (text[name] if name in text else cell_text(cell(name))):
            raise _RowError(_("Thiếu “%(c)s”.", c=HEADERS[name]))
    for name, limit in MAX_LENGTHS.items():
        if len(text[name]) > limit:
            raise _RowError(_("“%(c)s” dài quá %(n)s ký tự.", c=HEADERS[name], n=limit))
    subject_type = SUBJECT_WORDS.get(_fold_word(text["subject_type"]))
    if subject_type is None:
        raise _RowError(_("Loại đối tượng “%(v)s” không hợp lệ (cần Cá nhân hoặc Tập thể).",
                          v=text["subject_type"]))
    award_code = awards.get(_fold_word(text["award"]))
    if award_code is None:
        raise _RowError(_("Không có danh hiệu, hình thức khen thưởng “%(v)s”.", v=text["award"]))
    kind = KIND_WORDS.get(_fold_word(text["kind"])) if text["kind"] else "regular"
    if kind is None:
        raise _RowError(_("Loại khen thưởng “%(v)s” không hợp lệ (cần Thường xuyên, Đột xuất hoặc Chuyên đề).",
                          v=text["kind"]))
    year = _year(cell("year"))
    decision_date = _decision_date(cell("decision_date"))
    try:
        services.check_award(award_code, subject_type)
        services.check_decision(year, decision_date)
    except DomainError as exc:
        raise _RowError(exc.message) from None
    period = _period(cell("period_from"), cell("period_to"), year, award_code, kind)
    return (subject_type, text["subject_code"], award_code, year, kind, _decision_number(text["decision_number"]),
            decision_date, text["issuer"], text["gold_book_number"], *period)


# --- a batch of rows against the database -----------------------------------------------------------

def _subjects(conn, rows) -> tuple[dict, dict]:
    """code -> (person id, unit id, name, folded name) for the people and the units the batch names: two queries
    (the folded name as the person or unit keeps it: fold(normalize(name)) is fold(name))."""
    people_codes = {row[1][1] for row in rows if row[1][0] == "person"}
    unit_codes = {row[1][1] for row in rows if row[1][0] == "unit"}
    people, units = {}, {}
    if people_codes:
        for code, pid, uid, name, folded in conn.execute(select(
                Person.code, Person.id, Person.unit_id, Person.full_name, Person.name_folded).where(
                among(Person.code, people_codes, conn.dialect.name))):
            people[code] = (pid, uid, name, folded)
    if unit_codes:
        for code, uid, name, folded in conn.execute(select(Unit.code, Unit.id, Unit.name, Unit.name_folded).where(
                among(Unit.code, unit_codes, conn.dialect.name))):
            units[code] = (None, uid, name, folded)
    return people, units


@contextmanager
def _reading():
    """(connection, end) for the checks: a connection of their own, each batch read in a short transaction
    (`end` closes it), so the session's transaction is only the writing one and SQLite's single writer is never
    met with a stale snapshot after 100,000 rows were read. In-memory SQLite shares one connection: the session's."""
    if isinstance(db.engine.pool, StaticPool):
        yield db.session.connection(), lambda: None
        return
    with db.engine.connect() as conn:
        yield conn, conn.rollback


def _live(*conditions):
    return (select(AwardRecord.subject_type, AwardRecord.subject_code, AwardRecord.award_code, AwardRecord.year,
                   AwardRecord.decision_number, AwardRecord.subject_name)
            .where(*conditions, AwardRecord.entry != Entry.revocation.value, ~AwardRecord.revoked,
                   ~AwardRecord.superseded))


def _keys(conn, keys: list[tuple]):
    """The batch's (type, code, year, award) keys as a table of one bound value: unnest of four arrays on
    PostgreSQL, json_each of a JSON list on SQLite (its columns json_extract of each item)."""
    if conn.dialect.name == "postgresql":
        types, codes, years, awards = (list(column) for column in zip(*keys, strict=True))
        table = func.unnest(bindparam(None, types, type_=ARRAY(String)), bindparam(None, codes, type_=ARRAY(String)),
                            bindparam(None, years, type_=ARRAY(Integer)), bindparam(None, awards, type_=ARRAY(String)),
                            ).table_valued("subject_type", "subject_code", "year", "award_code").render_derived("key")
        return table.c.subject_type, table.c.subject_code, table.c.year, table.c.award_code
    item = func.json_each(bindparam(None, json.dumps(keys))).table_valued("value").alias("key").c.value
    return tuple(func.json_extract(item, f"$[{n}]") for n in range(4))


def _existing(conn, rows) -> dict[tuple, list[tuple[str, str]]]:
    """Live records of the batch's subjects for the award and year each row names: (type, code, award, year) ->
    [(decision number, name)]. One statement: the rows' distinct keys joined to the subject index, each key
    probing its own (type, code, year) range; with the batch's codes crossed with all its years (an archive's
    file spans years) it read five times the records of a batch of five years at full scale (2,949 for 154 found,
    32 ms a batch on PostgreSQL)."""
    found: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    keys = sorted({(row[1][0], row[1][1], row[1][3], row[1][2]) for row in rows})
    key_type, key_code, key_year, key_award = _keys(conn, keys)
    for subject_type, code, award, year, decision, name in conn.execute(_live(
            AwardRecord.subject_type == key_type, AwardRecord.subject_code == key_code, AwardRecord.year == key_year,
            AwardRecord.award_code == key_award)):
        found[(subject_type, code, award, year)].append((decision, name))
    return found


def _seen_key(subject_type, code, award, year, decision, title: bool) -> str:
    return f"{subject_type}\x1f{code}\x1f{award}\x1f{year}" + ("" if title else f"\x1f{decision}")


class _Checker:
    """Checks batches of parsed rows in file order; remembers what the file already awarded."""

    def __init__(self, conn, end_read, types):
        self.conn, self.end_read = conn, end_read
        # one compact string per stored row ("type|code|award|year", + "|decision" for commendations) -> its row:
        # the only memory that grows with the file (~150 bytes a row)
        self.seen: dict[str, int] = {}
        self.types = types  # built-in and stored award types (issue 25)

    def check(self, rows: list[tuple[int, tuple]], report) -> list[tuple]:
        """The batch's valid rows as compact tuples ready to insert; `report(row, message)` for the others."""
        if not rows:
            return []
        people, units = _subjects(self.conn, rows)
        existing = _existing(self.conn, rows)
        self.end_read()
        valid = []
        for number, (subject_type, code, award, year, kind, (decision, decision_folded), decided, issuer, gold,
                     *period) in rows:
            subject = (people if subject_type == "person" else units).get(code)
            if subject is None:
                report(number, _("Không có cá nhân mã “%(c)s”.", c=code) if subject_type == "person"
                       else _("Không có đơn vị mã “%(c)s”.", c=code))
                continue
            key = (subject_type, code, award, year)
            title = self.types[award].form == TITLE
            clash = next((held for held in existing.get(key, ()) if title or held[0] == decision), None)
            if clash is not None:
                report(number, _("%(name)s đã có “%(a)s” năm %(y)s (quyết định %(d)s).", name=clash[1],
                                 a=self.types[award].name, y=year, d=clash[0]))
                continue
            first = self.seen.setdefault(_seen_key(subject_type, code, award, year, decision, title), number)
            if first != number:
                report(number, _("Trùng với dòng %(r)s: “%(a)s” năm %(y)s của “%(c)s” đã có trong tệp.",
                                 r=first, a=self.types[award].name, y=year, c=code))
                continue
            person_id, unit_id, name, folded = subject
            valid.append((subject_type, person_id, unit_id, code, normalize(name), folded or fold(name), award, year,
                          kind, decision, decision_folded, decided, issuer, gold, *period))
        return valid

    def recheck(self, since_id: int, report) -> None:
        """Records stored by others since the check began (read in the writing transaction) against the file."""
        for subject_type, code, award, year, decision, name in db.session.execute(_live(AwardRecord.id > since_id)):
            if award not in self.types:
                continue
            title = self.types[award].form == TITLE
            row = self.seen.get(_seen_key(subject_type, code, award, year, decision, title))
            if row is not None:
                report(row, _("%(name)s đã có “%(a)s” năm %(y)s (quyết định %(d)s).", name=name,
                              a=self.types[award].name, y=year, d=decision))


# --- the import ------------------------------------------------------------------------------------

def _rows(sheet, columns, awards, report):
    """(Excel row number, parsed row) for each non-blank data row; parse errors go to `report`."""
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        try:
            yield number, _parse_row(values, columns, awards)
        except _RowError as exc:
            report(number, str(exc))
            yield number, None


def _insert(chunks, *, prev: str, published: bool, by_id) -> int:
    """Insert the checked rows in order, each linked to the one before it; yields how many so far (every
    INSERT_CHUNK rows, each chunk one statement, its rows told to WRITTEN's listeners first).

    PostgreSQL: a COPY per chunk (psycopg's cursor.copy, in the session's transaction): the statement trigger of
    the search's word table runs once a chunk, not once a row as an executemany's one INSERT per row made it, and
    the rows skip the ORM's and the driver's per-statement work (10,000 rows: half the server's time, a fifth of
    the client's). SQLite: the driver's executemany (`_write`). Not multi-row VALUES: 25 parameters a row, compiled
    each time, took five times longer on PostgreSQL."""
    now, count, pending = utcnow(), 0, []
    fixed = {"entry": Entry.award.value, "target_id": None, "source": "imported", "reason": "",
             "published": published}
    for chunk in chunks:
        for (subject_type, person_id, unit_id, code, name, name_folded, award, year, kind, decision,
             decision_folded, decided, issuer, gold, period_from, period_to) in chunk:
            values = {**fixed, "subject_type": subject_type, "subject_code": code, "subject_name": name,
                      "award_code": award, "year": year, "kind": kind, "decision_number": decision,
                      "decision_date": decided, "issuer": issuer, "gold_book_number": gold,
                      "period_from": period_from, "period_to": period_to}
            digest = content_hash(prev, values)
            values.update(person_id=person_id, unit_id=unit_id, name_folded=name_folded,
                          decision_folded=decision_folded, created_at=now, created_by_id=by_id, prev_hash=prev,
                          hash=digest)
            prev = digest
            pending.append(values)
        while len(pending) >= INSERT_CHUNK:
            count += _write(pending[:INSERT_CHUNK])
            pending = pending[INSERT_CHUNK:]
            yield count
    if pending:
        count += _write(pending)
        yield count


COLUMNS = ("entry", "target_id", "source", "reason", "published", "subject_type", "subject_code", "subject_name",
           "award_code", "year", "kind", "decision_number", "decision_date", "issuer", "gold_book_number",
           "period_from", "period_to", "person_id", "unit_id", "name_folded", "decision_folded", "created_at",
           "created_by_id", "prev_hash", "hash")  # every column _insert writes (the id is the database's)


_pick = operator.itemgetter(*COLUMNS)


@functools.cache
def _executemany(dialect) -> tuple[str, tuple]:
    """SQLite: the INSERT of COLUMNS for the driver's executemany, and (position, converter) for the columns whose
    values the column type converts (the dates, the time, the flag: its own bind processors, as SQLAlchemy would
    apply them)."""
    table = AwardRecord.__table__
    converters = tuple((n, convert) for n, name in enumerate(COLUMNS)
                       if (convert := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None)
    return (f"INSERT INTO award_records ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
            converters)


def _write(rows: list[dict]) -> int:
    """One statement of these rows in the session's transaction; returns how many.

    SQLite: the driver's executemany of tuples, each value converted by its column type's own bind processor: Core's
    executemany of the dicts spends twice the CPU outside SQLite (100,000 rows into an unindexed table: 1.25 s
    against 0.64 s). PostgreSQL: a COPY (psycopg converts the values)."""
    for listener in WRITTEN:
        listener(db.session, rows)
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        sql, converters = _executemany(connection.dialect)
        values = []
        for row in rows:
            converted = list(_pick(row))
            for n, convert in converters:
                converted[n] = convert(converted[n])
            values.append(tuple(converted))
        connection.exec_driver_sql(sql, values)
        return len(rows)
    with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(
            f"COPY award_records ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(_pick(row))
    return len(rows)


def _spilled(spill):
    spill.seek(0)
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return


def import_records(stream_or_path, *, dry_run: bool, published: bool = True, by=None,
                   progress: Progress | None = None, filename: str = "") -> ImportResult:
    """Check every row, then store them all in one transaction, or none when any row is wrong (or on a dry run).

    Raises Invalid (field "file") when the file is not a real .xlsx. The caller commits, or rolls back when
    the result has errors; `progress(phase, done, total)` is told every 1,000 rows ("validate", "write").
    """
    data = _read(stream_or_path)
    if not filename and isinstance(stream_or_path, (str, Path)):
        filename = Path(stream_or_path).name
    result = ImportResult(dry_run=dry_run, sha256=hashlib.sha256(data).hexdigest())
    notify = progress or (lambda phase, done, total: None)

    def report(row, message):
        result.error_count += 1
        if len(result.errors) < MAX_ERRORS:
            result.errors.append({"row": row, "message": message})

    book = _workbook(data)
    del data
    stack = ExitStack()
    try:
        reader, end_read = stack.enter_context(_reading())
        since_id = reader.scalar(select(func.max(AwardRecord.id))) or 0
        end_read()
        sheet = book.worksheets[0]
        estimate = max((sheet.max_row or 1) - 1, 0)
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        columns = _header_map(header)
        missing = [HEADERS[name] for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            report(1, _("Thiếu cột %(names)s ở dòng tiêu đề.", names=names))
            return result
        types = catalog.known_types(reader)  # on the reader: the session stays out of the import's way
        end_read()
        checker, awards, batch, valid_count = _Checker(reader, end_read, types), award_lookup(types), [], 0
        with tempfile.TemporaryFile() as spill:
            def flush():
                nonlocal valid_count
                valid = checker.check([row for row in batch if row[1] is not None], report)
                valid_count += len(valid)
                if not dry_run and not result.error_count and valid:
                    pickle.dump(valid, spill, protocol=pickle.HIGHEST_PROTOCOL)
                batch.clear()
                notify("validate", result.total, max(estimate, result.total))

            for number, parsed in _rows(sheet, columns, awards, report):
                result.total += 1
                if result.total > MAX_ROWS:
                    result.errors, result.error_count = [], 1
                    result.errors.append({"row": number, "message": _(
                        "Tệp có hơn %(n)s dòng dữ liệu. Hãy chia thành nhiều tệp, mỗi tệp tối đa %(n)s dòng.",
                        n=f"{MAX_ROWS:,}".replace(",", "."))})
                    return result
                batch.append((number, parsed))
                if len(batch) >= BATCH:
                    flush()
            flush()
            if not result.total:
                report(2, _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
            if not result.error_count and not dry_run:
                # the writing transaction: the audit entry first takes SQLite's write lock, the chain lock then
                # keeps PostgreSQL appends out; records stored meanwhile by others are checked against the file
                audit.record("archive.import", by=by, object_type="AwardRecord", object_id="",
                             after={"count": valid_count, "filename": filename, "sha256": result.sha256,
                                    "published": published})
                db.session.flush()
                prev = services.lock_chain()
                checker.recheck(since_id, report)
            if result.error_count:
                result.errors.sort(key=lambda e: e["row"])
                if result.error_count > len(result.errors):
                    more = result.error_count - len(result.errors)
                    result.errors.append({"row": None, "message": _("… và %(n)s lỗi khác.", n=more), "more": more})
                return result
            if dry_run:
                result.imported = valid_count
                return result
            checker.seen = {}  # needed for checking only: free it before writing
            notify("write", 0, valid_count)
            with names_indexed_after(db.session):
                for written in _insert(_spilled(spill), prev=prev, published=published,
                                       by_id=getattr(by, "id", None)):
                    notify("write", written, valid_count)
                    result.imported = written
        db.session.flush()
        return result
    finally:
        stack.close()
        book.close()


# --- background jobs -------------------------------------------------------------------------------

def job_path(upload_dir: str | Path, sha256: str) -> Path:
    return Path(upload_dir) / "imports" / f"{sha256}.xlsx"


def create_job(data: bytes, *, filename: str, dry_run: bool, published: bool, upload_dir, by) -> ImportJob:
    """Keep the upload under its content hash (never the client's name) and add a queued job (flushed)."""
    check_xlsx(data)
    digest = hashlib.sha256(data).hexdigest()
    write_file(job_path(upload_dir, digest), data)  # StorageUnavailable (503) when the disk refuses it
    job = ImportJob(status=JobStatus.queued, filename=(filename or "")[:255], sha256=digest, dry_run=dry_run,
                    published=published, created_by_id=getattr(by, "id", None))
    db.session.add(job)
    db.session.flush()
    return job


# --- the template ----------------------------------------------------------------------------------

TEMPLATE_COLUMNS = ("subject_type", "subject_code", "award", "year", "decision_number", "decision_date", "issuer",
                    "gold_book_number", "kind", "period_from", "period_to")


def template_bytes(person_code: str = "CN0001", unit_code: str = "DV01") -> bytes:
    """The import template: the headers with two example rows, and a sheet listing the award codes."""
    examples = [
        {"subject_type": "Cá nhân", "subject_code": person_code, "award": "LDTT", "year": 2024,
         "decision_number": "125/QĐ-SYT", "decision_date": date(2025, 1, 15), "issuer": "Sở Y tế",
         "gold_book_number": "", "kind": "Thường xuyên", "period_from": 2024, "period_to": 2024},
        {"subject_type": "Tập thể", "subject_code": unit_code, "award": "Tập thể lao động tiên tiến", "year": 2024,
         "decision_number": "126/QĐ-SYT", "decision_date": date(2025, 1, 15), "issuer": "Sở Y tế",
         "gold_book_number": "", "kind": "Thường xuyên", "period_from": "", "period_to": ""},
    ]
    awards = [[a.code, a.name, _("Cá nhân, tập thể") if len(a.subjects) == 2
               else _("Cá nhân") if a.subject == "individual" else _("Tập thể"),
               _("Danh hiệu thi đua") if a.form == TITLE else _("Hình thức khen thưởng")]
              for a in catalog.award_types().values()]
    return workbook_bytes({
        "Khen thưởng": ([HEADERS[name] for name in TEMPLATE_COLUMNS],
                        [[row[name] for name in TEMPLATE_COLUMNS] for row in examples]),
        "Danh hiệu": (["Mã", "Tên danh hiệu, hình thức khen thưởng", "Đối tượng", "Loại"], awards),
    })

