"""The same refusals and the same ledger through the JSON API (CONTRACT §3 error bodies)."""

import pytest

from tests import factories

pytestmark = pytest.mark.usefixtures("base_salaries")


def test_the_ledger_over_the_api(desk, db, api):
    staff = desk.staff
    response = staff.post("/api/v1/prizes/ledger/SYT/allocations", json={
        "entry_date": "2026-01-15", "amount": 5_000_000, "source": "QĐ giao dự toán 15/QĐ-SYT"})
    assert response.status_code == 201 and response.json["kind"] == "allocation"
    first = response.json["id"]
    response = staff.post("/api/v1/prizes/ledger/SYT/adjustments", json={
        "entry_date": "2026-01-20", "amount": -200_000, "note": "Ghi thừa", "corrects_id": first})
    assert response.status_code == 201 and response.json["corrects_id"] == first
    ledger = staff.get("/api/v1/prizes/ledger/SYT").json
    assert (ledger["allocated"], ledger["spent"], ledger["balance"]) == (4_800_000, 0, 4_800_000)
    assert [line["balance"] for line in ledger["lines"]] == [5_000_000, 4_800_000]


def test_refusals_over_the_api(desk, db, api):
    staff = desk.staff
    response = staff.post("/api/v1/prizes/ledger/SYT/allocations", json={
        "entry_date": "2026-01-15", "amount": -1, "source": "x"})
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {"amount": "Số tiền phải lớn hơn 0 đồng."}
    response = staff.post("/api/v1/prizes/ledger/SYT/adjustments", json={"entry_date": "2026-01-15", "amount": 0,
                                                                          "note": "x"})
    assert response.status_code == 400 and "amount" in response.json["error"]["fields"]
    hospital = factories.unit(code="BVB", name="Bệnh viện B", parent=desk.province)
    hospital.decides_awards = True
    db.session.commit()
    bound = api.as_("staff", unit=hospital)
    assert bound.get("/api/v1/prizes/ledger/SYT").status_code == 403
    assert bound.post("/api/v1/prizes/ledger/SYT/allocations", json={
        "entry_date": "2026-01-15", "amount": 1_000, "source": "x"}).status_code == 403
    assert bound.get("/api/v1/prizes/ledger/BVB").status_code == 200
    assert staff.get("/api/v1/prizes/ledger/BVA").status_code == 404  # the hospital decides nothing
    assert desk.officer.get("/api/v1/prizes/ledger/SYT").status_code == 403


def test_base_salaries_over_the_api(desk, db):
    rows = desk.staff.get("/api/v1/prizes/base-salaries").json["items"]
    assert [(r["effective_from"], r["amount"]) for r in rows][0] == ("2024-07-01", 2_340_000)
    body = {"effective_from": "2024-07-01", "amount": 2_340_000, "source": "Nghị định 73/2024/NĐ-CP"}
    response = desk.staff.post("/api/v1/prizes/base-salaries", json=body)
    assert response.status_code == 409 and response.json["error"]["code"] == "duplicate"
    assert desk.officer.post("/api/v1/prizes/base-salaries", json=body).status_code == 403
