"""The archive's search results as an Excel workbook."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from awards.archive import services
from awards.archive.queries import search_stmt
from awards.core.audit import AuditEntry
from awards.extensions import db as _db
from tests import factories

HEADER = ["Loại đối tượng", "Mã đối tượng", "Họ tên / Tên tập thể", "Đơn vị", "Danh hiệu / Hình thức", "Năm",
          "Loại khen thưởng", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành", "Số sổ vàng", "Nguồn",
          "Trạng thái"]


def award(subject_code, award_code="LDTT", year=2024, subject_type="person", **kw):
    values = dict(decision_number=f"{year}-{subject_code}/QĐ-SYT", decision_date=date(year + 1, 1, 15),
                  issuer="Sở Y tế", kind="regular")
    values.update(kw)
    return services.record_award(subject_type=subject_type, subject_code=subject_code, award_code=award_code,
                                 year=year, **values)


@pytest.fixture
def archive(db):
    bvdk = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    factories.person(code="CN001", full_name="Nguyễn Văn An", unit=bvdk)
    factories.person(code="CN002", full_name="Đào Thị Hạnh", unit=bvdk)
    award("CN001", gold_book_number="SV-7")
    award("CN001", year=2023, kind="adhoc")
    revoked = award("CN002", issuer="=HYPERLINK(\"http://x\")")
    award("BVDK", "TTLDTT", subject_type="unit")
    services.revoke_record(revoked, reason="Khai man", decision_number="9/QĐ-SYT", decision_date=date(2025, 6, 1),
                           by=None)
    db.session.commit()


def sheet_rows(response):
    sheet = load_workbook(BytesIO(response.data)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_export_matches_the_filtered_search(client, db, login_as, archive):
    login_as("council_member")
    response = client.get("/archive/export.xlsx?year=2024&sort=name")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    assert "luu-tru-khen-thuong.xlsx" in response.headers["Content-Disposition"]
    rows, sheet = sheet_rows(response)
    assert rows[0] == HEADER
    expected = [r.subject_code for r in _db.session.scalars(search_stmt(year=2024, sort="name"))]
    assert [row[1] for row in rows[1:]] == expected == ["BVDK", "CN002", "CN001"]
    unit, hanh, an = rows[1:]
    assert unit[:7] == ["Tập thể", "BVDK", "Bệnh viện Đa khoa tỉnh", "Bệnh viện Đa khoa tỉnh",
                        "Tập thể lao động tiên tiến", 2024, "Thường xuyên"]
    assert an == ["Cá nhân", "CN001", "Nguyễn Văn An", "Bệnh viện Đa khoa tỉnh", "Lao động tiên tiến", 2024,
                  "Thường xuyên", "2024-CN001/QĐ-SYT", datetime(2025, 1, 15), "Sở Y tế", "SV-7", "Nhập tay",
                  "Hiệu lực"]
    assert hanh[-1] == "Đã thu hồi"
    assert hanh[9].endswith('=HYPERLINK("http://x")') and sheet.cell(3, 10).data_type == "s"  # text, not a formula
    assert sheet.cell(4, 9).number_format == "dd/mm/yyyy"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "archive.export")).one()
    assert entry.after["year"] == 2024 and entry.after["count"] == 3 and entry.after["sort"] == "name"


def test_export_filters_by_subject_name_and_type(client, db, login_as, archive):
    login_as("staff")
    rows, _sheet = sheet_rows(client.get("/archive/export.xlsx?q=nguyen+van"))
    assert [(r[1], r[5]) for r in rows[1:]] == [("CN001", 2024), ("CN001", 2023)]
    assert rows[2][6] == "Đột xuất"
    rows, _sheet = sheet_rows(client.get("/archive/export.xlsx?subject_type=unit&year=abc"))
    assert [r[1] for r in rows[1:]] == ["BVDK"]
    rows, _sheet = sheet_rows(client.get("/archive/export.xlsx?subject_code=CN002"))
    assert [r[-1] for r in rows[1:]] == ["Đã thu hồi"]


def test_empty_export_still_has_the_header(client, db, login_as):
    login_as("unit_officer")
    rows, _sheet = sheet_rows(client.get("/archive/export.xlsx?award_code=CO_CP"))
    assert rows == [HEADER]


def test_export_needs_a_sign_in(client, db):
    response = client.get("/archive/export.xlsx")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
