"""The CONTRACT §4 units and people endpoints, as an outside tool calls them."""

import pytest

from awards.core.audit import AuditEntry
from tests import factories

PERSON = {"code": "CB001", "full_name": "Nguyễn Văn An", "gender": "male", "birth_date": "1988-03-14",
          "ethnic_minority": False, "unit_code": "BVDK", "position": "Bác sĩ", "frontline": True}


@pytest.fixture
def staff(api, db):
    factories.unit(code="SYT", name="Sở Y tế")
    db.session.commit()
    return api.as_("staff")


def test_create_and_read_unit_tree(staff):
    response = staff.post("/api/v1/units", json={"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh",
                                                  "parent_code": "SYT", "grassroots": False})
    assert response.status_code == 201
    assert response.json == {"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh", "parent_code": "SYT",
                             "grassroots": False, "kind": "other", "active": True, "decides_awards": False,
                             "enterprise": False, "foreign_organisation": False, "awarding_unit_code": "SYT"}
    station = staff.post("/api/v1/units", json={"code": "TYT-01", "name": "Trạm Y tế xã Tân An",
                                                 "parent_code": "BVDK", "grassroots": True, "kind": "station"})
    assert station.json["grassroots"] is True and station.json["kind"] == "station"
    assert staff.get("/api/v1/units/SYT").json["parent_code"] is None
    listing = staff.get("/api/v1/units", query_string={"q": "TÂN AN"}).json
    assert [u["code"] for u in listing["items"]] == ["TYT-01"]
    children = staff.get("/api/v1/units?parent_code=SYT").json
    assert [u["code"] for u in children["items"]] == ["BVDK"]


def test_duplicate_unit_code_is_409_and_nothing_changes(staff, db):
    response = staff.post("/api/v1/units", json={"code": "SYT", "name": "Khác"})
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate"
    assert "SYT" in response.json["error"]["message"]
    assert staff.get("/api/v1/units/SYT").json["name"] == "Sở Y tế"


def test_unknown_parent_is_400_naming_the_field(staff):
    response = staff.post("/api/v1/units", json={"code": "X1", "name": "Khoa Nội", "parent_code": "NOPE"})
    assert response.status_code == 400
    assert "NOPE" in response.json["error"]["fields"]["parent_code"]


def test_person_lifecycle_with_yearly_facts(staff):
    staff.post("/api/v1/units", json={"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh", "parent_code": "SYT"})
    created = staff.post("/api/v1/people", json=PERSON)
    assert created.status_code == 201
    body = created.json
    for key, value in PERSON.items():
        assert body[key] == value
    assert staff.post("/api/v1/people/CB001/evaluations", json={"year": 2024, "rating": "excellent"}
                      ).status_code == 201
    again = staff.post("/api/v1/people/CB001/evaluations", json={"year": 2024, "rating": "good"})
    assert again.status_code == 409 and "2024" in again.json["error"]["message"]
    discipline = staff.post("/api/v1/people/CB001/disciplines",
                            json={"year": 2023, "level": "reprimand", "decided_on": "2023-06-01"})
    assert discipline.status_code == 201 and discipline.json["level"] == "reprimand"
    initiative = staff.post("/api/v1/people/CB001/initiatives",
                            json={"year": 2024, "title": "Ứng dụng bệnh án điện tử", "scope": "provincial"})
    assert initiative.status_code == 201 and isinstance(initiative.json["id"], int)
    detail = staff.get("/api/v1/people/CB001").json
    assert [e["rating"] for e in detail["evaluations"]] == ["excellent"]
    assert detail["initiatives"][0]["title"] == "Ứng dụng bệnh án điện tử"
    assert detail["disciplines"][0]["decided_on"] == "2023-06-01"


def test_unit_rating_once_per_year(staff):
    assert staff.post("/api/v1/units/SYT/evaluations", json={"year": 2025, "rating": "good"}).status_code == 201
    assert staff.post("/api/v1/units/SYT/evaluations", json={"year": 2025, "rating": "done"}).status_code == 409


def test_search_ignores_case_and_diacritics(staff, db):
    unit = factories.unit(code="BVDK")
    for name in ("Nguyễn Văn An", "Đào Thị Hạnh", "Trần Quốc Đạt", "Nguyễn Thị Ánh"):
        factories.person(full_name=name, unit=unit)
    db.session.commit()

    def names(q):
        return sorted(p["full_name"] for p in staff.get("/api/v1/people", query_string={"q": q}).json["items"])

    assert names("nguyen van an") == ["Nguyễn Văn An"]
    assert names("dao") == ["Đào Thị Hạnh"]
    assert names("DAT") == ["Trần Quốc Đạt"]
    assert names("NGUYỄN") == ["Nguyễn Thị Ánh", "Nguyễn Văn An"]
    assert names("anh") == ["Nguyễn Thị Ánh"]
    assert names("100%") == []


def test_people_list_is_paginated(staff, db):
    unit = factories.unit()
    for i in range(7):
        factories.person(full_name=f"Lê Văn Bình {i}", unit=unit)
    db.session.commit()
    page = staff.get("/api/v1/people?q=binh&page=2&per_page=5").json
    assert page["total"] == 7 and page["page"] == 2 and page["per_page"] == 5 and len(page["items"]) == 2
    capped = staff.get("/api/v1/people?per_page=1000").json
    assert capped["per_page"] == 200
    assert staff.get("/api/v1/people?page=0").status_code == 400


def test_unit_officer_is_scoped_to_their_subtree(api, db):
    hospital = factories.unit(code="BVA")
    ward = factories.unit(code="BVA-NOI", parent=hospital)
    other = factories.unit(code="BVB")
    mine = factories.person(code="P-MINE", unit=ward)
    factories.person(code="P-OTHER", unit=other)
    db.session.commit()
    officer = api.as_("unit_officer", unit=hospital)
    assert officer.get("/api/v1/people/P-MINE").status_code == 200
    assert officer.get("/api/v1/people/P-OTHER").status_code == 403
    assert [p["code"] for p in officer.get("/api/v1/people").json["items"]] == [mine.code]
    assert officer.post("/api/v1/people/P-MINE/evaluations", json={"year": 2024, "rating": "good"}
                        ).status_code == 201
    assert officer.post("/api/v1/people/P-OTHER/evaluations", json={"year": 2024, "rating": "good"}
                        ).status_code == 403
    assert officer.post("/api/v1/people", json={**PERSON, "unit_code": "BVB"}).status_code == 403
    assert officer.post("/api/v1/people", json={**PERSON, "unit_code": "BVA-NOI"}).status_code == 201
    assert officer.post("/api/v1/units", json={"code": "NEW", "name": "Mới"}).status_code == 403
    assert officer.post("/api/v1/units/BVA/evaluations", json={"year": 2024, "rating": "good"}).status_code == 403


def test_the_service_keeps_an_officer_to_their_subtree_whichever_door(api, db):
    """The guard is create_person's / update_person's own: called directly (as the sheet import and the page do) it
    refuses a unit outside the officer's subtree, and the API passes on the same Vietnamese refusal."""
    from awards.core.db import DomainError
    from awards.units import services
    from awards.units.models import Person

    hospital, other = factories.unit(code="BVA"), factories.unit(code="BVB")
    mine = factories.person(code="P-MINE", unit=hospital)
    officer = api.as_("unit_officer", unit=hospital)
    with pytest.raises(DomainError) as refused:
        services.create_person(code="P-NEW", full_name="Hà Văn Sơn", gender="male", unit_code="BVB",
                               by=officer.user)
    assert refused.value.status == 403 and "“BVB” nằm ngoài phạm vi bạn quản lý" in refused.value.message
    with pytest.raises(DomainError):
        services.update_person(mine, unit_code="BVB", by=officer.user)  # moving a person out is refused too
    db.session.rollback()
    assert db.session.get(Person, mine.id).unit_id == hospital.id
    assert services.create_person(code="P-SYS", full_name="Hà Văn Sơn", gender="male", unit_code="BVB",
                                  by=None).unit_id == other.id  # the system (demo, migrations) is not a user
    answer = officer.post("/api/v1/people", json={**PERSON, "unit_code": "BVB"})
    assert answer.status_code == 403 and "nằm ngoài phạm vi bạn quản lý" in answer.json["error"]["message"]


def test_council_member_reads_but_does_not_write(api, db):
    person = factories.person(code="P1")
    db.session.commit()
    member = api.as_("council_member")
    assert member.get(f"/api/v1/people/{person.code}").status_code == 200
    assert member.post(f"/api/v1/people/{person.code}/evaluations", json={"year": 2024, "rating": "good"}
                       ).status_code == 403


def test_bad_person_input_gets_vietnamese_field_messages(staff, db):
    factories.unit(code="BVDK")
    db.session.commit()
    bad = {**PERSON, "gender": "other", "birth_date": "1990-02-30", "frontline": "yes", "unit_code": "BVDK"}
    del bad["full_name"]
    response = staff.post("/api/v1/people", json=bad)
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert fields["full_name"] == "Trường này là bắt buộc."
    assert "female" in fields["gender"]
    assert "Ngày không hợp lệ" in fields["birth_date"]
    assert fields["frontline"] == "Phải là true hoặc false."
    assert staff.get("/api/v1/people").json["total"] == 0


def test_year_must_be_a_number_in_range(staff, db):
    factories.person(code="P1")
    db.session.commit()
    as_text = staff.post("/api/v1/people/P1/evaluations", json={"year": "2024", "rating": "good"})
    assert as_text.status_code == 400 and as_text.json["error"]["fields"]["year"] == "Phải là số nguyên."
    future = staff.post("/api/v1/people/P1/evaluations", json={"year": 2999, "rating": "good"})
    assert future.status_code == 400 and "year" in future.json["error"]["fields"]
    future_decision = staff.post("/api/v1/people/P1/disciplines",
                                 json={"year": 2024, "level": "warning", "decided_on": "2999-01-01"})
    assert future_decision.status_code == 400 and "decided_on" in future_decision.json["error"]["fields"]


def test_unknown_person_or_unit_is_404_json(staff):
    response = staff.get("/api/v1/people/KHONGCO")
    assert response.status_code == 404 and "KHONGCO" in response.json["error"]["message"]
    assert staff.post("/api/v1/units/KHONGCO/evaluations", json={"year": 2024, "rating": "good"}
                      ).status_code == 404


def test_changes_are_audited_with_the_actor(staff, db):
    staff.post("/api/v1/units", json={"code": "BVDK", "name": "Bệnh viện Đa khoa tỉnh"})
    entry = db.session.query(AuditEntry).filter_by(action="unit.create", object_type="Unit").order_by(
        AuditEntry.id.desc()).first()
    assert entry.actor_name == staff.user.username
    assert entry.after["code"] == "BVDK" and entry.after["name"] == "Bệnh viện Đa khoa tỉnh"


def test_codes_that_would_shadow_pages_are_refused(staff):
    for code in ("new", "IMPORT"):
        response = staff.post("/api/v1/units", json={"code": code, "name": "Khoa Nội"})
        assert response.status_code == 400 and "code" in response.json["error"]["fields"]


def test_council_member_bound_to_a_unit_still_cannot_write(api, db):
    unit = factories.unit(code="BVC")
    factories.person(code="P-C", unit=unit)
    db.session.commit()
    member = api.as_("council_member", unit=unit)
    assert member.post("/api/v1/people/P-C/evaluations", json={"year": 2024, "rating": "good"}).status_code == 403
    assert member.post("/api/v1/people", json={**PERSON, "code": "P-D", "unit_code": "BVC"}).status_code == 403
