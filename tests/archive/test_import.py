"""Importing award records from Excel: all rows or none, errors by Excel row, the background job and the API."""

import re
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from huey import MemoryHuey
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from awards.archive import imports, services
from awards.archive.models import AwardRecord, ImportJob
from awards.core import jobs
from awards.core.audit import AuditEntry
from awards.core.db import Invalid
from tests import factories

# shuffled, without diacritics or in capitals: matched folded
HEADERS = ["Nam", "so quyet dinh", "MÃ ĐỐI TƯỢNG", "Loai doi tuong", "Danh hieu", "Ngay quyet dinh",
           "Cơ quan ban hành", "Số sổ vàng", "Loại khen thưởng"]
GOOD_ROWS = [
    [2024, "12/QĐ-SYT", "CN001", "Cá nhân", "LDTT", datetime(2025, 1, 15), "Sở Y tế", "SV-01", "Thường xuyên"],
    [2024, "12/QĐ-SYT", "CN002", "ca nhan", "Lao động tiên tiến", "15/01/2025", "Sở Y tế", "", ""],
    [2023, "7/QĐ-UBND", "CN001", "person", "lao dong tien tien", "20/02/2024", "UBND tỉnh", None, "Đột xuất"],
    [2024, "30/QĐ-UBND", "BVDK", "Tập thể", "Tập thể lao động tiên tiến", date(2025, 3, 1), "UBND tỉnh", "",
     "chuyên đề"],
    [2024, "31/QĐ-UBND", "BVDK", "unit", "GIAY_KHEN", "01/03/2025", "UBND tỉnh", "", ""],
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
def subjects(db):
    so = factories.unit(code="SYT", name="Sở Y tế")
    bvdk = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=so)
    factories.person(code="CN001", full_name="Nguyễn Văn An", unit=bvdk)
    factories.person(code="CN002", full_name="Đào Thị Hạnh", unit=bvdk)
    db.session.commit()


def count(db) -> int:
    return db.session.scalar(select(func.count(AwardRecord.id)))


def run(stream, *, dry_run=False, **kw):
    return imports.import_records(stream, dry_run=dry_run, **kw)


def existing(db, **kw):
    values = dict(subject_type="person", subject_code="CN001", award_code="LDTT", year=2022,
                  decision_number="5/QĐ-SYT", decision_date=date(2023, 1, 10), issuer="Sở Y tế")
    values.update(kw)
    record = services.record_award(**values)
    db.session.commit()
    return record


# --- the import logic --------------------------------------------------------------------------------

def test_good_sheet_with_shuffled_columns_imports_every_row_into_the_chain(db, subjects, login_as):
    user = login_as("staff")
    existing(db)  # the chain already has a record: the import continues it
    result = run(workbook(HEADERS, GOOD_ROWS), by=user, filename="khen-thuong.xlsx")
    db.session.commit()
    assert (result.imported, result.errors, result.total) == (5, [], 5)
    assert services.verify_chain() == (6, None, "")
    records = db.session.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()[1:]
    first, second, third, unit_title, unit_commendation = records
    assert (first.subject_name, first.unit.code, first.award_code, first.year, first.decision_date,
            first.gold_book_number, first.kind, first.source, first.published) == (
        "Nguyễn Văn An", "BVDK", "LDTT", 2024, date(2025, 1, 15), "SV-01", "regular", "imported", True)
    assert (second.subject_name, second.award_code, second.decision_date) == ("Đào Thị Hạnh", "LDTT",
                                                                              date(2025, 1, 15))
    assert (third.award_code, third.year, third.kind, third.decision_date) == ("LDTT", 2023, "adhoc",
                                                                             date(2024, 2, 20))
    assert (unit_title.subject_type, unit_title.subject_name, unit_title.person_id, unit_title.award_code,
            unit_title.kind) == ("unit", "Bệnh viện Đa khoa tỉnh", None, "TTLDTT", "thematic")
    assert unit_commendation.award_code == "GIAY_KHEN"
    assert first.name_folded == "nguyen van an" and first.decision_folded == "12/qd-syt"
    assert first.created_by_id == user.id and first.prev_hash == db.session.get(AwardRecord, 1).hash
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "archive.import")).one()
    assert entry.after["count"] == 5 and entry.after["filename"] == "khen-thuong.xlsx"
    assert entry.after["sha256"] == result.sha256 and len(result.sha256) == 64


def test_one_bad_row_among_good_ones_stores_nothing(db, subjects):
    rows = [*GOOD_ROWS[:2], [2024, "12/QĐ-SYT", "CN999", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế", "", ""],
            *GOOD_ROWS[2:]]
    result = run(workbook(HEADERS, rows))
    db.session.rollback()
    assert result.imported == 0
    assert result.errors == [{"row": 4, "message": "Không có cá nhân mã “CN999”."}]
    assert count(db) == 0


def test_every_row_error_is_reported_with_its_excel_row(db, subjects):
    existing(db, year=2024, decision_number="1/QĐ-SYT", decision_date=date(2025, 1, 2))
    rows = [
        [2024, "12/QĐ-SYT", "CN002", "Cá nhân", "LDTT", "31/02/2024", "Sở Y tế", "", ""],       # 2 impossible date
        [2024, "12/QĐ-SYT", "DV404", "Tập thể", "TTLDTT", "15/01/2025", "Sở Y tế", "", ""],    # 3 unknown unit
        [2024, "12/QĐ-SYT", "CN002", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế", "", ""],      # 4 fine
        [2024, "13/QĐ-SYT", "CN002", "Cá nhân", "Lao động tiên tiến", "16/01/2025", "Sở Y tế", "", ""],  # 5 dup of 4
        [2024, "14/QĐ-SYT", "CN001", "Cá nhân", "LDTT", "16/01/2025", "Sở Y tế", "", ""],      # 6 already stored
        [2024, "15/QĐ-SYT", "CN002", "Cá nhân", "CSTDCS", "10/12/2023", "Sở Y tế", "", ""],    # 7 before the year
        [2024, "16/QĐ-SYT", "BVDK", "Tập thể", "LDTT", "15/01/2025", "Sở Y tế", "", ""],       # 8 not for units
        [2024, "17/QĐ-SYT", "CN002", "Cá nhân", "Huy chương vàng", "15/01/2025", "Sở Y tế", "", ""],  # 9 unknown
        [2024, "", "CN002", "Cá nhân", "GIAY_KHEN", "15/01/2025", "Sở Y tế", "", ""],          # 10 no number
        [1900, "18/QĐ-SYT", "CN002", "Cá nhân", "GIAY_KHEN", "15/01/2025", "Sở Y tế", "", ""],  # 11 year
        [2024, "19/QĐ-SYT", "CN002", "Nhóm", "GIAY_KHEN", "15/01/2025", "Sở Y tế", "", ""],     # 12 subject type
        [2024, "20/QĐ-SYT", "CN002", "Cá nhân", "GIAY_KHEN", "15/01/2025", "Sở Y tế", "", "Hằng năm"],  # 13 kind
        [2024, "21/QĐ-SYT", "CN002", "Cá nhân", "GIAY_KHEN", "15/01/2025", "Sở Y tế", "", ""],  # 14 fine
        [2024, "21/QĐ-SYT", "CN002", "Cá nhân", "Giấy khen", "15/01/2025", "Sở Y tế", "", ""],  # 15 same decision
        [2024, "22/QĐ-SYT", "CN002", "Cá nhân", "Giấy khen", "15/01/2025", "Sở Y tế", "", ""],  # 16 other: fine
        [2024, "23/QĐ-SYT", "CN002", "Cá nhân", "BK_TINH", "15/12/2030", "Sở Y tế", "", ""],    # 17 future
    ]
    result = run(workbook(HEADERS, rows))
    db.session.rollback()
    assert result.imported == 0 and count(db) == 1
    messages = {e["row"]: e["message"] for e in result.errors}
    assert sorted(messages) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17]
    assert messages[2] == "Ngày quyết định “31/02/2024” không hợp lệ (cần một ngày có thật, dạng dd/mm/yyyy)."
    assert messages[3] == "Không có đơn vị mã “DV404”."
    assert messages[5].startswith("Trùng với dòng 4: “Lao động tiên tiến” năm 2024")
    assert messages[6] == "Nguyễn Văn An đã có “Lao động tiên tiến” năm 2024 (quyết định 1/QĐ-SYT)."
    assert messages[7] == "Ngày quyết định (10/12/2023) không thể trước năm được khen (2024)."
    assert messages[8] == "“Lao động tiên tiến” không dành cho tập thể."
    assert messages[9] == "Không có danh hiệu, hình thức khen thưởng “Huy chương vàng”."
    assert messages[10] == "Thiếu “Số quyết định”."
    assert messages[11].startswith("Năm phải từ 1945 đến")
    assert "Loại đối tượng “Nhóm” không hợp lệ" in messages[12]
    assert "Loại khen thưởng “Hằng năm” không hợp lệ" in messages[13]
    assert messages[15].startswith("Trùng với dòng 14: “Giấy khen” năm 2024")
    assert messages[17] == "Ngày quyết định không được ở tương lai."


def test_revoked_records_do_not_count_as_duplicates(db, subjects):
    record = existing(db, year=2024, decision_number="1/QĐ-SYT", decision_date=date(2025, 1, 2))
    services.revoke_record(record, reason="Khai man thành tích", decision_number="9/QĐ-SYT",
                           decision_date=date(2025, 6, 1), by=None)
    db.session.commit()
    result = run(workbook(HEADERS, GOOD_ROWS[:1]))
    db.session.commit()
    assert (result.imported, result.errors) == (1, [])
    assert services.verify_chain() == (3, None, "")


def test_missing_or_wrong_header_is_one_error_naming_the_column(db, subjects):
    headers = [h if h != "Ngay quyet dinh" else "Ngày ký" for h in HEADERS]
    result = run(workbook(headers, GOOD_ROWS))
    assert result.errors == [{"row": 1, "message": "Thiếu cột “Ngày quyết định” ở dòng tiêu đề."}]
    headers = [h for h in HEADERS if h not in ("Nam", "Danh hieu")]
    result = run(workbook(headers, [row[1:4] + row[5:] for row in GOOD_ROWS]))
    assert result.errors == [{"row": 1, "message": "Thiếu cột “Danh hiệu”, “Năm” ở dòng tiêu đề."}]
    assert count(db) == 0


def test_empty_sheet_and_blank_rows(db, subjects):
    assert run(workbook(HEADERS, [])).errors == [
        {"row": 2, "message": "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."}]
    result = run(workbook(HEADERS, [GOOD_ROWS[0], [None] * 9, ["", " ", None], GOOD_ROWS[1]]))
    assert (result.imported, result.total, result.errors) == (2, 2, [])


def test_dry_run_checks_but_stores_nothing(db, subjects):
    result = run(workbook(HEADERS, GOOD_ROWS), dry_run=True)
    db.session.rollback()
    assert (result.imported, result.errors, result.dry_run) == (5, [], True)
    assert count(db) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "archive.import")) == 0


def test_a_text_file_renamed_xlsx_is_refused(db):
    with pytest.raises(Invalid, match="không phải bảng tính hợp lệ"):
        run(BytesIO("Mã đối tượng;Năm\nCN001;2024\n".encode()))
    with pytest.raises(Invalid):
        run(BytesIO(b"PK\x03\x04" + b"\0" * 64))


def test_errors_are_capped_with_a_count_of_the_rest(db, subjects, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ERRORS", 3)
    rows = [[2024, f"{n}/QĐ", f"X{n}", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế", "", ""] for n in range(7)]
    result = run(workbook(HEADERS, rows))
    assert [e["row"] for e in result.errors] == [2, 3, 4, None]
    assert result.errors[-1]["message"] == "… và 4 lỗi khác." and result.error_count == 7


def test_two_thousand_rows_cross_batches_in_file_order(db, subjects, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 300)
    monkeypatch.setattr(imports, "INSERT_CHUNK", 700)
    factories.person(code="CN003", full_name="Lò Văn Páo", unit=factories.unit(code="TTYT"))
    db.session.commit()
    rows = [[2024, f"{n}/QĐ-SYT", ("CN001", "CN002", "CN003")[n % 3], "Cá nhân", "Giấy khen", date(2025, 1, 2),
             "Sở Y tế", "", ""] for n in range(2000)]
    calls = []
    result = run(workbook(HEADERS, rows), progress=lambda phase, done, total: calls.append((phase, done, total)))
    db.session.commit()
    assert (result.imported, result.errors) == (2000, [])
    assert services.verify_chain() == (2000, None, "")
    numbers = db.session.scalars(select(AwardRecord.decision_number).order_by(AwardRecord.id)).all()
    assert numbers == [f"{n}/QĐ-SYT" for n in range(2000)]
    assert ("validate", 300, 2000) in calls and calls[-1] == ("write", 2000, 2000)
    assert [c[1] for c in calls if c[0] == "write"] == [0, 700, 1400, 2000]
    # the same file again: every row is now a duplicate of a stored record
    again = run(workbook(HEADERS, rows[:3]))
    assert [e["row"] for e in again.errors] == [2, 3, 4]


def test_unpublished_import_and_the_template_imports_as_is(db, subjects):
    data = imports.template_bytes("CN001", "BVDK")
    book = load_workbook(BytesIO(data))
    sheet, awards = book.worksheets
    assert [c.value for c in sheet[1]] == ["Loại đối tượng", "Mã đối tượng", "Danh hiệu", "Năm", "Số quyết định",
                                           "Ngày quyết định", "Cơ quan ban hành", "Số sổ vàng", "Loại khen thưởng",
                                           "Thành tích từ năm", "Thành tích đến năm"]
    assert sheet.max_row == 3 and sheet["F2"].number_format == "dd/mm/yyyy"
    assert [c.value for c in awards[2]][:2] == ["LDTT", "Lao động tiên tiến"]
    result = run(BytesIO(data), published=False)
    db.session.commit()
    assert (result.imported, result.errors) == (2, [])
    assert db.session.scalars(select(AwardRecord.published)).all() == [False, False]
    assert services.verify_chain() == (2, None, "")


# --- the pages ---------------------------------------------------------------------------------------

@pytest.fixture
def upload(client, csrf_token):
    def send(stream, filename="khen-thuong.xlsx", dry_run=False, published=True):
        data = {"csrf_token": csrf_token("/archive/import"), "file": (stream, filename)}
        if dry_run:
            data["dry_run"] = "y"
        if published:
            data["published"] = "y"
        return client.post("/archive/import", data=data, content_type="multipart/form-data")

    return send


@pytest.fixture
def inline():
    """The tests' setting already (BACKGROUND_JOBS=immediate): Huey runs the import in the request that uploads it."""


def test_import_page_shows_the_form_and_the_columns(client, db, login_as):
    login_as("staff")
    body = client.get("/archive/import").get_data(as_text=True)
    for text in ("Chỉ kiểm tra, chưa lưu", "Công bố trên trang tra cứu công khai", "Số quyết định",
                 "Ngày quyết định", "/archive/import-template.xlsx", "Chưa có lần nhập nào"):
        assert text in body
    assert re.search(r'<input[^>]*checked[^>]*id="published"', body)
    assert not re.search(r'<input[^>]*checked[^>]*id="dry_run"', body)


def test_page_flow_inline_imports_and_shows_the_result(client, db, login_as, subjects, upload, inline, app):
    login_as("admin")
    response = upload(workbook(HEADERS, GOOD_ROWS), published=False)
    assert response.status_code == 302
    job_url = response.headers["Location"]
    job = db.session.scalars(select(ImportJob)).one()
    assert job_url.endswith(f"/archive/import/{job.id}")
    assert (job.status, job.imported, job.total_rows, job.errors, job.published) == ("done", 5, 5, [], False)
    assert (imports.job_path(app.config["UPLOAD_DIR"], job.sha256)).exists()
    page = client.get(job_url).get_data(as_text=True)
    assert "Đã nhập 5 khen thưởng." in page and "khen-thuong.xlsx" in page
    status = client.get(f"{job_url}/status.json").get_json()
    assert (status["status"], status["imported"], status["errors"], status["error_count"]) == ("done", 5, [], 0)
    assert count(db) == 5 and services.verify_chain() == (5, None, "")
    assert "khen-thuong.xlsx" in client.get("/archive/import").get_data(as_text=True)


def test_page_flow_with_errors_shows_the_rows_and_stores_nothing(client, db, login_as, subjects, upload, inline):
    login_as("staff")
    rows = [*GOOD_ROWS[:2], [2024, "1/QĐ", "CN001", "Cá nhân", "LDTT", "31/02/2024", "Sở Y tế", "", ""]]
    response = upload(workbook(HEADERS, rows))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không có bản ghi nào được lưu" in page and "Dòng 4" in page and "31/02/2024" in page
    status = client.get(response.headers["Location"] + "/status.json").get_json()
    assert status["error_count"] == 1 and status["errors"][0]["row"] == 4
    assert count(db) == 0


def test_dry_run_page_says_what_would_be_imported(client, db, login_as, subjects, upload, inline):
    login_as("staff")
    response = upload(workbook(HEADERS, GOOD_ROWS), dry_run=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tệp hợp lệ: 5 khen thưởng sẵn sàng để nhập." in page
    assert count(db) == 0


def test_a_text_file_renamed_xlsx_is_a_400_page(client, db, login_as, upload):
    login_as("staff")
    response = upload(BytesIO(b"khong phai excel"), filename="khen-thuong.xlsx")
    assert response.status_code == 400
    assert "Tệp không phải bảng tính hợp lệ: chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice Calc (.ods)." in \
        response.get_data(as_text=True)
    assert upload(BytesIO(b"a,b"), filename="khen-thuong.csv").status_code == 400
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0


def test_a_queued_import_shows_its_progress_then_runs_in_a_process_of_its_own(client, db, login_as, subjects, upload,
                                                                            app, monkeypatch):
    queue = jobs.Queue(app, huey=MemoryHuey("awards-test", results=False))  # queued, run when the test says
    monkeypatch.setitem(app.extensions, "jobs", queue)
    login_as("staff")
    response = upload(workbook(HEADERS, GOOD_ROWS))
    job_url = response.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert [task.args for task in queue.huey.pending()] == [("archive_import", job_id)]
    waiting = client.get(job_url).get_data(as_text=True)
    assert 'role="progressbar"' in waiting and "import-progress.js" in waiting and "Tải lại" in waiting
    assert client.get(f"{job_url}/status.json").get_json()["status"] == "queued"
    assert jobs.run_pending(app) == 1  # as a consumer's worker: Huey's dequeue and execute, the job in a child
    status = client.get(f"{job_url}/status.json").get_json()
    assert (status["status"], status["imported"], status["errors"]) == ("done", 5, [])
    assert "Đã nhập 5 khen thưởng." in client.get(job_url).get_data(as_text=True)
    assert count(db) == 5 and services.verify_chain() == (5, None, "")


def test_template_download(client, db, login_as, subjects):
    login_as("staff")
    response = client.get("/archive/import-template.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet["A1"].value == "Loại đối tượng" and sheet["B2"].value == "CN001"


@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_only_managers_import(client, db, login_as, csrf_token, role):
    login_as(role)
    job = ImportJob(status="done")
    db.session.add(job)
    db.session.commit()
    for path in ("/archive/import", "/archive/import-template.xlsx", f"/archive/import/{job.id}",
                 f"/archive/import/{job.id}/status.json"):
        assert client.get(path).status_code == 403, path
    data = {"csrf_token": csrf_token("/account"), "file": (workbook(HEADERS, GOOD_ROWS), "k.xlsx")}
    assert client.post("/archive/import", data=data, content_type="multipart/form-data").status_code == 403
    assert db.session.scalar(select(func.count(ImportJob.id))) == 1


def test_unknown_job_is_404(client, db, login_as):
    login_as("staff")
    assert client.get("/archive/import/999").status_code == 404
    assert client.get("/archive/import/999/status.json").status_code == 404


# --- the API -------------------------------------------------------------------------------------

def post_file(client_, stream, filename="khen-thuong.xlsx", **form):
    return client_.post("/api/v1/archive/imports", data={"file": (stream, filename), **form},
                        content_type="multipart/form-data")


def test_api_import_success_and_dry_run(api, db, subjects):
    staff = api.as_("staff")
    dry = post_file(staff, workbook(HEADERS, GOOD_ROWS), dry_run="1")
    assert dry.status_code == 200 and dry.get_json() == {"imported": 5, "errors": [], "dry_run": True}
    assert count(db) == 0
    response = post_file(staff, workbook(HEADERS, GOOD_ROWS), published="0")
    assert response.status_code == 200 and response.get_json() == {"imported": 5, "errors": []}
    assert count(db) == 5 and services.verify_chain() == (5, None, "")
    assert db.session.scalars(select(AwardRecord.published).distinct()).all() == [False]


def test_api_import_with_row_errors(api, db, subjects):
    rows = [GOOD_ROWS[0], [2024, "1/QĐ", "CN404", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế", "", ""]]
    response = post_file(api.as_("admin"), workbook(HEADERS, rows))
    assert response.status_code == 400
    body = response.get_json()
    assert body["imported"] == 0 and body["errors"] == [{"row": 3, "message": "Không có cá nhân mã “CN404”."}]
    assert body["error"]["code"] == "import_errors" and body["error"]["fields"] == {}
    assert "không có bản ghi nào được lưu" in body["error"]["message"]
    assert count(db) == 0


def test_api_refuses_missing_file_and_non_xlsx(api, db):
    staff = api.as_("staff")
    missing = staff.post("/api/v1/archive/imports", data={"dry_run": "1"}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "file" in missing.get_json()["error"]["fields"]
    text = post_file(staff, BytesIO(b"Ma doi tuong;Nam\n"), "khen-thuong.xlsx")
    assert text.status_code == 415
    assert text.get_json()["error"]["code"] == "unsupported_media_type"
    assert "không phải bảng tính hợp lệ" in text.get_json()["error"]["message"]


def test_api_roles_template_and_openapi(api, client, db):
    assert post_file(api.as_("unit_officer"), workbook(HEADERS, GOOD_ROWS)).status_code == 403
    assert post_file(api.as_("council_member"), workbook(HEADERS, GOOD_ROWS)).status_code == 403
    assert post_file(api, workbook(HEADERS, GOOD_ROWS)).status_code == 401
    assert api.get("/api/v1/archive/import-template.xlsx").status_code == 401
    template = api.as_("council_member").get("/api/v1/archive/import-template.xlsx")
    assert template.status_code == 200 and template.data.startswith(b"PK\x03\x04")
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    operation = paths["/api/v1/archive/imports"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"400", "401", "403", "413", "415"} <= set(operation["responses"])
    assert "get" in paths["/api/v1/archive/import-template.xlsx"]


def test_a_running_job_renders_its_progress_server_side(app, client, db, login_as, monkeypatch):
    from awards.archive import import_jobs

    login_as("staff")
    job = ImportJob(status="running", filename="lon.xlsx")
    db.session.add(job)
    db.session.commit()
    monkeypatch.setitem(app.extensions, "jobs", jobs.Queue(app, huey=MemoryHuey("awards-test", results=False)))
    import_jobs.set_progress(job.id, status="running", phase="write", done=50_000, total=100_000)
    page = client.get(f"/archive/import/{job.id}").get_data(as_text=True)
    assert 'role="progressbar"' in page and 'aria-valuenow="85"' in page and "progress-w-85" in page
    assert "Đang ghi vào kho lưu trữ: 50.000 / 100.000 dòng" in page
    assert f'data-import-status="/archive/import/{job.id}/status.json"' in page and ">Tải lại<" in page
    assert "<script>" not in page
    status = client.get(f"/archive/import/{job.id}/status.json").get_json()
    assert (status["status"], status["phase"], status["done"], status["total"], status["percent"]) == (
        "running", "write", 50_000, 100_000, 85)


def test_a_record_stored_while_the_file_is_checked_is_caught_before_writing(db, subjects):
    def meanwhile(phase, done, total):
        if phase == "validate" and not count(db):  # another user records the same award in the meantime
            services.record_award(subject_type="person", subject_code="CN002", award_code="LDTT", year=2024,
                                  decision_number="99/QĐ-SYT", decision_date=date(2025, 1, 20), issuer="Sở Y tế")

    result = run(workbook(HEADERS, GOOD_ROWS), progress=meanwhile)
    assert result.imported == 0
    assert result.errors == [{"row": 3, "message": "Đào Thị Hạnh đã có “Lao động tiên tiến” năm 2024 "
                                                   "(quyết định 99/QĐ-SYT)."}]


def test_other_writers_may_commit_while_the_file_is_checked(db, subjects):
    def someone_else_writes(phase, done, total):
        if phase == "validate":
            with db.engine.begin() as other:  # a second connection, as another request would be
                other.execute(AuditEntry.__table__.insert().values(action="user.login", at=datetime.now(UTC)))

    result = run(workbook(HEADERS, GOOD_ROWS), progress=someone_else_writes)
    db.session.commit()
    assert (result.imported, result.errors) == (5, [])
    assert services.verify_chain() == (5, None, "")
