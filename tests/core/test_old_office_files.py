"""Old and open Office files: imports read .xls and .ods as well as .xlsx through one reader (python-calamine);
attachments of kind .doc, .xls, .odt, .ods are accepted by content (the `filetype` detector), and a file whose
content is something else is refused whatever its name."""

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from awards.core import uploads
from awards.core.db import DomainError
from awards.core.xlsx import open_workbook, workbook_bytes
from awards.units.imports import read_people_sheet
from tests import factories

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"  # how they were made: tests/fixtures/README.md
HEADER = ["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị", "Ngày sinh"]
ROWS = [["CN001", "Nguyễn Văn An", "Nam", "BVA", date(1985, 5, 17)],
        ["CN002", "Đào Thị Hạnh", "Nữ", "BVA", "01/02/1990"]]


def _cell(value) -> str:
    if isinstance(value, date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def open_document(mimetype: str, body: str) -> bytes:
    """A real OpenDocument file, as LibreOffice writes one: `mimetype` stored first, then content.xml."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body>{body}</office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods(rows) -> bytes:
    table = "".join("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>" for row in rows)
    return open_document("application/vnd.oasis.opendocument.spreadsheet",
                         f'<office:spreadsheet><table:table table:name="Nhân sự">{table}</table:table>'
                         "</office:spreadsheet>")


def odt(text: str) -> bytes:
    return open_document("application/vnd.oasis.opendocument.text",
                         f"<office:text><text:p>{text}</text:p></office:text>")


def xlsx(rows) -> bytes:
    return workbook_bytes({"Nhân sự": (rows[0], rows[1:])})


def xls() -> bytes:
    return (FIXTURES / "nhan-su.xls").read_bytes()


def as_read(rows):
    """What the reader gives for ROWS: a date cell as a date (datetime from .xlsx), text as typed."""
    return [tuple(v.date() if isinstance(v, datetime) else v for v in row) for row in rows]


@pytest.mark.parametrize("make, kind", [(lambda: xlsx([HEADER, *ROWS]), "xlsx"), (xls, "xls"),
                                        (lambda: ods([HEADER, *ROWS]), "ods")])
def test_one_reader_for_xlsx_xls_and_ods(make, kind):
    data = make()
    assert uploads.detect(data) == kind
    book = open_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert book.sheet_names == ["Nhân sự"]
    assert sheet.max_row == 3
    assert as_read(sheet.iter_rows(values_only=True)) == [tuple(HEADER), *map(tuple, ROWS)]
    assert as_read(sheet.iter_rows(min_row=2, max_row=2, values_only=True)) == [tuple(ROWS[0])]
    book.close()


def test_a_sheet_that_starts_further_in_keeps_its_columns():
    book = open_workbook(io.BytesIO(ods([["", "", ""], ["", "B2", ""], ["", "", 7]])))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == "B2" and rows[2][2] == "7" and rows[0][0] is None


@pytest.mark.parametrize("make", [lambda: xlsx([HEADER, *ROWS]), xls, lambda: ods([HEADER, *ROWS])])
def test_the_people_import_reads_each_format_alike(db, make):
    factories.unit(code="BVA", name="Bệnh viện A")
    rows, errors = read_people_sheet(io.BytesIO(make()))
    assert errors == []
    assert [(r["code"], r["full_name"], r["birth_date"]) for r in rows] == [
        ("CN001", "Nguyễn Văn An", date(1985, 5, 17)), ("CN002", "Đào Thị Hạnh", date(1990, 2, 1))]


def test_the_import_page_takes_an_ods_and_says_which_formats_it_takes(client, db, login_as):
    factories.unit(code="BVA", name="Bệnh viện A")
    login_as("staff")
    page = client.get("/people/import").get_data(as_text=True)
    assert ".xlsx, .xls" in page and ".ods" in page
    from tests.web import token_of

    response = client.post("/people/import", data={
        "file": (io.BytesIO(ods([HEADER, *ROWS])), "nhan-su.ods"), "csrf_token": token_of(client, "/people/import")},
        content_type="multipart/form-data")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    assert "Nguyễn Văn An" in (client.get("/people?q=CN001").get_data(as_text=True))


@pytest.mark.parametrize("data", [b"Ma ca nhan;Ho va ten\n", b"PK\x03\x04" + b"\0" * 100, b"MZ\x90\0" + b"\0" * 300,
                                  (FIXTURES / "bao-cao.doc").read_bytes()])
def test_anything_but_a_spreadsheet_is_refused_by_the_reader(data):
    with pytest.raises(DomainError) as refused:
        open_workbook(io.BytesIO(data))
    assert refused.value.status == 400 and "không phải bảng tính hợp lệ" in refused.value.message


# --- attachments ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, make, kind", [
    ("bao-cao.doc", lambda: (FIXTURES / "bao-cao.doc").read_bytes(), "doc"),
    ("bang-diem.xls", xls, "xls"),
    ("bao-cao.odt", lambda: odt("Báo cáo thành tích"), "odt"),
    ("bang-diem.ods", lambda: ods([HEADER, *ROWS]), "ods"),
    ("bang-diem.xlsx", lambda: xlsx([HEADER, *ROWS]), "xlsx"),
])
def test_old_and_open_office_attachments_are_accepted_by_content(app, db, name, make, kind):
    upload = uploads.store(make(), name, allowed=uploads.DOCUMENTS)
    assert upload.kind == kind and upload.mime == uploads.KINDS[kind][0]
    renamed = uploads.store(make(), "tep-khong-duoi", allowed=uploads.DOCUMENTS)  # the name is never asked
    assert renamed.kind == kind


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200 + b"PE\0\0"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize("data", [EXE, HTML, b"PK\x03\x04" + b"\0" * 100])
def test_a_mislabelled_file_is_refused_in_vietnamese(app, db, data):
    with pytest.raises(uploads.UnsupportedFile) as refused:
        uploads.store(data, "bao-cao.pdf", allowed=uploads.DOCUMENTS)
    assert refused.value.status == 415
    assert "Chỉ nhận tệp PDF, DOCX, XLSX, DOC, XLS, ODT, ODS, PNG, JPG" in refused.value.message
    assert "kiểm tra theo nội dung tệp, không theo tên" in refused.value.message


def test_an_open_document_bomb_is_refused(app, db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                         compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", b"\0" * (40 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)
    assert uploads.detect(buffer.getvalue()) == "odt"
    with pytest.raises(DomainError) as refused:
        uploads.store(buffer.getvalue(), "bao-cao.odt", allowed=uploads.DOCUMENTS)
    assert refused.value.status == 413 and "bom giải nén" in refused.value.message


def test_a_dossier_takes_an_xls_attachment_through_the_api(api, db):
    """A real door: the dossier's attachment endpoint keeps an .xls with its detected type."""
    person = factories.person()
    staff = api.as_("staff")
    from awards.nominations import services

    dossier = services.create_nomination(subject_type="person", subject_code=person.code, award_code="LDTT",
                                         year=2025, by=staff.user)
    db.session.commit()
    response = staff.post(f"/api/v1/nominations/{dossier.id}/attachments",
                          data={"file": (io.BytesIO(xls()), "bang-diem.xls"), "kind": "other"},
                          content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    exe = staff.post(f"/api/v1/nominations/{dossier.id}/attachments",
                     data={"file": (io.BytesIO(EXE), "bang-diem.xls"), "kind": "other"},
                     content_type="multipart/form-data")
    assert exe.status_code == 415 and "không theo tên" in exe.json["error"]["message"]
