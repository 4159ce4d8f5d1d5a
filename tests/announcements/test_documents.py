"""The decision's paper documents: the Quyết định with its annexed list, and the certificates (real DB)."""

import io
from datetime import date, datetime

import docx
import pytest
from docx.enum.section import WD_ORIENT
from sqlalchemy import select

from awards.announcements import documents
from awards.announcements.models import Decision
from awards.core import clock
from tests import factories


def _lines(blocks) -> list[str]:
    """The text of paragraphs and of every table cell (nested included), one entry per paragraph."""
    lines = []
    for block in blocks:
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    lines.extend(_lines(cell.iter_inner_content()))
        else:
            lines.append(block.text)
    return lines


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    return "\n".join(_lines(document.iter_inner_content()))


def issue(desk, db, dossiers, number="125/QĐ-SYT", signed_on="2026-03-20") -> Decision:
    day = date.fromisoformat(signed_on)
    desk.at(max(clock.now(), datetime(day.year, day.month, day.day, 9, tzinfo=clock.VIETNAM)))
    response = desk.staff.post("/api/v1/decisions", json={
        "number": number, "signed_on": signed_on, "signer": "Nguyễn Văn Giám Đốc", "issuer": "Sở Y tế",
        "nomination_ids": [d.id for d in dossiers]})
    assert response.status_code == 201, response.json
    db.session.expire_all()
    return db.session.scalar(select(Decision).where(Decision.number == number))


@pytest.fixture
def three(desk, db):
    """Two LĐTT (one with an awkward name and summary) and one collective TTLĐTT, in that order."""
    an = desk.appraised("LDTT", full_name="Nguyễn Văn An", position="Bác sĩ",
                        summary="<b>Hoàn thành xuất sắc</b> nhiệm vụ & <script>alert(1)</script>")
    binh = desk.appraised("LDTT", full_name="Trần\x07 Thị Bình", position="Điều dưỡng")
    ward = factories.unit(code="KNOI", name="Khoa Nội", parent=desk.hospital)
    collective = factories.nomination(ward, "TTLDTT", by=desk.staff.user)
    db.session.commit()
    return issue(desk, db, [an, binh, collective])


def test_the_decision_follows_nd_30(three):
    document = opened(documents.decision_docx(three, place="Hòa Bình"))
    text = all_text(document)
    for expected in ("SỞ Y TẾ", "Số: 125/QĐ-SYT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Hòa Bình, ngày 20 tháng 3 năm 2026", "QUYẾT ĐỊNH", "Về việc khen thưởng", "GIÁM ĐỐC SỞ Y TẾ",
                     "Luật Thi đua, khen thưởng số 06/2022/QH15", "Nghị định số 152/2025/NĐ-CP", "QUYẾT ĐỊNH:",
                     "Điều 1.", "2 cá nhân, 1 tập thể", "Điều 2.", "Điều 3.", "Nơi nhận:", "Nguyễn Văn Giám Đốc",
                     "(Kèm theo Quyết định số 125/QĐ-SYT ngày 20 tháng 3 năm 2026 của Sở Y tế)"):
        assert expected in text, expected
    assert "98/2023" not in text  # replaced by NĐ 152/2025 from 01/07/2025 (RULES.md)
    assert "\x07" not in text and "Trần Thị Bình" in text
    assert "THỦ TRƯỞNG CƠ QUAN" not in text and "……" not in text, "the signer's real title, no dots (issue 24)"
    body, annex = document.sections
    assert body.orientation == WD_ORIENT.PORTRAIT and annex.orientation == WD_ORIENT.LANDSCAPE


def test_the_annex_lists_people_then_collectives_in_gold_book_order(three):
    table = opened(documents.decision_docx(three)).tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức", "Năm",
                       "Số sổ vàng", "Hệ số", "Tiền thưởng (đồng)"]  # prize money: tests/prizes
    assert rows[1][0] == "I. Cá nhân (2)" and rows[4][0] == "II. Tập thể (1)"
    assert rows[2][:6] == ["1", "Nguyễn Văn An", "Bác sĩ, Bệnh viện Đa khoa A", "Lao động tiên tiến", "2025", "1"]
    assert rows[3][:6] == ["2", "Trần Thị Bình", "Điều dưỡng, Bệnh viện Đa khoa A", "Lao động tiên tiến", "2025",
                           "2"]
    assert rows[5][:6] == ["3", "Khoa Nội", "Bệnh viện Đa khoa A", "Tập thể lao động tiên tiến", "2025", "3"]


def test_a_single_award_decision_names_it_and_cites_the_decree_of_its_day(desk, db):
    dossiers = [factories.nomination(factories.person(unit=desk.hospital), "LDTT", year=2024, by=desk.staff.user)
                for _ in range(2)]
    db.session.commit()
    decision = issue(desk, db, dossiers, number="7/QĐ-SYT", signed_on="2025-02-05")
    text = all_text(opened(documents.decision_docx(decision)))
    assert "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2024" in text
    assert "Tặng danh hiệu “Lao động tiên tiến” cho 2 cá nhân" in text
    assert "Nghị định số 98/2023/NĐ-CP" in text and "152/2025" not in text
    assert "Ngày 05 tháng 02 năm 2025" in text and "……" not in text  # no place known: the date alone
    assert "I. Cá nhân" not in text  # one kind of recipient: no group rows


def test_one_certificate_per_recipient(three):
    document = opened(documents.certificates_docx(three, place="Hòa Bình"))
    pages = [_lines(section.iter_inner_content()) for section in document.sections]
    assert len(pages) == 3 and all(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    expected = [("Nguyễn Văn An", "LAO ĐỘNG TIÊN TIẾN"), ("Trần Thị Bình", "LAO ĐỘNG TIÊN TIẾN"),
                ("Khoa Nội", "TẬP THỂ LAO ĐỘNG TIÊN TIẾN")]
    for number, (page, (name, award)) in enumerate(zip(pages, expected, strict=True), start=1):
        text = "\n".join(page)
        assert f"Tặng: {name}" in page and award in page and "SỞ Y TẾ" in page
        assert "Quyết định số 125/QĐ-SYT, ngày 20 tháng 3 năm 2026" in text
        assert f"Số sổ vàng: {number}" in page and "Nguyễn Văn Giám Đốc" in page
    assert "Đã có thành tích: <b>Hoàn thành xuất sắc</b> nhiệm vụ & <script>alert(1)</script>" in pages[0]
    assert "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025." in pages[1]


def test_certificates_for_chosen_recipients(three):
    second = three.items[1]
    document = opened(documents.certificates_docx(three, [second.id]))
    text = all_text(document)
    assert len(document.sections) == 1 and "Tặng: Trần Thị Bình" in text and "Nguyễn Văn An" not in text
    assert "Số sổ vàng: 2" in text
    with pytest.raises(ValueError):
        documents.certificates_docx(three, [second.id, 999_999])
    with pytest.raises(ValueError):
        documents.certificates_docx(three, [])


def test_long_summaries_are_cut_at_a_word(desk, db):
    dossier = desk.appraised("LDTT", summary="Đã có thành tích " + "rất tốt " * 80)
    db.session.commit()
    decision = issue(desk, db, [dossier], number="8/QĐ-SYT")
    text = all_text(opened(documents.certificates_docx(decision)))
    line = next(t for t in text.splitlines() if t.startswith("Đã có thành tích"))
    assert line.endswith("tốt…") and len(line) <= documents.SUMMARY_CHARS + 1
    assert documents.DOCX_MIME.endswith("wordprocessingml.document")


def test_legal_basis_by_date():
    assert "98/2023" in documents.legal_basis(date(2025, 6, 30))[1]
    assert "152/2025" in documents.legal_basis(date(2025, 7, 1))[1]
