"""The setup checklist's counts from the page cache (issue 21): a view between two writes counts nothing over the
large tables, and every write that changes a count — people or ratings imported, an award recorded or imported, a
discipline or an initiative added, a rating removed or moved to another year — shows on the next view; a write
rolled back changes nothing."""

import re
from datetime import date

from sqlalchemy import select

from awards.archive import imports as archive_imports
from awards.archive import services as archive
from awards.units import imports
from awards.units import services as units
from awards.units.models import Person, PersonEvaluation
from tests.archive.test_import import workbook
from tests.units.test_imports_department import YEARS, department, sheet

LARGE = ("FROM people", "FROM person_evaluations", "FROM unit_evaluations", "FROM disciplines", "FROM initiatives",
         "FROM award_records")






def _lines(client) -> dict[str, str]:
    """Each checklist line's title → its detail text."""
    response = client.get("/admin/setup")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    found = re.findall(r'<div class="fw-semibold">(.*?)\s*<span.*?<span class="small">(.*?)</span>', html, re.S)
    return {title.strip(): detail.strip() for title, detail in found}


def _counted(seen: list[str]) -> list[str]:
    return [s for s in seen if "count(" in s and any(table in s for table in LARGE)]


def test_a_view_between_two_writes_counts_nothing_over_the_large_tables(db, warm_page_cache, client, login_as,
                                                                         statements):
    department(db)
    login_as("admin")
    first = _lines(client)
    assert first["Cá nhân"] == "2 cá nhân." and first["Khen thưởng đã có"] == "0 bản ghi khen thưởng."
    assert len(_counted(statements)) == 6  # people, ratings of both kinds, disciplines, initiatives, the archive
    statements.clear()
    assert _lines(client) == first and _counted(statements) == []


def test_each_write_shows_on_the_next_view(db, warm_page_cache, client, login_as):
    department(db)
    admin = login_as("admin")
    assert _lines(client)["Xếp loại cá nhân"] == "; ".join(f"năm {y}: 0" for y in YEARS) + "."

    ratings = [[code, year, "HTTNV"] for year in YEARS for code in ("CN01", "CN02")]
    imports.run_import(imports.PERSON_RATINGS, sheet(["Mã cá nhân", "Năm", "Xếp loại"], ratings), dry_run=False,
                       by=None)
    db.session.commit()
    assert _lines(client)["Xếp loại cá nhân"] == "; ".join(f"năm {y}: 2" for y in YEARS) + "."

    people = [["CN03", "Lê Văn Ba", "Nam", "BVDK"]]
    imports.run_import(imports.PEOPLE, sheet(["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị"], people),
                       dry_run=False, by=None)
    db.session.commit()
    assert _lines(client)["Cá nhân"] == "3 cá nhân."

    archive.record_award(subject_type="person", subject_code="CN01", award_code="LDTT", year=YEARS[-1],
                         decision_number="1/QĐ", decision_date=date(YEARS[-1] + 1, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    assert _lines(client)["Khen thưởng đã có"] == "1 bản ghi khen thưởng."
    result = archive_imports.import_records(workbook(
        ["Năm", "Số quyết định", "Mã đối tượng", "Loại đối tượng", "Danh hiệu", "Ngày quyết định", "Cơ quan ban hành"],
        [[YEARS[-1], "2/QĐ", "CN02", "Cá nhân", "LDTT", date(YEARS[-1] + 1, 1, 10), "Sở Y tế"],
         [YEARS[-2], "3/QĐ", "CN02", "Cá nhân", "LDTT", date(YEARS[-2] + 1, 1, 10), "Sở Y tế"]]),
        dry_run=False, by=admin)
    assert result.ok, result.errors
    db.session.commit()
    assert _lines(client)["Khen thưởng đã có"] == "3 bản ghi khen thưởng."

    an = db.session.scalar(select(Person).where(Person.code == "CN01"))
    units.add_discipline(an, year=YEARS[-1], level="reprimand", decided_on=date(YEARS[-1], 6, 1), by=admin)
    units.add_initiative(an, year=YEARS[-1], title="Cải tiến quy trình", scope="unit", by=admin)
    db.session.commit()
    seen = _lines(client)
    assert seen["Kỷ luật"].startswith("1 quyết định kỷ luật") and seen["Sáng kiến"] == "1 sáng kiến."

    # a rating removed, another moved to a year outside the five
    rows = db.session.scalars(select(PersonEvaluation).where(PersonEvaluation.year == YEARS[0])
                              .order_by(PersonEvaluation.id)).all()
    db.session.delete(rows[0])
    rows[1].year = YEARS[0] - 1
    db.session.commit()
    assert _lines(client)["Xếp loại cá nhân"].startswith(f"năm {YEARS[0]}: 0; năm {YEARS[1]}: 2")


def test_a_write_rolled_back_changes_no_count(db, warm_page_cache, client, login_as, statements):
    department(db)
    login_as("admin")
    before = _lines(client)
    units.create_person(code="CN09", full_name="Phạm Thị Chín", gender="female", unit_code="BVDK", by=None)
    db.session.rollback()
    statements.clear()
    assert _lines(client) == before and _counted(statements) == []
