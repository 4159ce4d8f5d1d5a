"""Disciplines with their execution period, collectives' disciplines, proceedings that freeze awards, and an
initiative's wider recognition (issue 17): through the API and the pages, refusals included."""

from datetime import date

import pytest

from awards.core.audit import AuditEntry
from awards.units.models import Discipline, Initiative, Proceeding, default_discipline_end
from tests import factories


@pytest.fixture
def tree(db):
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    ward = factories.unit(code="BVDK-NOI", name="Khoa Nội", parent=hospital)
    other = factories.unit(code="TYT-01", name="Trạm Y tế xã Tân An")
    factories.person(code="CB001", full_name="Nguyễn Văn An", unit=ward)
    db.session.commit()
    return {"hospital": hospital, "ward": ward, "other": other}


@pytest.fixture
def staff(api, tree):
    return api.as_("staff")


@pytest.mark.parametrize(("level", "expected"), [
    pytest.param("reprimand", date(2025, 3, 15), id="khien-trach-12-thang-Luat-CBCC-Dieu82"),
    pytest.param("warning", date(2025, 3, 15), id="canh-cao-12-thang-Luat-CBCC-Dieu82"),
    pytest.param("demotion", date(2026, 3, 15), id="giang-chuc-24-thang-Luat-CBCC-Dieu82"),
    pytest.param("dismissal", date(2026, 3, 15), id="cach-chuc-24-thang-Luat-CBCC-Dieu82"),
    pytest.param("removal", None, id="buoc-thoi-viec-khong-thoi-han"),
])
def test_default_end_of_the_execution_period_by_level(level, expected):
    assert default_discipline_end(level, date(2024, 3, 15)) == expected


def test_month_arithmetic_keeps_the_last_day_of_a_shorter_month():
    assert default_discipline_end("dismissal", date(2024, 2, 29)) == date(2026, 2, 28)


def test_a_persons_discipline_keeps_its_contract_and_gains_its_end(staff):
    plain = staff.post("/api/v1/people/CB001/disciplines",
                       json={"year": 2024, "level": "reprimand", "decided_on": "2024-03-15"})
    assert plain.status_code == 201 and plain.json["ends_on"] == "2025-03-15"
    given = staff.post("/api/v1/people/CB001/disciplines",
                       json={"year": 2024, "level": "removal", "decided_on": "2024-05-01", "ends_on": "2024-11-01"})
    assert given.json["ends_on"] == "2024-11-01" and given.json["level"] == "removal"
    wrong = staff.post("/api/v1/people/CB001/disciplines",
                       json={"year": 2024, "level": "warning", "decided_on": "2024-05-01", "ends_on": "2024-04-01"})
    assert wrong.status_code == 400 and "ends_on" in wrong.json["error"]["fields"]
    person = staff.get("/api/v1/people/CB001").json
    assert sorted(d["level"] for d in person["disciplines"]) == ["removal", "reprimand"]


def test_a_collectives_discipline_is_recorded_like_a_persons(staff, api, tree, db):
    response = staff.post("/api/v1/units/BVDK-NOI/disciplines",
                          json={"year": 2025, "level": "warning", "decided_on": "2025-06-01", "note": "Vi phạm"})
    assert response.status_code == 201
    assert response.json["subject_code"] == "BVDK-NOI" and response.json["ends_on"] == "2026-06-01"
    facts = staff.get("/api/v1/units/BVDK-NOI/facts").json
    assert [d["level"] for d in facts["disciplines"]] == ["warning"]
    stored = db.session.scalars(db.select(Discipline).where(Discipline.unit_id.is_not(None))).one()
    assert stored.person_id is None and stored.in_force_on(date(2025, 12, 31))
    outsider = api.as_("unit_officer", unit=tree["other"])
    refused = outsider.post("/api/v1/units/BVDK-NOI/disciplines",
                            json={"year": 2025, "level": "warning", "decided_on": "2025-06-01"})
    assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Discipline.id))) == 1


def test_a_proceeding_opens_and_closes_once_and_is_audited(staff, db):
    opened = staff.post("/api/v1/people/CB001/proceedings",
                        json={"kind": "complaint", "opened_on": "2025-10-01", "note": "Đơn tố cáo số 12"})
    assert opened.status_code == 201 and opened.json["is_open"] is True
    assert opened.json["person_code"] == "CB001"
    pid = opened.json["id"]
    assert staff.get("/api/v1/people/CB001").json["proceedings"][0]["kind"] == "complaint"
    early = staff.post(f"/api/v1/proceedings/{pid}/close", json={"closed_on": "2025-09-01", "closing_note": "x"})
    assert early.status_code == 400 and "closed_on" in early.json["error"]["fields"]
    closed = staff.post(f"/api/v1/proceedings/{pid}/close",
                        json={"closed_on": "2025-11-20", "closing_note": "Tố cáo không đúng"})
    assert closed.status_code == 200 and closed.json["is_open"] is False
    again = staff.post(f"/api/v1/proceedings/{pid}/close", json={"closed_on": "2025-11-21", "closing_note": "y"})
    assert again.status_code == 409
    actions = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.action.like("proceeding.%"))).all()
    assert sorted(actions) == ["proceeding.close", "proceeding.open"]


def test_a_unit_officer_opens_a_proceeding_on_their_own_unit_only(api, tree, db):
    officer = api.as_("unit_officer", unit=tree["hospital"])
    assert officer.post("/api/v1/units/BVDK-NOI/proceedings",
                        json={"kind": "investigation", "opened_on": "2025-10-01"}).status_code == 201
    assert officer.post("/api/v1/units/TYT-01/proceedings",
                        json={"kind": "investigation", "opened_on": "2025-10-01"}).status_code == 403
    bad = officer.post("/api/v1/units/BVDK-NOI/proceedings", json={"kind": "rumour", "opened_on": "2025-10-01"})
    assert bad.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Proceeding.id))) == 1


def test_raising_an_initiatives_scope_is_a_new_recognition(staff, db):
    first = staff.post("/api/v1/people/CB001/initiatives",
                       json={"year": 2023, "title": "Quy trình phân luồng", "scope": "unit",
                             "recognised_on": "2023-11-10"}).json
    narrower = staff.post(f"/api/v1/initiatives/{first['id']}/raise",
                          json={"scope": "unit", "recognised_on": "2025-04-01"})
    assert narrower.status_code == 400 and "scope" in narrower.json["error"]["fields"]
    raised = staff.post(f"/api/v1/initiatives/{first['id']}/raise",
                        json={"scope": "provincial", "recognised_on": "2025-04-01"})
    assert raised.status_code == 201
    body = raised.json
    assert (body["scope"], body["year"], body["supersedes_id"], body["is_current"]) == (
        "provincial", 2025, first["id"], True)
    again = staff.post(f"/api/v1/initiatives/{first['id']}/raise",
                       json={"scope": "national", "recognised_on": "2025-05-01"})
    assert again.status_code == 409
    rows = db.session.scalars(db.select(Initiative).order_by(Initiative.id)).all()
    assert [(r.scope, r.year) for r in rows] == [("unit", 2023), ("provincial", 2025)]


# --- the pages -----------------------------------------------------------------------------------------

def _post(client, csrf_token, page, path, data):
    return client.post(path, data={"csrf_token": csrf_token(page), **data})


def test_pages_record_a_units_discipline_and_a_proceeding(client, login_as, csrf_token, tree, db):
    login_as("staff")
    page = "/units/BVDK-NOI"
    assert "Đang xem xét kỷ luật, thanh tra, khiếu nại" in client.get(page).get_data(as_text=True)
    done = _post(client, csrf_token, page, "/units/BVDK-NOI/disciplines",
                 {"di-year": "2025", "di-level": "dismissal", "di-decided_on": "2025-02-01"})
    assert done.status_code == 302
    opened = _post(client, csrf_token, page, "/units/BVDK-NOI/proceedings",
                   {"pr-kind": "investigation", "pr-opened_on": "2025-10-01", "pr-note": "Thanh tra tài chính"})
    assert opened.status_code == 302
    body = client.get(page).get_data(as_text=True)
    assert "Cách chức" in body and "01/02/2027" in body and "Đang mở" in body and "Thanh tra tài chính" in body
    proceeding = db.session.scalars(db.select(Proceeding)).one()
    refused = _post(client, csrf_token, page, f"/proceedings/{proceeding.id}/close",
                    {"cl-closed_on": "2025-10-05", "cl-closing_note": ""})
    assert refused.status_code == 400
    closed = _post(client, csrf_token, page, f"/proceedings/{proceeding.id}/close",
                   {"cl-closed_on": "2025-10-05", "cl-closing_note": "Không phát hiện sai phạm"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proceeding, proceeding.id).closed_on == date(2025, 10, 5)


def test_pages_refuse_a_unit_officer_outside_their_subtree(client, login_as, csrf_token, tree, db):
    login_as("unit_officer", unit=tree["other"])
    response = _post(client, csrf_token, "/units/TYT-01", "/people/CB001/proceedings",
                     {"pr-kind": "complaint", "pr-opened_on": "2025-10-01"})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Proceeding.id))) == 0


def test_person_page_raises_an_initiative_and_shows_both(client, login_as, csrf_token, tree, db):
    login_as("staff")
    page = "/people/CB001"
    assert _post(client, csrf_token, page, "/people/CB001/initiatives",
                 {"in-year": "2023", "in-title": "Bảng kiểm an toàn", "in-scope": "unit",
                  "in-recognised_on": "2023-11-10"}).status_code == 302
    initiative = db.session.scalars(db.select(Initiative)).one()
    raised = _post(client, csrf_token, page, f"/initiatives/{initiative.id}/raise",
                   {"ra-scope": "provincial", "ra-recognised_on": "2025-04-01"})
    assert raised.status_code == 302
    body = client.get(page).get_data(as_text=True)
    assert "Đã được công nhận ở phạm vi rộng hơn" in body and "nâng từ Cấp cơ sở" in body
