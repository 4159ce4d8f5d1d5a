"""Importing people from the Excel sheets agencies keep: all rows or none, errors by Excel row number."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from awards.core.audit import AuditEntry
from awards.units import imports, queries
from awards.units.models import Gender, Person
from tests import factories

# shuffled, one header without diacritics, one in capitals
HEADERS = ["Tuyến đầu", "Mã đơn vị", "Ho va ten", "Mã cá nhân", "Ngày sinh", "GIỚI TÍNH", "Dân tộc",
           "Chức vụ"]
GOOD_ROWS = [
    ["x", "BVDK", "Nguyễn Văn An", "CN001", datetime(1985, 5, 17), "Nam", "Kinh", "Bác sĩ"],
    ["", "BVDK", "Đào Thị Hạnh", "CN002", "08/03/1990", "Nữ", "Thái", "Điều dưỡng"],
    ["Không", "TTYT", "Lò Văn Páo", "CN003", None, "male", "", ""],
]


def workbook(headers, rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def units(db):
    so = factories.unit(code="SYT", name="Sở Y tế")
    factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=so)
    factories.unit(code="TTYT", name="Trung tâm Y tế huyện", parent=so)
    db.session.commit()


@pytest.fixture
def upload(client, csrf_token):
    def send(stream, filename="danh-sach.xlsx", dry_run=False):
        data = {"csrf_token": csrf_token("/people/import"), "file": (stream, filename)}
        if dry_run:
            data["dry_run"] = "y"
        return client.post("/people/import", data=data, content_type="multipart/form-data")

    return send


def people_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


def test_good_workbook_with_shuffled_columns_imports_every_row(client, db, login_as, units, upload):
    login_as("staff")
    response = upload(workbook(HEADERS, GOOD_ROWS))
    assert response.status_code == 302 and response.headers["Location"].endswith("/people")
    assert "Đã nhập 3 cá nhân." in client.get("/people").get_data(as_text=True)
    an, hanh, pao = (queries.person_by_code(code) for code in ("CN001", "CN002", "CN003"))
    assert (an.full_name, an.gender, an.birth_date.isoformat(), an.frontline, an.ethnic_minority) == (
        "Nguyễn Văn An", Gender.male, "1985-05-17", True, False)
    assert (hanh.gender, hanh.birth_date.isoformat(), hanh.ethnicity, hanh.ethnic_minority,
            hanh.frontline) == (Gender.female, "1990-03-08", "Thái", True, False)
    assert (pao.unit.code, pao.birth_date, pao.ethnicity) == ("TTYT", None, "Kinh")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.import")).one()
    assert entry.after == {"imported": 3}


def test_one_bad_row_stores_nothing_and_names_the_row(client, db, login_as, units, upload):
    login_as("staff")
    rows = [*GOOD_ROWS[:2], ["", "BV99", "Trần Thị Bình", "CN004", "", "Nữ", "Kinh", ""], GOOD_ROWS[2]]
    response = upload(workbook(HEADERS, rows))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Dòng 4" in body and "Không có đơn vị mã “BV99”." in body
    assert "chưa có cá nhân nào được lưu" in body
    assert people_count(db) == 0


def test_row_errors_are_collected_with_their_row_numbers(db, units, login_as):
    user = login_as("staff")
    factories.person(code="CN001", unit=queries.unit_by_code("BVDK"))
    db.session.commit()
    rows = [
        GOOD_ROWS[0],                                                     # row 2: code already stored
        ["", "BVDK", "Phạm Thị Lan", "CN010", "31/02/1990", "Nữ", "", ""],  # row 3: impossible date
        ["", "BVDK", "Vũ Văn Hùng", "CN011", "", "Nam", "", ""],           # row 4: fine
        ["", "BVDK", "Vũ Văn Hùng", "CN011", "", "Nam", "", ""],           # row 5: same code as row 4
        ["", "BVDK", "", "CN012", "", "Nữ", "", ""],                       # row 6: no name
        ["", "BVDK", "Hà Thị Thu", "CN013", "", "Không rõ", "", ""],       # row 7: gender
        ["có lẽ", "BVDK", "Hà Thị Thu", "CN014", "", "Nữ", "", ""],        # row 8: frontline
    ]
    result = imports.import_people(workbook(HEADERS, rows), dry_run=False, by=user)
    assert result.imported == 0
    assert [e["row"] for e in result.errors] == [2, 3, 5, 6, 7, 8]
    messages = " | ".join(e["message"] for e in result.errors)
    for text in ("Mã cá nhân “CN001” đã có trong hệ thống.", "Ngày sinh “31/02/1990” không hợp lệ",
                 "trùng với dòng 4", "Thiếu “Họ và tên”.", "Giới tính “Không rõ” không hợp lệ",
                 "Cột “Tuyến đầu”"):
        assert text in messages
    assert people_count(db) == 1


def test_missing_required_column_is_one_error_naming_it(db, units, login_as):
    user = login_as("staff")
    headers = [h for h in HEADERS if h != "Mã đơn vị"]
    rows = [[v for h, v in zip(HEADERS, row, strict=True) if h != "Mã đơn vị"] for row in GOOD_ROWS]
    result = imports.import_people(workbook(headers, rows), dry_run=False, by=user)
    assert result.errors == [{"row": 1, "message": "Thiếu cột “Mã đơn vị” ở dòng tiêu đề."}]


def test_a_text_file_renamed_xlsx_is_refused(client, db, login_as, units, upload):
    login_as("staff")
    text = "Mã cá nhân;Họ và tên\nCN001;Nguyễn Văn An\n".encode()
    response = upload(BytesIO(text), filename="danh-sach.xlsx")
    assert response.status_code == 400
    assert "Tệp không phải bảng tính hợp lệ: chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice Calc (.ods)." in \
        response.get_data(as_text=True)
    fake_zip = upload(BytesIO(b"PK\x03\x04" + b"\0" * 100), filename="hong.xlsx")
    assert fake_zip.status_code == 400 and "không phải bảng tính hợp lệ" in fake_zip.get_data(as_text=True)
    other = upload(BytesIO(b"a,b"), filename="danh-sach.csv")
    assert other.status_code == 400 and "Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice Calc (.ods)." in \
        other.get_data(as_text=True)


def test_dry_run_checks_but_stores_nothing(client, db, login_as, units, upload):
    login_as("staff")
    response = upload(workbook(HEADERS, GOOD_ROWS), dry_run=True)
    assert response.status_code == 200
    assert "Tệp hợp lệ: 3 cá nhân sẵn sàng để nhập." in response.get_data(as_text=True)
    assert people_count(db) == 0
    imports_logged = select(func.count(AuditEntry.id)).where(AuditEntry.action == "person.import")
    assert db.session.scalar(imports_logged) == 0


def test_unit_officer_may_import_only_into_their_scope(client, db, login_as, units, upload):
    login_as("unit_officer", unit=queries.unit_by_code("BVDK"))
    response = upload(workbook(HEADERS, GOOD_ROWS))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Dòng 4" in body and "Đơn vị “TTYT” nằm ngoài phạm vi bạn quản lý." in body
    assert people_count(db) == 0
    assert upload(workbook(HEADERS, GOOD_ROWS[:2])).status_code == 302
    assert people_count(db) == 2


def test_too_many_rows_is_refused_with_a_clear_message(db, units, login_as, monkeypatch):
    user = login_as("staff")
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    result = imports.import_people(workbook(HEADERS, GOOD_ROWS), dry_run=False, by=user)
    assert len(result.errors) == 1 and "Hãy chia thành nhiều tệp" in result.errors[0]["message"]
    assert people_count(db) == 0


def test_template_download_has_the_headers_and_imports_as_is(client, db, login_as, units, upload):
    login_as("staff")
    response = client.get("/people/import-template.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    sheet = load_workbook(BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Mã cá nhân", "Họ và tên", "Giới tính", "Ngày sinh"] and "Mã đơn vị" in header
    assert sheet["B2"].value == "Nguyễn Văn An"
    assert upload(BytesIO(response.data)).status_code == 302
    assert queries.person_by_code("CN0001").full_name == "Nguyễn Văn An"


def test_import_page_is_for_writers_only(client, db, login_as):
    login_as("council_member")
    assert client.get("/people/import").status_code == 403
    assert client.get("/people/import-template.xlsx").status_code == 403


def test_sheet_reading_accepts_the_forms_agencies_write(app):
    headers = ["Mã cá nhân", "Họ và tên", "Giới tính", "Ngày sinh", "Mã đơn vị", "Dân tộc",
               "Dân tộc thiểu số"]
    rows = [[1001, "Sùng A Chứ", "NAM", "1/2/1980", "BVDK", "Mông", ""],  # derived from the ethnicity
            [None, None, None, None, None, None, None],  # blank rows are skipped
            ["CN-2", " Nguyễn  Thị   Lan ", "nữ", "1991-12-30", "BVDK", "Kinh", "có"]]  # the column wins
    with app.test_request_context():
        parsed, errors = imports.read_people_sheet(workbook(headers, rows))
    assert errors == []
    first, second = parsed
    assert (first["row"], first["code"], first["gender"], first["birth_date"].isoformat(),
            first["ethnic_minority"]) == (2, "1001", "male", "1980-02-01", True)
    assert (second["row"], second["gender"], second["birth_date"].isoformat(), second["ethnic_minority"]) == (
        4, "female", "1991-12-30", True)
