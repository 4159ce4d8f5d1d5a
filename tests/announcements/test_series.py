"""Each level its own series (issue 18): a decision's number is unique per issuing unit and year (NĐ 30/2020
Art 15), each issuing unit keeps its own gold book, a secretariat bound to a unit issues in its name, and the
competence holds for everyone: what no unit in the system decides is never in a decision here."""

from datetime import date

import pytest
from sqlalchemy import select

from awards.announcements import decisions
from awards.announcements.models import Decision
from awards.archive import services as archive_services
from awards.core.db import DomainError
from awards.extensions import db as _db
from awards.units import queries
from tests import factories
from tests.units.test_levels import Province
from tests.web import text_of, token_of, web


@pytest.fixture
def province(api, db, at):
    return Province(api)


def _issue(province, desk, number, unit_code, award="LDTT", signed_on="2026-03-02", issuer=None):
    dossier = province.dossier(unit_code, award, by=desk.user)
    return dossier, desk.post("/api/v1/decisions", json={
        "number": number, "signed_on": signed_on, "signer": "Giám đốc", "nomination_ids": [dossier.id],
        "issuer": issuer or queries.unit_by_code(unit_code).name})


def test_two_hospitals_each_have_their_01_and_each_year_its_series(province):
    _d, a = _issue(province, province.staff_a, "01/QĐ-BV", "BVA")
    _d, b = _issue(province, province.staff_b, "01/QĐ-BV", "BVB")
    assert (a.status_code, b.status_code) == (201, 201), (a.json, b.json)
    assert (a.json["unit_code"], b.json["unit_code"]) == ("BVA", "BVB")
    _d, again = _issue(province, province.staff_a, "01/QĐ-BV", "BVA")
    assert again.status_code == 409
    assert again.json["error"]["message"] == "Bệnh viện Đa khoa A đã có quyết định số “01/QĐ-BV” năm 2026."
    _d, other_year = _issue(province, province.staff_a, "01/QĐ-BV", "BVA", signed_on="2025-12-30")
    assert other_year.status_code == 201, other_year.json  # last year's series had its own 01


def test_each_issuing_unit_has_its_own_gold_book_whatever_its_issuer_text(province):
    # a number written by hand under the hospital's name before: its book continues after it, nothing renumbered
    earlier = archive_services.record_award(
        subject_type="person", subject_code=factories.person(unit=province.units["BVA"]).code, award_code="LDTT",
        year=2024, decision_number="9/QĐ-BVA", decision_date=date(2025, 1, 10), issuer="Bệnh viện Đa khoa A",
        gold_book_number="7", by=None)
    _db.session.commit()
    _d, a1 = _issue(province, province.staff_a, "01/QĐ-BVA", "BVA")
    _d, b1 = _issue(province, province.staff_b, "01/QĐ-BVB", "BVB", issuer="Giám đốc bệnh viện")
    _d, a2 = _issue(province, province.staff_a, "02/QĐ-BVA", "BVA", issuer="Giám đốc bệnh viện")  # B's text too
    _d, b2 = _issue(province, province.staff_b, "02/QĐ-BVB", "BVB", issuer="Giám đốc bệnh viện")
    numbers = [r.json["recipients"][0]["gold_book_number"] for r in (a1, b1, a2, b2)]
    assert numbers == ["8", "1", "9", "2"]
    assert earlier.gold_book_number == "7"


def test_a_bound_secretariat_issues_in_its_units_name_with_the_next_number(app, province):
    head = factories.person(unit=province.units["BVA"], full_name="Trần Văn Thủ Trưởng",
                            position="Giám đốc bệnh viện")
    mine = province.dossier("BVA", by=province.staff_a.user)
    theirs = province.dossier("BVB", by=province.staff_b.user)
    _db.session.commit()
    page = web(app, province.staff_a.user)
    html = text_of(page.get("/decisions/new"))
    assert 'value="01/QĐ-BVA"' in html and 'value="Bệnh viện Đa khoa A"' in html
    assert f'value="{head.full_name} — Giám đốc bệnh viện"' in html
    assert f'id="pick-{mine.id}"' in html and f'id="pick-{theirs.id}"' not in html  # its own queue only
    assert 'name="unit_code"' not in html
    issued = page.post("/decisions/new", data={
        "csrf_token": token_of(page, "/decisions/new"), "number": "01/QĐ-BVA", "signed_on": "02/03/2026",
        "signer": "Trần Văn Thủ Trưởng", "issuer": "Bệnh viện Đa khoa A", "ids": [str(mine.id)]})
    assert issued.status_code == 302, text_of(issued)[:500]
    assert _db.session.scalar(select(Decision)).unit.code == "BVA"
    assert 'value="02/QĐ-BVA"' in text_of(page.get("/decisions/new"))
    assert decisions.next_number(province.units["BVB"], 2026) == "01/QĐ-BVB"


def test_no_unit_no_loophole_the_secretariat_and_the_admin_are_held_to_the_competence(app, province):
    """An award no unit decides is refused to the secretariat with no unit and to the admin (API and page), the
    message naming the level that decides; dossiers of two levels are never one decision."""
    provincial = province.dossier("SYT", "GIAY_KHEN")
    bk = province.dossier("SYT", "BK_TINH", status="submitted")
    body = {"number": "05/QĐ-SYT", "signed_on": "2026-03-02", "signer": "Giám đốc", "issuer": "Sở Y tế",
            "nomination_ids": [bk.id]}
    for desk in (province.central, province.admin):
        refused = desk.post("/api/v1/decisions", json=body)
        assert refused.status_code == 409
        assert refused.json["error"]["message"] == (
            f"Sở Y tế tỉnh Thái An không có thẩm quyền quyết định “Bằng khen cấp tỉnh” (hồ sơ #{bk.id}): thuộc "
            "thẩm quyền của Chủ tịch UBND tỉnh (cấp tỉnh). Hãy trình cấp trên và ghi nhận kết quả khi có quyết "
            "định.")
    page = web(app, province.admin.user)
    html = text_of(page.post("/decisions/new", data={
        "csrf_token": token_of(page, "/decisions/new"), "number": "05/QĐ-SYT", "signed_on": "02/03/2026",
        "signer": "Giám đốc", "issuer": "Sở Y tế", "ids": [str(bk.id)]}))
    assert "thuộc thẩm quyền của Chủ tịch UBND tỉnh (cấp tỉnh)" in html
    hospital_bk = province.dossier("BVA", "BK_TINH", status="submitted", by=province.staff_a.user)
    refused = province.staff_a.post("/api/v1/decisions", json={**body, "nomination_ids": [hospital_bk.id]})
    assert refused.status_code == 409 and refused.json["error"]["message"].endswith("Hãy trình Sở Y tế tỉnh Thái An.")
    a_ldtt = province.dossier("BVA", "LDTT", by=province.staff_a.user)
    mixed = province.admin.post("/api/v1/decisions", json={**body, "nomination_ids": [provincial.id, a_ldtt.id]})
    assert mixed.status_code == 409 and "nhiều đơn vị có thẩm quyền" in mixed.json["error"]["message"]
    with pytest.raises(DomainError, match="không do Sở Y tế tỉnh Thái An xử lý"):
        decisions.issue_decision(number="06/QĐ-SYT", signed_on=date(2026, 3, 2), signer="Giám đốc",
                                 issuer="Sở Y tế", nomination_ids=[a_ldtt.id], unit_code="SYT",
                                 by=province.admin.user)
    assert _db.session.scalar(select(Decision.id)) is None
