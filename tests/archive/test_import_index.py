"""The import indexes its records for the name search in one statement (SQLite: models.names_indexed_after), and
every other way a record is written still indexes it through the trigger: after an import, after a refused one and
after one that failed half-way."""

from datetime import date

import pytest
from sqlalchemy import func, select, text

from awards.archive import imports, services
from awards.archive.models import NAME_TRIGGER, SEARCH_KEY, AwardRecord
from awards.archive.queries import search_stmt
from awards.extensions import db
from tests import factories
from tests.archive.test_import import workbook

HEADERS = ["Loại đối tượng", "Mã đối tượng", "Danh hiệu", "Năm", "Số quyết định", "Ngày quyết định",
           "Cơ quan ban hành"]


def rows(codes, year=2024):
    return [["Cá nhân", code, "LDTT", year, "12/QĐ-SYT", date(year + 1, 1, 15), "Sở Y tế"] for code in codes]


@pytest.fixture
def people(db):
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    factories.person(code="CN001", full_name="Nguyễn Văn An", unit=unit)
    factories.person(code="CN002", full_name="Đào Thị Hạnh", unit=unit)
    factories.person(code="CN003", full_name="Lê Anh Tuấn", unit=unit)
    db.session.commit()


def found(q: str) -> list[str]:
    return sorted(r.subject_name for r in db.session.scalars(search_stmt(q)))


def index_is_exact(db) -> None:
    """SQLite: one index row per record, keyed as the search reads it (year, then id), the insert trigger in
    place. PostgreSQL keeps its own statement triggers (tests/archive/test_word_index.py)."""
    if db.engine.dialect.name != "sqlite":
        return
    keys = set(db.session.scalars(text("SELECT rowid FROM award_records_fts")))
    assert keys == {year * SEARCH_KEY + id for id, year in db.session.execute(select(AwardRecord.id,
                                                                                     AwardRecord.year))}
    assert db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
                             {"n": NAME_TRIGGER}) == 1


def test_imported_records_are_found_by_name_at_once(people, db):
    result = imports.import_records(workbook(HEADERS, rows(["CN001", "CN002"])), dry_run=False)
    db.session.commit()
    assert result.imported == 2
    assert found("nguyen van") == ["Nguyễn Văn An"] and found("hạnh") == ["Đào Thị Hạnh"]
    index_is_exact(db)
    assert services.verify_chain() == (2, None, "")


def test_after_an_import_every_other_write_is_still_indexed(people, db):
    imports.import_records(workbook(HEADERS, rows(["CN001"])), dry_run=False)
    db.session.commit()
    record = services.record_award(subject_type="person", subject_code="CN003", award_code="LDTT", year=2023,
                                   decision_number="5/QĐ-SYT", decision_date=date(2024, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert found("tuan") == ["Lê Anh Tuấn"]
    services.correct_record(record, reason="Sai số quyết định", decision_number="6/QĐ-SYT", by=None)
    imported = db.session.scalar(select(AwardRecord).where(AwardRecord.subject_code == "CN001"))
    services.revoke_record(imported, reason="Khai man thành tích", decision_number="9/QĐ-SYT",
                           decision_date=date(2025, 6, 1), by=None)
    db.session.commit()
    assert found("tuan") == ["Lê Anh Tuấn"]  # the correction, not the record it replaced
    assert found("nguyen van") == ["Nguyễn Văn An"]  # the revoked award stays, marked
    index_is_exact(db)
    assert services.verify_chain() == (4, None, "")


def test_a_refused_import_leaves_the_index_as_it_was(people, db):
    result = imports.import_records(workbook(HEADERS, rows(["CN001", "KHONG-CO"])), dry_run=False)
    db.session.rollback()
    assert not result.ok and db.session.scalar(select(func.count(AwardRecord.id))) == 0
    services.record_award(subject_type="person", subject_code="CN002", award_code="LDTT", year=2024,
                          decision_number="1/QĐ-SYT", decision_date=date(2025, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert found("hanh") == ["Đào Thị Hạnh"]
    index_is_exact(db)


def test_an_import_that_fails_while_writing_stores_nothing_and_the_trigger_is_back(people, db):
    def stop(phase, done, total):
        if phase == "write" and done:  # the job's worker dies after the first rows were written
            raise RuntimeError("worker stopped")

    with pytest.raises(RuntimeError):
        imports.import_records(workbook(HEADERS, rows(["CN001", "CN002"])), dry_run=False, progress=stop)
    db.session.rollback()
    assert db.session.scalar(select(func.count(AwardRecord.id))) == 0
    services.record_award(subject_type="person", subject_code="CN003", award_code="LDTT", year=2024,
                          decision_number="2/QĐ-SYT", decision_date=date(2025, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert found("tuan") == ["Lê Anh Tuấn"]
    index_is_exact(db)
