"""Ethnicity and birth date (NĐ 13/2023/NĐ-CP Art 2.4: ethnic origin is sensitive personal data) are shown only
to those who keep the person's record — admin, staff, the unit officer of the person's unit — on the pages and
in the API; every read that shows them is logged without the values (docs/PERSONAL-DATA.md)."""

from datetime import date

import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from tests import factories

BIRTH = date(1979, 11, 23)
SHOWN_BIRTH = ("23/11/1979", "1979-11-23")
ETHNICITY = "Chơ Ro"


@pytest.fixture
def world(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=top)
    other = factories.unit(code="TTYT", name="Trung tâm Y tế huyện", parent=top)
    person = factories.person(code="CB900", full_name="Điểu Thị Hoa", unit=hospital, birth_date=BIRTH,
                              ethnicity=ETHNICITY, ethnic_minority=True)
    db.session.commit()
    return {"hospital": hospital, "other": other, "person": person}


def _reads(db, code=None):
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.sensitive_read")
                                 .order_by(AuditEntry.id)).all()
    return [e for e in entries if code is None or code in (e.after or {}).get("people", [])]


def _assert_no_values(entry):
    text = repr((entry.before, entry.after))
    assert "1979" not in text and ETHNICITY not in text


# --- the API -------------------------------------------------------------------------------------

@pytest.mark.parametrize("roles", [("staff",), ("admin",), ("unit_officer",)])
def test_record_keepers_see_the_sensitive_fields_in_the_api_and_each_read_is_logged(api, db, world, roles):
    caller = api.as_(*roles, unit=world["hospital"] if "unit_officer" in roles else None)
    body = caller.get("/api/v1/people/CB900").json
    assert body["birth_date"] == "1979-11-23" and body["ethnicity"] == ETHNICITY and body["ethnic_minority"] is True
    listing = caller.get("/api/v1/people", query_string={"q": "dieu thi hoa"}).json
    assert listing["items"][0]["birth_date"] == "1979-11-23"
    entries = _reads(db, "CB900")
    assert [e.after["via"] for e in entries] == ["api", "list_api"]
    assert all(e.actor_id == caller.user.id for e in entries)
    assert entries[0].object_type == "Person" and entries[0].object_id == "CB900"
    for entry in entries:
        _assert_no_values(entry)


def test_a_council_member_reads_the_person_without_the_sensitive_fields(api, db, world):
    member = api.as_("council_member")
    response = member.get("/api/v1/people/CB900")
    assert response.status_code == 200
    body = response.json
    # CONTRACT §4 lists birth_date and ethnic_minority as required fields: the keys stay, with null
    assert body["full_name"] == "Điểu Thị Hoa" and body["position"] == "" and body["unit_code"] == "BVDK"
    assert body["birth_date"] is None and body["ethnic_minority"] is None and body["ethnicity"] is None
    listing = member.get("/api/v1/people", query_string={"unit_code": "BVDK"}).json
    assert listing["total"] == 1
    assert {listing["items"][0][k] for k in ("birth_date", "ethnic_minority", "ethnicity")} == {None}
    assert ETHNICITY not in response.get_data(as_text=True)
    assert _reads(db) == []  # nothing sensitive shown, nothing logged


def test_a_unit_officer_of_another_unit_is_refused_and_nothing_is_logged(api, db, world):
    officer = api.as_("unit_officer", unit=world["other"])
    response = officer.get("/api/v1/people/CB900")
    assert response.status_code == 403 and response.json["error"]["code"]
    assert officer.get("/api/v1/people", query_string={"q": "Hoa"}).json["total"] == 0
    assert _reads(db) == []


def test_a_list_read_logs_one_entry_naming_the_people_shown(api, db, world):
    factories.person(code="CB901", full_name="Nguyễn Văn Bình", unit=world["hospital"], gender="male")
    db.session.commit()
    staff = api.as_("staff")
    assert staff.get("/api/v1/people", query_string={"unit_code": "BVDK"}).json["total"] == 2
    [entry] = _reads(db)
    assert entry.after["via"] == "list_api" and sorted(entry.after["people"]) == ["CB900", "CB901"]
    assert entry.after["fields"] == ["birth_date", "ethnicity", "ethnic_minority"]


# --- the pages -----------------------------------------------------------------------------------

def test_the_person_page_shows_them_to_the_unit_officer_and_logs_the_read(client, login_as, db, world):
    officer = login_as("unit_officer", unit=world["hospital"])
    page = client.get("/people/CB900").get_data(as_text=True)
    assert "23/11/1979" in page and ETHNICITY in page and "Dân tộc" in page
    [entry] = _reads(db, "CB900")
    assert entry.actor_id == officer.id and entry.after["via"] == "page"
    _assert_no_values(entry)
    listing = client.get("/people?unit=BVDK").get_data(as_text=True)
    assert "23/11/1979" in listing
    assert [e.after["via"] for e in _reads(db, "CB900")] == ["page", "list_page"]


def test_the_person_page_hides_them_from_a_council_member(client, login_as, db, world):
    login_as("council_member")
    response = client.get("/people/CB900")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Điểu Thị Hoa" in page
    for text in (*SHOWN_BIRTH, ETHNICITY, "DTTS", "Ngày sinh"):
        assert text not in page, text
    listing = client.get("/people?unit=BVDK").get_data(as_text=True)
    assert "Điểu Thị Hoa" in listing and "23/11/1979" not in listing and "DTTS" not in listing
    assert _reads(db) == []
