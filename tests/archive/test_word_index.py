"""The archive's word index on PostgreSQL (models.WORD_INDEX, migrations 9d41c7e2a5b3 and bb301f0b523e): each name's
words and pairs of adjacent words (' w1 w2'), kept by triggers, filled for the records already there, and read newest
first by the search — which must answer exactly as the word-start rule does on both databases (the searches here run
on SQLite too, through its full-text table), whichever word or pair it reads."""

import importlib.util
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import event, or_, select, text

from awards.archive import queries, services
from awards.archive.models import AwardRecord
from awards.archive.queries import search_stmt
from awards.core.forms import CappedPage
from awards.core.text import fold, matches_word_start
from tests import factories

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def migration(revision: str):
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", next(VERSIONS.glob(f"*_{revision}_*.py")))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WORDS, PAIRS = migration("9d41c7e2a5b3"), migration("bb301f0b523e")

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


def keys_of(name: str, pairs: bool = True) -> set[str]:
    """A folded name's keys: its words, and each pair of adjacent words with a leading space."""
    words = [word for word in name.split(" ") if word]
    return set(words) | ({f" {first} {second}" for first, second in pairwise(words)} if pairs else set())


def expected_rows(db, pairs: bool = True) -> set[tuple]:
    """One row per distinct key of each record's folded name, with the record's year and id."""
    records = db.session.execute(text("SELECT id, year, name_folded FROM award_records WHERE entry <> 'revocation'"))
    return {(key, year, record_id) for record_id, year, name in records for key in keys_of(name, pairs)}


def names(q: str, **filters) -> list[str]:
    from awards.extensions import db

    return sorted(r.subject_name for r in db.session.scalars(search_stmt(q, **filters)))


def test_a_new_record_puts_its_folded_words_and_pairs_in_the_index(archive, db):
    postgresql_only(db)
    record = db.session.scalars(search_stmt(subject_code="CB006")).one()
    rows = {row for row in word_rows(db) if row[2] == record.id}
    assert rows == {(key, record.year, record.id) for key in ("lo", "van", "duc", " lo van", " van duc", " duc duc")}
    assert word_rows(db) == expected_rows(db)
    carried = db.session.execute(text("SELECT DISTINCT name FROM award_record_words WHERE id = :id"),
                                 {"id": record.id}).scalars().all()
    assert carried == ["lo van duc duc"]  # the folded name rides in the index for the word-start rule


def test_deleted_records_leave_the_index(archive, db):
    """Records are append-only, but the tests empty the archive with DELETE and restart its ids: a new record under
    an old id must not be found by the old record's words or pairs."""
    postgresql_only(db)
    db.session.execute(text("DELETE FROM award_records WHERE subject_code = 'CB001'"))
    assert all(word not in ("dao", " dao thi") for word, _, _ in word_rows(db))
    assert " thi anh" in {word for word, _, _ in word_rows(db)}  # Nguyễn Thị Ánh Tuyết's, Trần Thị Anh's stay
    assert word_rows(db) == expected_rows(db)
    db.session.execute(text("TRUNCATE award_records CASCADE"))
    assert word_rows(db) == set()


def test_an_updated_name_changes_its_keys(archive, db):
    """The update trigger (no path of the app updates a record, but the table is kept exact): the old name's words and
    pairs leave, the new one's come."""
    postgresql_only(db)
    db.session.execute(text("UPDATE award_records SET name_folded = 'lo thi duc' WHERE subject_code = 'CB006'"))
    record_id = db.session.execute(text("SELECT id FROM award_records WHERE subject_code = 'CB006'")).scalar()
    assert {word for word, _, found in word_rows(db) if found == record_id} == {"lo", "thi", "duc", " lo thi",
                                                                                 " thi duc"}
    assert word_rows(db) == expected_rows(db)


def migrate(db, *steps):
    """Runs migration steps (upgrade or downgrade functions) on a connection of their own, as `flask db` does."""
    db.session.commit()
    with db.engine.connect() as conn:
        for step in steps:
            context = MigrationContext.configure(conn)
            with context.begin_transaction(), Operations.context(context):
                step()
            conn.commit()


def test_the_migrations_fill_the_index_from_the_records_already_there(archive, db):
    """The archive as it was before the word index (no word table, no triggers), then each migration's upgrade:
    every record's words, then its pairs too, are there, and new records are indexed by the triggers they left."""
    postgresql_only(db)
    migrate(db, PAIRS.downgrade, WORDS.downgrade)
    assert db.session.execute(text("SELECT to_regclass('award_record_words')")).scalar() is None
    migrate(db, WORDS.upgrade)
    assert word_rows(db) == expected_rows(db, pairs=False) and len(word_rows(db)) == 23
    migrate(db, PAIRS.upgrade)
    assert word_rows(db) == expected_rows(db) and len(word_rows(db)) == 23 + 17
    indexes = db.session.execute(text("SELECT indexname FROM pg_indexes WHERE indexname IN "
                                      "('ix_award_record_words', 'ix_award_records_decision_c')")).scalars().all()
    assert sorted(indexes) == ["ix_award_record_words", "ix_award_records_decision_c"]
    services.record_award(subject_type="person", subject_code="CB001", award_code="LDTT", year=2025,
                          decision_number="99/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert word_rows(db) == expected_rows(db)
    assert names("dao thi") == ["Đào Thị Ánh", "Đào Thị Ánh"]


def test_the_pairs_migration_goes_down_and_up_again(archive, db):
    """Its downgrade leaves the words as migration 9d41c7e2a5b3 kept them (no pair, new records' words only), and
    its upgrade brings the pairs back."""
    postgresql_only(db)
    migrate(db, PAIRS.downgrade)
    assert word_rows(db) == expected_rows(db, pairs=False)
    services.record_award(subject_type="person", subject_code="CB006", award_code="LDTT", year=2025,
                          decision_number="98/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert word_rows(db) == expected_rows(db, pairs=False)
    migrate(db, PAIRS.upgrade)
    assert word_rows(db) == expected_rows(db)
    assert names("van duc") == ["Lò Văn Đức Đức", "Lò Văn Đức Đức"]


def test_the_backfill_adds_the_pairs_a_batch_of_ids_at_a_time(archive, db):
    """The migration's backfill (a plain function of a connection): with batches of two ids, over ids with gaps, every
    record's pairs, once — a second run (the migration run again, or a record the trigger already indexed) adds
    nothing."""
    postgresql_only(db)
    db.session.execute(text("DELETE FROM award_records WHERE subject_code IN ('CB002', 'CB003')"))  # gaps in the ids
    db.session.execute(text("DELETE FROM award_record_words WHERE word LIKE ' %' AND id % 3 <> 0"))
    missing = len(expected_rows(db) - word_rows(db))
    assert missing > 0 and word_rows(db) <= expected_rows(db)
    assert PAIRS.backfill(db.session.connection(), batch=2) == missing
    assert word_rows(db) == expected_rows(db)
    assert PAIRS.backfill(db.session.connection(), batch=2) == 0
    assert word_rows(db) == expected_rows(db)


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


def test_the_rarest_key_leads_once_statistics_exist(archive, db):
    """After ANALYZE the search starts from the query's rarest word or pair: "nguyen" is in three names, "van" in two,
    words starting with "an" in five, the pair " nguyen van" in one (so the statistics do not list it: rarer than any
    they list)."""
    postgresql_only(db)
    db.session.commit()
    db.session.execute(text("ANALYZE award_record_words"))
    queries._STATS.clear()
    try:
        _, params, guessed = queries._candidates(["nguyen", "van", "an"], "nguyen van an", None)
        assert [value for key, value in params.items() if key.startswith("w")] == [" nguyen van"] and guessed is None
        assert " nguyen van" not in queries._word_frequencies() and "van" in queries._word_frequencies()
    finally:
        queries._STATS.clear()
    assert names("nguyen van an") == ["Nguyễn Văn An"]


# every key repeated (two awards each), so that ANALYZE lists them all with their shares: "pham", "anh" and "van" are
# common, " pham anh" rarer than either of its words
FAMILIES, MIDDLES, GIVEN = ("Phạm", "Nguyễn", "Lê"), ("Văn", "Thị", "Anh"), ("Anh", "Hùng", "Lan")
COMMON = [f"{family} {middle} {given}" for family in FAMILIES for middle in MIDDLES for given in GIVEN] + [
    "Phạm Anh Thư", "Phạm Anhđào", "Anh Phạm Văn", "H'Hen Niê", "Ka-Sô Anh", "Phạm 50% Thị_Lan"]


@pytest.fixture
def common_names(db):
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    for n, name in enumerate(COMMON, start=1):
        factories.person(code=f"CB{n:03d}", full_name=name, unit=unit)
    db.session.commit()
    for round_ in (0, 1):
        for n, _name in enumerate(COMMON, start=1):
            year = 2018 + (n * 3 + round_ * 2) % 7  # out of id order
            services.record_award(subject_type="person", subject_code=f"CB{n:03d}", award_code="LDTT", year=year,
                                  decision_number=f"{n}{round_}/QĐ-SYT", decision_date=date(year + 1, 1, 10),
                                  issuer="Sở Y tế")
    db.session.commit()
    corrected = db.session.scalars(search_stmt(subject_code="CB002")).first()  # Phạm Văn Hùng, one of two
    services.correct_record(corrected, reason="Sai số quyết định", decision_number="2A/QĐ-SYT", by=None)
    db.session.commit()


def analysed(db):
    """The statistics the search chooses its key by (autovacuum's in production)."""
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        db.session.execute(text("ANALYZE award_record_words"))
    queries._STATS.clear()


def by_like(db, q: str, year=None) -> list[int]:
    """What the search must give, by a plain LIKE over the archive: the current records with a word of the name
    starting with the query (or the decision number starting with it, or the code being it), newest first."""
    stmt = queries.current_records().with_only_columns(AwardRecord.id).where(or_(
        matches_word_start(AwardRecord.name_folded, q),
        AwardRecord.decision_folded.startswith(fold(q), autoescape=True),
        AwardRecord.subject_code == q.strip().upper())).order_by(AwardRecord.year.desc(), AwardRecord.id.desc())
    return list(db.session.scalars(stmt.where(AwardRecord.year == year) if year else stmt))


COMMON_QUERIES = ["pham anh", "Phạm Anh", "pham  anh", "pham an", "pham a", "pham anh thu", "pham anh t",
                  "nguyen van hung", "nguyen van h", "Nguyễn Văn", "van anh", "thi lan", "anh pham", "anh pham van",
                  "le anh anh", "anh", "an", "a", "p", "pham", "h'hen", "h'hen nie", "ka-so a", "ka-so anh",
                  "pham 50% thi_lan", "50% thi", "pham anh,", "pham xyz", "xyz anh", "1", "cb001"]


@pytest.mark.parametrize("first", [2, 1200])
@pytest.mark.parametrize("statistics", [False, True], ids=["no-statistics", "analysed"])
def test_common_names_are_found_as_the_rule_finds_them(common_names, db, monkeypatch, first, statistics):
    """Whatever key the search reads — a word, a pair, the pairs of the last word's beginnings, with or without the
    statistics, however few candidates it reads first — it finds what a plain LIKE finds, in the archive's order,
    with a year filter too, and a capped page holds the first of them."""
    if statistics:
        analysed(db)
    monkeypatch.setattr(queries, "FIRST", first)
    monkeypatch.setattr(CappedPage, "CAP", 3)
    try:
        for q in COMMON_QUERIES:
            want = by_like(db, q)
            assert [r.id for r in db.session.scalars(search_stmt(q))] == want, q
            assert [r.id for r in db.session.scalars(search_stmt(q, year=2020))] == by_like(db, q, year=2020), q
            page = CappedPage(search_stmt(q, capped=True), page=1, per_page=2)
            assert [r.id for r in page.items] == want[:2] and page.total == min(len(want), 3), q
    finally:
        queries._STATS.clear()
    assert len(by_like(db, "pham anh")) == 10  # Phạm Anh Anh, Hùng, Lan, Thư, Phạm Anhđào: two awards each


def test_a_common_name_is_read_from_its_pair(common_names, db):
    """"Phạm Anh": "pham" and "anh" are each in many names, " pham anh" in few. The search reads the pairs of "pham"
    with each word "anh" begins (" pham anh", " pham anhdao"), in the word index, newest first: the plan's ranges are
    those pairs."""
    postgresql_only(db)
    analysed(db)
    try:
        frequency = queries._word_frequencies()
        assert frequency[" pham anh"] < min(frequency["pham"], frequency["anh"])
        sql, params, guessed = queries._candidates(["pham", "anh"], "pham anh", None)
        assert [value for key, value in params.items() if key.startswith("w")] == [" pham anh", " pham anhdao"]
        assert guessed == ["anh", "anhdao"]
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a small table: ask what the index serves
        plan = "\n".join(row[0] for row in db.session.execute(text(f"EXPLAIN {sql}"), params))
        ranges = [line for line in plan.splitlines() if "Index Cond: (word = " in line]
        assert sorted(line.split("word = ")[1].split("::text")[0] for line in ranges) == [
            "' pham anh'", "' pham anhdao'"], plan
        rows = db.session.execute(text(sql), params).all()
        assert [word for tag, *_, word in rows if tag == "w"] == ["anh", "anhdao"]  # words only, never a pair
        assert len({record_id for tag, _, record_id, *_ in rows if tag == "n"}) == 10
        _, params, _ = queries._candidates(["nguyen", "van", "hung"], "nguyen van hung", None)
        assert params["w0"] in (" nguyen van", " van hung") and "w1" not in params
    finally:
        queries._STATS.clear()


def test_a_word_recorded_after_the_statistics_is_found_after_a_whole_word(common_names, db):
    """The last word's beginnings are guessed from the statistics; a name recorded since, with a new word of that
    beginning, is found at once: the statement lists the words (never pairs) the last word does begin, and the
    search asks again with the pairs of those."""
    analysed(db)
    try:
        factories.person(code="CB900", full_name="Phạm Anhkiệt", unit=factories.unit(code="BVYHCT"))
        db.session.commit()
        services.record_award(subject_type="person", subject_code="CB900", award_code="LDTT", year=2025,
                              decision_number="9/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
        db.session.commit()
        for q in ("pham anh", "pham anhk", "pham anhkiet", "anhk"):
            assert [r.id for r in db.session.scalars(search_stmt(q, capped=True))] == by_like(db, q), q
        page = CappedPage(search_stmt("phạm anhk", capped=True), page=1, per_page=5)
        assert [r.subject_name for r in page.items] == ["Phạm Anhkiệt"] and page.total == 1
    finally:
        queries._STATS.clear()
