"""The archive's word index on PostgreSQL (models.WORD_INDEX, migration 9d41c7e2a5b3): kept by triggers, filled for
the records already there, and read newest first by the search — which must answer exactly as the word-start rule
does on both databases (the searches here run on SQLite too, through its full-text table)."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event, select, text

from awards.archive import queries, services
from awards.archive.models import AwardRecord
from awards.archive.queries import search_stmt
from awards.core.forms import CappedPage
from tests import factories

MIGRATION = next((Path(__file__).resolve().parents[2] / "migrations" / "versions").glob("*_9d41c7e2a5b3_*.py"))

NAMES = {"CB001": "Đào Thị Ánh", "CB002": "Nguyễn Thị Ánh Tuyết", "CB003": "Nguyễn Văn An", "CB004": "Trần Thị Anh",
         "CB005": "Nguyễn  Ánh", "CB006": "Lò Văn Đức Đức"}


@pytest.fixture
def archive(db):
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    for code, name in NAMES.items():
        factories.person(code=code, full_name=name, unit=unit)
    db.session.commit()
    for n, code in enumerate(NAMES, start=1):
        services.record_award(subject_type="person", subject_code=code, award_code="LDTT", year=2020 + n % 3,
                              decision_number=f"{n}/QĐ-SYT", decision_date=date(2024, 1, 10), issuer="Sở Y tế")
    services.record_award(subject_type="unit", subject_code="BVDK", award_code="TTLDXS", year=2024,
                          decision_number="12/QĐ-UBND", decision_date=date(2025, 1, 10), issuer="UBND tỉnh")
    db.session.commit()


def postgresql_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the word index is PostgreSQL's; SQLite searches its full-text table")


def word_rows(db) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(text("SELECT word, year, id FROM award_record_words"))}


def expected_rows(db) -> set[tuple]:
    """One row per distinct word of each record's folded name, with the record's year and id."""
    records = db.session.execute(text("SELECT id, year, name_folded FROM award_records WHERE entry <> 'revocation'"))
    return {(word, year, record_id) for record_id, year, name in records for word in set(name.split(" ")) if word}


def names(q: str, **filters) -> list[str]:
    from awards.extensions import db

    return sorted(r.subject_name for r in db.session.scalars(search_stmt(q, **filters)))


def test_a_new_record_puts_its_folded_words_in_the_index(archive, db):
    postgresql_only(db)
    record = db.session.scalars(search_stmt(subject_code="CB006")).one()
    rows = {row for row in word_rows(db) if row[2] == record.id}
    assert rows == {("lo", record.year, record.id), ("van", record.year, record.id), ("duc", record.year, record.id)}
    assert word_rows(db) == expected_rows(db)
    carried = db.session.execute(text("SELECT DISTINCT name FROM award_record_words WHERE id = :id"),
                                 {"id": record.id}).scalars().all()
    assert carried == ["lo van duc duc"]  # the folded name rides in the index for the word-start rule


def test_deleted_records_leave_the_index(archive, db):
    """Records are append-only, but the tests empty the archive with DELETE and restart its ids: a new record under
    an old id must not be found by the old record's words."""
    postgresql_only(db)
    db.session.execute(text("DELETE FROM award_records WHERE subject_code = 'CB001'"))
    assert all(word != "dao" for word, _, _ in word_rows(db))
    assert word_rows(db) == expected_rows(db)
    db.session.execute(text("TRUNCATE award_records CASCADE"))
    assert word_rows(db) == set()


def test_the_migration_fills_the_index_from_the_records_already_there(archive, db):
    """The archive as it was before the migration (no word table, no triggers), then the migration's upgrade: every
    record's words are there and new records are indexed by the triggers it created."""
    postgresql_only(db)
    spec = importlib.util.spec_from_file_location("word_index_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.commit()
    with db.engine.connect() as conn:
        for step in (migration.downgrade, migration.upgrade):
            context = MigrationContext.configure(conn)
            with context.begin_transaction(), Operations.context(context):
                step()
            if step is migration.downgrade:
                assert conn.execute(text("SELECT to_regclass('award_record_words')")).scalar() is None
                conn.commit()
    assert word_rows(db) == expected_rows(db) and len(word_rows(db)) == 23
    indexes = db.session.execute(text("SELECT indexname FROM pg_indexes WHERE indexname IN "
                                      "('ix_award_record_words', 'ix_award_records_decision_c')")).scalars().all()
    assert sorted(indexes) == ["ix_award_record_words", "ix_award_records_decision_c"]
    services.record_award(subject_type="person", subject_code="CB001", award_code="LDTT", year=2025,
                          decision_number="99/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert word_rows(db) == expected_rows(db)
    assert names("dao thi") == ["Đào Thị Ánh", "Đào Thị Ánh"]


def test_vietnamese_names_are_found_without_their_diacritics_or_case(archive, db):
    assert names("đào thị ánh") == names("DAO THI ANH") == names("Dao Thi A") == ["Đào Thị Ánh"]
    assert names("ánh") == names("Anh") == sorted(["Nguyễn Ánh", "Nguyễn Thị Ánh Tuyết", "Trần Thị Anh", "Đào Thị Ánh"])
    assert names("đức") == names("duc duc") == ["Lò Văn Đức Đức"]
    assert names("nguyễn ánh") == names("nguyễn   ánh") == ["Nguyễn Ánh"]  # typed with two spaces, kept with one


def test_the_last_word_is_a_prefix_the_others_whole_words(archive, db):
    assert names("nguyen thi a") == ["Nguyễn Thị Ánh Tuyết"]
    assert names("an") == sorted(["Nguyễn Ánh", "Nguyễn Thị Ánh Tuyết", "Nguyễn Văn An", "Trần Thị Anh", "Đào Thị Ánh"])
    assert names("nguyen th") == ["Nguyễn Thị Ánh Tuyết"]
    assert names("nguye thi") == []  # a word before the last one is whole: "nguye" is no word
    assert names("thi anh tuyet") == ["Nguyễn Thị Ánh Tuyết"]
    assert names("anh thi") == []  # the words in the name's order, in a row
    assert names("tuyet nguyen") == []
    assert names("xyz") == names("thi xyz") == []


def test_decision_numbers_and_codes_are_still_found(archive, db):
    assert names("12/qđ") == ["Bệnh viện Đa khoa tỉnh"]
    assert names("12/QĐ-UBND") == ["Bệnh viện Đa khoa tỉnh"]
    assert names("1") == ["Bệnh viện Đa khoa tỉnh", "Đào Thị Ánh"]  # "1/QĐ-SYT" and "12/QĐ-UBND"
    assert names("2/qd-syt") == ["Nguyễn Thị Ánh Tuyết"]
    assert names("cb004") == names("CB004") == ["Trần Thị Anh"]
    assert names("bệnh viện đa") == ["Bệnh viện Đa khoa tỉnh"]


def test_revoked_and_corrected_records_are_filtered_as_before(archive, db):
    anh = db.session.scalars(search_stmt(subject_code="CB001")).one()
    tuyet = db.session.scalars(search_stmt(subject_code="CB002")).one()
    services.revoke_record(anh, reason="Hồ sơ không đúng", decision_number="TH7/QĐ-SYT", decision_date=date(2025, 2, 1),
                           by=None)
    corrected = services.correct_record(tuyet, reason="Sai số quyết định", decision_number="2A/QĐ-SYT", by=None)
    db.session.commit()
    found = list(db.session.scalars(search_stmt("ánh")))
    assert sorted((r.subject_name, r.revoked) for r in found) == sorted([
        ("Nguyễn Ánh", False), ("Nguyễn Thị Ánh Tuyết", False), ("Trần Thị Anh", False), ("Đào Thị Ánh", True)])
    assert corrected.id in {r.id for r in found} and tuyet.id not in {r.id for r in found}
    assert names("ánh", include_revoked=False) == sorted(["Nguyễn Ánh", "Nguyễn Thị Ánh Tuyết", "Trần Thị Anh"])
    assert names("th7/qd") == []  # the revocation itself is no current record
    if db.engine.dialect.name == "postgresql":  # nor a candidate: the word index leaves revocations out
        assert word_rows(db) == expected_rows(db)
        assert {record_id for _, _, record_id in word_rows(db)} == {r.id for r in db.session.scalars(
            select(AwardRecord).where(AwardRecord.entry != "revocation"))}
    assert names("2a/qd") == ["Nguyễn Thị Ánh Tuyết"] and names("2/qd-syt") == []


def test_a_capped_page_reads_the_newest_matches_first_from_the_word_index(archive, db, monkeypatch):
    """With a cap of 2 and 2 candidates read per word, the page holds the newest matches and says there are more,
    and on PostgreSQL the candidates come from the word index."""
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    monkeypatch.setattr(queries, "FIRST", 3)
    monkeypatch.setattr(CappedPage, "CAP", 2)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        page = CappedPage(search_stmt("an", capped=True), page=1, per_page=1)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    newest = sorted(db.session.scalars(search_stmt("an")), key=lambda r: (r.year, r.id), reverse=True)
    assert [r.id for r in page.items] == [newest[0].id]
    assert (page.total, page.capped) == (2, True)
    if db.engine.dialect.name == "postgresql":
        assert any("award_record_words" in s for s in statements)
        assert not any("name_folded LIKE" in s for s in statements)  # no trigram bitmap, no scan of the archive


def test_a_capped_page_skips_corrected_records_and_keeps_its_filters(archive, db, monkeypatch):
    """The first matches of a capped page are current records: a superseded one gives way to its correction, and a
    filter (here the award, and revoked ones left out) still applies to the page and its count."""
    anh = db.session.scalars(search_stmt(subject_code="CB004")).one()
    services.correct_record(anh, reason="Sai số quyết định", decision_number="4A/QĐ-SYT", by=None)
    services.revoke_record(db.session.scalars(search_stmt(subject_code="CB002")).one(), reason="Sai đối tượng",
                           decision_number="TH8/QĐ-SYT", decision_date=date(2025, 2, 1), by=None)
    db.session.commit()
    monkeypatch.setattr(queries, "FIRST", 3)
    monkeypatch.setattr(CappedPage, "CAP", 2)
    live = sorted(db.session.scalars(search_stmt("an")), key=lambda r: (r.year, r.id), reverse=True)
    page = CappedPage(search_stmt("an", capped=True), page=1, per_page=5)  # holds at least the first CAP + 1
    assert [r.id for r in page.items] == [r.id for r in live][:max(3, len(page.items))]
    assert anh.id not in {r.id for r in page.items} and (page.total, page.capped) == (2, True)
    kept = [r for r in live if not r.revoked]
    page = CappedPage(search_stmt("an", capped=True, include_revoked=False), page=1, per_page=5)
    assert [r.id for r in page.items] == [r.id for r in kept][:max(3, len(page.items))]
    assert (page.total, page.capped) == (2, True)
    page = CappedPage(search_stmt("an", award_code="TTLDXS", capped=True), page=1, per_page=5)
    assert (page.items, page.total, page.capped) == ([], 0, False)


def test_the_rarest_word_leads_once_statistics_exist(archive, db):
    """After ANALYZE the search starts from the query's rarest word: "nguyen" is in three names, "van" in two, words
    starting with "an" in five."""
    postgresql_only(db)
    db.session.commit()
    db.session.execute(text("ANALYZE award_record_words"))
    queries._STATS.clear()
    try:
        _, params, guessed = queries._candidates(["nguyen", "van", "an"], "nguyen van an", None)
        assert [value for key, value in params.items() if key.startswith("w")] == ["van"] and guessed is None
    finally:
        queries._STATS.clear()
    assert names("nguyen van an") == ["Nguyễn Văn An"]
