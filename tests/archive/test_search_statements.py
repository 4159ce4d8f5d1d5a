"""Archive search in few statements (issue 21): the candidates in one statement, the page and its capped count from
the ids it gave (archive.queries.KnownMatches), and still exactly the records, in the order, the word-start rule
gives — with filters, after revocations and corrections, uncapped, and when the statistics guess a prefix's words
wrong. The searches run on both databases (SQLite's full-text table, PostgreSQL's word index)."""

from datetime import date

import pytest
from sqlalchemy import event, select, text

from awards.archive import queries, services
from awards.archive.models import AwardRecord
from awards.archive.queries import search_stmt
from awards.core.forms import CappedPage
from awards.core.text import fold
from tests import factories

# common words (nguyen, thi, van), middle ones (anh, an) and rare ones (pang, nhan), a three-word given name
NAMES = ["Nguyễn Văn An", "Nguyễn Thị Ánh", "Nguyễn Thị Anh Đào", "Trần Thị Anh", "Nguyễn Văn Anh", "Quàng Thị Pánh",
         "Nguyễn Quỳnh Nhàn", "Lê Anh Tuấn", "Nguyễn Thị Ánh Tuyết", "Trần Văn Nam An", "Đào Thị Hạnh",
         "Hoàng Thị Thu Hà"]


@pytest.fixture
def archive(db):
    """Two units, each name awarded in two years out of id order, a unit award, a revoked and a corrected record."""
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    school = factories.unit(code="THPT", name="Trường THPT chuyên")
    for n, name in enumerate(NAMES, start=1):
        factories.person(code=f"CB{n:03d}", full_name=name, unit=hospital if n % 2 else school)
    db.session.commit()
    for round_ in (0, 1):
        for n, _name in enumerate(NAMES, start=1):
            year = 2018 + (n * 3 + round_ * 2) % 7
            services.record_award(subject_type="person", subject_code=f"CB{n:03d}", award_code=("LDTT", "CSTDCS")[
                round_], year=year, decision_number=f"{n}{round_}/QĐ-SYT", decision_date=date(year + 1, 1, 10),
                issuer="Sở Y tế")
    services.record_award(subject_type="unit", subject_code="BVDK", award_code="TTLDXS", year=2024,
                          decision_number="12/QĐ-UBND", decision_date=date(2025, 1, 10), issuer="UBND tỉnh")
    db.session.commit()
    records = {r.subject_code: r for r in db.session.scalars(select(AwardRecord).where(
        AwardRecord.award_code == "LDTT"))}
    services.revoke_record(records["CB004"], reason="Hồ sơ không đúng", decision_number="TH7/QĐ-SYT",
                           decision_date=date(2025, 2, 1), by=None)
    services.correct_record(records["CB005"], reason="Sai số quyết định", decision_number="5A/QĐ-SYT", by=None)
    db.session.commit()


def expected(db, q: str, **filters) -> list[int]:
    """The current records the rule finds, newest first: a word of the folded name starts with the folded query,
    or the decision number does, or the subject code is it; then the filters, in Python."""
    folded = fold(q)
    records = db.session.scalars(select(AwardRecord)).all()
    later = {(r.target_id, r.entry) for r in records if r.target_id}
    found = []
    for r in records:
        if r.entry == "revocation" or (r.id, "correction") in later:
            continue
        if not (r.name_folded.startswith(folded) or f" {folded}" in r.name_folded
                or r.decision_folded.startswith(folded) or r.subject_code.lower() == q.strip().lower()):
            continue
        if filters.get("year") and r.year != filters["year"]:
            continue
        if filters.get("award_code") and r.award_code != filters["award_code"]:
            continue
        if filters.get("include_revoked") is False and (r.id, "revocation") in later:
            continue
        if filters.get("unit_code") and r.unit.code != filters["unit_code"]:
            continue
        found.append(r)
    return [r.id for r in sorted(found, key=lambda r: (r.year, r.id), reverse=True)]


QUERIES = ["nguyen", "nguyen thi", "Nguyễn Thị Ánh", "thi anh", "an", "anh", "quang thi pa", "PÁNH", "nhan",
           "nguyen thi anh dao", "hoang thi thu ha", "van an", "tran", "n", "12/qd", "5a/qđ", "th7/qd", "cb004",
           "CB011", "xyz", "thi xyz"]
FILTERS = [{}, {"year": 2021}, {"award_code": "CSTDCS"}, {"include_revoked": False}, {"unit_code": "THPT"},
           {"year": 2020, "unit_code": "BVDK"}]


@pytest.mark.parametrize("first", [2, 1200])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "plain")
def test_a_search_gives_the_rules_records_in_the_archives_order(archive, db, filters, first, monkeypatch):
    """Uncapped, every match (however few candidates are read first); capped (here 3 a page), the first CAP + 1 in
    order, and the page and its count say the same as the rule."""
    monkeypatch.setattr(queries, "FIRST", first)
    for q in QUERIES:
        want = expected(db, q, **filters)
        assert [r.id for r in db.session.scalars(search_stmt(q, **filters))] == want, q
        monkeypatch.setattr(CappedPage, "CAP", 3)
        found = [r.id for r in db.session.scalars(search_stmt(q, capped=True, **filters))]
        assert found[:4] == want[:4] and set(found) <= set(want), q
        for number in (1, 2, 3):
            page = CappedPage(search_stmt(q, capped=True, **filters), page=number, per_page=2)
            assert [r.id for r in page.items] == want[2 * number - 2:2 * number], (q, number)
            assert (page.total, page.capped) == (min(len(want), 3), len(want) > 3), q
        monkeypatch.setattr(CappedPage, "CAP", 1000)


def test_other_orders_and_derived_statements_are_not_paged_from_the_known_ids(archive, db, monkeypatch):
    """The ids a search read belong to its own statement: sorted by name, or narrowed by another condition, the page
    is the statement's own."""
    want = expected(db, "nguyen thi")
    by_name = CappedPage(search_stmt("nguyen thi", sort="name", capped=True), page=1, per_page=50)
    assert sorted(r.id for r in by_name.items) == sorted(want) and by_name.total == len(want)
    names = [fold(r.subject_name) for r in by_name.items]
    assert names == sorted(names)
    narrowed = search_stmt("nguyen thi", capped=True).where(AwardRecord.award_code == "LDTT")
    page = CappedPage(narrowed, page=1, per_page=50)
    ldtt = [i for i in want if db.session.get(AwardRecord, i).award_code == "LDTT"]
    assert [r.id for r in page.items] == ldtt and page.total == len(ldtt) < len(want)


def statements_of(db, action) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def paged_with_statements(db, q: str, capped: bool):
    pages = []
    seen = statements_of(db, lambda: pages.append(CappedPage(search_stmt(q, capped=capped), page=1, per_page=5)))
    return pages[0], seen


def test_a_search_page_is_its_candidates_and_its_records(archive, db, monkeypatch):
    """A page of the archive search asks for its candidates once (PostgreSQL: one statement; SQLite: one too, the
    full-text candidates and the matches among them) and loads its records: no count, no second read of the ids."""
    if db.engine.dialect.name == "postgresql":  # the statistics autovacuum keeps, read once a while
        db.session.commit()
        db.session.execute(text("ANALYZE award_record_words"))
        queries._STATS.clear()
        queries._word_frequencies()
    try:
        for q, capped in (("nguyen thi", True), ("nguyen", True), ("cb004", False)):
            want = expected(db, q)
            page, seen = paged_with_statements(db, q, capped)
            assert [r.id for r in page.items] == want[:5] and page.total == len(want), q
            assert len(seen) == 2, (q, seen)
            assert not any(s.lstrip().lower().startswith("select count(") for s in seen), q  # the page's count
        if db.engine.dialect.name == "sqlite":  # no match at all: how many candidates were read, asked then only
            page, seen = paged_with_statements(db, "thi xyz", True)
            assert (page.items, page.total, len(seen)) == ([], 0, 2)
    finally:
        queries._STATS.clear()


def test_a_word_the_statistics_do_not_list_is_still_found(archive, db):
    """PostgreSQL picks the words a prefix begins from the statistics, and the statement says which it does begin: a
    name recorded after the last ANALYZE, with a new word of that prefix, is found at once."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the word index's statistics are PostgreSQL's")
    db.session.commit()
    db.session.execute(text("ANALYZE award_record_words"))
    queries._STATS.clear()
    try:
        assert "anh" in queries._word_frequencies()
        seen = statements_of(db, lambda: search_stmt("an", capped=True))
        assert len(seen) == 1 and "award_record_words" in seen[0]  # the guess (an, anh) was right: asked once
        factories.person(code="CB900", full_name="Nguyễn Thị Anhđiệp", unit=factories.unit(code="BVYHCT"))
        db.session.commit()
        services.record_award(subject_type="person", subject_code="CB900", award_code="LDTT", year=2025,
                              decision_number="9/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
        db.session.commit()
        assert "anhdiep" not in queries._word_frequencies()
        for q in ("an", "anhd", "nguyen thi an", "thi anhdi"):
            found = [r.id for r in db.session.scalars(search_stmt(q, capped=True))]
            assert found == expected(db, q), q
        page = CappedPage(search_stmt("anhđ", capped=True), page=1, per_page=5)
        assert [r.subject_name for r in page.items] == ["Nguyễn Thị Anhđiệp"] and page.total == 1
    finally:
        queries._STATS.clear()


def test_the_search_page_reads_its_units_with_the_page_not_one_by_one(db, app):
    """The archive page names each record's unit with the one above it ("Khoa Nội — Bệnh viện …"): those come with
    the page's records, so a page whose records sit in six departments takes as many statements as one in one."""
    from tests.web import count_statements, web

    sở = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=sở)
    wards = [factories.unit(code=f"K{n}", name=f"Khoa số {n}", parent=factories.unit(
        code=f"P{n}", name=f"Phòng {n}", parent=hospital)) for n in range(6)]
    for n, ward in enumerate(wards):
        factories.person(code=f"CB{n}", full_name=f"Lò Văn Pánh {n}", unit=ward)
        factories.person(code=f"CC{n}", full_name=f"Hà Thị Nhàn {n}", unit=wards[0])
    db.session.commit()
    for n in range(6):
        for code in (f"CB{n}", f"CC{n}"):
            services.record_award(subject_type="person", subject_code=code, award_code="LDTT", year=2024,
                                  decision_number=f"{n}/QĐ-SYT", decision_date=date(2025, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    staff = web(app, factories.user("staff"))
    count_statements(app, staff, "/archive?q=xyz")  # the first search reads the word statistics (PostgreSQL)
    count_staff, _ = count_statements(app, staff, "/archive?q=ha+thi+nhan")  # one department
    spread, body = count_statements(app, staff, "/archive?q=lo+van+panh")  # six departments, six rooms above
    assert all(f"Khoa số {n} — Phòng {n}" in body for n in range(6))
    assert spread == count_staff, (spread, count_staff)


def test_a_search_page_reads_its_records_as_the_lines_it_shows(db):
    """A search page's records are plain rows of what the pages show (archive.queries.ResultLine), not ORM records
    with their units (issue 21: most of a search's CPU): the records' own values, the unit named as
    Unit.display_name names it at each level of the tree, a revoked record marked."""
    department_of = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=department_of)
    ward = factories.unit(code="KNOI", name="Khoa Nội", parent=hospital)
    for n, unit in enumerate((department_of, hospital, ward), start=1):
        factories.person(code=f"CB{n:03d}", full_name=f"Nguyễn Văn Thử {n}", unit=unit)
    db.session.commit()
    for n in (1, 2, 3):
        services.record_award(subject_type="person", subject_code=f"CB{n:03d}", award_code="LDTT", year=2020 + n,
                              decision_number=f"{n}/QĐ-SYT", decision_date=date(2021 + n, 1, 10), issuer="Sở Y tế")
    services.record_award(subject_type="unit", subject_code="KNOI", award_code="TTLDXS", year=2024, kind="adhoc",
                          decision_number="9/QĐ-UBND", decision_date=date(2025, 1, 10), issuer="UBND tỉnh")
    db.session.commit()
    first = db.session.scalars(select(AwardRecord).where(AwardRecord.subject_code == "CB001")).one()
    services.revoke_record(first, reason="Hồ sơ không đúng", decision_number="TH1/QĐ-SYT",
                           decision_date=date(2025, 2, 1), by=None)
    db.session.commit()
    db.session.expunge_all()
    for q in ("nguyen van thu", "9/qd", "knoi"):
        page = CappedPage(search_stmt(q, capped=True), page=1, per_page=50)
        assert page.items and not any(isinstance(o, AwardRecord) for o in db.session.identity_map.values()), q
        for line in page.items:
            record = db.session.get(AwardRecord, line.id)
            for name in queries.ResultLine.__slots__[:-1]:
                assert getattr(line, name) == getattr(record, name), (q, name)
            assert line.unit == (record.unit.code, record.unit.display_name), q
            db.session.expunge_all()
    shown = {line.subject_code: line for line in CappedPage(search_stmt("nguyen van thu", capped=True), page=1,
                                                             per_page=50).items}
    assert shown["CB001"].revoked and not shown["CB002"].revoked
    assert [shown[c].unit.display_name for c in ("CB001", "CB002", "CB003")] == [
        "Sở Y tế", "Bệnh viện Đa khoa tỉnh", "Khoa Nội — Bệnh viện Đa khoa tỉnh"]


def test_a_plain_search_on_sqlite_sends_its_statement_as_fixed_text(archive, db, monkeypatch):
    """SQLite: a search with no filter, in the archive's order, sends one fixed SQL text (no statement built, keyed and
    compiled each time: issue 21's ratio) that must keep current_records()'s rules — the same matches, in the same
    order, as the statement built from them, a revoked and a corrected record among them — with few candidates read
    first or many; a filtered search still builds its statement."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's full-text path")
    stmt = queries.current_records().order_by(*queries.SORTS["year_desc"])
    for first in (2, 1200):
        monkeypatch.setattr(queries, "FIRST", first)
        for q in QUERIES:
            fixed, built = (queries._first_matches(stmt, q, newest_first=True, capped=True, plain=plain)
                            for plain in (True, False))
            assert (fixed and fixed[1]) == (built and built[1]), (q, first)
    seen = statements_of(db, lambda: search_stmt("nguyen thi", capped=True))
    assert seen == [queries._SQLITE_PLAIN[0]]
    seen = statements_of(db, lambda: search_stmt("nguyen thi", capped=True, award_code="LDTT"))
    assert len(seen) == 1 and seen[0] != queries._SQLITE_PLAIN[0] and "award_code" in seen[0]
