"""The import's statements (issue 21): a batch of rows is checked by the same few statements whatever its size, the
codes bound as one value (not one bound value each, compiled anew at every batch); a chunk is written by one, its
values stored as SQLAlchemy stores them."""

import re
from datetime import date

import pytest
from sqlalchemy import select, text

from awards.archive import imports, services
from awards.archive.models import AwardRecord
from tests import factories
from tests.archive.test_import import HEADERS, workbook


@pytest.fixture
def people(db):
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    codes = [factories.person(code=f"CN{n:03d}", full_name=f"Người Thứ {n}", unit=unit).code for n in range(12)]
    db.session.commit()
    return codes


def sheet(codes: list[str], first: int = 0):
    return workbook(HEADERS, [[2024, f"{first + n}/QĐ-SYT", code, "Cá nhân", "Giấy khen", date(2025, 1, 2), "Sở Y tế",
                               "", ""] for n, code in enumerate(codes)])


def checks(statements: list[str]) -> list[str]:
    """The statements that look up a batch's subjects and the records they already hold (not the recheck before
    writing, which reads the records stored since the check began: `award_records.id > ?`)."""
    return [s for s in statements if s.lstrip().upper().startswith("SELECT") and "award_records.id >" not in s
            and ("FROM people" in s or ("FROM award_records" in s and "subject_code" in s))]


def test_every_batch_is_checked_by_the_same_two_statements_whatever_its_codes(db, people, statements, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 4)
    # batches of 4 rows naming 4, 1, 2 and 3 different people: as many codes bound each time before
    codes = people[:4] + people[4:5] * 4 + people[5:7] * 2 + people[7:10] + people[7:8]
    result = imports.import_records(sheet(codes), dry_run=False)
    db.session.commit()
    assert (result.imported, result.errors) == (16, [])
    seen = checks(statements)
    assert len(seen) == 8  # per batch: its people, then their records
    assert len(set(seen)) == 2, seen  # the same two texts: compiled once, the codes one bound value
    assert services.verify_chain() == (16, None, "")


def test_a_chunk_costs_the_same_statements_whatever_the_rows_in_it(db, people, statements, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 4)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 8)
    imports.import_records(sheet(people[:1], first=500), dry_run=False)  # the award types, read once (flask.g)
    db.session.commit()
    statements.clear()
    imports.import_records(sheet(people[:8]), dry_run=False)
    db.session.commit()
    one_chunk = len(statements)
    statements.clear()
    result = imports.import_records(sheet(people[:12] + people[:12], first=100), dry_run=False)
    db.session.commit()
    assert (result.imported, result.errors) == (24, [])
    # two chunks more (4 batches more): per batch its people, their records and on SQLite the reader's BEGIN; per
    # chunk one INSERT (SQLite's executemany; PostgreSQL's COPY is not an SQLAlchemy statement)
    per_batch = 3 if db.engine.dialect.name == "sqlite" else 2
    per_chunk = 1 if db.engine.dialect.name == "sqlite" else 0
    assert len(statements) - one_chunk == 4 * per_batch + 2 * per_chunk, statements


def _shape(stored_time: str) -> str:
    """A stored time's text as its shape: digits as 9, its fraction as .f (PostgreSQL's text drops a fraction's
    trailing zeros: .123400 is .1234; the test compared lengths and failed one run in ten), so that the separator,
    the fraction's presence and the offset are what is compared."""
    return re.sub(r"\.9+", ".f", re.sub(r"\d", "9", stored_time))


def test_imported_values_are_stored_as_a_record_entered_by_hand(db, people):
    """SQLite gets the import's rows through the driver's executemany: each value converted as SQLAlchemy converts
    it (the date, the aware time without its offset, the flag as 0/1), so that every reader parses them alike."""
    services.record_award(subject_type="person", subject_code=people[0], award_code="GIAY_KHEN", year=2024,
                          decision_number="1/QĐ-TAY", decision_date=date(2025, 1, 2), issuer="Sở Y tế")
    db.session.commit()
    result = imports.import_records(sheet(people[1:2]), dry_run=False)
    db.session.commit()
    assert (result.imported, result.errors) == (1, [])
    stored = [(*row[:3], _shape(row[3]), row[4]) for row in db.session.execute(text(
        "SELECT published, decision_date, CAST(decision_date AS TEXT), CAST(created_at AS TEXT), "
        "period_from FROM award_records ORDER BY id"))]
    assert stored[1] == stored[0]
    by_hand, imported = db.session.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()
    assert imported.created_at.tzinfo is not None and imported.decision_date == by_hand.decision_date
    assert services.verify_chain() == (2, None, "")


def test_the_duplicate_check_reads_only_each_rows_own_subject_year_and_award(db, people):
    """A file spanning years: each row's (subject, year, award) is looked up, not every code of the batch crossed
    with every year and award in it (five times the records read for a batch of five years at full scale)."""
    for year in range(2020, 2025):
        services.record_award(subject_type="person", subject_code=people[0], award_code="GIAY_KHEN", year=year,
                              decision_number=f"{year}/QĐ-CU", decision_date=date(year + 1, 1, 2), issuer="Sở Y tế")
        services.record_award(subject_type="person", subject_code=people[1], award_code="LDTT", year=year,
                              decision_number=f"{year}/QĐ-LD", decision_date=date(year + 1, 1, 2), issuer="Sở Y tế")
    db.session.commit()
    batch = [(2, ("person", people[0], "GIAY_KHEN", 2024)), (3, ("person", people[1], "GIAY_KHEN", 2020)),
             (4, ("person", people[1], "LDTT", 2022))]
    found = imports._existing(db.session.connection(), batch)
    assert dict(found) == {("person", people[0], "GIAY_KHEN", 2024): [("2024/QĐ-CU", "Người Thứ 0")],
                           ("person", people[1], "LDTT", 2022): [("2022/QĐ-LD", "Người Thứ 1")]}
    # the import refuses the one row a stored record clashes with by its decision (a commendation) or its year
    # (a title), and the row of an award the person does not hold that year passes
    result = imports.import_records(workbook(HEADERS, [
        [2024, "2024/QĐ-CU", people[0], "Cá nhân", "Giấy khen", date(2025, 1, 2), "Sở Y tế", "", ""],
        [2020, "7/QĐ-MOI", people[1], "Cá nhân", "Giấy khen", date(2021, 1, 2), "Sở Y tế", "", ""],
        [2022, "8/QĐ-MOI", people[1], "Cá nhân", "LDTT", date(2023, 1, 2), "Sở Y tế", "", ""]]), dry_run=True)
    assert [e["row"] for e in result.errors] == [2, 4]
