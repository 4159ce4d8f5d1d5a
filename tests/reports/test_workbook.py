"""The report workbook against the hand-counted archive of conftest.py, and the processing clock against
dossiers whose submission and appraisal times are set by hand."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from awards.announcements.decisions import issue_decision
from awards.archive import services as archive
from awards.archive.models import AwardRecord
from awards.campaigns import queries as campaign_queries
from awards.campaigns import services as campaigns
from awards.core import clock
from awards.nominations import services as nominations
from awards.reports import figures, processing, statistics, workbook
from awards.reports.figures import Period, Scope
from awards.units.services import add_person_evaluation
from tests import factories

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_book(data: bytes, formulas: bool = False):
    """The workbook as Excel shows it (cached values), or with the formulas themselves."""
    return load_workbook(BytesIO(data), data_only=not formulas)


def rows(sheet, first: int = 2) -> list[tuple]:
    return [tuple(r) for r in sheet.iter_rows(min_row=first, values_only=True)]


def table(sheet) -> list[tuple]:
    """The data rows of a table sheet: below the header, down to the first empty label."""
    result = []
    for row in rows(sheet):
        if all(v is None for v in row):
            break
        result.append(row)
    return result


@pytest.fixture
def annual(province, at):
    at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    data = workbook.build(Period(2025))
    return open_book(data), open_book(data, formulas=True)


# --- structure -------------------------------------------------------------------------------------------------

def test_sheets_and_vietnamese_headers(annual):
    book, _ = annual
    assert book.sheetnames == ["Tổng hợp", "Theo danh hiệu", "Theo đơn vị", "Tỷ lệ", "Phong trào",
                               "Thời gian xử lý", "Danh sách"]
    assert next(book["Theo danh hiệu"].iter_rows(max_row=1, values_only=True))[:7] == (
        "STT", "Mã", "Danh hiệu / hình thức khen thưởng", "Cấp", "Loại", "Đối tượng", "Số lượt khen thưởng")
    assert next(book["Danh sách"].iter_rows(max_row=1, values_only=True))[:8] == (
        "STT", "Họ tên / Tên tập thể", "Đơn vị", "Danh hiệu / Hình thức", "Năm", "Số quyết định", "Ngày quyết định",
        "Số sổ vàng")
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet["A1"].font.b, name
        assert sheet.column_dimensions["B"].width > 8, name
    assert book["Theo đơn vị"]["C1"].value == "Tên đơn vị"
    assert book["Tỷ lệ"]["B1"].value == "Số lượt khen thưởng cá nhân"
    assert book["Phong trào"]["B1"].value == "Tên phong trào"
    assert book["Thời gian xử lý"]["A1"].value == "Danh hiệu / hình thức khen thưởng"


def test_cover_has_title_date_totals_and_shares_as_percents(annual):
    sheet = annual[0]["Tổng hợp"]
    assert sheet["A1"].value == "BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM 2025" and sheet["A1"].font.b
    assert sheet["A3"].value == "Ngày lập: 10/03/2026"
    lines = {r[0].strip(): r[1:3] for r in rows(sheet, 6) if r[0] and r[1] is not None}
    assert lines["Tổng số lượt khen thưởng"][0] == 6
    assert lines["Khen thưởng cá nhân"] == (5, pytest.approx(5 / 6, abs=1e-4))
    assert lines["Khen thưởng tập thể"][0] == 1
    assert lines["Danh hiệu thi đua"][0] == 6 and lines["Hình thức khen thưởng"][0] == 0  # Giấy khen revoked
    assert lines["Số đơn vị có khen thưởng (của đơn vị hoặc cá nhân thuộc đơn vị)"][0] == 2
    assert lines["Nữ"] == (3, 0.6)
    assert lines["Người trẻ (dưới 40 tuổi tính đến 31/12/2025)"] == (2, 0.4)
    assert lines["Người thuộc đơn vị cơ sở"] == (2, 0.4)
    assert lines["Tổng số lượt khen thưởng cá nhân"][0] == 5
    nu = next(row for row in sheet.iter_rows() if row[0].value == "Nữ")
    assert "%" in nu[2].number_format


# --- by award --------------------------------------------------------------------------------------------------

def test_by_award_counts_equal_the_hand_count(annual):
    book, formulas = annual
    sheet = book["Theo danh hiệu"]
    data = table(sheet)
    total = data.pop()
    counts = {r[1]: r[6] for r in data}
    assert {code: n for code, n in counts.items() if n} == {"LDTT": 4, "CSTDCS": 1, "TTLDTT": 1}
    assert counts["GIAY_KHEN"] == 0 and len(counts) == 12  # every catalog award, the revoked one at zero
    ldtt = next(r for r in data if r[1] == "LDTT")
    assert ldtt[2:6] == ("Lao động tiên tiến", "Cơ sở", "Danh hiệu thi đua", "Cá nhân")
    assert total[2] == "Tổng cộng" and total[6] == 6
    assert formulas["Theo danh hiệu"].cell(len(data) + 2, 7).value == f"=SUM(G2:G{len(data) + 1})"
    subtotals = {r[2]: r[6] for r in rows(sheet, len(data) + 5) if r[2]}
    assert subtotals["Cơ sở"] == 6 and subtotals["Cấp tỉnh"] == 0 and subtotals["Danh hiệu thi đua"] == 6
    assert formulas["Theo danh hiệu"]._charts  # the column chart


# --- by unit ---------------------------------------------------------------------------------------------------

def test_by_unit_in_tree_order_indented_and_rolled_up(annual):
    book, formulas = annual
    sheet = book["Theo đơn vị"]
    data = table(sheet)
    total = data.pop()
    assert [(r[1], r[2], r[3], r[5], r[6]) for r in data] == [
        ("SYT", "Sở Y tế", 1, 0, 6), ("BVA", "Bệnh viện A", 2, 3, 6), ("TYT", "Trạm Y tế xã Hòa An", 3, 3, 3)]
    assert [sheet.cell(row, 3).alignment.indent for row in (2, 3, 4)] == [0, 1, 2]
    assert data[2][4] == "x" and data[0][4] is None  # grassroots
    assert total[2] == "Tổng cộng" and total[5:7] == (6, 6)
    assert formulas["Theo đơn vị"]["F5"].value == "=SUM(F2:F4)"


# --- shares ----------------------------------------------------------------------------------------------------

def test_equity_shares_as_percents_with_a_chart(annual):
    book, formulas = annual
    sheet = book["Tỷ lệ"]
    data = table(sheet)
    total = data.pop()
    assert [(r[1], r[2]) for r in data] == [(3, 0.6), (2, 0.4), (1, 0.2), (1, 0.2), (2, 0.4)]
    assert data[0][0] == "Nữ" and data[2][0] == "Người dân tộc thiểu số"
    assert all("%" in sheet.cell(row, 3).number_format for row in range(2, 7))
    assert total[:2] == ("Tổng số lượt khen thưởng cá nhân", 5)
    assert formulas["Tỷ lệ"]._charts


def test_an_empty_year_has_zero_rows_and_shares(db):
    book = open_book(workbook.build(Period(2030)))
    assert table(book["Tỷ lệ"])[0][1:3] == (0, 0)
    assert table(book["Theo danh hiệu"])[-1][6] == 0
    assert book["Danh sách"]["B2"].value == "Không có khen thưởng nào trong kỳ."


# --- the list --------------------------------------------------------------------------------------------------

def test_list_has_exactly_the_live_records(annual):
    sheet = annual[0]["Danh sách"]
    data = table(sheet)
    assert [r[0] for r in data] == [1, 2, 3, 4, 5, 6]
    assert sorted(r[5] for r in data) == ["1/QĐ", "2/QĐ", "3/QĐ", "4/QĐ", "5/QĐ", "6/QĐ"]
    assert "7/QĐ" not in {r[5] for r in data} and "TH/1" not in {r[5] for r in data}  # revoked, its revocation
    first = next(r for r in data if r[5] == "6/QĐ")
    assert first[1:5] == ("Trạm Y tế xã Hòa An", "Trạm Y tế xã Hòa An", "Tập thể lao động tiên tiến", 2025)
    assert first[6] == datetime(2026, 1, 15) and sheet["G2"].number_format == "dd/mm/yyyy"
    assert {r[4] for r in data} == {2025}  # the 2024 award is not in the 2025 report


def test_a_name_starting_with_equals_stays_text(province, db):
    bva = province[1]
    factories.person(code="ODD", full_name='=HYPERLINK("http://x","bấm")', unit=bva)
    archive.record_award(subject_type="person", subject_code="ODD", award_code="LDTT", year=2025,
                         decision_number="+99/QĐ", decision_date=date(2026, 1, 20), issuer="Sở Y tế")
    db.session.commit()
    book = open_book(workbook.build(Period(2025)), formulas=True)
    odd = next(row for row in book["Danh sách"].iter_rows(min_row=2) if "HYPERLINK" in str(row[1].value))
    assert odd[1].data_type == "s" and odd[1].value == "=HYPERLINK(\"http://x\",\"bấm\")"  # as typed, text
    assert odd[5].data_type == "s" and odd[5].value == "+99/QĐ"


def test_the_list_continues_on_a_second_sheet_past_the_row_limit(province, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_LIST_ROWS", 4)
    book = open_book(workbook.build(Period(2025)))
    assert book.sheetnames[-2:] == ["Danh sách", "Danh sách (2)"]
    assert [r[0] for r in table(book["Danh sách"])] == [1, 2, 3, 4]
    assert [r[0] for r in table(book["Danh sách (2)"])] == [5, 6]
    assert book["Danh sách (2)"]["A1"].value == "STT"


def test_the_number_of_queries_does_not_grow_with_the_records(province, db):
    def statements():
        count = 0

        def counter(*args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            workbook.build(Period(2025))
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count

    before = statements()
    tram = province[2]
    for n in range(12):
        person = factories.person(unit=tram)
        archive.record_award(subject_type="person", subject_code=person.code, award_code="LDTT", year=2025,
                             decision_number=f"X{n}/QĐ", decision_date=date(2026, 1, 20), issuer="Sở Y tế")
    db.session.commit()
    assert statements() <= before  # the second build may reuse the request's catalogue read
    assert len(table(open_book(workbook.build(Period(2025)))["Danh sách"])) == 18


# --- the summary figures in one scan ---------------------------------------------------------------------------

def test_the_summary_figures_are_the_figures_queries_in_one_statement(province, db):
    """period_counts (one grouped scan) says what figures.by_award, by_unit_id and equity_counts say, for the
    year, a half and a scope, a correction counting once (as the correcting record) and a collective's award
    outside the equity counts."""
    so, bva, tram = province
    cstdcs = db.session.scalar(select(AwardRecord).where(AwardRecord.award_code == "CSTDCS"))
    archive.correct_record(cstdcs, reason="Sai số quyết định", decision_number="5b/QĐ", by=None)
    db.session.commit()
    scope = Scope(frozenset({tram.id}), "Trạm Y tế xã Hòa An")
    for period, where in ((Period(2025), None), (Period(2026, 1), None), (Period(2025), scope)):
        statements = []

        def seen(conn, cursor, statement, *args, statements=statements):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            counts = workbook.period_counts(period, where)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        assert len(statements) == 1
        assert counts.by_award == figures.by_award(period, where)
        assert counts.by_unit == figures.by_unit_id(period, where)
        assert (counts.individuals, counts.groups) == figures.equity_counts(period, where)
        assert sum(counts.by_subject.values()) == sum(counts.by_award.values())
    year = workbook.period_counts(Period(2025))
    assert year.by_award == {"LDTT": 4, "CSTDCS": 1, "TTLDTT": 1}
    assert year.by_subject == {"person": 5, "unit": 1}
    assert year.by_unit == {bva.id: 3, tram.id: 3}
    assert (year.individuals, year.groups) == (5, {"female": 3, "young": 2, "ethnic_minority": 1, "frontline": 1,
                                                   "grassroots": 2})
    in_tram = workbook.period_counts(Period(2025), scope)
    assert in_tram.by_subject == {"person": 2, "unit": 1} and in_tram.groups["grassroots"] == 2
    book = open_book(workbook.build(Period(2025)))
    numbers = {r[5] for r in table(book["Danh sách"])}
    assert "5b/QĐ" in numbers and "5/QĐ" not in numbers  # the correction listed, the corrected record not
    assert table(book["Theo danh hiệu"])[-1][6] == 6


# --- half year, bad periods, the API ---------------------------------------------------------------------------

def test_half_year_workbook_counts_decisions_dated_in_that_half(province, db):
    book = open_book(workbook.build(Period(2026, 1)))
    assert book["Tổng hợp"]["A1"].value == "BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG 6 THÁNG ĐẦU NĂM 2026"
    assert len(table(book["Danh sách"])) == 6
    assert table(book["Theo danh hiệu"])[-1][6] == 6
    early = open_book(workbook.build(Period(2025, 1)))
    assert [(r[4], r[5], r[6]) for r in table(early["Danh sách"])] == [(2024, "8/QĐ", datetime(2025, 5, 5))]
    assert {r[1]: r[6] for r in table(early["Theo danh hiệu"])[:-1] if r[6]} == {"LDTT": 1}
    assert len(table(open_book(workbook.build(Period(2025, 2)))["Danh sách"])) == 1  # the "none" line


def test_an_invalid_period_is_refused_in_vietnamese(db):
    with pytest.raises(ValueError, match="6 tháng đầu năm là 1"):
        workbook.build(Period(2025, 3))
    with pytest.raises(ValueError, match="năm phải là số từ 1945 đến 2100"):
        workbook.build(Period(1800))


def test_workbooks_over_the_api(province, api):
    staff = api.as_("staff")
    response = staff.get("/api/v1/reports/annual.xlsx?year=2025")
    assert response.status_code == 200 and response.mimetype == XLSX_MIME
    assert "bao-cao-khen-thuong-nam-2025.xlsx" in response.headers["Content-Disposition"]
    assert table(open_book(response.data)["Theo danh hiệu"])[-1][6] == 6
    half = staff.get("/api/v1/reports/half-year.xlsx?year=2026&half=1")
    assert half.status_code == 200 and len(table(open_book(half.data)["Danh sách"])) == 6
    assert staff.get("/api/v1/reports/half-year.xlsx?year=2026&half=3").status_code == 400
    officer = api.as_("unit_officer")
    assert officer.get("/api/v1/reports/annual.xlsx?year=2025").status_code == 403
    assert officer.get("/api/v1/reports/half-year.xlsx?year=2026&half=1").status_code == 403


# --- campaigns -------------------------------------------------------------------------------------------------

def test_campaign_coverage_matches_the_campaign_pages(province, db, at):
    so, bva, tram = province
    staff = factories.user("staff")
    at(datetime(2025, 2, 1, 9, 0, tzinfo=clock.VIETNAM))

    def campaign(title, organizer, year=2025, launch=True):
        return campaigns.create_campaign(
            by=staff, launch=launch, title=title, kind="regular", year=year, organizer_unit_code=organizer.code,
            starts_on=date(year, 1, 1), ends_on=date(year, 12, 31), registration_deadline=date(year, 3, 31),
            nomination_deadline=date(year, 11, 30), award_codes=["LDTT", "TTLDTT"])

    hospital = campaign("Thi đua Bệnh viện A năm 2025", bva)  # expects the commune station: registered
    province_wide = campaign("=Thi đua toàn ngành", so)  # expects Bệnh viện A: not registered
    campaign("Bản nháp", so, launch=False)
    campaign("Năm trước", so, year=2024)
    campaigns.register(hospital, tram, collective_award_codes=["TTLDTT"], by=staff)
    db.session.commit()
    at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    book = open_book(workbook.build(Period(2025)))
    data = table(book["Phong trào"])
    total = data.pop()
    assert [(r[1], r[2], r[3], r[6], r[7], r[8], r[9]) for r in data] == [
        ("Thi đua Bệnh viện A năm 2025", "Thường xuyên", "Bệnh viện A", "Đang triển khai", 1, 1, 1),
        ("=Thi đua toàn ngành", "Thường xuyên", "Sở Y tế", "Đang triển khai", 1, 0, 0)]  # as typed
    for row, c in zip(data, (hospital, province_wide), strict=True):
        coverage = campaign_queries.coverage(c)
        assert (row[7], row[8]) == (coverage["expected"], coverage["registered"])
    assert data[0][4] == datetime(2025, 1, 1)
    assert total[1] == "Tổng cộng" and total[7:10] == (2, 1, 0.5)
    # the statistics form counts the same two (both start in its period, 01/12/2024–30/11/2025): a year each,
    # regular, organised by a unit of the tree (tests/reports/test_statistics.py has the form itself)
    forms = {r[1]: r[2:] for r in open_book(statistics.statistics_workbook(2025))["0601.N"].iter_rows(
        min_row=10, values_only=True) if r[1]}
    assert forms["01"] == forms["05"] == forms["07"] == forms["12"] == (2, 0, 0, 2)
    assert forms["11"] == (0, 0, 0, 0)


# --- processing times ------------------------------------------------------------------------------------------

def vn(*args) -> datetime:
    return datetime(*args, 9, 0, tzinfo=clock.VIETNAM)


@pytest.fixture
def dossiers(db):
    """Dossiers with hand-set times (2025: Tết 25/01–02/02, Giỗ Tổ 07/04; working days after the start day):
    d1 LĐTT submitted Mon 03/03, appraised Fri 07/03 (4), decided 21/03 (10, on the norm);
    d2 LĐTT submitted 03/03, appraised Tue 08/04 (25 > 20), decided Fri 25/04 (13 > 10);
    d3 CSTĐCS submitted 03/03, returned Wed 12/03 (7 > 5);
    d4 LĐTT submitted 02/06, no result yet;
    d5 LĐTT submitted and appraised in December 2024 only;
    d6 LĐTT submitted 02/12/2024, returned 03/12/2024, resubmitted Mon 06/01/2025, appraised Wed 08/01 (2)."""
    staff = factories.user("staff")
    unit = factories.unit(code="BVX", name="Bệnh viện X")
    made = {}

    def dossier(name, award, year, times, step=None):
        person = factories.person(unit=unit)
        add_person_evaluation(person, year=year, rating="good", by=None)  # a green LĐTT checklist: it may pass
        nomination = factories.nomination(person, award_code=award, year=year, status="submitted", by=staff)
        if step:
            step(nomination)
        made[name] = nomination
        return nomination

    dossier("d1", "LDTT", 2025, None, lambda n: nominations.appraise(n, result="pass", note="", by=staff))
    dossier("d2", "LDTT", 2025, None, lambda n: nominations.appraise(n, result="pass", note="", by=staff))
    dossier("d3", "CSTDCS", 2025, None,
            lambda n: nominations.return_for_supplement(n, reason="Thiếu biên bản", by=staff))
    dossier("d4", "LDTT", 2025, None)
    dossier("d5", "LDTT", 2024, None, lambda n: nominations.appraise(n, result="pass", note="", by=staff))

    def returned_then_passed(n):
        nominations.return_for_supplement(n, reason="Bổ sung", by=staff)
        nominations.submit(n, by=staff)
        nominations.appraise(n, result="pass", note="", by=staff)

    dossier("d6", "LDTT", 2025, None, returned_then_passed)
    times = {
        "d1": [vn(2025, 3, 3), vn(2025, 3, 7)],
        "d2": [vn(2025, 3, 3), vn(2025, 4, 8)],
        "d3": [vn(2025, 3, 3), vn(2025, 3, 12)],
        "d4": [vn(2025, 6, 2)],
        "d5": [vn(2024, 12, 2), vn(2024, 12, 4)],
        "d6": [vn(2024, 12, 2), vn(2024, 12, 3), vn(2025, 1, 6), vn(2025, 1, 8)],
    }
    for name, moments in times.items():
        events = [e for e in made[name].events if e.status != "draft"]
        assert len(events) == len(moments), name
        for e, moment in zip(events, moments, strict=True):
            e.at = moment
    db.session.flush()
    issue_decision(number="QĐ-1", signed_on=date(2025, 3, 21), signer="Giám đốc", issuer="Sở Y tế",
                   nomination_ids=[made["d1"].id], by=staff)
    issue_decision(number="QĐ-2", signed_on=date(2025, 4, 25), signer="Giám đốc", issuer="Sở Y tế",
                   nomination_ids=[made["d2"].id], by=staff)
    db.session.commit()
    return made


def test_processing_times_against_the_norms(dossiers):
    result = processing.processing_times(date(2025, 1, 1), date(2025, 12, 31))
    assert result.norms == {"return_days": 5, "appraisal_days": 20, "forward_days": 10}
    ldtt, cstdcs = result.by_award
    assert (ldtt.award_code, ldtt.dossiers, ldtt.pending, ldtt.returned) == ("LDTT", 4, 1, 0)
    assert sorted(ldtt.appraisal.days) == [2, 4, 25] and ldtt.appraisal.median == 4
    assert ldtt.appraisal.maximum == 25 and ldtt.appraisal.over_norm == 1
    assert sorted(ldtt.decision.days) == [10, 13] and ldtt.decision.median == 11.5 and ldtt.decision.over_norm == 1
    assert (cstdcs.award_code, cstdcs.dossiers, cstdcs.returned, cstdcs.appraisal.days) == ("CSTDCS", 1, 1, [7])
    assert cstdcs.appraisal.over_norm == 1 and cstdcs.decision.count == 0
    total = result.total
    assert (total.dossiers, total.pending, total.returned, total.appraisal.count) == (5, 1, 1, 4)
    assert (total.appraisal.median, total.appraisal.maximum, total.appraisal.over_norm) == (5.5, 25, 2)
    earlier = processing.processing_times(date(2024, 1, 1), date(2024, 12, 31))
    assert earlier.total.dossiers == 2 and sorted(earlier.total.appraisal.days) == [1, 2]  # d5, d6's return
    assert earlier.total.returned == 1 and earlier.total.decision.count == 0
    assert processing.processing_times(date(2025, 7, 1), date(2025, 12, 31)).by_award == []


def test_processing_times_follow_the_norm_settings(dossiers):
    settings = {"return_days": 10, "appraisal_days": 30, "forward_days": 12}
    result = processing.processing_times(date(2025, 1, 1), date(2025, 12, 31), settings)
    assert result.total.appraisal.over_norm == 0 and result.total.decision.over_norm == 1


def test_processing_times_take_three_queries_whatever_the_number_of_dossiers(dossiers, db):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        processing.processing_times(date(2025, 1, 1), date(2025, 12, 31))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")
               and "calendar_days" not in s]  # the working calendar's announced days: read once, by the clock
    assert len(selects) <= 3  # the norms (unless already read in this request), the decision dates, the events


def test_processing_sheet(dossiers):
    book = open_book(workbook.build(Period(2025)))
    data = table(book["Thời gian xử lý"])
    assert data[0] == ("Lao động tiên tiến", 4, 1, 3, 0, 4, 25, 1, 2, 11.5, 13, 1)
    assert data[1] == ("Chiến sĩ thi đua cơ sở", 1, 0, 1, 1, 7, 7, 1, 0, None, None, 0)
    assert data[2] == ("Tổng cộng", 5, 1, 4, 1, 5.5, 25, 2, 2, 11.5, 13, 1)
    notes = [r[0] for r in rows(book["Thời gian xử lý"], 6) if r[0]]
    assert any("thẩm định trong 20 ngày làm việc" in note for note in notes)


def test_a_failed_appraisal_counts_as_rejected_against_the_appraisal_norm(db):
    staff = factories.user("staff")
    nomination = factories.nomination(factories.person(), award_code="LDTT", year=2025, status="submitted", by=staff)
    nominations.appraise(nomination, result="fail", note="Không đủ tiêu chuẩn", by=staff)
    for e, moment in zip(nomination.events, [vn(2025, 3, 3), vn(2025, 3, 5)], strict=True):
        e.at = moment
    db.session.commit()
    result = processing.processing_times(date(2025, 1, 1), date(2025, 12, 31)).total
    assert (result.dossiers, result.rejected, result.returned, result.appraisal.days) == (1, 1, 0, [2])
    assert result.appraisal.over_norm == 0 and result.decision.count == 0


def test_the_list_of_awards_is_planned_for_all_its_rows(province, db):
    """PostgreSQL streams the list through a cursor, which the planner optimises for its first tenth by default: with
    the decision-date index it walked the whole archive in that index's order instead of sorting the year's rows
    (0.17 -> 0.71 s at full scale). The list says it reads them all, in its own transaction only."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("cursor_tuple_fraction is PostgreSQL's")
    from awards.core.replica import read_session

    listed = list(workbook.list_rows(Period(2025)))
    assert listed and [r.decision_date for r in listed] == sorted(r.decision_date for r in listed)
    assert read_session().connection().exec_driver_sql("SHOW cursor_tuple_fraction").scalar() == "1"
    read_session().rollback()
    assert read_session().connection().exec_driver_sql("SHOW cursor_tuple_fraction").scalar() == "0.1"
