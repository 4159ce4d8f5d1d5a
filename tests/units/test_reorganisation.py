"""Reorganisation (issue 18): units merge, split, are renamed or move; the successor link carries a collective's
chain of years into its eligibility, and old codes still find their records."""

from datetime import date

import pytest

from awards.archive import eligibility
from awards.archive import services as archive_services
from awards.archive.queries import search_stmt
from awards.core.audit import AuditEntry
from awards.units import queries, services
from tests import factories


@pytest.fixture
def merger(hospitals, api):
    return api.as_("staff")


@pytest.fixture
def hospitals(db):
    """Two hospitals with five excellent years, a Bằng khen tỉnh in 2020 and a TTLĐXS in 2022, merged on
    1 July 2025 into a new hospital rated excellent with a TTLĐXS of its own in 2025."""
    syt = factories.unit(code="SYT", name="Sở Y tế")
    old = [factories.unit(code=code, name=name, parent=syt, kind="hospital")
           for code, name in (("BVYHCT", "Bệnh viện Y học cổ truyền"), ("BVPHCN", "Bệnh viện Phục hồi chức năng"))]
    new = factories.unit(code="BVYHCT-PHCN", name="Bệnh viện Y học cổ truyền – Phục hồi chức năng", parent=syt,
                         kind="hospital")
    for unit in old:
        for year in range(2021, 2025):
            services.add_unit_evaluation(unit, year=year, rating="excellent", by=None)
    services.add_unit_evaluation(new, year=2025, rating="excellent", by=None)
    db.session.commit()
    for code, award, year in [(u.code, "BK_TINH", 2020) for u in old] + [(u.code, "TTLDXS", 2022) for u in old] + [
            (new.code, "TTLDXS", 2025)]:
        archive_services.record_award(subject_type="unit", subject_code=code, award_code=award, year=year,
                                      decision_number=f"{year}-{code}/QĐ-UBND", decision_date=date(year + 1, 1, 15),
                                      issuer="UBND tỉnh")
    db.session.commit()


def _merge(staff):
    for code in ("BVYHCT", "BVPHCN"):
        response = staff.post(f"/api/v1/units/{code}/successions", json={
            "successor_code": "BVYHCT-PHCN", "kind": "merge", "effective_on": "2025-07-01",
            "decision": "1234/QĐ-UBND", "note": "Hợp nhất theo Đề án sắp xếp 2025"})
        assert response.status_code == 201, response.json


def test_a_merger_carries_the_collectives_chain_into_eligibility(merger, db):
    """BK Thủ tướng for a collective (Law 06/2022 Art 73) asks for five excellent years and two TTLĐXS in them:
    the merged hospital has one year and one TTLĐXS of its own until the merger is recorded."""
    before = eligibility.checklist("unit", "BVYHCT-PHCN", "BK_TTG", 2025)
    assert not before.eligible
    _merge(merger)
    after = eligibility.checklist("unit", "BVYHCT-PHCN", "BK_TTG", 2025)
    assert after.eligible, [(c.key, c.ok) for c in after.checks]
    # the predecessors keep their own history; nothing flows backwards
    assert not eligibility.checklist("unit", "BVPHCN", "BK_TTG", 2025).eligible


def test_the_successor_link_is_shown_both_ways_and_audited(merger, db):
    _merge(merger)
    unit = merger.get("/api/v1/units/BVYHCT-PHCN").json
    assert [(p["predecessor_code"], p["kind"], p["effective_on"], p["decision"]) for p in unit["predecessors"]] == [
        ("BVYHCT", "merge", "2025-07-01", "1234/QĐ-UBND"), ("BVPHCN", "merge", "2025-07-01", "1234/QĐ-UBND")]
    assert unit["successors"] == []
    old = merger.get("/api/v1/units/BVYHCT").json
    assert [s["successor_code"] for s in old["successors"]] == ["BVYHCT-PHCN"] and old["predecessors"] == []
    assert db.session.query(AuditEntry).filter_by(action="unit.succession").count() == 2


def test_old_codes_find_the_successors_records_and_new_codes_the_predecessors(merger, db):
    _merge(merger)
    by_old = {(r.subject_code, r.year) for r in db.session.scalars(search_stmt(unit_code="BVYHCT"))}
    assert ("BVYHCT-PHCN", 2025) in by_old and ("BVYHCT", 2022) in by_old
    assert ("BVPHCN", 2022) not in by_old  # the other predecessor is not this unit's line
    by_new = {(r.subject_code, r.year) for r in db.session.scalars(search_stmt(unit_code="BVYHCT-PHCN"))}
    assert {("BVYHCT", 2020), ("BVPHCN", 2022), ("BVYHCT-PHCN", 2025)} <= by_new


def test_a_split_gives_each_successor_the_predecessors_history(api, db):
    staff = api.as_("staff")
    ttyt = factories.unit(code="TTYT-A", name="Trung tâm Y tế huyện A", kind="health_centre")
    for code in ("TTYT-A1", "TTYT-A2"):
        factories.unit(code=code, name=f"Trung tâm Y tế khu vực {code[-2:]}", kind="health_centre")
    services.add_unit_evaluation(ttyt, year=2024, rating="excellent", by=None)
    db.session.commit()
    for code in ("TTYT-A1", "TTYT-A2"):
        response = staff.post("/api/v1/units/TTYT-A/successions", json={
            "successor_code": code, "kind": "split", "effective_on": "2025-03-01"})
        assert response.status_code == 201, response.json
    from awards.archive.queries import unit_histories
    ids = [queries.unit_by_code(c).id for c in ("TTYT-A1", "TTYT-A2")]
    assert [h.ratings for h in unit_histories(ids, 2025).values()] == [{2024: "excellent"}] * 2


def test_refusals(merger, api, db):
    def post(client, code, **body):
        return client.post(f"/api/v1/units/{code}/successions", json={
            "successor_code": "BVYHCT-PHCN", "kind": "merge", "effective_on": "2025-07-01", **body})

    officer = api.as_("unit_officer", unit=queries.unit_by_code("BVYHCT"))
    assert post(officer, "BVYHCT").status_code == 403
    response = post(merger, "BVYHCT-PHCN")
    assert response.status_code == 400 and "không thể kế thừa chính nó" in response.json["error"]["message"]
    assert post(merger, "BVYHCT", successor_code="KHONG-CO").status_code == 400
    assert post(merger, "KHONG-CO").status_code == 404
    assert post(merger, "BVYHCT").status_code == 201
    assert post(merger, "BVYHCT").status_code == 409
    response = post(merger, "BVYHCT-PHCN", successor_code="BVYHCT", effective_on="2026-01-01")
    assert response.status_code == 400 and "vòng kế thừa" in response.json["error"]["message"]
    # a rename in place keeps the row: the unit names itself, with the date and decision
    renamed = post(merger, "BVPHCN", successor_code="BVPHCN", kind="rename", decision="88/QĐ-SYT")
    assert renamed.status_code == 201 and renamed.json["predecessor_code"] == "BVPHCN"


def test_secretariat_records_a_merger_on_the_units_page_and_both_pages_show_it(hospitals, client, login_as,
                                                                               csrf_token):
    def post(data):
        return client.post("/units/BVPHCN/successions", data={**data, "csrf_token": csrf_token("/units")})

    login_as("staff")
    page = client.get("/units/BVPHCN").get_data(as_text=True)
    assert "Sắp xếp, tổ chức lại" in page and "Ghi nhận hợp nhất, chia tách, đổi tên" in page
    refused = post({"su-kind": "merge", "su-successor_code": "BVPHCN", "su-effective_on": "01/07/2025"})
    assert refused.status_code == 400 and "Một đơn vị không thể kế thừa chính nó." in refused.get_data(as_text=True)
    done = post({"su-kind": "merge", "su-successor_code": "BVYHCT-PHCN", "su-effective_on": "01/07/2025",
                 "su-decision": "1234/QĐ-UBND"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/units/BVPHCN#sap-xep")
    old = client.get("/units/BVPHCN").get_data(as_text=True)
    assert "Đơn vị kế thừa:" in old and "Bệnh viện Y học cổ truyền – Phục hồi chức năng" in old
    assert "Hợp nhất / sáp nhập" in old and "01/07/2025" in old and "Quyết định số 1234/QĐ-UBND" in old
    new = client.get("/units/BVYHCT-PHCN").get_data(as_text=True)
    assert "Đơn vị tiền thân" in new and "Bệnh viện Phục hồi chức năng" in new

    client.post("/logout", data={"csrf_token": csrf_token("/units")})
    login_as("council_member")  # reads the links, has no form
    page = client.get("/units/BVYHCT-PHCN").get_data(as_text=True)
    assert "Đơn vị tiền thân" in page and "Ghi nhận hợp nhất" not in page
