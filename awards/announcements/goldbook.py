"""Gold-book numbers (số sổ vàng): unique within the issuing authority's book and never reused (RULES §8).

A decision issued by a unit (issue 18) writes in that unit's book, whatever issuer text it bears: two hospitals
each keep their own, and a unit that changes the wording of its issuer keeps one series. Its first number follows
the highest already given by the unit's decisions or written into the archive under one of the issuer texts it
used (existing records keep their numbers). A decision with no unit (from before units issued their own) writes
in the issuer's book (its name folded: case, diacritics and spacing ignored). A decision's recipients take the
numbers after the book's highest: the last number the book gave out, or a higher one written into the archive by
hand or by an import since. Numbers already printed on certificates stay as they are, duplicates included: a
unique constraint on (book, number) cannot hold while they exist, so the service takes the book's row lock
instead, and `flask archive gold-book-duplicates` lists them for the secretariat to correct by decision."""

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from awards.announcements.models import Decision, DecisionItem, GoldBook
from awards.archive.models import AwardRecord, Entry
from awards.core.text import fold
from awards.extensions import db

SCAN_BATCH = 5000


def book_of(issuer: str) -> str:
    """The book an issuer's numbers belong to: 'UBND tỉnh  Bắc Ninh' and 'ubnd tinh bac ninh' are one book."""
    return fold(issuer)[:255]


def number_of(text: str | None) -> int | None:
    """A gold-book number as the book counts it: plain digits ('0012' is 12); anything else is not counted."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def unit_book(unit_id: int) -> str:
    """The key of an issuing unit's book (no folded issuer name starts with '#')."""
    return f"#unit-{unit_id}"


def _locked_book(issuer: str, key: str | None = None) -> GoldBook:
    """The book row (the issuer's, or `key`), created when missing (a racing creator's row is kept), locked until
    the commit: two decisions of one book number one after the other. SQLite has one writer: the insert takes
    it."""
    key = key or book_of(issuer)
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(GoldBook).values(book=key, issuer=issuer.strip()[:255], last_number=0, scanned_to=0,
                                               updated_at=func.now()).on_conflict_do_nothing(index_elements=["book"]))
    stmt = select(GoldBook).where(GoldBook.book == key).with_for_update()
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def _highest_in_archive(book: GoldBook) -> int:
    """The highest number of this book among the archive records not read yet (all of them the first time)."""
    highest, last_id = 0, book.scanned_to
    stmt = (select(AwardRecord.id, AwardRecord.issuer, AwardRecord.gold_book_number)
            .where(AwardRecord.id > book.scanned_to, AwardRecord.gold_book_number != "").order_by(AwardRecord.id))
    for record_id, issuer, text in db.session.execute(stmt.execution_options(yield_per=SCAN_BATCH)):
        last_id = record_id
        number = number_of(text)
        if number is not None and book_of(issuer) == book.book:
            highest = max(highest, number)
    book.scanned_to = max(last_id, db.session.scalar(select(func.max(AwardRecord.id))) or 0)
    return highest


def _unit_issuers(unit_id: int) -> set[str]:
    return {book_of(i) for i in db.session.scalars(select(Decision.issuer).where(Decision.unit_id == unit_id)
                                                      .distinct())}


def _highest_of_unit(book: GoldBook, unit_id: int, issuer: str) -> int:
    """The highest number of a unit's book among the archive records not read yet: those of the unit's decisions,
    and those written outside any decision under an issuer text the unit's decisions used. An issuer text new
    to the unit reads the whole archive once (its earlier records count too)."""
    issuers = _unit_issuers(unit_id)
    fresh = book_of(issuer) not in issuers
    issuers.add(book_of(issuer))
    stmt = (select(AwardRecord.id, AwardRecord.issuer, AwardRecord.gold_book_number, Decision.unit_id)
            .outerjoin(DecisionItem, DecisionItem.record_id == AwardRecord.id)
            .outerjoin(Decision, Decision.id == DecisionItem.decision_id)
            .where(AwardRecord.gold_book_number != "").order_by(AwardRecord.id))
    if not fresh:
        stmt = stmt.where(AwardRecord.id > book.scanned_to)
    highest = 0
    for _record_id, text_issuer, text, decided_by in db.session.execute(stmt.execution_options(
            yield_per=SCAN_BATCH)):
        number = number_of(text)
        mine = decided_by == unit_id if decided_by is not None else book_of(text_issuer) in issuers
        if number is not None and mine:
            highest = max(highest, number)
    book.scanned_to = db.session.scalar(select(func.max(AwardRecord.id))) or 0
    return highest


def next_numbers(issuer: str, count: int, *, unit_id: int | None = None) -> list[int]:
    """`count` new numbers of the book (the unit's when there is one, else the issuer's), after its highest,
    reserved until the transaction ends. Call it before the decision joins the session: a unit's issuer texts
    are read from its earlier decisions."""
    if unit_id is not None:
        book = _locked_book(issuer, unit_book(unit_id))
        highest = _highest_of_unit(book, unit_id, issuer)
    else:
        book = _locked_book(issuer)
        highest = _highest_in_archive(book)
    start = max(book.last_number, highest) + 1
    book.last_number = start + count - 1
    db.session.flush()
    return list(range(start, start + count))


def duplicates() -> list[dict]:
    """Numbers given more than once in one book (a unit's, or an issuer's): {issuer, number, records: [{id,
    decision_number, decision_date, subject_name, revoked}]}, by book and number. A correction replaces its
    target, so only the latest counts; a revoked award keeps its number (numbers are never reused)."""
    stmt = (select(AwardRecord.id, AwardRecord.issuer, AwardRecord.gold_book_number, AwardRecord.decision_number,
                   AwardRecord.decision_date, AwardRecord.subject_name, AwardRecord.revoked, Decision.unit_id)
            .outerjoin(DecisionItem, DecisionItem.record_id == AwardRecord.id)
            .outerjoin(Decision, Decision.id == DecisionItem.decision_id)
            .where(AwardRecord.entry.in_((Entry.award.value, Entry.correction.value)),
                   AwardRecord.gold_book_number != "", ~AwardRecord.superseded).order_by(AwardRecord.id))
    groups: dict[tuple[str, object], list] = defaultdict(list)
    issuers: dict[str, str] = {}
    for row in db.session.execute(stmt.execution_options(yield_per=SCAN_BATCH)):
        book = unit_book(row.unit_id) if row.unit_id is not None else book_of(row.issuer)
        issuers.setdefault(book, row.issuer)
        number = number_of(row.gold_book_number)
        groups[book, number if number is not None else row.gold_book_number.strip()].append(row)
    return [{"issuer": issuers[book], "number": number,
             "records": [{"id": r.id, "decision_number": r.decision_number, "decision_date": r.decision_date,
                          "subject_name": r.subject_name, "revoked": bool(r.revoked)} for r in rows]}
            for (book, number), rows in sorted(groups.items(), key=lambda kv: (kv[0][0], str(kv[0][1]).zfill(12)))
            if len(rows) > 1]
