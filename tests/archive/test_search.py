"""Archive search through its index (models.SEARCH_INDEX): the same answers as the word-start rule it speeds up."""

from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from awards.archive import queries, services
from awards.archive.models import AwardRecord
from awards.archive.queries import search_stmt
from awards.core.forms import CappedPage
from awards.core.text import fold
from tests import factories

NAMES = ["Nguyễn Văn An", "Nguyễn Thị Ánh", "Đào Thị Hạnh", "Lê Anh Tuấn", "H'Hen Niê", "Ka-Sô Liễng",
         "Trần Văn Nam An", "Phạm 50% Thị_Lan", "Vàng A Dơ", "Nguyễn  Văn   Bình", "Hoàng Thị Thu Hà"]
QUERIES = ["an", "AN", "nguyen van", "nguyễn thị á", "van a", "thi", "h'hen", "hen", "ka-so", "so", "50%", "thi_lan",
           "lan", "a", "ng", "van   binh", "van binh", "hà", "ha", "nguyen van an", "x", "'", "%", "_", "-",
           "tuấn lê", "cb0", "12/qđ", "12/qd-syt", "cb007", "CB007", "Cb007"]


@pytest.fixture
def archive(db):
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    for n, name in enumerate(NAMES, start=1):
        factories.person(code=f"CB{n:03d}", full_name=name, unit=unit)
    db.session.commit()
    for n, _name in enumerate(NAMES, start=1):  # years out of id order: the search's order is by year, then id
        year = 2020 + n * 3 % 5
        services.record_award(subject_type="person", subject_code=f"CB{n:03d}", award_code="LDTT", year=year,
                              decision_number=f"{n}/QĐ-SYT", decision_date=date(year + 1, 1, 10), issuer="Sở Y tế")
    services.record_award(subject_type="unit", subject_code="BVDK", award_code="TTLDXS", year=2024,
                          decision_number="12/QĐ-SYT", decision_date=date(2025, 1, 10), issuer="Sở Y tế")
    db.session.commit()


def by_rule(db, q: str) -> set[int]:
    """What the search must find, decided in Python: a word of the folded name starts with the folded query, or
    the decision number starts with it, or the subject code is it (any case)."""
    folded = fold(q)
    found = set()
    for record in db.session.scalars(select(AwardRecord)):
        name = record.name_folded
        if (name.startswith(folded) or f" {folded}" in name or record.decision_folded.startswith(folded)
                or record.subject_code.lower() == q.strip().lower()):
            found.add(record.id)
    return found


@pytest.mark.parametrize("first", [2, 5, 1200])
@pytest.mark.parametrize("q", QUERIES)
def test_search_finds_exactly_what_the_rule_finds(archive, db, q, first, monkeypatch):
    """However many full-text candidates are read first (queries.FIRST), a search finds all the rule finds; a
    capped page (core.forms.CappedPage, here 2 a page) finds at least its first CAP + 1, in the archive's order."""
    monkeypatch.setattr(queries, "FIRST", first)
    expected = by_rule(db, q)
    assert {r.id for r in db.session.scalars(search_stmt(q))} == expected
    assert {r.id for r in db.session.scalars(search_stmt(q, sort="name"))} == expected
    monkeypatch.setattr(CappedPage, "CAP", 2)
    in_order = [r.id for r in sorted(db.session.scalars(select(AwardRecord).where(AwardRecord.id.in_(expected))),
                                     key=lambda r: (r.year, r.id), reverse=True)]
    found = [r.id for r in db.session.scalars(search_stmt(q, capped=True))]
    assert found[:3] == in_order[:3] and set(found) <= expected
    page = CappedPage(search_stmt(q, capped=True), page=1, per_page=2)
    assert [r.id for r in page.items] == in_order[:2]
    assert (page.total, page.capped) == (min(len(expected), 2), len(expected) > 2)


def test_the_examples_a_user_types(archive, db):
    def names(q):
        return sorted(r.subject_name for r in db.session.scalars(search_stmt(q)))

    assert names("an") == sorted(["Lê Anh Tuấn", "Nguyễn Thị Ánh", "Nguyễn Văn An", "Trần Văn Nam An"])
    assert "Đào Thị Hạnh" not in names("anh")  # "hanh" has "anh" inside, not at a word's start
    assert "Lê Anh Tuấn" not in names("tuan le")
    assert names("nguyen van an") == ["Nguyễn Văn An"]
    assert names("ka-so") == ["Ka-Sô Liễng"]
    assert names("cb007") == ["Trần Văn Nam An"]
    assert names("12/qd") == ["Bệnh viện Đa khoa tỉnh"]


def test_new_records_are_searchable_at_once(archive, db):
    factories.person(code="CB900", full_name="Đinh Công Tráng", unit=factories.unit())
    db.session.commit()
    services.record_award(subject_type="person", subject_code="CB900", award_code="LDTT", year=2025,
                          decision_number="7/QĐ-SYT", decision_date=date(2026, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert [r.subject_name for r in db.session.scalars(search_stmt("dinh cong"))] == ["Đinh Công Tráng"]


def test_the_search_uses_its_index(archive, db):
    """The name branch reads the full-text table (SQLite) or a trigram index (PostgreSQL), never the whole
    archive."""
    compiled = queries.name_ids("nguyen van").compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        assert "award_records_fts" in inspect(db.engine).get_table_names()
        plan = " | ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN award_records" not in plan.replace("SCAN award_records_fts", ""), plan
    else:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a 20-row table: ask whether an index can serve
        plan = " | ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_award_records_name_trgm" in plan, plan


def test_a_broad_search_counts_up_to_the_cap_and_says_so(archive, db, app, monkeypatch):
    from tests.web import text_of, web

    monkeypatch.setattr(CappedPage, "CAP", 2)
    page = CappedPage(search_stmt("nguyen"), page=1, per_page=1)
    assert (page.total, page.capped, page.pages, len(page.items)) == (2, True, 2, 1)
    exact = CappedPage(search_stmt("nguyen van an"), page=1, per_page=1)
    assert (exact.total, exact.capped) == (1, False)

    monkeypatch.setattr("awards.archive.public.PER_PAGE", 1)
    body = text_of(app.test_client().get("/public/archive?q=nguyen"))
    assert "Hơn 2 mục: chỉ 2 mục đầu được chia trang, hãy thu hẹp tìm kiếm." in body
    staff = web(app, factories.user("staff"))
    assert "Hơn" not in text_of(staff.get("/archive?q=nguyen"))  # 50 a page: one page, no pager
