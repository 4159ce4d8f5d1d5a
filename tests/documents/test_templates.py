"""Document templates (issue 24): upload checks, versions, who may change them, preview, and every kind rendered
to .docx and PDF with an 80-character Vietnamese name (real database, real LibreOffice)."""

import io
import unicodedata
from datetime import date

import docx
import pytest
from jinja2.sandbox import SecurityError
from sqlalchemy import select

from awards.core.db import DomainError, Invalid
from awards.core.pdf import to_pdf
from awards.documents import queries, rendering, services
from awards.documents.kinds import KINDS, LONG_NAME
from awards.documents.models import GeneratedDocument, TemplateVersion
from awards.extensions import db as _db
from tests import factories
from tests.documents.conftest import edited, needs_pdf, pdf_lines

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- checks

def test_long_name_is_80_characters_with_diacritics():
    assert len(LONG_NAME) == 80 and unicodedata.is_normalized("NFC", LONG_NAME)
    assert any(ord(ch) > 0x1E00 for ch in LONG_NAME)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_builtin_template_declares_what_it_uses_and_has_the_required(kind):
    used = rendering.check_template(kind, rendering.builtin_bytes(kind))
    assert set(KINDS[kind].required) <= used <= set(KINDS[kind].declared)


def test_a_missing_required_placeholder_is_named(app):
    data = edited("quyet_dinh", ("{{ signer_name }}", "Nguyễn Văn A"))
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        rendering.check_template("quyet_dinh", data)
    assert refused.value.status == 400 and "signer_name" in refused.value.message
    assert refused.value.message.startswith("Mẫu thiếu trường bắt buộc")


def test_an_unknown_placeholder_is_named(app):
    data = edited("to_trinh", ("{{ addressee }}.", "{{ addressee }} {{ ho_ten_giam_doc }}."))
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        rendering.check_template("to_trinh", data)
    assert "ho_ten_giam_doc" in refused.value.message and "không có trong loại văn bản" in refused.value.message


def test_a_jinja_syntax_error_is_shown(app):
    data = edited("thong_bao", ("{{ unit_name }}.", "{{ unit_name }."))
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        rendering.check_template("thong_bao", data)
    assert "lỗi cú pháp" in refused.value.message


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"%PDF-1.4 a pdf", b""])
def test_not_a_docx_is_refused(app, data):
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        rendering.check_template("bien_ban", data)
    assert "không phải văn bản Word" in refused.value.message


def test_a_template_cannot_reach_python_internals(app):
    """Uploaded templates are Jinja run on the server: the sandbox refuses, and so does the upload check."""
    data = edited("thong_bao", ("{{ unit_name }}.", "{{ unit_name.__class__.__mro__ }}."))
    with pytest.raises(SecurityError):
        rendering.render(data, KINDS["thong_bao"].sample)
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        rendering.check_template("thong_bao", data)
    assert "unsafe" in refused.value.message


def test_names_with_markup_and_control_characters_stay_text():
    sample = {**KINDS["thong_bao"].sample, "unit_name": "Khoa <b>Nội</b> & \x07Ngoại"}
    assert "Khoa <b>Nội</b> & Ngoại" in text_of(rendering.render(rendering.builtin_bytes("thong_bao"), sample))


# ---------------------------------------------------------------------------------------------- upload and who

@pytest.fixture
def units(db):
    top = factories.unit(code="SYT", name="Sở Y tế tỉnh Hòa Bình", kind="department_of_health")
    bva = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=top, kind="hospital")
    bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=top, kind="hospital")
    for unit in (bva, bvb):
        unit.decides_awards = True
    db.session.commit()
    return {"top": top, "bva": bva, "bvb": bvb}


def _upload_page(client, csrf_token, unit_code, data, kind="quyet_dinh"):
    token = csrf_token(f"/documents/templates/{kind}?unit={unit_code}")
    return client.post(f"/documents/templates/{kind}?unit={unit_code}", data={
        "csrf_token": token, "note": "Mẫu của đơn vị", "file": (io.BytesIO(data), "mau.docx")},
        content_type="multipart/form-data")


def test_staff_of_the_unit_uploads_a_version_the_page_names_a_missing_field(client, login_as, csrf_token, units):
    login_as("staff", unit=units["bva"])
    response = _upload_page(client, csrf_token, "BVA", edited("quyet_dinh", ("{{ signer_name }}", "")))
    assert response.status_code == 400
    assert "Mẫu thiếu trường bắt buộc: signer_name." in response.get_data(as_text=True)
    response = _upload_page(client, csrf_token, "BVA", rendering.builtin_bytes("quyet_dinh"))
    assert response.status_code == 302
    version, = queries.versions("quyet_dinh", units["bva"])
    assert version.version == 1 and not version.active, "a new version waits for its preview and activation"


def test_other_units_staff_and_officers_may_not_change_templates(client, login_as, csrf_token, units, api):
    data = rendering.builtin_bytes("quyet_dinh")
    login_as("staff", unit=units["bvb"])
    assert _upload_page(client, csrf_token, "BVA", data).status_code == 403
    assert _upload_page(client, csrf_token, "BVB", data).status_code == 302
    staff_bvb = api.as_("staff", unit=units["bvb"])
    form = {"kind": "quyet_dinh", "unit_code": "BVA", "file": (io.BytesIO(data), "mau.docx")}
    refused = staff_bvb.post("/api/v1/document-templates", data=form, content_type="multipart/form-data")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    form = {"kind": "quyet_dinh", "file": (io.BytesIO(data), "mau.docx")}  # the default of every unit
    refused = staff_bvb.post("/api/v1/document-templates", data=form, content_type="multipart/form-data")
    assert refused.status_code == 403
    officer = api.as_("unit_officer", unit=units["bva"])
    form = {"kind": "quyet_dinh", "unit_code": "BVA", "file": (io.BytesIO(data), "mau.docx")}
    assert officer.post("/api/v1/document-templates", data=form,
                        content_type="multipart/form-data").status_code == 403
    with pytest.raises(DomainError) as refused:
        services.upload_template("quyet_dinh", units["bva"], data, "mau.docx", by=staff_bvb.user)
    assert refused.value.status == 403
    admin = api.as_("admin")
    form = {"kind": "quyet_dinh", "unit_code": "BVA", "file": (io.BytesIO(data), "mau.docx")}
    created = admin.post("/api/v1/document-templates", data=form, content_type="multipart/form-data")
    assert created.status_code == 201 and created.json["unit_code"] == "BVA" and created.json["active"] is False
    bad = {"kind": "quyet_dinh", "unit_code": "BVA",
           "file": (io.BytesIO(edited("quyet_dinh", ("{{ number }}", "{{ so_qd }}"))), "mau.docx")}
    answer = admin.post("/api/v1/document-templates", data=bad, content_type="multipart/form-data")
    assert answer.status_code == 400 and "number" in answer.json["error"]["message"]
    listed = admin.get("/api/v1/document-templates?kind=quyet_dinh&unit_code=BVA")
    assert listed.status_code == 200 and [v["version"] for v in listed.json["items"]] == [1]


def test_council_members_do_not_see_the_templates_page(client, login_as, units):
    login_as("council_member")
    assert client.get("/documents/templates").status_code == 403


# ---------------------------------------------------------------------------------------------- versions

def _decision(units, db):
    from awards.announcements import decisions

    staff = factories.user("staff")
    ward = factories.unit(code="TYT", name="Trạm Y tế xã Hòa Sơn", parent=units["top"])  # handled by the Sở
    dossier = factories.nomination(factories.person(full_name=LONG_NAME, unit=ward, position="Điều dưỡng"),
                                   "LDTT", by=staff)
    decision = decisions.issue_decision(number="7/QĐ-SYT", signed_on=date.today(), signer="Trần Quốc Việt",
                                        issuer="Sở Y tế tỉnh Hòa Bình", nomination_ids=[dossier.id], by=staff,
                                        unit_code="SYT")
    db.session.commit()
    return decision


def test_versions_activate_an_earlier_one_and_each_document_records_its_template(app, units, db):
    from awards.announcements import documents

    admin = factories.user("admin")
    first = services.upload_template("quyet_dinh", units["top"], edited(
        "quyet_dinh", ("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH (MẪU MỘT):")), "mot.docx", by=admin)
    second = services.upload_template("quyet_dinh", units["top"], edited(
        "quyet_dinh", ("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH (MẪU HAI):")), "hai.docx", by=admin)
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    decision = _decision(units, db)
    assert "MẪU" not in text_of(documents.decision_docx(decision)), "nothing active yet: the built-in template"
    services.activate_version(second, by=admin)
    assert "QUYẾT ĐỊNH (MẪU HAI):" in text_of(documents.decision_docx(decision))
    services.activate_version(first, by=admin)
    db.session.commit()
    assert [v.active for v in queries.versions("quyet_dinh", units["top"])] == [False, True]
    assert "QUYẾT ĐỊNH (MẪU MỘT):" in text_of(documents.decision_docx(decision))
    services.use_builtin("quyet_dinh", units["top"], by=admin)
    assert "MẪU" not in text_of(documents.decision_docx(decision))
    db.session.commit()
    records = queries.generated_for("decision", decision.id)
    assert [r.template_version_id for r in records] == [None, second.id, first.id, None]
    assert all(len(r.sha256) == 64 and len(r.template_sha256) == 64 for r in records)
    assert records[1].template_sha256 == second.sha256
    assert _db.session.scalar(select(TemplateVersion).where(TemplateVersion.active)) is None


def test_the_default_template_applies_where_a_unit_has_none(app, units, db):
    from awards.nominations import documents

    admin = factories.user("admin")
    default = services.upload_template("to_trinh", None, edited("to_trinh", ("TỜ TRÌNH", "TỜ TRÌNH CHUNG")),
                                       "chung.docx", by=admin)
    services.activate_version(default, by=admin)
    own = services.upload_template("to_trinh", units["bvb"], edited("to_trinh", ("TỜ TRÌNH", "TỜ TRÌNH RIÊNG")),
                                   "rieng.docx", by=admin)
    services.activate_version(own, by=admin)
    db.session.commit()
    assert "TỜ TRÌNH CHUNG" in text_of(documents.proposal_docx(units["bva"], [], on=date(2025, 2, 5)))
    assert "TỜ TRÌNH RIÊNG" in text_of(documents.proposal_docx(units["bvb"], [], on=date(2025, 2, 5)))


def test_the_signing_details_fill_the_signer_and_the_place(client, login_as, csrf_token, units, db):
    from awards.nominations import documents

    text = text_of(documents.proposal_docx(units["bva"], [], on=date(2025, 2, 5)))
    assert "Hòa Bình, ngày 05 tháng 02 năm 2025" in text, "the place from the parent's name"
    assert "GIÁM ĐỐC" in text and "THỦ TRƯỞNG" not in text and "……" not in text
    login_as("staff", unit=units["bva"])
    token = csrf_token("/documents/templates?unit=BVA")
    empty = client.post("/documents/templates/profile?unit=BVA", data={"csrf_token": token, "place": "Hòa Bình"})
    assert empty.status_code == 400 and "Nhập họ và tên người ký." in empty.get_data(as_text=True)
    saved = client.post("/documents/templates/profile?unit=BVA", data={
        "csrf_token": token, "place": "TP. Hòa Bình", "head_title": "Phó Giám đốc phụ trách",
        "head_name": "Lê Thị Thu Hằng"})
    assert saved.status_code == 302
    text = text_of(documents.proposal_docx(units["bva"], [], on=date(2025, 2, 5)))
    assert "TP. Hòa Bình, ngày 05 tháng 02 năm 2025" in text
    assert "PHÓ GIÁM ĐỐC PHỤ TRÁCH" in text and "Lê Thị Thu Hằng" in text
    assert client.post("/documents/templates/profile?unit=BVB", data={
        "csrf_token": token, "head_title": "Giám đốc", "head_name": "X"}).status_code == 403


# ---------------------------------------------------------------------------------------------- preview, PDF

def test_preview_of_a_version_as_docx_and_pdf(client, login_as, units, db):
    admin = login_as("admin")
    version = services.upload_template("giay_chung_nhan", units["bva"], rendering.builtin_bytes("giay_chung_nhan"),
                                       "gcn.docx", by=admin)
    db.session.commit()
    response = client.get(f"/documents/templates/giay_chung_nhan/preview.docx?unit=BVA&version={version.id}")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert f"Tặng: {LONG_NAME}" in text_of(response.data)
    assert client.get("/documents/templates/giay_chung_nhan/preview.docx").status_code == 200  # the built-in
    assert client.get("/documents/templates/nope/preview.docx").status_code == 404
    downloaded = client.get(f"/documents/templates/giay_chung_nhan/template.docx?unit=BVA&version={version.id}")
    assert downloaded.status_code == 200 and downloaded.data == rendering.builtin_bytes("giay_chung_nhan")
    needs_pdf()
    pdf = client.get(f"/documents/templates/giay_chung_nhan/preview.pdf?unit=BVA&version={version.id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert _db.session.scalar(select(GeneratedDocument)) is None, "a preview is not a generated document"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_renders_to_pdf_with_the_long_name_wrapped_but_whole(kind):
    """The sample data (an 80-character name) through the built-in template to .docx and PDF: the PDF's text, read
    back and NFC-normalised, holds every word of the name in order, over more than one line."""
    needs_pdf()
    data = rendering.render(rendering.builtin_bytes(kind), KINDS[kind].sample)
    assert LONG_NAME in text_of(data) or LONG_NAME in "\n".join(
        cell.text for table in docx.Document(io.BytesIO(data)).tables for row in table.rows for cell in row.cells)
    lines = pdf_lines(to_pdf(data))
    words = LONG_NAME.split()
    first = next((n for n, line in enumerate(lines) if words[0] in line), None)
    assert first is not None, f"the name is in the {kind} PDF"
    last = next((n for n in range(first, len(lines)) if _in_order(words, " ".join(lines[first:n + 1]))), None)
    assert last is not None, f"every word of the name, in order, with its diacritics, in the {kind} PDF"
    assert last > first, "an 80-character name wraps onto more than one line"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" in "\n".join(lines) or kind == "bien_ban"


def _in_order(words: list[str], text: str) -> bool:
    position = 0
    for word in words:
        found = text.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True
