"""The minutes of a closed session (RULES §5) as data, .docx and .xlsx, on a real session run over the API."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import event

from awards.core import clock
from awards.core.db import DomainError
from awards.council import minutes, queries, services
from tests import factories

DECLARED_REASON = "Là vợ của người được đề nghị, xin không tham gia biểu quyết"
ODD_NAME = "=1+2\x07 Lê Văn Độc"  # a leading '=' and a control character, as someone might import them


def _roles(council, seats):
    """Give the council a vice-chair and a secretary before the session opens (the snapshot keeps them)."""
    services.save_council(code="HD-SYT", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                          chair_username=council.members[0].user.username,
                          members=[(m.user.username, seats.get(n, "member")) for n, m in enumerate(council.members)
                                   if n], council=queries.council_by_code("HD-SYT"), by=council.staff.user)
    council.db.session.commit()


def _dossier(council, name, award="CSTDCS", unit=None):
    subject = factories.person(full_name=name, unit=unit or council.hospitals[1])
    return factories.nomination(subject, award, by=council.staff.user)


@pytest.fixture
def closed(council, db):
    """8 of 10 members vote on five dossiers; the chair is recused from one automatically, member 1 declares."""
    _roles(council, {1: "vice_chair", 2: "secretary"})
    own = _dossier(council, "Phạm Thu Hà", unit=council.hospitals[0])
    minh, lan, odd = (_dossier(council, name) for name in ("Trần Văn Minh", "Nguyễn Thị Lan", ODD_NAME))
    ward = factories.nomination(factories.unit(name="Khoa Hồi sức tích cực", parent=council.hospitals[1]), "TTLDXS",
                                by=council.staff.user)
    db.session.commit()
    session_id = council.session([minh, lan, own, ward, odd])
    declared = council.members[1].post(f"/api/v1/council-sessions/{session_id}/recusals",
                                       json={"nomination_id": lan.id, "reason": DECLARED_REASON})
    assert declared.status_code == 201, declared.json
    for n, member in enumerate(council.members[:8]):
        votes = [(minh, "yes"), (odd, "yes" if n < 3 else "no"), (ward, "yes" if n < 6 else "no")]
        if n != 0:
            votes.append((own, "yes" if n < 7 else "no"))
        if n != 1 and n != 7:  # member 7 leaves Lan blank
            votes.append((lan, "no" if n == 6 else "yes"))
        assert council.vote(session_id, member, votes).status_code == 201
    assert council.close(session_id).status_code == 200
    session = queries.session_by_id(session_id)
    return session, minutes.minutes_of(session), {"minh": minh, "lan": lan, "own": own, "ward": ward, "odd": odd}


def _docx_text(data: bytes) -> tuple[list[str], list]:
    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs], document.tables


def _table(tables, first: str):
    return next(t for t in tables if t.rows[0].cells[0].text == first)


def test_minutes_data(closed, council):
    _session, m, dossiers = closed
    assert (m.council_code, m.council_name, m.unit_name) == ("HD-SYT", "Hội đồng Thi đua – Khen thưởng Sở Y tế",
                                                            "Sở Y tế")
    assert (m.total_members, m.ballots_cast, m.quorum_needed, m.quorum_met, m.round) == (10, 8, 7, True, 1)
    assert m.closed_at.tzinfo == clock.VIETNAM and m.closed_at.strftime("%d/%m/%Y %H:%M") == "10/03/2026 09:00"
    assert [i.nomination_id for i in m.items] == [d.id for d in (dossiers["minh"], dossiers["lan"], dossiers["own"],
                                                                dossiers["ward"], dossiers["odd"])]
    lines = {i.nominee: i for i in m.items}
    assert (lines["Trần Văn Minh"].yes, lines["Trần Văn Minh"].no, lines["Trần Văn Minh"].result_label) == (8, 0, "Đạt")
    lan = lines["Nguyễn Thị Lan"]
    assert (lan.yes, lan.no, lan.blank, lan.needed, lan.result_label) == (5, 2, 1, 8, "Không đạt")
    assert lan.recused == ("Thành viên Hội đồng 1",) and lan.ballot_label == "Bỏ phiếu kín"
    assert lines["Phạm Thu Hà"].recused == ("Thành viên Hội đồng 0",) and lines["Phạm Thu Hà"].yes == 6
    ward = lines["Khoa Hồi sức tích cực"]
    assert (ward.ballot_label, ward.yes, ward.no, ward.needed, ward.passed) == ("Biểu quyết công khai", 6, 2, 5, True)
    assert ward.unit_name == "Bệnh viện 2" and lines["Trần Văn Minh"].unit_name == "Bệnh viện 2"
    assert ward.award == "Tập thể lao động xuất sắc"
    roles = [(line.name, line.role_label, line.present) for line in m.members]
    assert roles[:3] == [("Thành viên Hội đồng 0", "Chủ tịch", True), ("Thành viên Hội đồng 1", "Phó Chủ tịch", True),
                         ("Thành viên Hội đồng 2", "Ủy viên thư ký", True)]
    assert [line.name for line in m.absent] == ["Thành viên Hội đồng 8", "Thành viên Hội đồng 9"]
    assert [(r.member, r.automatic, r.position) for r in m.recusals] == [("Thành viên Hội đồng 1", False, 2),
                                                                        ("Thành viên Hội đồng 0", True, 3)]


def test_docx_reads_as_minutes(closed):
    session, m, _dossiers = closed
    paragraphs, tables = _docx_text(minutes.to_docx(m))
    text = "\n".join(paragraphs)
    header = tables[0].rows[0].cells
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG SỞ Y TẾ" in header[0].text and "SỞ Y TẾ" in header[0].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text and "ngày 10 tháng 3 năm 2026" in header[1].text.lower()
    assert minutes.TITLE in paragraphs
    assert "Hội đồng Thi đua – Khen thưởng Sở Y tế" in text and "Phiên xét danh hiệu năm 2025" in text
    assert "Vòng bỏ phiếu: 1" in text and "09 giờ 00 ngày 10/03/2026" in text
    assert ("Số thành viên tham gia: 8/10 (tỷ lệ 80%), đạt tỷ lệ tối thiểu 2/3 (7 thành viên)." in paragraphs)
    absent_from = paragraphs.index(next(p for p in paragraphs if p.startswith("Thành viên vắng mặt")))
    assert paragraphs[absent_from + 1:absent_from + 3] == ["- Thành viên Hội đồng 8 – Ủy viên",
                                                           "- Thành viên Hội đồng 9 – Ủy viên"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in _table(tables, "STT").rows[1:]}
    assert rows["Trần Văn Minh"] == ["1", "Trần Văn Minh", "Bệnh viện 2", "Chiến sĩ thi đua cơ sở", "Bỏ phiếu kín",
                                     "8", "0", "8", "Đạt"]
    assert rows["Nguyễn Thị Lan"][5:] == ["5", "2 (1)", "8", "Không đạt"]
    assert rows["Phạm Thu Hà"][2] == "Bệnh viện 1" and rows["Phạm Thu Hà"][5:] == ["6", "1", "8", "Không đạt"]
    assert rows["Khoa Hồi sức tích cực"][4:] == ["Biểu quyết công khai", "6", "2", "5", "Đạt"]
    assert rows["=1+2 Lê Văn Độc"][5:] == ["3", "5", "8", "Không đạt"]  # the control character is gone
    for recusal in queries.recusals(session):
        assert f"Lý do: {recusal.reason.rstrip('.')} (" in text
    assert DECLARED_REASON in text and "(tự khai)" in text and "(tự động xác định)" in text
    assert "không thể hiện thành viên nào đã chọn phương án nào" in text
    secretary, chair = (cell.text for cell in tables[-1].rows[0].cells)
    assert secretary.startswith("THƯ KÝ HỘI ĐỒNG") and secretary.endswith("Thành viên Hội đồng 2")
    assert chair.startswith("CHỦ TỊCH HỘI ĐỒNG") and chair.endswith("Thành viên Hội đồng 0")


def _sheet_rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_xlsx_has_the_same_numbers(closed):
    _session, m, _dossiers = closed
    book = load_workbook(io.BytesIO(minutes.to_xlsx(m)))
    assert book.sheetnames == ["Kết quả", "Thành viên", "Tránh xung đột"]
    results = book["Kết quả"]
    assert results["A1"].value == minutes.TITLE
    labels = {row[1]: row[2] for row in _sheet_rows(results) if row[0] is None and row[1]}
    assert labels["Hội đồng"] == "Hội đồng Thi đua – Khen thưởng Sở Y tế" and labels["Vòng bỏ phiếu"] == 1
    assert labels["Tổng số thành viên"] == 10 and labels["Số thành viên tham gia"] == 8
    assert labels["Số thành viên tối thiểu"] == 7 and labels["Đủ số thành viên tham gia"] == "Có"
    rows = _sheet_rows(results)
    start = next(n for n, row in enumerate(rows) if row[0] == "STT")
    assert rows[start][:10] == ["STT", "Họ tên / Tập thể", "Đơn vị", "Danh hiệu/Hình thức", "Hình thức biểu quyết",
                                "Đồng ý", "Không đồng ý", "Trong đó bỏ trống", "Cần đạt", "Kết quả"]
    items = {row[1]: row for row in rows[start + 1:]}
    assert items["Trần Văn Minh"][:10] == [1, "Trần Văn Minh", "Bệnh viện 2", "Chiến sĩ thi đua cơ sở", "Bỏ phiếu kín",
                                           8, 0, 0, 8, "Đạt"]
    assert items["Nguyễn Thị Lan"][5:] == [5, 2, 1, 8, "Không đạt", "Thành viên Hội đồng 1"]
    assert items["Khoa Hồi sức tích cực"][5:10] == [6, 2, 0, 5, "Đạt"]
    assert all(type(v) is int for row in items.values() for v in (row[0], *row[5:9]))
    members = _sheet_rows(book["Thành viên"])
    assert members[0] == ["Họ tên", "Vai trò", "Tham gia"]
    present = {row[0]: row[2] for row in members[1:]}
    assert present == {f"Thành viên Hội đồng {n}": "Có" if n < 8 else "Không" for n in range(10)}
    assert members[1][:2] == ["Thành viên Hội đồng 0", "Chủ tịch"]
    recusals = _sheet_rows(book["Tránh xung đột"])
    assert recusals[0] == ["STT hồ sơ", "Hồ sơ", "Thành viên", "Lý do", "Tự động/Tự khai"]
    assert recusals[1] == [2, "Nguyễn Thị Lan", "Thành viên Hội đồng 1", DECLARED_REASON, "Tự khai"]
    assert recusals[2][:3] == [3, "Phạm Thu Hà", "Thành viên Hội đồng 0"] and recusals[2][4] == "Tự động"


def test_odd_names_stay_text(closed):
    """A name starting with '=' is never a formula; a control character never breaks either file."""
    _session, m, _dossiers = closed
    assert ODD_NAME in [i.nominee for i in m.items]  # the data keeps what was typed
    paragraphs, tables = _docx_text(minutes.to_docx(m))
    assert "=1+2 Lê Văn Độc" in [r.cells[1].text for r in _table(tables, "STT").rows]
    book = load_workbook(io.BytesIO(minutes.to_xlsx(m)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    odd = next(c for c in cells if isinstance(c.value, str) and "Lê Văn Độc" in c.value)
    assert odd.data_type == "s" and odd.value == "=1+2 Lê Văn Độc"  # as typed, and text


def test_no_minutes_before_the_close(council, db):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    with pytest.raises(DomainError) as refused:
        minutes.minutes_of(queries.session_by_id(session_id))
    assert refused.value.status == 409 and refused.value.code == "not_closed"


def test_no_recusal_no_secretary(council, db):
    """Without recusals the minutes say so; without a secretary the block stays, unnamed, for a signature."""
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    for member in council.members[1:7]:
        council.vote(session_id, member, [(dossier, "yes")])
    council.close(session_id)
    m = minutes.minutes_of(queries.session_by_id(session_id))
    assert m.recusals == () and not m.quorum_met and m.name_of_role("secretary") is None
    paragraphs, tables = _docx_text(minutes.to_docx(m))
    assert minutes.NO_RECUSAL in paragraphs
    assert ("Số thành viên tham gia: 6/10 (tỷ lệ 60%), không đạt tỷ lệ tối thiểu 2/3 (7 thành viên). Do không đủ số "
            "thành viên tham gia, không hồ sơ nào được thông qua.") in paragraphs
    secretary, chair = (cell.text for cell in tables[-1].rows[0].cells)
    assert secretary.strip().endswith("(Ký, ghi rõ họ tên)") and chair.endswith("Thành viên Hội đồng 0")
    assert _sheet_rows(load_workbook(io.BytesIO(minutes.to_xlsx(m)))["Tránh xung đột"]) == [
        ["STT hồ sơ", "Hồ sơ", "Thành viên", "Lý do", "Tự động/Tự khai"]]


def _statements(db, session_id) -> int:
    """How many SQL statements the minutes of a freshly loaded session take."""
    db.session.remove()
    session = queries.session_by_id(session_id)
    count = []

    def listener(*_args):
        count.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        minutes.minutes_of(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(count)


def test_no_query_per_item(council, db):
    """Two dossiers or six, the same queries: the minutes of a 500-dossier session stay quick."""
    def closed_session(dossiers):
        session_id = council.session(dossiers)
        for member in council.members[:8]:
            council.vote(session_id, member, [(d, "yes") for d in dossiers if d.unit_id != council.hospitals[0].id])
        council.close(session_id)
        return session_id

    small = closed_session(council.dossiers("TTLDXS") + council.dossiers("CSTDCS", unit=council.hospitals[0]))
    big = closed_session(council.dossiers("TTLDXS", "CSTDCS", "CO_TINH", "CSTDCS") +
                         council.dossiers("CSTDCS", "CSTDCS", unit=council.hospitals[0]))
    assert _statements(db, small) == _statements(db, big)
