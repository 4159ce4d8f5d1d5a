"""Generated paper documents (Tờ trình, Danh sách đề nghị khen thưởng): content, layout of NĐ 30/2020, access."""

import io
from datetime import date, datetime

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from awards.core import clock
from awards.nominations import documents, services
from tests import factories

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def all_text(document) -> str:
    """Every paragraph of the body and of every table cell (nested included), one per line."""
    lines = [p.text for p in document.paragraphs]

    def tables(items):
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    return "\n".join(lines)


def runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2025, 2, 5, 9, 30, tzinfo=clock.VIETNAM))


@pytest.fixture
def dossiers(db):
    """Bệnh viện A under the Sở Y tế, with a ward: two LĐTT, one CSTĐCS, one collective, one withdrawn."""
    department = factories.unit(code="SYT", name="Sở Y tế tỉnh Hòa Bình")
    hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=department)
    ward = factories.unit(code="KNOI", name="Khoa Nội", parent=hospital)
    factories.unit(code="BVB", name="Bệnh viện B", parent=department)
    an = factories.person(code="CB1", full_name="Nguyễn Văn An", unit=hospital, gender="male",
                          birth_date=date(1980, 3, 7), position="Bác sĩ")
    hanh = factories.person(code="CB2", full_name="Đào Thị Hạnh", unit=ward, birth_date=date(1991, 12, 25),
                            position="Điều dưỡng trưởng")
    bad = factories.person(code="CB3", full_name='=cmd|"/c calc"!A1 <script>alert(1)</script>', unit=hospital)
    gone = factories.person(code="CB4", full_name="Lê Văn Rút", unit=hospital)
    staff = factories.user("staff")
    db.session.flush()
    made = [
        services.create_nomination(subject_type="person", subject_code="CB1", award_code="LDTT", year=2025,
                                   summary="Hoàn thành tốt nhiệm vụ, tận tình với người bệnh.", by=staff),
        services.create_nomination(subject_type="person", subject_code="CB2", award_code="LDTT", year=2025,
                                   kind="adhoc", by=staff),
        services.create_nomination(subject_type="person", subject_code="CB2", award_code="CSTDCS", year=2025,
                                   kind="thematic", summary="Sáng kiến cải tiến quy trình chăm sóc.", by=staff),
        services.create_nomination(subject_type="unit", subject_code="KNOI", award_code="TTLDTT", year=2025,
                                   by=staff),
        services.create_nomination(subject_type="person", subject_code="CB3", award_code="GIAY_KHEN", year=2025,
                                   by=staff),
        services.create_nomination(subject_type="person", subject_code="CB4", award_code="GIAY_KHEN", year=2025,
                                   by=staff),
        services.create_nomination(subject_type="person", subject_code="CB1", award_code="LDTT", year=2024,
                                   by=staff),
    ]
    made[5].status = "withdrawn"
    db.session.commit()
    return {"department": department, "hospital": hospital, "ward": ward, "an": an, "hanh": hanh, "bad": bad,
            "gone": gone, "nominations": made}


def proposal(dossiers, **kw):
    live = [n for n in dossiers["nominations"] if n.status != "withdrawn" and n.year == 2025]
    data = documents.proposal_docx(dossiers["hospital"], live, number="12", place="Hòa Bình",
                                   on=date(2025, 2, 5), **kw)
    return docx.Document(io.BytesIO(data))


def test_proposal_has_the_header_title_and_addressee(dossiers):
    document = proposal(dossiers)
    text = all_text(document)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ Y TẾ TỈNH HÒA BÌNH" in text and "BỆNH VIỆN ĐA KHOA A" in text
    assert "Số: 12/TTr-BVA" in text
    assert "Hòa Bình, ngày 05 tháng 02 năm 2025" in text
    assert "TỜ TRÌNH" in text and "Về việc đề nghị khen thưởng năm 2025" in text
    # the first dossier's award (LĐTT) is decided by the head of the unit: addressed to the parent unit
    assert "Kính gửi: Sở Y tế tỉnh Hòa Bình." in text
    assert "Luật Thi đua, khen thưởng năm 2022" in text and "Nghị định số 152/2025/NĐ-CP" in text
    assert "xem xét, quyết định./." in text and "GIÁM ĐỐC" in text and "Nơi nhận:" in text  # a hospital's head
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert any(r.bold for p in left.paragraphs for r in p.runs if r.text == "BỆNH VIỆN ĐA KHOA A")
    motto = [r for p in right.paragraphs for r in p.runs if r.text == "Độc lập - Tự do - Hạnh phúc"][0]
    assert motto.bold and motto.underline
    assert [r for p in right.paragraphs for r in p.runs if "ngày 05" in r.text][0].italic
    assert header.style is None or header.style.name != "Table Grid", "the header table has no borders"
    title = [p for p in document.paragraphs if p.text == "TỜ TRÌNH"][0]
    assert title.runs[0].bold and title.runs[0].font.size == Pt(14) and title.alignment == 1  # centred


def test_proposal_lists_every_nominee_grouped_with_counts(dossiers):
    text = all_text(proposal(dossiers))
    for name in ("Nguyễn Văn An", "Đào Thị Hạnh", "Khoa Nội"):
        assert name in text
    for award in ("Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", "Tập thể lao động tiên tiến", "Giấy khen"):
        assert award in text
    assert "- Lao động tiên tiến: 2 cá nhân;" in text
    assert "- Chiến sĩ thi đua cơ sở: 1 cá nhân;" in text
    assert "- Tập thể lao động tiên tiến: 1 tập thể;" in text
    assert "Lao động tiên tiến (2 cá nhân)" in text
    assert "Bác sĩ, Bệnh viện Đa khoa A" in text and "Điều dưỡng trưởng, Khoa Nội" in text
    assert "Hoàn thành tốt nhiệm vụ, tận tình với người bệnh." in text
    assert "Lê Văn Rút" not in text


def test_proposal_fonts_page_and_margins(dossiers):
    document = proposal(dossiers)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(13)
    texts = [r for r in runs(document) if r.text.strip()]
    assert texts and all(r.font.name == "Times New Roman" for r in texts)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(3)) < Cm(0.01) and abs(section.right_margin - Cm(2)) < Cm(0.01)
    assert abs(section.top_margin - Cm(2)) < Cm(0.01) and abs(section.bottom_margin - Cm(2)) < Cm(0.01)


def test_names_that_look_like_formulas_or_markup_stay_literal(dossiers):
    text = all_text(proposal(dossiers))
    assert '=cmd|"/c calc"!A1 <script>alert(1)</script>' in text


def test_date_line_follows_the_decree():
    assert documents.date_line("Hà Nội", date(2025, 1, 9)) == "Hà Nội, ngày 09 tháng 01 năm 2025"
    assert documents.date_line("Hà Nội", date(2025, 11, 23)) == "Hà Nội, ngày 23 tháng 11 năm 2025"
    assert documents.date_line("Huế", date(2025, 3, 5)) == "Huế, ngày 05 tháng 3 năm 2025"


def test_nominee_list_is_landscape_with_birth_dates_and_total(dossiers):
    live = [n for n in dossiers["nominations"] if n.status != "withdrawn" and n.year == 2025]
    data = documents.nominee_list_docx(dossiers["hospital"], live, year=2025, on=date(2025, 2, 5))
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert abs(section.page_width - Cm(29.7)) < Cm(0.01)
    text = all_text(document)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ",
                                                     "Đơn vị", "Danh hiệu/hình thức", "Loại khen thưởng",
                                                     "Ghi chú"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:] if r.cells[0].text.isdigit()}
    assert rows["Nguyễn Văn An"][2:4] == ["Nam", "07/03/1980"]
    assert rows["Nguyễn Văn An"][7] == "Thường xuyên"
    assert rows["Khoa Nội"][2:4] == ["", ""], "a collective has no gender or birth date"
    hanh = [[c.text for c in r.cells] for r in table.rows[1:] if r.cells[1].text == "Đào Thị Hạnh"]
    assert {tuple(r[2:4]) for r in hanh} == {("Nữ", "25/12/1991")}
    assert {r[7] for r in hanh} == {"Đột xuất", "Chuyên đề"}
    assert "Tổng cộng: 5 (4 cá nhân, 1 tập thể)." in text
    assert all(r.font.name == "Times New Roman" for r in runs(document) if r.text.strip())


def test_empty_selection_still_makes_documents(dossiers):
    unit = dossiers["department"]
    text = all_text(docx.Document(io.BytesIO(documents.proposal_docx(unit, [], on=date(2025, 2, 5), year=2026))))
    assert "TỜ TRÌNH" in text and "không có hồ sơ đề nghị khen thưởng nào trong năm 2026" in text
    text = all_text(docx.Document(io.BytesIO(documents.nominee_list_docx(unit, [], year=2026,
                                                                         on=date(2025, 2, 5)))))
    assert "Không có hồ sơ đề nghị khen thưởng nào trong năm 2026." in text


def test_unit_officer_downloads_the_proposal_of_their_unit(client, login_as, dossiers, fixed_clock):
    login_as("unit_officer", unit=dossiers["hospital"])
    response = client.get("/nominations/documents/proposal.docx?unit=BVA&year=2025")
    assert response.status_code == 200
    assert response.mimetype == DOCX_MIME
    assert response.headers["Content-Disposition"] == "attachment; filename=to-trinh-bva-2025.docx"
    text = all_text(docx.Document(io.BytesIO(response.data)))
    assert "ngày 05 tháng 02 năm 2025" in text
    assert "Nguyễn Văn An" in text and "Đào Thị Hạnh" in text  # the ward's dossier is in the hospital's
    assert "Lê Văn Rút" not in text, "withdrawn dossiers are left out"
    assert "- Lao động tiên tiến: 2 cá nhân;" in text, "the 2024 dossier is left out"
    withdrawn = client.get("/nominations/documents/proposal.docx?unit=BVA&year=2025&status=withdrawn")
    assert "Lê Văn Rút" in all_text(docx.Document(io.BytesIO(withdrawn.data)))
    listing = client.get("/nominations/documents/list.docx?unit=KNOI&year=2025")
    assert listing.status_code == 200 and listing.mimetype == DOCX_MIME
    assert listing.headers["Content-Disposition"].startswith("attachment; filename=danh-sach-de-nghi-knoi-2025")
    text = all_text(docx.Document(io.BytesIO(listing.data)))
    assert "Đào Thị Hạnh" in text and "Nguyễn Văn An" not in text


def test_access_by_role(client, login_as, dossiers):
    path = "/nominations/documents/{}.docx?unit={}&year=2025"
    anonymous = client.get(path.format("proposal", "BVA"))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as("unit_officer", unit=dossiers["ward"])
    assert client.get(path.format("proposal", "BVA")).status_code == 403, "the ward does not act for the hospital"
    assert client.get(path.format("list", "BVB")).status_code == 403
    assert client.get(path.format("list", "KNOI")).status_code == 200
    assert client.get(path.format("proposal", "NOPE")).status_code == 404


@pytest.mark.parametrize("document", ["proposal", "list"])
def test_council_members_may_not_download(client, login_as, dossiers, document):
    member = login_as("council_member")
    assert member.has_role("council_member") and not member.has_role("unit_officer")
    assert client.get(f"/nominations/documents/{document}.docx?unit=KNOI&year=2025").status_code == 403


def test_managers_download_any_unit_and_bad_parameters(client, login_as, dossiers):
    login_as("staff")
    assert client.get("/nominations/documents/list.docx?unit=BVB&year=2025").status_code == 200
    assert client.get("/nominations/documents/proposal.docx?unit=SYT&year=2025").status_code == 200
    assert client.get("/nominations/documents/proposal.docx?unit=NOPE&year=2025").status_code == 404
    assert client.get("/nominations/documents/proposal.docx?unit=BVA&year=abc").status_code == 400
    assert client.get("/nominations/documents/proposal.docx?unit=BVA&status=nope").status_code == 400
    empty = client.get("/nominations/documents/proposal.docx?unit=BVB&year=2025")
    assert "không có hồ sơ đề nghị khen thưởng nào" in all_text(docx.Document(io.BytesIO(empty.data)))
