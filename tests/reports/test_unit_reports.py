"""Units report upward (issue 18): an awarding unit's secretariat submits its 6-monthly or annual report with
its figures; the Sở sees who has submitted, who is late, and the roll-up. The archive of tests/reports/conftest.py:
Sở → Bệnh viện A (deciding) → Trạm Y tế xã; Bệnh viện B (deciding) with no awards."""

from datetime import datetime

import pytest

from awards.core import clock
from awards.core.audit import AuditEntry
from awards.extensions import db as _db
from awards.reports import rules
from tests import factories
from tests.web import text_of, web


@pytest.fixture
def hospitals(province, db, at):
    at(datetime(2025, 12, 1, 9, 0, tzinfo=clock.VIETNAM))  # before the annual report's deadline (15/12/2025)
    so, bva, tram = province
    bva.decides_awards = True
    bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=so)
    bvb.decides_awards = True
    db.session.commit()
    return so, bva, bvb, tram


def test_default_deadlines():
    assert rules.deadline(2025, 1).isoformat() == "2025-07-15"
    assert rules.deadline(2025, 2).isoformat() == "2026-01-15"
    assert rules.deadline(2025, 0).isoformat() == "2025-12-15"


def test_a_hospital_submits_its_report_and_the_so_sees_it(hospitals, client, login_as, csrf_token):
    so, bva, bvb, tram = hospitals
    login_as("staff", unit=bva)
    page = client.get("/reports/unit-report?year=2025&half=0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Báo cáo của đơn vị" in html and "Bệnh viện A" in html and "Cả năm 2025" in html
    assert "Hạn nộp: 15/12/2025" in html and "Chưa lập" in html
    assert 'data-total>6<' in html  # 4 LĐTT, 1 CSTĐCS, the station's TTLĐTT; the revoked Giấy khen is not counted
    assert "Lao động tiên tiến" in html

    empty = client.post("/reports/unit-report?year=2025&half=0",
                        data={"narrative": "  ", "send": "1", "csrf_token": csrf_token("/reports/unit-report")})
    assert empty.status_code == 400
    assert "Hãy viết phần đánh giá ngắn" in empty.get_data(as_text=True)

    sent = client.post("/reports/unit-report?year=2025&half=0", follow_redirects=True,
                       data={"narrative": "Phong trào thi đua sôi nổi; 6 lượt khen thưởng.", "send": "1",
                             "csrf_token": csrf_token("/reports/unit-report")})
    html = sent.get_data(as_text=True)
    assert "Đã nộp báo cáo cho Sở." in html and "Đã nộp" in html and "Phong trào thi đua sôi nổi" in html

    # the hospital's staff cannot open the Sở's table nor another hospital's report
    assert client.get("/reports/unit-reports?year=2025&half=0").status_code == 302
    assert client.get("/reports/unit-report?unit=BVB&year=2025&half=0").status_code == 200  # its own, the unit ignored
    client.post("/logout", data={"csrf_token": csrf_token("/")})

    login_as("staff")  # the Sở's desk
    table = client.get("/reports/unit-reports?year=2025&half=0").get_data(as_text=True)
    assert "Báo cáo của các đơn vị" in table
    assert "Đã nộp: 1/2 đơn vị · Quá hạn: 0" in table
    assert "Bệnh viện A" in table and "Bệnh viện B" in table and "Chưa lập" in table
    assert "Tổng hợp số liệu của các đơn vị" in table
    report = client.get("/reports/unit-report?unit=BVA&year=2025&half=0").get_data(as_text=True)
    assert "Phong trào thi đua sôi nổi" in report


def test_the_api_guards_and_the_deadline(hospitals, api, at):
    so, bva, bvb, tram = hospitals
    staff_a, staff_b = api.as_("staff", unit=bva), api.as_("staff", unit=bvb)
    body = {"unit_code": "BVA", "year": 2025, "narrative": "Báo cáo năm của Bệnh viện A."}

    refused = staff_b.post("/api/v1/reports/unit-reports", json=body)
    assert refused.status_code == 403 and "Bệnh viện A" in refused.json["error"]["message"]
    assert api.as_("unit_officer", unit=bva).post("/api/v1/reports/unit-reports", json=body).status_code == 403
    assert staff_a.post("/api/v1/reports/unit-reports", json={**body, "narrative": ""}).status_code == 400
    not_deciding = api.as_("staff").post("/api/v1/reports/unit-reports", json={**body, "unit_code": "TYT"})
    assert not_deciding.status_code == 400
    assert "không phải đơn vị có thẩm quyền" in not_deciding.json["error"]["message"]

    first = staff_a.post("/api/v1/reports/unit-reports", json=body)
    assert first.status_code == 201, first.json
    assert first.json["status"] == "submitted" and first.json["late"] is False and first.json["awards_total"] == 6
    assert first.json["awards_by_award"]["LDTT"] == 4 and first.json["submissions"] == 1
    again = staff_a.post("/api/v1/reports/unit-reports", json={**body, "narrative": "Bản thay thế."})
    assert again.status_code == 201 and again.json["submissions"] == 2 and again.json["narrative"] == "Bản thay thế."
    replaced = _db.session.query(AuditEntry).filter_by(action="unit_report.submitted").order_by(AuditEntry.id).all()
    assert replaced[-1].after["replaced"]["narrative"] == "Báo cáo năm của Bệnh viện A."
    assert replaced[-1].after["replaced"]["workbook_sha256"] == first.json["workbook_sha256"]

    # a staff user bound to a hospital reads its own line only; the Sở reads every unit's
    own = staff_a.get("/api/v1/reports/unit-reports?year=2025")
    assert [u["unit_code"] for u in own.json["units"]] == ["BVA"]
    at(datetime(2025, 12, 16, 8, 0, tzinfo=clock.VIETNAM))
    overview = api.as_("staff").get("/api/v1/reports/unit-reports?year=2025&half=0").json
    assert overview["deadline"] == "2025-12-15" and overview["submitted"] == 1 and overview["late"] == 1
    lines = {u["unit_code"]: u for u in overview["units"]}
    assert lines["BVA"]["late"] is False and lines["BVB"]["status"] == "missing" and lines["BVB"]["late"] is True

    late = staff_a.post("/api/v1/reports/unit-reports", json={**body, "narrative": "Quá hạn."})
    assert late.status_code == 409 and "quá hạn nộp (15/12/2025)" in late.json["error"]["message"]
    first_late = staff_b.post("/api/v1/reports/unit-reports", json={**body, "unit_code": "BVB"})
    assert first_late.status_code == 201 and first_late.json["late"] is True
    half = api.as_("admin").get("/api/v1/reports/unit-reports?year=2025&half=1").json
    assert half["deadline"] == "2025-07-15" and {u["unit_code"]: u["awards_total"] for u in half["units"]} == \
        {"BVA": 1, "BVB": 0}  # the 2024 LĐTT decided on 05/05/2025


def test_the_so_home_counts_the_units_that_have_not_submitted(app, hospitals, api):
    so, bva, bvb, tram = hospitals
    desk = factories.user("staff")
    hospital_desk = factories.user("staff", unit=bva)
    _db.session.commit()
    html = text_of(web(app, desk).get("/"))
    assert "Đơn vị chưa nộp báo cáo" in html and "Báo cáo năm 2025 — hạn 15/12/2025" in html
    assert '<span class="home-count">2</span>' in html.split("Đơn vị chưa nộp báo cáo")[0][-400:]
    assert 'href="/reports/unit-reports?year=2025&amp;half=0"' in html
    assert "Đơn vị chưa nộp báo cáo" not in text_of(web(app, hospital_desk).get("/"))

    api.as_("staff", unit=bva).post("/api/v1/reports/unit-reports",
                                    json={"unit_code": "BVA", "year": 2025, "narrative": "Đã tổng kết."})
    html = text_of(web(app, desk).get("/"))
    assert '<span class="home-count">1</span>' in html.split("Đơn vị chưa nộp báo cáo")[0][-400:]
