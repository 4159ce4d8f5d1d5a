"""Every generated document as PDF through its route (issue 24; CONTRACT §6 GET /decisions/<id>/document.pdf):
Vietnamese text read back from the PDF, who may download, and the record of the generation."""

from datetime import date

import pytest

from awards.core import pdf
from awards.documents import queries
from tests import factories
from tests.documents.conftest import needs_pdf, pdf_lines

NAME = "Đặng Thị Quỳnh Như"


@pytest.fixture
def decision(db):
    from awards.announcements import decisions

    top = factories.unit(code="SYT", name="Sở Y tế tỉnh Hòa Bình", kind="department_of_health")
    station = factories.unit(code="TYT", name="Trạm Y tế xã Hòa Sơn", parent=top)
    staff = factories.user("staff")
    dossier = factories.nomination(factories.person(full_name=NAME, unit=station, position="Y sĩ"), "LDTT", by=staff)
    made = decisions.issue_decision(number="9/QĐ-SYT", signed_on=date.today(), signer="Trần Quốc Việt",
                                    issuer="Sở Y tế tỉnh Hòa Bình", nomination_ids=[dossier.id], by=staff,
                                    unit_code="SYT")
    db.session.commit()
    return made


def test_the_decision_pdf_over_the_api_and_the_page(api, client, login_as, decision):
    needs_pdf()
    staff = api.as_("staff")
    response = staff.get(f"/api/v1/decisions/{decision.id}/document.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(pdf_lines(response.data))
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 9/QĐ-SYT", "Hòa Bình, ngày", "GIÁM ĐỐC SỞ Y TẾ",
                     "Trần Quốc Việt", NAME, "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG"):
        assert expected in text, expected
    assert staff.get("/api/v1/decisions/999999/document.pdf").status_code == 404
    officer = api.as_("unit_officer")
    assert officer.get(f"/api/v1/decisions/{decision.id}/document.pdf").status_code == 403
    assert api.get(f"/api/v1/decisions/{decision.id}/document.pdf").status_code == 401
    login_as("staff")
    page = client.get(f"/decisions/{decision.id}/document.pdf")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    certificates = client.get(f"/decisions/{decision.id}/certificates.pdf")
    assert certificates.status_code == 200 and f"Tặng: {NAME}" in "\n".join(pdf_lines(certificates.data))
    records = queries.generated_for("decision", decision.id)
    assert [r.kind for r in records] == ["quyet_dinh", "quyet_dinh", "giay_chung_nhan"]
    assert all(r.template_version_id is None for r in records), "the built-in templates"


def test_the_notification_to_the_unit(client, login_as, decision):
    login_as("staff")
    docx_answer = client.get(f"/decisions/{decision.id}/notices/TYT.docx")
    assert docx_answer.status_code == 200
    assert client.get(f"/decisions/{decision.id}/notices/SYT.docx").status_code == 404, "no one of that unit"
    assert client.get(f"/decisions/{decision.id}/notices/NOPE.docx").status_code == 404
    needs_pdf()
    answer = client.get(f"/decisions/{decision.id}/notices/TYT.pdf")
    text = "\n".join(pdf_lines(answer.data))
    assert answer.status_code == 200 and "THÔNG BÁO" in text and "Kính gửi: Trạm Y tế xã Hòa Sơn." in text
    assert NAME in text and "9/QĐ-SYT" in text
    assert queries.generated_for("decision", f"{decision.id}/TYT")[-1].kind == "thong_bao"


def test_pdf_is_refused_clearly_without_libreoffice(api, client, login_as, decision, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    answer = api.as_("staff").get(f"/api/v1/decisions/{decision.id}/document.pdf")
    assert answer.status_code == 503 and answer.json["error"]["code"] == "pdf_unavailable"
    assert "LibreOffice" in answer.json["error"]["message"]
    login_as("staff")
    page = client.get(f"/decisions/{decision.id}/document.pdf")
    assert page.status_code == 503 and "chưa cài LibreOffice" in page.get_data(as_text=True)


def test_the_proposal_and_list_as_pdf(client, login_as, decision):
    needs_pdf()
    unit = factories.unit(code="BVA", name="Bệnh viện Đa khoa A")
    factories.nomination(factories.person(full_name="Lê Văn Đức", unit=unit), "LDTT", year=2025,
                         by=factories.user("staff"))
    login_as("unit_officer", unit=unit)
    answer = client.get("/nominations/documents/proposal.pdf?unit=BVA&year=2025")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = "\n".join(pdf_lines(answer.data))
    assert "TỜ TRÌNH" in text and "Lê Văn Đức" in text and "GIÁM ĐỐC" in text
    listing = client.get("/nominations/documents/list.pdf?unit=BVA&year=2025")
    assert listing.status_code == 200 and "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in "\n".join(pdf_lines(listing.data))
    assert client.get("/nominations/documents/list.pdf?unit=SYT&year=2025").status_code == 403
    assert client.get("/nominations/documents/list.pdf?unit=BVA&year=abc").status_code == 400
    assert [r.object_id for r in queries.generated_for("unit", "BVA/2025")] == ["BVA/2025", "BVA/2025"]


def test_the_decision_page_offers_its_documents_as_pdf_and_docx_and_a_notice_per_unit(client, login_as, decision):
    """The secretariat finds every paper of a decision on its page: the decision and the certificates as PDF and
    .docx, and one notification letter for each unit whose people it awards (not for the issuing Sở)."""
    import re

    login_as("staff")
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    links = set(re.findall(r'href="([^"]+)"', page))
    for path in ("document.pdf", "decision.docx", "certificates.pdf", "certificates.docx", "notices/TYT.pdf",
                 "notices/TYT.docx"):
        assert f"/decisions/{decision.id}/{path}" in links, path
    assert f"/decisions/{decision.id}/notices/SYT.docx" not in links
    assert client.get(f"/decisions/{decision.id}/notices/TYT.docx").status_code == 200
    assert client.get(f"/decisions/{decision.id}/decision.docx").status_code == 200
    kinds = [r.kind for r in queries.generated_for("decision", decision.id)]
    assert kinds.count("quyet_dinh") == 1, "the .docx download is recorded with its template version, as the PDF"
