"""The reward-fund ledger of an awarding unit: allocations and adjustments recorded, each decision's prize money as
one spending line, a running balance; allocation − spending = balance on the page and in the Excel export (read
back with openpyxl); refusals (a negative allocation, another unit's ledger, a missing reason) through the
service and the page; the base-salary page."""

import io
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from awards.prizes import queries, services
from awards.prizes.models import FundEntry
from tests import factories
from tests.announcements.test_documents import issue
from tests.web import text_of, token_of, web

pytestmark = pytest.mark.usefixtures("base_salaries")


def _decision(desk, db, number, signed_on, awards=("LDTT",)):
    dossiers = [factories.nomination(factories.person(unit=desk.hospital), code, year=int(signed_on[:4]) - 1,
                                     by=desk.staff.user) for code in awards]
    db.session.commit()
    return issue(desk, db, dossiers, number=number, signed_on=signed_on)


@pytest.fixture
def funded(desk, db):
    """The Sở's fund: 5.000.000 allocated, one decision of two LĐTT (2 × 710.000), an adjustment of −100.000."""
    services.record_allocation(desk.province, entry_date=date(2026, 1, 15), amount=5_000_000,
                               source="Quyết định giao dự toán 15/QĐ-SYT", by=desk.staff.user)
    db.session.commit()
    decision = _decision(desk, db, "20/QĐ-SYT", "2026-03-20", awards=("LDTT", "LDTT"))
    first = db.session.scalar(select(FundEntry.id))
    services.record_adjustment(desk.province, entry_date=date(2026, 3, 25), amount=-100_000,
                               note="Ghi thừa khi trích lập", corrects_id=first, by=desk.staff.user)
    db.session.commit()
    return decision


def test_the_ledger_balances(desk, db, funded):
    ledger = queries.ledger(desk.province)
    assert [(line.kind, line.amount, line.balance) for line in ledger.lines] == [
        ("allocation", 5_000_000, 5_000_000), ("spending", -1_420_000, 3_580_000),
        ("adjustment", -100_000, 3_480_000)]
    assert (ledger.allocated, ledger.spent, ledger.balance) == (4_900_000, 1_420_000, 3_480_000)
    assert ledger.lines[1].decision_id == funded.id and ledger.lines[1].recipients == 2
    assert queries.balances([desk.province]) == {desk.province.id: (4_900_000, 1_420_000)}


def test_the_page_and_the_excel_export_balance(app, desk, db, funded):
    client = web(app, desk.staff.user)
    html = text_of(client.get("/prizes/ledger/SYT"))
    assert "Tiền thưởng theo Quyết định số 20/QĐ-SYT" in html and "3.480.000" in html
    assert "(điều chỉnh bút toán số 1)" in html
    index = text_of(client.get("/prizes/ledger"))
    assert "/prizes/ledger/BVA" not in index  # the hospital decides no award: no fund of its own
    assert "/prizes/ledger/SYT" in index and "3.480.000" in index

    response = client.get("/prizes/ledger/SYT/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(v is not None for v in row)]
    *lines, total = rows
    assert [line[1] for line in lines] == ["Trích lập, cấp kinh phí", "Chi tiền thưởng", "Điều chỉnh"]
    income = sum(line[4] or 0 for line in lines)
    spending = sum(line[5] or 0 for line in lines)
    assert (income, spending) == (4_900_000, 1_420_000) == (total[4], total[5])
    assert total[6] == income - spending == lines[-1][6] == 3_480_000
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "prizes.fund.export"))


def test_a_negative_or_zero_allocation_is_refused_by_the_service_and_the_page(app, desk, db):
    with pytest.raises(DomainError) as refused:
        services.record_allocation(desk.province, entry_date=date(2026, 1, 15), amount=-5, source="x",
                                   by=desk.staff.user)
    assert refused.value.status == 400 and refused.value.field == "amount"
    db.session.rollback()
    client = web(app, desk.staff.user)
    response = client.post("/prizes/ledger/SYT/allocations", data={
        "a-entry_date": "15/01/2026", "a-amount": "-500.000", "a-source": "QĐ 15",
        "csrf_token": token_of(client, "/prizes/ledger/SYT")})
    assert response.status_code == 400 and "Số tiền phải lớn hơn 0 đồng." in text_of(response)
    response = client.post("/prizes/ledger/SYT/allocations", data={
        "a-entry_date": "15/01/2026", "a-amount": "năm triệu", "a-source": "QĐ 15",
        "csrf_token": token_of(client, "/prizes/ledger/SYT")})
    assert response.status_code == 400 and "Số tiền phải là số nguyên đồng" in text_of(response)
    assert db.session.scalar(select(FundEntry.id)) is None
    response = client.post("/prizes/ledger/SYT/allocations", data={
        "a-entry_date": "15/01/2026", "a-amount": "5.000.000", "a-source": "QĐ 15",
        "csrf_token": token_of(client, "/prizes/ledger/SYT")})
    assert response.status_code == 302
    assert queries.ledger(desk.province).balance == 5_000_000


def test_an_adjustment_needs_a_reason_and_an_entry_of_the_same_unit(app, desk, db):
    other = factories.unit(code="BVX", name="Bệnh viện X")  # a root unit: it decides awards
    entry = services.record_allocation(other, entry_date=date(2026, 1, 2), amount=1_000, source="x", by=None)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.record_adjustment(desk.province, entry_date=date(2026, 1, 3), amount=-1_000, note="Sai",
                                   corrects_id=entry.id, by=desk.staff.user)
    assert refused.value.field == "corrects_id"
    db.session.rollback()
    client = web(app, desk.staff.user)
    response = client.post("/prizes/ledger/SYT/adjustments", data={
        "d-entry_date": "03/01/2026", "d-amount": "-1.000", "d-note": "",
        "csrf_token": token_of(client, "/prizes/ledger/SYT")})
    assert response.status_code == 400 and "Trường này là bắt buộc." in text_of(response)


def test_another_units_ledger_is_refused_by_the_service_and_the_page(app, desk, db):
    hospital = factories.unit(code="BVB", name="Bệnh viện B", parent=desk.province)
    hospital.decides_awards = True
    bound = factories.user("staff", unit=hospital)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.record_allocation(desk.province, entry_date=date(2026, 1, 2), amount=1_000, source="x", by=bound)
    assert refused.value.status == 403
    db.session.rollback()
    client = web(app, bound)
    assert client.get("/prizes/ledger").headers["Location"].endswith("/prizes/ledger/BVB")
    assert client.get("/prizes/ledger/BVB").status_code == 200
    assert client.get("/prizes/ledger/SYT").status_code == 403
    assert client.get("/prizes/ledger/SYT/export.xlsx").status_code == 403
    response = client.post("/prizes/ledger/SYT/allocations", data={
        "a-entry_date": "02/01/2026", "a-amount": "1000", "a-source": "x",
        "csrf_token": token_of(client, "/prizes/ledger/BVB")})
    assert response.status_code == 403 and db.session.scalar(select(FundEntry.id)) is None
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "access.denied",
                                                         AuditEntry.object_id == "/prizes/ledger/SYT"))
    assert client.get("/prizes/ledger/NOPE").status_code == 404
    officer = web(app, factories.user("unit_officer", unit=hospital))
    assert officer.get("/prizes/ledger/BVB").status_code == 403


def test_the_base_salary_page_adds_a_row_and_refuses_a_duplicate_or_a_used_one(app, desk, db):
    client = web(app, desk.staff.user)
    html = text_of(client.get("/prizes/base-salaries"))
    assert "2.340.000" in html and "Nghị định 73/2024/NĐ-CP" in html and "NĐ 152/2025/NĐ-CP, Điều 54.1" in html
    form = {"effective_from": "01/07/2026", "amount": "2.530.000", "source": "Nghị định mới (thử)",
            "csrf_token": token_of(client, "/prizes/base-salaries")}
    assert client.post("/prizes/base-salaries", data=form).status_code == 302
    response = client.post("/prizes/base-salaries", data=form)
    assert response.status_code == 409 and "Đã có mức lương cơ sở từ ngày 01/07/2026." in text_of(response)
    response = client.post("/prizes/base-salaries", data={**form, "effective_from": "02/07/2026", "amount": "0"})
    assert response.status_code == 400 and "Số tiền phải lớn hơn 0 đồng." in text_of(response)
    _decision(desk, db, "30/QĐ-SYT", "2024-08-01", awards=("LDTT",))
    used = next(row for row in queries.base_salaries() if row.amount == 2_340_000)
    with pytest.raises(DomainError) as refused:
        services.remove_base_salary(used, by=desk.staff.user)
    assert refused.value.code == "in_use"
    db.session.rollback()
    token = token_of(client, "/prizes/base-salaries")
    response = client.post(f"/prizes/base-salaries/{used.id}/delete", data={"csrf_token": token},
                           follow_redirects=True)
    assert "đã được dùng cho quyết định khen thưởng" in text_of(response)
    unused = next(row for row in queries.base_salaries() if row.amount == 2_530_000)
    client.post(f"/prizes/base-salaries/{unused.id}/delete", data={"csrf_token": token})
    assert [row.amount for row in queries.base_salaries()] == [2_340_000, 1_800_000, 1_490_000]
    officer = web(app, factories.user("unit_officer", unit=desk.hospital))
    assert officer.get("/prizes/base-salaries").status_code == 403
    assert re.search("prizes.base_salary.add", str(db.session.scalars(select(AuditEntry.action)).all()))


def test_prize_totals_by_award_for_the_statistics(desk, db):
    _decision(desk, db, "40/QĐ-SYT", "2025-03-02", awards=("LDTT", "LDTT"))  # 2 × 0,3 × 2.340.000 ↑
    _decision(desk, db, "41/QĐ-SYT", "2026-03-20", awards=("LDTT",))
    other = factories.unit(code="BVX", name="Bệnh viện X")
    db.session.commit()
    assert queries.prize_totals(2025) == {"LDTT": 1_420_000}
    assert queries.prize_totals(2026) == {"LDTT": 710_000}
    assert queries.prize_totals(2026, unit_ids=[desk.province.id]) == {"LDTT": 710_000}
    assert queries.prize_totals(2026, unit_ids=[other.id]) == {} and queries.prize_totals(2024) == {}


def test_a_years_ledger_opens_with_the_balance_brought_forward(app, desk, db, funded):
    services.record_allocation(desk.province, entry_date=date(2025, 12, 1), amount=2_000_000, source="QĐ 2025",
                               by=desk.staff.user)
    _decision(desk, db, "42/QĐ-SYT", "2025-12-10", awards=("GIAY_KHEN",))  # 710.000 in 2025
    services.record_allocation(desk.province, entry_date=date(2027, 1, 5), amount=9_000_000, source="QĐ 2027",
                               by=desk.staff.user)
    db.session.commit()
    year_2025 = queries.ledger(desk.province, 2025)
    assert [(line.kind, line.balance) for line in year_2025.lines] == [("allocation", 2_000_000),
                                                                       ("spending", 1_290_000)]
    year_2026 = queries.ledger(desk.province, 2026)
    assert [(line.kind, line.amount, line.balance) for line in year_2026.lines] == [
        ("opening", 1_290_000, 1_290_000), ("allocation", 5_000_000, 6_290_000),
        ("spending", -1_420_000, 4_870_000), ("adjustment", -100_000, 4_770_000)]
    assert year_2026.allocated - year_2026.spent == year_2026.balance == 4_770_000
    assert queries.ledger(desk.province).balance == 4_770_000 + 9_000_000

    client = web(app, desk.staff.user)
    html = text_of(client.get("/prizes/ledger/SYT?year=2026"))
    assert "Số dư các năm trước chuyển sang" in html and "4.770.000" in html and "QĐ 2027" not in html
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/prizes/ledger/SYT/export.xlsx?year=2026").data)).active
    assert sheet["A1"].value.endswith("NĂM 2026")
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(v is not None for v in row)]
    assert rows[0][1] == "Số dư chuyển sang" and rows[-1][4:7] == (6_190_000, 1_420_000, 4_770_000)
    response = client.post("/prizes/ledger/SYT/allocations", data={
        "a-entry_date": "03/02/2027", "a-amount": "1.000", "a-source": "QĐ",
        "csrf_token": token_of(client, "/prizes/ledger/SYT")})
    assert response.headers["Location"].endswith("/prizes/ledger/SYT?year=2027")
