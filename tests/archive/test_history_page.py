"""A collective's award history page (archive.unit_history): its own awards by year and its progress toward the
Bằng khen, without reading its members (issue 21: a hospital's thousands of people, their ratings, titles and
disciplines were most of the page's time at full scale, and the page shows none of them)."""

import re
from datetime import date

import pytest
from sqlalchemy import event

from awards.archive import services as archive
from awards.units import services as units
from tests import factories


@pytest.fixture
def hospital(db, at):
    so = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=so)
    ward = factories.unit(code="KNOI", name="Khoa Nội", parent=bva)
    admin = factories.user("admin")
    for year in (2024, 2025):
        units.add_unit_evaluation(bva, year=year, rating="excellent", by=admin)
    for year, code in ((2024, "TTLDXS"), (2025, "TTLDXS")):
        archive.record_award(subject_type="unit", subject_code="BVA", award_code=code, year=year,
                             decision_number=f"{year}/QĐ-SYT", decision_date=date(year + 1, 1, 15), issuer="Sở Y tế")
    db.session.commit()
    return {"bva": bva, "ward": ward, "admin": admin}


def _staff(db, n: int, unit, admin):
    """n people of the ward, each rated and awarded this year (what the members' read would fetch)."""
    for _ in range(n):
        person = factories.person(unit=unit)
        units.add_person_evaluation(person, year=2026, rating="good", by=admin)
        archive.record_award(subject_type="person", subject_code=person.code, award_code="LDTT", year=2026,
                             decision_number="1/QĐ-BVA", decision_date=date(2026, 2, 1), issuer="Bệnh viện A")
    db.session.commit()


def _page(client, db) -> tuple[str, list[str]]:
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get("/archive/units/BVA")
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return response.get_data(as_text=True), seen


def test_the_history_shows_the_units_awards_by_year_and_its_progress(hospital, client, login_as, db):
    login_as("staff")
    html, _seen = _page(client, db)
    assert "Quá trình khen thưởng" in html and "Theo năm" in html and "Hướng tới" in html
    years = re.findall(r'<h3 class="h6 mb-1">(\d{4})</h3>', html)
    assert years == ["2025", "2024"]  # newest first
    assert html.count("Tập thể lao động xuất sắc") == 2 and "2025/QĐ-SYT" in html and "2024/QĐ-SYT" in html
    assert "2/2 năm HTXSNV hoặc TTLĐXS liên tiếp (2025, 2024)" in html or \
        "2/2 năm HTXSNV hoặc TTLĐXS liên tiếp (2024, 2025)" in html


def test_a_large_units_members_are_not_read(hospital, client, login_as, db):
    login_as("staff")
    _staff(db, 2, hospital["ward"], hospital["admin"])
    small, few = _page(client, db)
    _staff(db, 30, hospital["ward"], hospital["admin"])
    large, many = _page(client, db)
    assert len(many) == len(few)
    assert not [s for s in many if "FROM people" in s or "person_evaluations" in s]
    assert "Lao động tiên tiến" not in large  # the members' awards are theirs, not the unit's
    assert re.findall(r'<h3 class="h6 mb-1">(\d{4})</h3>', large) == ["2025", "2024"]


def test_a_unit_without_awards_says_so(db, client, login_as):
    factories.unit(code="BVA", name="Bệnh viện A")
    db.session.commit()
    login_as("staff")
    html, _seen = _page(client, db)
    assert "Chưa có khen thưởng nào trong kho lưu trữ." in html


def test_an_unknown_unit_is_not_found(db, client, login_as):
    login_as("staff")
    assert client.get("/archive/units/KHONG-CO").status_code == 404
