"""The statistics forms 0601.N–0605.N of TT 02/2023/TT-BNV: their headers as the forms lay them out, and their cells
against a small archive counted by hand (period 01/12/2024 – 30/11/2025 for the year 2025)."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from awards.archive import services as archive
from awards.campaigns import services as campaigns
from awards.clusters import services as clusters
from awards.reports import statistics
from awards.units import services as units
from tests import factories
from tests.announcements.conftest import desk  # noqa: F401, F811 (the fixture: a Sở issuing decisions with prizes)
from tests.prizes.conftest import base_salaries  # noqa: F401, F811 (the fixture: the base-salary table)

NO = statistics.NO_DATA


def book_of(year: int = 2025):
    return load_workbook(BytesIO(statistics.statistics_workbook(year)), data_only=True)


def numbers_row(sheet) -> int:
    """The row of column numbers (A, B, …) under the headings."""
    return next(cell.row for cell in sheet["A"] if cell.value == "A")


def header_texts(sheet) -> list[str]:
    """Every heading cell's text, top to bottom, left to right (merged cells once)."""
    last = numbers_row(sheet)
    return [c.value for row in sheet.iter_rows(min_row=9, max_row=last - 1) for c in row if c.value]


def body(sheet) -> dict[str, tuple]:
    """Row code → (label, unit or None, values…) for the coded rows under the column numbers."""
    result = {}
    unit_column = sheet.cell(numbers_row(sheet), 3).value == "C"
    for row in sheet.iter_rows(min_row=numbers_row(sheet) + 1, values_only=True):
        if not row[0] or row[0].startswith(("…", "Người lập", "(Ký")):
            continue
        if row[1]:
            values = row[3:] if unit_column else row[2:]
            result[row[1]] = (row[0], row[2] if unit_column else None, *[v for v in values if v is not None])
    return result


def labels(sheet) -> list[str]:
    first = numbers_row(sheet) + 1
    result = []
    for row in sheet.iter_rows(min_row=first, values_only=True):
        if not row[0]:
            break
        result.append(row[0])
    return result


@pytest.fixture
def sample(db):
    """People with their statistics inputs, awards around both ends of the period, campaigns of every length."""
    so = factories.unit(code="SYT", name="Sở Y tế", kind="department_of_health")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=so, kind="hospital")
    tram = factories.unit(code="TYT", name="Trạm Y tế xã Hòa An", parent=bva, kind="station", grassroots=True)
    units.create_unit(code="PKTN", name="Phòng khám Đa khoa tư nhân An Bình", parent_code="SYT", enterprise=True)
    units.create_unit(code="ORG", name="Tổ chức Hỗ trợ y tế quốc tế", parent_code="SYT", foreign_organisation=True)
    factories.person(code="P1", unit=bva, occupation_group="leader_department")
    factories.person(code="P2", unit=bva, gender="male", occupation_group="direct_worker")
    factories.person(code="P3", unit=tram, frontline=True)  # no group recorded: frontline counts as direct
    factories.person(code="P4", unit=bva, gender="male", occupation_group="other", foreign_national=True)
    factories.person(code="P5", unit=tram)
    n = 0

    def award(code, subject, decided, kind="regular", subject_type="person"):
        nonlocal n
        n += 1
        return archive.record_award(subject_type=subject_type, subject_code=subject, award_code=code,
                                    year=decided.year, decision_number=f"{n}/QĐ", decision_date=decided,
                                    issuer="Chủ tịch nước", kind=kind)

    # state awards (0602.N)
    award("HCLD3", "P1", date(2025, 6, 1))
    award("BK_TTG", "P2", date(2025, 3, 1))
    award("BK_TTG", "BVA", date(2025, 4, 1), kind="adhoc", subject_type="unit")
    award("CSTD_TQ", "P3", date(2024, 12, 1), kind="thematic")  # the period's first day
    award("CO_CP", "TYT", date(2025, 11, 30), subject_type="unit")  # its last day
    award("BK_TTG", "P5", date(2025, 12, 1))  # the next period
    award("HCLD3", "P2", date(2024, 11, 30))  # the period before
    wrong = award("BK_TTG", "P3", date(2025, 2, 2))
    archive.revoke_record(wrong, reason="Khen sai đối tượng", decision_number="TH/1",
                          decision_date=date(2025, 3, 3), by=None)
    # the province's awards (0603.N)
    award("BK_TINH", "P4", date(2025, 5, 5))  # a foreigner: đối ngoại, not thường xuyên
    award("BK_TINH", "BVA", date(2025, 5, 5), kind="thematic", subject_type="unit")
    award("CSTD_TINH", "P1", date(2025, 5, 5))
    award("CO_TINH", "TYT", date(2025, 5, 5), subject_type="unit")
    award("BK_TINH", "PKTN", date(2025, 5, 5), subject_type="unit")  # an enterprise
    award("BK_TINH", "ORG", date(2025, 5, 5), subject_type="unit")  # a foreign organisation: đối ngoại
    award("TTLDXS", "BVA", date(2025, 5, 5), subject_type="unit")  # a title neither form lists
    award("LDTT", "P5", date(2025, 5, 5))  # a grassroots title: in neither form
    # campaigns (0601.N) by start date
    staff = factories.user("staff")

    def campaign(title, kind, starts_on, ends_on, launch=True):
        campaigns.create_campaign(
            by=staff, launch=launch, title=title, kind=kind, year=starts_on.year, organizer_unit_code="SYT",
            starts_on=starts_on, ends_on=ends_on, registration_deadline=starts_on, nomination_deadline=ends_on,
            award_codes=["LDTT"])

    campaign("Thi đua năm 2025", "regular", date(2025, 1, 1), date(2025, 12, 31))  # 1 năm
    campaign("Chào mừng ngày Thầy thuốc", "thematic", date(2025, 3, 1), date(2025, 8, 31))  # dưới 1 năm
    campaign("Ba năm chuyển đổi số", "thematic", date(2024, 12, 1), date(2027, 11, 30))  # 3 năm: 3–5
    campaign("Năm 2026", "regular", date(2025, 12, 2), date(2026, 12, 31))  # the next period
    campaign("Bản nháp", "regular", date(2025, 2, 1), date(2025, 12, 31), launch=False)
    # a cụm of 2025 with its pledge locked counts as one movement organised by a cluster; a draft, another year not
    terms = [{"group": "", "text": "Hoàn thành các chỉ tiêu chuyên môn", "weight": 1, "max_points": 10}]
    for name, year, lock in (("Cụm bệnh viện tuyến tỉnh", 2025, True), ("Khối đang soạn", 2025, False),
                             ("Cụm năm trước", 2024, True)):
        made = clusters.create_cluster(name=name, kind="cluster", year=year, member_codes=["BVA", "PKTN"],
                                       leader_code="BVA", criteria=terms, by=staff)
        if lock:
            clusters.lock_pledge(made, by=staff)
    db.session.commit()


def test_the_five_forms_have_their_titles_and_header_blocks(sample):
    book = book_of()
    assert book.sheetnames == ["0601.N", "0602.N", "0603.N", "0604.N", "0605.N", "Tiền thưởng"]
    titles = {"0601.N": "SỐ PHONG TRÀO THI ĐUA", "0602.N": "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
              "0603.N": "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ "
                        "TRỰC THUỘC TRUNG ƯƠNG",
              "0604.N": "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG "
                        "ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
              "0605.N": "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH ĐOÀN THỂ TRUNG "
                        "ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"}
    for code, title in titles.items():
        sheet = book[code]
        texts = [c.value for row in sheet.iter_rows(max_row=7) for c in row if c.value]
        assert f"Biểu số: {code}/BNV-TĐKT" in texts
        assert "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ" in texts
        assert "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo" in texts
        assert "Đơn vị báo cáo: Sở Y tế" in texts
        assert "Đơn vị nhận báo cáo: Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)" in texts
        assert title in texts
        assert "Kỳ báo cáo: từ ngày 01/12/2024 đến ngày 30/11/2025" in texts
        footer = [c.value for row in sheet.iter_rows(min_row=numbers_row(sheet)) for c in row if c.value]
        assert {"Người lập biểu", "(Ký, họ tên)", "Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)"} <= set(footer)
    assert "Đơn vị tính: Phong trào" in [c.value for c in book["0601.N"][7]]


def test_column_headings_and_numbers(sample):
    book = book_of()
    sheet = book["0601.N"]
    assert header_texts(sheet) == [
        "Mã số", "Tổng số", "Số phong trào thi đua chia theo cấp chủ trì phát động thi đua",
        "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)",
        "Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương", "Cơ quan, tổ chức, đơn vị"]
    assert [c.value for c in sheet[numbers_row(sheet)]] == ["A", "B", "1=(2+3+4)", "2", "3", "4"]

    sheet = book["0602.N"]
    assert header_texts(sheet) == [
        "Mã số", "Đơn vị tính", "Tổng số", "Chia ra",
        "Các loại huân chương, huy chương", "Giải thưởng Hồ Chí Minh", "Giải thưởng Nhà nước",
        "Danh hiệu vinh dự nhà nước", "Cờ thi đua của Chính phủ", "Bằng khen của Thủ tướng Chính phủ",
        "Chiến sĩ thi đua Toàn quốc", "Các hình thức khen thưởng khác",
        "Huân chương Lao động hạng Ba",
        "Tập thể", "Cá nhân", "Cá nhân", "Cá nhân", "Tập thể", "Cá nhân", "Tập thể", "Tập thể", "Cá nhân",
        "Cá nhân", "Tập thể", "Cá nhân"]
    numbers = [c.value for c in sheet[numbers_row(sheet)]]
    assert numbers == ["A", "B", "C", "1", "2", None, "3", "4", "5", None, "6", "7", None, "8", "9", None]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"E9:P9", "E10:F10", "G10:G11", "L10:M11", "E11:F11", "E13:F13", "I13:J13", "L13:M13",
            "O13:P13"} <= merged  # Chia ra; the orders over their pair; 2, 5, 7, 9 over their columns

    sheet = book["0603.N"]
    assert header_texts(sheet) == [
        "Mã số", "Đơn vị tính", "Tổng số", "Chia ra", "Bằng khen", "Chiến sĩ thi đua cấp bộ, cấp tỉnh",
        "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
        "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"]
    assert [c.value for c in sheet[numbers_row(sheet)]] == ["A", "B", "C", "1", "2", "3", "4", "5"]
    sheet = book["0604.N"]
    assert header_texts(sheet) == ["Mã số", "Đơn vị tính", "Số lượng"]
    assert [c.value for c in sheet[numbers_row(sheet)]] == ["A", "B", "C", "1"]
    sheet = book["0605.N"]
    assert header_texts(sheet) == ["Mã số", "Số lượng (Người)", "Tổng số", "Trong đó: Nữ"]
    assert [c.value for c in sheet[numbers_row(sheet)]] == ["A", "B", "1", "2"]


def test_row_labels_and_codes(sample):
    book = book_of()
    assert labels(book["0601.N"]) == [
        "Tổng số", "1. Chia theo phạm vi tổ chức thi đua", "- Toàn quốc", "- Bộ, ban, ngành đoàn thể, địa phương",
        "- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", "- Cơ quan, tổ chức, đơn vị",
        "2. Chia theo thời hạn thi đua", "- Dưới 1 năm", "- 1 năm", "- Từ 1 năm đến dưới 3 năm",
        "- Từ 3 năm đến dưới 5 năm", "- Từ 5 năm trở lên", "3. Chia theo phương thức tổ chức phong trào thi đua",
        "- Thi đua theo chuyên đề", "- Thi đua thường xuyên hàng năm"]
    assert list(body(book["0601.N"])) == [f"{n:02d}" for n in range(1, 13)]
    people = ["- Tập thể", "Trong đó: Doanh nghiệp", "- Hộ gia đình", "- Cá nhân",
              "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "+ Lãnh đạo cấp vụ, sở, ngành và tương đương",
              "+ Doanh nhân", "+ Các cấp lãnh đạo khác từ phó phòng trở lên",
              "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông "
              "dân,...)"]
    methods = ["- Thường xuyên", "- Chuyên đề", "- Đột xuất", "- Đối ngoại", "- Cống hiến", "- Niên hạn",
               "- Kháng chiến"]
    assert labels(book["0602.N"]) == [
        "Tổng số", "1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng",
        "- Bộ, ban, ngành, đoàn thể Trung ương", "- Tỉnh, thành phố trực thuộc Trung ương",
        "2. Chia theo đối tượng khen thưởng", *people, "3. Chia theo phương thức khen thưởng", *methods]
    assert list(body(book["0602.N"])) == ["01", "02", "03", *[f"{n:02d}" for n in range(6, 22)]]
    assert [body(book["0602.N"])[c][1] for c in ("02", "03", "06", "07", "08", "09", "14")] == [
        "Bộ, ngành", "Tỉnh, TP", "Tập thể", "Doanh nghiệp", "Hộ", "Người", "Người"]
    assert labels(book["0603.N"]) == ["Tổng số", "1. Chia theo đối tượng khen thưởng", *people,
                                      "2. Chia theo phương thức khen thưởng", *methods]
    assert list(body(book["0603.N"])) == [f"{n:02d}" for n in range(1, 18)]
    assert list(body(book["0604.N"])) == ["01", "02", "03", "04", "05"]
    assert list(body(book["0605.N"])) == [f"{n:02d}" for n in range(1, 16)]
    assert labels(book["0605.N"])[-4:] == ["3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng",
                                           "- Dưới 5 năm", "- Từ 5 đến 10 năm", "- Từ 10 năm trở lên"]


def test_campaign_counts(sample):
    rows = body(book_of()["0601.N"])
    values = {code: row[2:] for code, row in rows.items()}
    # 3 campaigns in the period (1 năm regular; dưới 1 năm thematic; 3 năm thematic) organised by units of the
    # tree, and the cụm of 2025 under its signed pledge (a regular movement of one year)
    assert values["01"] == (4, 0, 0, 4)
    assert values["02"] == values["03"] == (0, 0, 0, 0)
    assert values["04"] == (1, 0, 0, 1)
    assert values["05"] == (3, 0, 0, 3)
    assert [values[c] for c in ("06", "07", "08", "09", "10")] == [
        (1, 0, 0, 1), (2, 0, 0, 2), (0, 0, 0, 0), (1, 0, 0, 1), (0, 0, 0, 0)]
    assert values["11"] == (2, 0, 0, 2) and values["12"] == (2, 0, 0, 2)


def test_state_award_counts(sample):
    values = {code: row[2:] for code, row in body(book_of()["0602.N"]).items()}
    # Tổng | HCLĐ3 TT, CN | GT HCM | GT NN | vinh dự TT, CN | Cờ CP | BK TTg TT, CN | CSTĐ TQ | khác TT, CN
    everything = (5, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0)
    assert values["01"] == everything and values["03"] == everything
    assert values["02"] == (0,) * 13
    assert values["06"] == (2, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0)  # tập thể: BK TTg to BVA, Cờ CP to TYT
    assert values["07"] == (0,) * 13  # no enterprise got a state award
    assert values["08"] == (0,) * 13
    assert values["09"] == (3, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0)
    assert values["10"] == (0,) * 13
    assert values["11"] == (1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  # P1, lãnh đạo cấp sở: HCLĐ3
    assert values["12"] == values["13"] == (0,) * 13
    assert values["14"] == (2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0)  # P2 (recorded), P3 (frontline)
    assert values["15"] == (3, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0)  # thường xuyên
    assert values["16"] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)  # chuyên đề
    assert values["17"] == (1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)  # đột xuất
    assert values["18"] == (0,) * 13
    assert values["19"] == values["20"] == values["21"] == (NO,) * 13


def test_provincial_award_counts(sample):
    values = {code: row[2:] for code, row in body(book_of()["0603.N"]).items()}
    # Tổng | Bằng khen | CSTĐ cấp tỉnh | Cờ thi đua | Huy hiệu, kỷ niệm chương — TTLĐXS and LĐTT are in no column
    assert values["01"] == (6, 4, 1, 1, 0)
    assert values["02"] == (4, 3, 0, 1, 0)  # BVA, TYT, the clinic, the foreign organisation
    assert values["03"] == (1, 1, 0, 0, 0)  # doanh nghiệp: the clinic
    assert values["04"] == (0,) * 5
    assert values["05"] == (2, 1, 1, 0, 0)
    assert values["07"] == (1, 0, 1, 0, 0)
    assert values["10"] == (0,) * 5  # P4's group is "other"
    assert values["11"] == (3, 1, 1, 1, 0)  # thường xuyên without the foreigners
    assert values["12"] == (1, 1, 0, 0, 0)
    assert values["13"] == (0,) * 5
    assert values["14"] == (2, 2, 0, 0, 0)  # đối ngoại: P4 and the foreign organisation
    assert values["15"] == values["16"] == values["17"] == (NO,) * 5


def test_staff_forms_say_there_is_no_data(sample):
    book = book_of()
    for code in ("0604.N", "0605.N"):
        for row in body(book[code]).values():
            assert set(row[2:]) == {NO}, (code, row)


def test_an_empty_year_counts_zero_and_the_prize_annex_is_there(db):
    book = book_of(2030)
    assert body(book["0601.N"])["01"][2:] == (0, 0, 0, 0)
    assert body(book["0602.N"])["01"][2] == 0 and body(book["0603.N"])["01"][2] == 0
    annex = [c.value for row in book["Tiền thưởng"].iter_rows() for c in row if c.value is not None]
    assert annex[0] == "TIỀN THƯỞNG THEO DANH HIỆU, HÌNH THỨC KHEN THƯỞNG NĂM 2030"
    if statistics.prize_totals is not None:  # the prizes feature is installed: its totals, here none
        assert annex[-5:] == ["Mã", "Danh hiệu / hình thức khen thưởng", "Tiền thưởng (đồng)", "Tổng cộng", 0]


def test_campaign_duration_classes():
    d = statistics.duration_row
    assert d(date(2025, 1, 1), date(2025, 12, 30)) == "under_1"
    assert d(date(2025, 1, 1), date(2025, 12, 31)) == "1"
    assert d(date(2024, 3, 1), date(2025, 2, 28)) == "1"
    assert d(date(2025, 1, 1), date(2026, 1, 1)) == "1_3"
    assert d(date(2025, 1, 1), date(2027, 12, 31)) == "3_5"
    assert d(date(2025, 1, 1), date(2029, 12, 31)) == "5_plus"
    assert statistics.reporting_period(2025) == (date(2024, 12, 1), date(2025, 11, 30))


def test_a_bad_year_is_refused(db):
    with pytest.raises(ValueError):
        statistics.statistics_workbook(99)


# --- the inputs the forms need, recorded through the person form and the people import ---------------------------

def sheet_of(headers, rows) -> BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def tree(db):
    so = factories.unit(code="SYT", name="Sở Y tế", kind="department_of_health")
    factories.unit(code="BVA", name="Bệnh viện A", parent=so, kind="hospital")
    db.session.commit()


def test_the_person_form_records_the_group_and_a_foreigner_and_the_form_counts_them(client, login_as, csrf_token,
                                                                                   tree, db):
    from awards.units import queries

    login_as("staff")
    page = client.get("/people/new").get_data(as_text=True)
    assert "Nhóm đối tượng (biểu thống kê)" in page and "Doanh nhân" in page and "Người nước ngoài" in page
    token = csrf_token("/units")
    response = client.post("/people/new", data={
        "csrf_token": token, "code": "NN01", "full_name": "John Smith", "gender": "male", "unit_code": "BVA",
        "occupation_group": "businessperson", "foreign_national": "y"})
    assert response.status_code == 302
    person = queries.person_by_code("NN01")
    assert (person.occupation_group, person.foreign_national) == ("businessperson", True)
    edit = client.get("/people/NN01/edit").get_data(as_text=True)
    assert '<option selected value="businessperson">' in edit or 'value="businessperson" selected' in edit
    refused = client.post("/people/NN01/edit", data={
        "csrf_token": token, "full_name": "John Smith", "gender": "male", "unit_code": "BVA",
        "occupation_group": "king", "active": "y"})
    assert refused.status_code == 400 and "Lựa chọn không hợp lệ." in refused.get_data(as_text=True)
    cleared = client.post("/people/NN01/edit", data={
        "csrf_token": token, "full_name": "John Smith", "gender": "male", "unit_code": "BVA",
        "occupation_group": "", "foreign_national": "y", "active": "y"})
    assert cleared.status_code == 302 and queries.person_by_code("NN01").occupation_group is None
    client.post("/people/NN01/edit", data={
        "csrf_token": token, "full_name": "John Smith", "gender": "male", "unit_code": "BVA",
        "occupation_group": "businessperson", "foreign_national": "y", "active": "y"})
    archive.record_award(subject_type="person", subject_code="NN01", award_code="BK_TINH", year=2025,
                         decision_number="1/QĐ", decision_date=date(2025, 6, 1), issuer="Chủ tịch UBND tỉnh")
    db.session.commit()
    values = {code: row[2:] for code, row in body(book_of()["0603.N"]).items()}
    assert values["08"] == (1, 1, 0, 0, 0)  # doanh nhân
    assert values["14"] == (1, 1, 0, 0, 0) and values["11"] == (0,) * 5  # đối ngoại, not thường xuyên


def test_the_people_import_reads_the_group_and_the_foreigner_columns(tree, db, login_as):
    from awards.units import imports, queries

    user = login_as("staff")
    headers = ["Mã cá nhân", "Họ và tên", "Giới tính", "Mã đơn vị", "Nhom doi tuong", "Người nước ngoài"]
    bad = [["CN1", "Trần Văn Bình", "Nam", "BVA", "Vua", ""],
           ["CN2", "Anna Müller", "Nữ", "BVA", "", "có lẽ"]]
    result = imports.import_people(sheet_of(headers, bad), dry_run=False, by=user)
    assert [e["row"] for e in result.errors] == [2, 3] and result.imported == 0
    messages = " | ".join(e["message"] for e in result.errors)
    assert "Nhóm đối tượng “Vua” không hợp lệ" in messages and "Cột “Người nước ngoài”" in messages
    good = [["CN1", "Trần Văn Bình", "Nam", "BVA", "Lãnh đạo cấp bộ, cấp tỉnh", "Không"],
            ["CN2", "Anna Müller", "Nữ", "BVA", "Doanh nhân", "Có"],
            ["CN3", "Lò Thị Mai", "Nữ", "BVA", "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ "
                                              "chiến đấu (công nhân, nông dân…)", ""],
            ["CN4", "Vũ Văn Hùng", "Nam", "BVA", "", ""]]
    result = imports.import_people(sheet_of(headers, good), dry_run=False, by=user)
    assert result.errors == [] and result.imported == 4
    db.session.commit()
    found = [(p.occupation_group, p.foreign_national) for p in map(queries.person_by_code,
                                                                   ("CN1", "CN2", "CN3", "CN4"))]
    assert found == [("leader_central", False), ("businessperson", True), ("direct_worker", False), (None, False)]
    template_headers, example = imports.template(imports.PEOPLE)
    shown = dict(zip(template_headers, example[0], strict=True))
    assert (shown["Nhóm đối tượng"], shown["Người nước ngoài"]) == ("Trực tiếp", "Không")


def test_the_api_takes_and_shows_the_group_and_a_foreigner(tree, api, db):
    staff = api.as_("staff")
    made = staff.post("/api/v1/people", json={
        "code": "API1", "full_name": "Maria Garcia", "gender": "female", "birth_date": "1980-01-02",
        "unit_code": "BVA", "occupation_group": "leader_other", "foreign_national": True})
    assert made.status_code == 201
    assert (made.json["occupation_group"], made.json["foreign_national"]) == ("leader_other", True)
    shown = staff.get("/api/v1/people/API1").json
    assert (shown["occupation_group"], shown["foreign_national"]) == ("leader_other", True)
    bad = staff.post("/api/v1/people", json={
        "code": "API2", "full_name": "Lê Văn Tư", "gender": "male", "birth_date": "1980-01-02",
        "unit_code": "BVA", "occupation_group": "king"})
    assert bad.status_code == 400 and "error" in bad.json
    plain = staff.post("/api/v1/people", json={
        "code": "API3", "full_name": "Lê Văn Năm", "gender": "male", "birth_date": "1980-01-02", "unit_code": "BVA"})
    assert (plain.json["occupation_group"], plain.json["foreign_national"]) == (None, False)


def test_the_prize_annex_lists_the_prizes_features_totals(desk, base_salaries, db):  # noqa: F811
    from tests.prizes.test_ledger import _decision

    _decision(desk, db, "40/QĐ-SYT", "2025-03-02", awards=("LDTT", "LDTT"))  # 2 × 0,3 × 2.340.000, rounded up
    _decision(desk, db, "41/QĐ-SYT", "2026-03-20", awards=("LDTT",))  # another year
    annex = [[c for c in row if c is not None] for row in load_workbook(
        BytesIO(statistics.statistics_workbook(2025)))["Tiền thưởng"].iter_rows(values_only=True)]
    assert ["LDTT", "Lao động tiên tiến", 1_420_000] in annex and ["Tổng cộng", 1_420_000] in annex


def test_a_unit_is_marked_an_enterprise_or_a_foreign_organisation_by_page_import_and_api(client, login_as,
                                                                                         csrf_token, tree, db, api):
    from awards.units import imports, queries

    user = login_as("staff")
    page = client.get("/units/new").get_data(as_text=True)
    assert "Là doanh nghiệp" in page and "Là tổ chức nước ngoài" in page
    token = csrf_token("/units")
    made = client.post("/units/new", data={"csrf_token": token, "code": "PK1", "name": "Phòng khám Tâm An",
                                           "parent_code": "SYT", "kind": "other", "enterprise": "y"})
    assert made.status_code == 302
    assert (queries.unit_by_code("PK1").enterprise, queries.unit_by_code("PK1").foreign_organisation) == (True,
                                                                                                           False)
    edited = client.post("/units/PK1/edit", data={"csrf_token": token, "name": "Phòng khám Tâm An",
                                                  "parent_code": "SYT", "kind": "other", "active": "y"})
    assert edited.status_code == 302 and queries.unit_by_code("PK1").enterprise is False  # unticked
    rows = [["ORG1", "Quỹ Hỗ trợ Y tế Quốc tế", "SYT", "Không", "Có"],
            ["CTY1", "Công ty Dược An Khang", "SYT", "Có", ""]]
    result = imports.run_import(imports.UNITS, sheet_of(["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên",
                                                         "Doanh nghiệp", "Tổ chức nước ngoài"], rows),
                                dry_run=False, by=user)
    assert result.errors == [] and result.imported == 2
    db.session.commit()
    org, company = queries.unit_by_code("ORG1"), queries.unit_by_code("CTY1")
    assert (org.enterprise, org.foreign_organisation, company.enterprise, company.foreign_organisation) == (
        False, True, True, False)
    bad = imports.run_import(imports.UNITS, sheet_of(["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên",
                                                      "Doanh nghiệp"], [["X1", "Đơn vị X", "SYT", "có lẽ"]]),
                             dry_run=False, by=user)
    assert bad.imported == 0 and "Cột “Doanh nghiệp”" in bad.errors[0]["message"]
    staff = api.as_("staff")
    response = staff.post("/api/v1/units", json={"code": "CTY2", "name": "Công ty Thiết bị Y tế Bình An",
                                                 "parent_code": "SYT", "enterprise": True})
    assert response.status_code == 201
    assert (response.json["enterprise"], response.json["foreign_organisation"]) == (True, False)
    assert staff.get("/api/v1/units/ORG1").json["foreign_organisation"] is True


def test_the_person_and_unit_pages_show_what_was_recorded(client, login_as, tree, db):
    from awards.units import services as unit_services

    factories.person(code="SHOW1", unit=unit_services.create_unit(code="PK9", name="Phòng khám Hữu Nghị",
                                                                  parent_code="SYT", enterprise=True),
                     occupation_group="leader_other", foreign_national=True)
    factories.person(code="SHOW2", unit=None)
    db.session.commit()
    login_as("staff")
    page = client.get("/people/SHOW1").get_data(as_text=True)
    assert "Các cấp lãnh đạo khác từ phó phòng trở lên" in page and "Người nước ngoài" in page
    assert "Chưa xác định" in client.get("/people/SHOW2").get_data(as_text=True)
    assert "Doanh nghiệp" in client.get("/units/PK9").get_data(as_text=True)


def test_every_row_written_chua_co_du_lieu_is_explained_in_the_docs(sample):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "STATISTICS.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Cells written"):docs.index("## Prize money")]
    book = book_of()
    for code in ("0601.N", "0602.N", "0603.N", "0604.N", "0605.N"):
        for row_code, row in body(book[code]).items():
            if NO in row[2:]:
                label = row[0].lstrip("-+ ")
                assert f'"{label}"' in section or f"{code} every cell" in section, (code, row_code, label)


def test_an_admins_award_types_count_in_their_columns_even_once_deactivated(tree, db):
    from awards.catalog import services as catalog

    admin = factories.user("admin")
    catalog.create_award_type(code="KNC_VSKND", name="Kỷ niệm chương Vì sức khỏe nhân dân", subject="individual",
                              level="ministerial", ballot="none", by=admin)
    catalog.create_award_type(code="TTUT", name="Thầy thuốc Ưu tú", subject="individual", level="national",
                              form="title", ballot="none", by=admin)
    factories.person(code="BS1", unit=None)
    db.session.commit()
    for code in ("KNC_VSKND", "TTUT"):
        archive.record_award(subject_type="person", subject_code="BS1", award_code=code, year=2025,
                             decision_number=f"{code}/QĐ", decision_date=date(2025, 6, 1), issuer="Bộ Y tế")
    catalog.set_award_type_active("KNC_VSKND", False, by=admin)
    db.session.commit()
    book = book_of()
    assert body(book["0603.N"])["01"][2:] == (1, 0, 0, 0, 1)  # Huy hiệu (kỷ niệm chương)
    sheet = book["0602.N"]
    assert "Thầy thuốc Ưu tú" in header_texts(sheet)  # a kind of its own under "Danh hiệu vinh dự nhà nước"
    # Tổng | HCLĐ3 TT, CN | GT HCM | GT NN | Thầy thuốc Ưu tú TT, CN | Cờ CP | BK TTg TT, CN | CSTĐ TQ | khác TT, CN
    assert body(sheet)["01"][2:] == (1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)
