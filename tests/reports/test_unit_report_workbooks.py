"""Units report upward with their workbooks (issue 18): a submitted report keeps the workbook of the unit's subtree
(the same writer as the Sở's report), unchanged by later data; the Sở sets each period's deadline and "late"
follows it; the Sở's consolidated report to the province is built from the submitted units and its own offices.

The archive of tests/reports/conftest.py (Sở → Bệnh viện A → Trạm Y tế xã: 6 live awards for 2025), plus
Bệnh viện B (one LĐTT for 2025) and the Sở's own Văn phòng (one Giấy khen for 2025)."""

import hashlib
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards.archive import services as archive
from awards.core import clock, uploads
from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from awards.extensions import db as _db
from awards.reports import queries, services, unit_workbooks, workbook
from awards.reports.models import UnitReport
from tests import factories
from tests.web import text_of, token_of, web

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NARRATIVE = "Phong trào thi đua sôi nổi; khen thưởng đúng người, đúng thành tích."


@pytest.fixture
def units(province, db, at):
    at(datetime(2025, 12, 1, 9, 0, tzinfo=clock.VIETNAM))  # the annual report's default deadline: 15/12/2025
    so, bva, tram = province
    bva.decides_awards = True
    bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=so)
    bvb.decides_awards = True
    office = factories.unit(code="VP", name="Văn phòng Sở", parent=so)
    factories.person(code="E", unit=bvb)
    factories.person(code="F", unit=office)
    for code, award, number in (("E", "LDTT", "B1/QĐ"), ("F", "GIAY_KHEN", "S1/QĐ")):
        archive.record_award(subject_type="person", subject_code=code, award_code=award, year=2025,
                             decision_number=number, decision_date=date(2026, 1, 15), issuer="Sở Y tế")
    db.session.commit()
    return so, bva, bvb, office


def book_of(data: bytes):
    return load_workbook(BytesIO(data), data_only=True)


def header(sheet) -> tuple:
    return next(sheet.iter_rows(max_row=1, values_only=True))


def table(sheet) -> list[tuple]:
    """The data rows below the header, down to the first empty row."""
    result = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in row):
            break
        result.append(row)
    return result


def by_award(book) -> dict[str, int]:
    return {row[1]: row[6] for row in table(book["Theo danh hiệu"]) if row[1]}


def unit_codes(book) -> list[str]:
    return [row[1] for row in table(book["Theo đơn vị"]) if row[1]]


def total(book) -> int:
    return next(row[6] for row in table(book["Theo danh hiệu"]) if row[2] == "Tổng cộng")


def put(app, user_api, path, body):
    return app.test_client().put(path, json=body, headers={"Authorization": f"Bearer {user_api.token}"})


def submit(api_user, unit_code="BVA", half=0, narrative=NARRATIVE):
    response = api_user.post("/api/v1/reports/unit-reports", json={"unit_code": unit_code, "year": 2025,
                                                                   "half": half, "narrative": narrative})
    assert response.status_code == 201, response.json
    return response.json


def stored(unit, half=0) -> bytes:
    report = queries.report_for(unit, 2025, half)
    return uploads.path_for(report.workbook_sha256).read_bytes()


# --- 1. the workbook of a unit's scope, kept with its report ---------------------------------------------------

def test_a_submitted_report_keeps_the_workbook_of_its_subtree_only(units, api):
    so, bva, bvb, office = units
    line = submit(api.as_("staff", unit=bva))
    report = queries.report_for(bva, 2025, 0)
    data = stored(bva)
    assert hashlib.sha256(data).hexdigest() == report.workbook_sha256 == line["workbook_sha256"]
    assert report.workbook.sha256 == report.workbook_sha256 and report.awards_reported == 6
    assert line["awards_reported"] == 6

    book = book_of(data)
    assert book.sheetnames == list(workbook.SHEETS)  # the Sở's workbook, the same writer
    cover = book["Tổng hợp"]
    assert cover["A1"].value == "BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM 2025"
    assert cover["A4"].value == "Phạm vi: Bệnh viện A và các đơn vị trực thuộc"
    assert (cover["A6"].value, cover["B6"].value) == ("Tổng số lượt khen thưởng", 6)
    assert header(book["Theo đơn vị"]) == workbook.HEADERS["units"]
    assert header(book["Danh sách"]) == workbook.HEADERS["list"]
    counts = by_award(book)
    assert (counts["LDTT"], counts["CSTDCS"], counts["TTLDTT"], counts["GIAY_KHEN"]) == (4, 1, 1, 0)
    assert total(book) == 6  # not B's LĐTT, not the Văn phòng's Giấy khen
    assert [(row[1], row[3], row[5], row[6]) for row in table(book["Theo đơn vị"])] == [
        ("BVA", 1, 3, 6), ("TYT", 2, 3, 3), (None, None, 6, 6)]  # own, with the units below; the total row
    listed = table(book["Danh sách"])
    assert len(listed) == 6 and {row[2] for row in listed} == {"Bệnh viện A", "Trạm Y tế xã Hòa An"}


def test_the_six_monthly_workbook_counts_the_decisions_of_that_half(units, api):
    so, bva, bvb, office = units
    submit(api.as_("staff", unit=bva), half=1)
    book = book_of(stored(bva, half=1))
    assert book["Tổng hợp"]["A1"].value == "BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG 6 THÁNG ĐẦU NĂM 2025"
    assert total(book) == 1  # the 2024 LĐTT decided on 05/05/2025


def test_a_submitted_workbook_does_not_change_with_later_data(units, api, app):
    so, bva, bvb, office = units
    desk = api.as_("staff", unit=bva)
    first = submit(desk)
    archive.record_award(subject_type="person", subject_code="B", award_code="CSTDCS", year=2025,
                         decision_number="9/QĐ", decision_date=date(2026, 1, 20), issuer="Bệnh viện A")
    _db.session.commit()

    page = web(app, desk.user).get("/reports/unit-report/workbook?year=2025&half=0")
    assert page.status_code == 200 and page.mimetype == XLSX
    assert hashlib.sha256(page.data).hexdigest() == first["workbook_sha256"] and total(book_of(page.data)) == 6
    line = desk.get("/api/v1/reports/unit-reports?year=2025").json["units"][0]
    assert (line["awards_total"], line["awards_reported"]) == (7, 6)
    html = text_of(web(app, desk.user).get("/reports/unit-report?year=2025&half=0"))
    assert "data-total>7<" in html and "6 lượt khen thưởng lúc nộp" in html and first["workbook_sha256"] in html

    again = submit(desk, narrative="Bản thay thế, có thêm một Chiến sĩ thi đua cơ sở.")
    assert again["awards_reported"] == 7 and again["workbook_sha256"] != first["workbook_sha256"]
    assert total(book_of(stored(bva))) == 7
    entry = _db.session.query(AuditEntry).filter_by(action="unit_report.submitted").order_by(AuditEntry.id.desc())[0]
    assert entry.after["replaced"]["workbook_sha256"] == first["workbook_sha256"]
    assert entry.after["workbook_sha256"] == again["workbook_sha256"]


def test_who_downloads_a_units_workbook_through_the_pages_and_the_api(units, api, app):
    so, bva, bvb, office = units
    own, other = api.as_("staff", unit=bva), api.as_("staff", unit=bvb)
    so_desk, officer = api.as_("staff"), api.as_("unit_officer", unit=bva)
    sha = submit(own)["workbook_sha256"]
    path = "/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025&half=0"
    page = "/reports/unit-report/workbook?unit=BVA&year=2025&half=0"

    for allowed in (own, so_desk):
        response = allowed.get(path)
        assert response.status_code == 200 and hashlib.sha256(response.data).hexdigest() == sha
        assert web(app, allowed.user).get(page).status_code == 200
    refused = other.get(path)
    assert refused.status_code == 403 and "Bệnh viện A" in refused.json["error"]["message"]
    assert web(app, other.user).get(page).status_code == 403
    assert officer.get(path).status_code == 403 and web(app, officer.user).get(page).status_code == 403

    missing = so_desk.get("/api/v1/reports/unit-reports/BVB/workbook.xlsx?year=2025")
    assert missing.status_code == 404 and "Bệnh viện B chưa nộp báo cáo năm 2025" in missing.json["error"]["message"]
    assert so_desk.get("/api/v1/reports/unit-reports/KHONG/workbook.xlsx?year=2025").status_code == 404
    assert so_desk.get("/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025&half=3").status_code == 400

    # the Sở's table links each submitted unit's workbook
    table_html = text_of(web(app, so_desk.user).get("/reports/unit-reports?year=2025&half=0"))
    assert "/reports/unit-report/workbook?unit=BVA&amp;year=2025&amp;half=0" in table_html
    assert "unit=BVB&amp;year=2025&amp;half=0\">Tải Excel" not in table_html


def test_a_stored_workbook_that_no_longer_matches_its_sha256_is_refused(units, api, app):
    so, bva, bvb, office = units
    desk = api.as_("staff", unit=bva)
    sha = submit(desk)["workbook_sha256"]
    target = uploads.path_for(sha)
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"x")
        refused = desk.get("/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025")
        assert refused.status_code == 409 and "SHA-256" in refused.json["error"]["message"]
        page = web(app, desk.user).get("/reports/unit-report/workbook?year=2025&half=0")
        assert page.status_code == 409 and "không còn khớp mã SHA-256" in text_of(page)
    finally:
        target.write_bytes(original)


# --- 2. deadlines the Sở sets ----------------------------------------------------------------------------------

def test_the_so_sets_a_deadline_and_late_follows_it(units, api, app):
    so, bva, bvb, office = units
    desk, admin = api.as_("staff", unit=bva), api.as_("admin")
    assert admin.get("/api/v1/reports/unit-report-deadlines?year=2025").json["deadlines"] == [
        {"year": 2025, "half": 1, "deadline": "2025-07-15", "is_default": True},
        {"year": 2025, "half": 2, "deadline": "2026-01-15", "is_default": True},
        {"year": 2025, "half": 0, "deadline": "2025-12-15", "is_default": True}]
    assert submit(desk)["late"] is False  # 01/12/2025, before the default 15/12/2025
    assert queries.current_period(date(2025, 12, 1)) == (2025, 0)

    earlier = put(app, admin, "/api/v1/reports/unit-report-deadlines",
                  {"year": 2025, "half": 0, "deadline": "2025-11-30"})
    assert earlier.status_code == 200 and earlier.json == {"year": 2025, "half": 0, "deadline": "2025-11-30",
                                                           "is_default": False}
    overview = admin.get("/api/v1/reports/unit-reports?year=2025").json
    assert overview["deadline"] == "2025-11-30" and overview["late"] == 2  # A submitted after it, B not at all
    refused = desk.post("/api/v1/reports/unit-reports", json={"unit_code": "BVA", "year": 2025, "narrative": "Mới"})
    assert refused.status_code == 409 and "quá hạn nộp (30/11/2025)" in refused.json["error"]["message"]
    assert queries.current_period(date(2025, 12, 1)) == (2025, 2)  # the annual report is no longer the next due
    html = text_of(web(app, desk.user).get("/reports/unit-report?year=2025&half=0"))
    assert "Hạn nộp: 30/11/2025" in html and "(do Sở ấn định)" in html and "Quá hạn" in html

    later = put(app, admin, "/api/v1/reports/unit-report-deadlines",
                {"year": 2025, "half": 0, "deadline": "2025-12-20"})
    assert later.status_code == 200
    assert submit(desk, narrative="Bản thay thế trong hạn mới.")["late"] is False
    entries = _db.session.query(AuditEntry).filter_by(action="unit_report.deadline_set").order_by(AuditEntry.id).all()
    assert [(e.before["due_on"], e.after["due_on"]) for e in entries] == [
        ("2025-12-15", "2025-11-30"), ("2025-11-30", "2025-12-20")]


def test_the_deadline_form_on_the_so_s_table(units, app):
    so, bva, bvb, office = units
    desk = factories.user("staff")
    _db.session.commit()
    client = web(app, desk)
    page = "/reports/unit-reports?year=2025&half=0"
    html = text_of(client.get(page))
    assert "Hạn nộp mặc định: Sở chưa ấn định hạn cho kỳ này." in html and 'value="15/12/2025"' in html
    post = "/reports/unit-reports/deadline?year=2025&half=0"

    bad = client.post(post, data={"deadline": "31/02/2025", "csrf_token": token_of(client, page)})
    assert bad.status_code == 400 and "Ngày không hợp lệ." in text_of(bad)
    far = client.post(post, data={"deadline": "01/01/2030", "csrf_token": token_of(client, page)})
    assert far.status_code == 400 and "Hạn nộp báo cáo năm 2025 phải từ 01/01/2025 đến 31/12/2026." in text_of(far)
    assert client.post(post, data={"deadline": "30/11/2025"}).status_code == 400  # no CSRF token
    assert queries.deadline_for(2025, 0) == date(2025, 12, 15)

    done = client.post(post, data={"deadline": "30/11/2025", "csrf_token": token_of(client, page)},
                       follow_redirects=True)
    html = text_of(done)
    assert "Đã đặt hạn nộp báo cáo năm 2025: 30/11/2025." in html and "Hạn nộp: 30/11/2025" in html
    assert "Hạn nộp do Sở ấn định." in html and "Quá hạn: 2" in html


def test_only_the_admin_or_the_so_s_desk_sets_deadlines(units, api, app):
    so, bva, bvb, office = units
    body = {"year": 2025, "half": 1, "deadline": "2025-07-31"}
    hospital_desk, officer = api.as_("staff", unit=bva), api.as_("unit_officer", unit=bva)
    for refused in (hospital_desk, officer):
        assert put(app, refused, "/api/v1/reports/unit-report-deadlines", body).status_code == 403
    client = web(app, hospital_desk.user)
    token = token_of(client, "/reports/unit-report?year=2025&half=1")
    assert client.post("/reports/unit-reports/deadline?year=2025&half=1",
                       data={"deadline": "31/07/2025", "csrf_token": token}).status_code == 403
    with pytest.raises(DomainError) as refusal:
        services.set_report_deadline(2025, 1, date(2025, 7, 31), by=hospital_desk.user)
    assert refusal.value.status == 403 and "đặt hạn nộp báo cáo" in refusal.value.message
    assert queries.deadline_for(2025, 1) == date(2025, 7, 15)

    bad = put(app, api.as_("staff"), "/api/v1/reports/unit-report-deadlines", {**body, "deadline": "2024-12-31"})
    assert bad.status_code == 400 and "phải từ 01/01/2025 đến 30/06/2026" in bad.json["error"]["message"]
    assert put(app, api.as_("staff"), "/api/v1/reports/unit-report-deadlines", {**body, "half": 3}).status_code == 400
    assert put(app, api.as_("staff"), "/api/v1/reports/unit-report-deadlines", body).status_code == 200
    assert queries.deadline_for(2025, 1) == date(2025, 7, 31)


# --- 3. the Sở's consolidated report ---------------------------------------------------------------------------

def test_the_so_s_report_combines_the_submitted_units_and_its_own_offices(units, api, app, at):
    so, bva, bvb, office = units
    submit(api.as_("staff", unit=bva))
    at(datetime(2025, 12, 16, 8, 0, tzinfo=clock.VIETNAM))  # past the deadline: B is late
    so_desk = api.as_("staff")
    response = web(app, so_desk.user).get("/reports/unit-reports/combined.xlsx?year=2025&half=0")
    assert response.status_code == 200 and response.mimetype == XLSX
    book = book_of(response.data)
    assert book.sheetnames == ["Tổng hợp", "Báo cáo các đơn vị", *workbook.SHEETS[1:]]
    assert book["Tổng hợp"]["A4"].value == ("Phạm vi: Sở Y tế: các đơn vị trực tiếp quản lý và 1/2 đơn vị đã nộp "
                                            "báo cáo (kể cả các đơn vị trực thuộc)")
    sheet = book["Báo cáo các đơn vị"]
    assert header(sheet) == unit_workbooks.STATUS_HEADERS
    report = queries.report_for(bva, 2025, 0)
    lines = {row[1]: row for row in table(sheet)}
    assert lines["BVA"][2:5] == ("Bệnh viện A", "Đã nộp", "Không") and lines["BVA"][8:11] == (6, 6,
                                                                                             report.workbook_sha256)
    assert lines["BVA"][11] == NARRATIVE and lines["BVA"][6].date() == date(2025, 12, 1)
    assert lines["BVB"][2:5] == ("Bệnh viện B", "Chưa nộp", "Quá hạn") and lines["BVB"][8:10] == (None, 1)
    assert lines["BVB"][11] is None
    counts = by_award(book)
    assert (counts["LDTT"], counts["GIAY_KHEN"], total(book)) == (4, 1, 7)  # A's 6 and the Văn phòng's 1, not B's
    assert unit_codes(book) == ["SYT", "BVA", "TYT", "VP"]
    assert {row[2] for row in table(book["Danh sách"])} == {"Bệnh viện A", "Trạm Y tế xã Hòa An", "Văn phòng Sở"}

    submit(api.as_("staff", unit=bvb), unit_code="BVB", narrative="Bệnh viện B nộp muộn.")
    book = book_of(so_desk.get("/api/v1/reports/unit-reports/combined.xlsx?year=2025&half=0").data)
    lines = {row[1]: row for row in table(book["Báo cáo các đơn vị"])}
    assert lines["BVB"][3:5] == ("Đã nộp", "Quá hạn") and lines["BVB"][11] == "Bệnh viện B nộp muộn."
    assert total(book) == 8 and unit_codes(book) == ["SYT", "BVA", "TYT", "BVB", "VP"]
    assert book["Báo cáo các đơn vị"]["C5"].value == "Đã nộp: 2/2 đơn vị · Quá hạn: 1"


def test_only_the_so_builds_the_consolidated_report(units, api, app):
    so, bva, bvb, office = units
    hospital_desk = api.as_("staff", unit=bva)
    refused = hospital_desk.get("/api/v1/reports/unit-reports/combined.xlsx?year=2025")
    assert refused.status_code == 403 and "báo cáo tổng hợp" in refused.json["error"]["message"]
    assert web(app, hospital_desk.user).get("/reports/unit-reports/combined.xlsx?year=2025").status_code == 403
    assert api.as_("unit_officer", unit=bva).get("/api/v1/reports/unit-reports/combined.xlsx?year=2025").status_code \
        == 403
    assert api.as_("admin").get("/api/v1/reports/unit-reports/combined.xlsx?year=2025&half=1").status_code == 200
    html = text_of(web(app, api.as_("staff").user).get("/reports/unit-reports?year=2025&half=0"))
    assert "Tải báo cáo tổng hợp gửi UBND tỉnh (Excel)" in html
    assert "/reports/unit-reports/combined.xlsx?year=2025&amp;half=0" in html


def test_a_report_without_a_workbook_says_so(units, api):
    """A report submitted before the workbooks were kept (no workbook row) is readable, its workbook 404s."""
    so, bva, bvb, office = units
    submit(api.as_("staff", unit=bva))
    report = _db.session.query(UnitReport).one()
    report.workbook_id, report.workbook_sha256 = None, None
    _db.session.commit()
    missing = api.as_("staff").get("/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025")
    assert missing.status_code == 404 and "nộp trước khi hệ thống lưu kèm bảng số liệu" in \
        missing.json["error"]["message"]


def test_the_so_s_desk_bound_to_the_so_itself_reads_every_report_and_sets_the_deadlines(units, api, app):
    """The demo's Sở secretariat is bound to the Sở (the top unit): the units' reports come to it, as to a desk
    with no unit; a hospital's desk still reads only its own."""
    so, bva, bvb, office = units
    submit(api.as_("staff", unit=bva))
    so_desk = api.as_("staff", unit=so)
    listed = so_desk.get("/api/v1/reports/unit-reports?year=2025&half=0")
    assert listed.status_code == 200 and {"BVA", "BVB"} <= {line["unit_code"] for line in listed.json["units"]}
    assert so_desk.get("/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025&half=0").status_code == 200
    assert so_desk.get("/api/v1/reports/unit-reports/combined.xlsx?year=2025").status_code == 200
    body = {"year": 2025, "half": 1, "deadline": "2025-07-31"}
    assert put(app, so_desk, "/api/v1/reports/unit-report-deadlines", body).status_code == 200
    page = text_of(web(app, so_desk.user).get("/reports/unit-reports?year=2025&half=0"))
    assert "Bệnh viện B" in page and "Tải báo cáo tổng hợp gửi UBND tỉnh (Excel)" in page
    hospital_b = api.as_("staff", unit=bvb)
    assert hospital_b.get("/api/v1/reports/unit-reports/BVA/workbook.xlsx?year=2025&half=0").status_code == 403
