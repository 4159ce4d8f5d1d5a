"""Hostile files: decompression bombs in .xlsx and .docx packages and in images, downloads that must never
render from the app's origin, and attachments only for the dossier's readers.

Covered elsewhere: the upload size limit (tests/nominations/test_api.py test_oversized_upload_is_413), type by
content not by name (test_api.py's HTML-named-.pdf case), a 50,000 × 50,000 PNG refused before decoding
(tests/campaigns/test_examples.py test_a_decompression_bomb_is_refused_before_decoding), photos served with
`default-src 'none'` (test_examples.py).
"""

import io
import zipfile
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from awards.core import images, uploads
from awards.core import xlsx as core_xlsx
from awards.core.db import DomainError
from awards.core.uploads import Upload
from awards.nominations import services as nominations
from awards.nominations.models import Attachment
from tests import factories
from tests.web import web

XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def package(first: str, parts=XLSX_PARTS, *, bomb_mb=0, members=0) -> bytes:
    """A ZIP package: `first` (word/document.xml or xl/workbook.xml) and friends, plus a member of `bomb_mb` MB of
    zeros (deflate packs it ~1,000 to 1) or `members` tiny members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(first, "<x/>")
        for name in parts:
            if name != first:
                archive.writestr(name, "<x/>")
        if bomb_mb:
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (bomb_mb * 1024 * 1024))
        for n in range(members):
            archive.writestr(f"xl/media/m{n}.xml", "")
    return buffer.getvalue()


@pytest.fixture
def no_reader(monkeypatch):
    """The spreadsheet reader (python-calamine) must never see a bomb: loading one fails the test."""
    class Refuse:
        @staticmethod
        def from_filelike(*args, **kwargs):
            raise AssertionError("the spreadsheet reader was asked to open a decompression bomb")

    import python_calamine  # core.xlsx imports it when a sheet is read: refuse it at its source

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refuse)


def test_an_xlsx_bomb_is_refused_before_the_reader_opens_it(api, db, no_reader):
    bomb = package("xl/workbook.xml", bomb_mb=40)
    assert len(bomb) < 100_000  # 40 MB of zeros in well under 100 kB
    staff = api.as_("staff")
    for path in ("/api/v1/archive/imports", "/api/v1/archive/imports?dry_run=1"):
        response = staff.post(path, data={"file": (io.BytesIO(bomb), "bom.xlsx")}, content_type="multipart/form-data")
        assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
        assert "bom giải nén" in response.json["error"]["message"]
    with pytest.raises(DomainError) as refused:
        core_xlsx.open_workbook(io.BytesIO(package("xl/workbook.xml", members=uploads.MAX_PACKAGE_MEMBERS + 1)))
    assert refused.value.status == 413


def test_the_total_expanded_size_is_capped_whatever_the_ratio(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PACKAGE_BYTES", 5 * 1024 * 1024)
    with pytest.raises(DomainError):
        uploads.check_package(package("xl/workbook.xml", bomb_mb=6))
    uploads.check_package(package("xl/workbook.xml", bomb_mb=4))  # under the cap and under 10 MB: fine


def test_a_real_import_file_is_far_from_the_limits(tmp_path):
    from tests.security.test_faults import _sheet

    data = _sheet(tmp_path / "20k.xlsx", 20_000, 100).read_bytes()
    uploads.check_package(data)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert max(i.file_size / i.compress_size for i in infos) < uploads.MAX_PACKAGE_RATIO / 5


def test_a_docx_bomb_attachment_is_refused_and_nothing_kept(api, db, app):
    officer = api.as_("unit_officer")
    dossier = factories.nomination(factories.person(unit=officer.user.unit), "LDTT", status="draft", by=officer.user)
    db.session.commit()
    bomb = package("word/document.xml", parts=("[Content_Types].xml",), bomb_mb=30)
    response = officer.post(f"/api/v1/nominations/{dossier.id}/attachments",
                            data={"kind": "report", "file": (io.BytesIO(bomb), "bao-cao.docx")},
                            content_type="multipart/form-data")
    assert response.status_code == 413, response.json
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    ordinary = package("word/document.xml", parts=("[Content_Types].xml",))
    accepted = officer.post(f"/api/v1/nominations/{dossier.id}/attachments",
                            data={"kind": "report", "file": (io.BytesIO(ordinary), "bao-cao.docx")},
                            content_type="multipart/form-data")
    assert accepted.status_code == 201


def test_pillow_itself_refuses_decompression_bombs_anywhere_in_the_process():
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS
    header = io.BytesIO()
    Image.new("L", (1, 1)).save(header, "PNG")
    data = bytearray(header.getvalue())
    data[16:24] = (20_000).to_bytes(4, "big") * 2  # IHDR says 20,000 × 20,000 = 400 megapixels
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # with a valid checksum
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(bytes(data)))
    with pytest.raises(uploads.UnsupportedFile):
        images.clean_photo(bytes(data))


# --- downloads and who may have them -------------------------------------------------------------------------

@pytest.fixture
def dossier_with_pdf(app, db):
    top = factories.unit(code="SYT")
    mine, theirs = factories.unit(code="BVA", parent=top), factories.unit(code="BVB", parent=top)
    staff = factories.user("staff")
    dossier = factories.nomination(factories.person(unit=mine), "LDTT", status="draft", by=staff)
    attachment = nominations.add_attachment(dossier, data=factories.PDF, filename='bao "cao"\r\nX-Injected: 1.pdf',
                                            kind="report", by=staff)
    other = factories.nomination(factories.person(unit=theirs), "LDTT", status="draft", by=staff)
    users = {"staff": staff, "officer": factories.user("unit_officer", unit=mine),
             "other_officer": factories.user("unit_officer", unit=theirs),
             "council_member": factories.user("council_member")}
    db.session.commit()
    return dossier, attachment, other, users


def test_a_pdf_is_downloaded_as_an_attachment_in_a_sandbox_never_rendered(app, db, dossier_with_pdf):
    dossier, attachment, _other, users = dossier_with_pdf
    response = web(app, users["officer"]).get(f"/nominations/{dossier.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition and "X-Injected" not in response.headers
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data() == factories.PDF


def test_attachments_only_for_the_dossiers_readers(app, db, dossier_with_pdf):
    dossier, attachment, other, users = dossier_with_pdf
    url = f"/nominations/{dossier.id}/attachments/{attachment.id}"
    expected = {"staff": 200, "officer": 200, "council_member": 200, "other_officer": 404}
    assert {who: web(app, user).get(url).status_code for who, user in users.items()} == expected
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    # the attachment's id under a dossier the reader may see, but that is not its own: not found
    assert web(app, users["staff"]).get(f"/nominations/{other.id}/attachments/{attachment.id}").status_code == 404
    api_user = factories.user("unit_officer", unit=users["other_officer"].unit)
    raw = factories.token(api_user)
    db.session.commit()
    listed = app.test_client().get(f"/api/v1/nominations/{dossier.id}", headers={"Authorization": f"Bearer {raw}"})
    assert listed.status_code in (403, 404)
