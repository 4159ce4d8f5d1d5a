"""Campaigns and registrations as CONTRACT §4 says: deadlines in Vietnam's time, unit scope, coverage."""

from datetime import UTC, date, datetime

import pytest

from awards.core import clock
from tests import factories


@pytest.fixture
def province(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top, kind="hospital")
    factories.unit(code="BVB", name="Bệnh viện B", parent=top, kind="hospital")
    factories.unit(code="TTYT", name="Trung tâm Y tế huyện Mèo Vạc", parent=top, kind="health_centre")
    factories.unit(code="BVA-NOI", name="Khoa Nội", parent=bva)
    factories.person(code="CB1", full_name="Nguyễn Văn An", unit=bva)
    db.session.commit()


CAMPAIGN = {"title": "Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm 2026", "kind": "regular",
            "year": 2026, "organizer_unit_code": "SYT", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "registration_deadline": "2026-03-31", "nomination_deadline": "2026-12-15",
            "award_codes": ["LDTT", "CSTDCS", "TTLDTT"]}
REGISTRATION = {"unit_code": "BVA", "collective_award_codes": ["TTLDTT"],
                "individuals": [{"person_code": "CB1", "award_code": "CSTDCS"}]}


@pytest.fixture
def campaign(api, province, at):
    staff = api.as_("staff")
    created = staff.post("/api/v1/campaigns", json=CAMPAIGN)
    assert created.status_code == 201, created.json
    return staff, created.json


def test_create_and_read_a_campaign(campaign):
    staff, body = campaign
    assert body["status"] == "launched" and body["phase"] == "registering"
    assert body["organizer_unit_code"] == "SYT" and body["award_codes"] == ["LDTT", "CSTDCS", "TTLDTT"]
    assert staff.get(f"/api/v1/campaigns/{body['id']}").json["title"].startswith("Phong trào thi đua “Cán bộ")


def test_dates_out_of_order_are_400(api, province, at):
    staff = api.as_("staff")
    response = staff.post("/api/v1/campaigns", json={**CAMPAIGN, "registration_deadline": "2027-01-10"})
    assert response.status_code == 400 and "registration_deadline" in response.json["error"]["fields"]
    unknown = staff.post("/api/v1/campaigns", json={**CAMPAIGN, "award_codes": ["HUY_CHUONG_VANG"]})
    assert unknown.status_code == 400 and "award_codes" in unknown.json["error"]["fields"]


def test_officer_registers_own_unit_and_replaces_it_before_the_deadline(api, campaign):
    _staff, body = campaign
    officer = api.as_("unit_officer", unit=factories_unit("BVA"))
    url = f"/api/v1/campaigns/{body['id']}/registrations"
    first = officer.post(url, json=REGISTRATION)
    assert first.status_code == 201
    assert first.json["individuals"] == [{"person_code": "CB1", "award_code": "CSTDCS"}]
    again = officer.post(url, json={**REGISTRATION, "individuals": [{"person_code": "CB1", "award_code": "LDTT"}],
                                    "commitment": "Phấn đấu 100% hoàn thành nhiệm vụ"})
    assert again.status_code == 201 and again.json["id"] == first.json["id"]
    same = officer.post(url, json={**REGISTRATION, "individuals": [{"person_code": "CB1", "award_code": "LDTT"}]})
    assert same.status_code == 201
    listing = officer.get(url).json
    assert [r["unit_code"] for r in listing["items"]] == ["BVA"]
    assert listing["items"][0]["individuals"] == [{"person_code": "CB1", "award_code": "LDTT"}]
    assert sorted(listing["unregistered_unit_codes"]) == ["BVB", "TTYT"]


def factories_unit(code):
    from awards.units.queries import unit_by_code

    return unit_by_code(code)


def test_officer_cannot_register_another_unit(api, campaign):
    _staff, body = campaign
    officer = api.as_("unit_officer", unit=factories_unit("BVB"))
    response = officer.post(f"/api/v1/campaigns/{body['id']}/registrations", json=REGISTRATION)
    assert response.status_code == 403


def test_targets_must_fit_the_campaign_and_the_unit(api, campaign):
    staff, body = campaign
    url = f"/api/v1/campaigns/{body['id']}/registrations"
    wrong_award = staff.post(url, json={**REGISTRATION, "collective_award_codes": ["CO_TINH"]})
    assert wrong_award.status_code == 400 and "collective_award_codes" in wrong_award.json["error"]["fields"]
    individual_as_collective = staff.post(url, json={**REGISTRATION, "collective_award_codes": ["LDTT"]})
    assert individual_as_collective.status_code == 400
    outsider = staff.post(url, json={**REGISTRATION, "unit_code": "BVB"})
    assert outsider.status_code == 400 and "individuals.0.person_code" in outsider.json["error"]["fields"]
    organizer = staff.post(url, json={**REGISTRATION, "unit_code": "SYT", "individuals": []})
    assert organizer.status_code == 403


@pytest.mark.parametrize("moment, status", [
    (datetime(2026, 3, 31, 23, 59, 30, tzinfo=clock.VIETNAM), 201),  # the last minute of the deadline day
    (datetime(2026, 3, 31, 16, 59, 0, tzinfo=UTC), 201),  # 23:59 in Vietnam
    (datetime(2026, 4, 1, 0, 0, 1, tzinfo=clock.VIETNAM), 409),
    (datetime(2026, 3, 31, 17, 0, 1, tzinfo=UTC), 409),  # 00:00:01 in Vietnam
])
def test_deadline_is_the_end_of_the_day_in_vietnam(api, campaign, at, moment, status):
    staff, body = campaign
    at(moment)
    response = staff.post(f"/api/v1/campaigns/{body['id']}/registrations", json=REGISTRATION)
    assert response.status_code == status
    if status == 409:
        assert response.json["error"]["code"] == "deadline_passed" and "31/03/2026" in response.json["error"]["message"]


def test_staff_reopen_for_one_unit_after_the_deadline(api, campaign, at):
    staff, body = campaign
    at(datetime(2026, 4, 5, 10, 0, tzinfo=clock.VIETNAM))
    url = f"/api/v1/campaigns/{body['id']}/registrations"
    assert staff.post(url, json=REGISTRATION).status_code == 409
    reopened = staff.post(f"/api/v1/campaigns/{body['id']}/reopenings",
                          json={"unit_code": "BVA", "until": "2026-04-07", "reason": "Đơn vị bị sự cố mạng"})
    assert reopened.status_code == 201
    assert staff.post(url, json=REGISTRATION).status_code == 201
    assert staff.post(url, json={**REGISTRATION, "unit_code": "TTYT", "individuals": []}).status_code == 409
    at(datetime(2026, 4, 8, 0, 0, 1, tzinfo=clock.VIETNAM))
    assert staff.post(url, json=REGISTRATION).status_code == 409


def test_phase_follows_the_dates(api, campaign, at):
    staff, body = campaign
    url = f"/api/v1/campaigns/{body['id']}"
    for moment, phase in [(datetime(2026, 3, 31, 23, 0, tzinfo=clock.VIETNAM), "registering"),
                          (datetime(2026, 6, 1, 9, 0, tzinfo=clock.VIETNAM), "running"),
                          (datetime(2026, 11, 15, 9, 0, tzinfo=clock.VIETNAM), "nominating"),
                          (datetime(2026, 12, 15, 23, 0, tzinfo=clock.VIETNAM), "nominating"),
                          (datetime(2026, 12, 20, 9, 0, tzinfo=clock.VIETNAM), "running"),
                          (datetime(2027, 1, 1, 9, 0, tzinfo=clock.VIETNAM), "closed")]:
        at(moment)
        assert staff.get(url).json["phase"] == phase, moment
    assert staff.post(f"{url}/close").json["status"] == "closed"
    assert staff.post(f"{url}/close").status_code == 409


def test_phase_rules_directly():
    from types import SimpleNamespace

    from awards.campaigns.rules import phase

    c = SimpleNamespace(status="launched", starts_on=date(2026, 2, 1), registration_deadline=date(2026, 3, 31),
                        nominations_open_on=None, nomination_deadline=date(2026, 12, 15), ends_on=date(2026, 12, 31))
    assert phase(c, date(2026, 1, 31)) == "not_started"
    assert phase(c, date(2026, 2, 1)) == "registering"
    assert phase(c, date(2026, 4, 1)) == "running"
    assert phase(c, date(2026, 11, 14)) == "running"
    assert phase(c, date(2026, 11, 15)) == "nominating"
    assert phase(SimpleNamespace(**{**vars(c), "status": "draft"}), date(2026, 3, 1)) == "draft"
    assert phase(SimpleNamespace(**{**vars(c), "status": "closed"}), date(2026, 3, 1)) == "closed"


def test_drafts_are_hidden_from_units_and_registration_waits_for_launch(api, province, at):
    staff = api.as_("staff")
    draft = staff.post("/api/v1/campaigns", json={**CAMPAIGN, "draft": True}).json
    assert draft["status"] == "draft" and draft["phase"] == "draft"
    url = f"/api/v1/campaigns/{draft['id']}/registrations"
    assert staff.post(url, json=REGISTRATION).status_code == 409
    officer = api.as_("unit_officer", unit=factories_unit("BVA"))
    assert officer.get(f"/api/v1/campaigns/{draft['id']}").status_code == 404
    assert staff.post(f"/api/v1/campaigns/{draft['id']}/launch").json["status"] == "launched"


def test_launch_notifies_the_officers_of_expected_units(api, province, at, db):
    from awards.notifications.models import Notification

    officer = factories.user("unit_officer", unit=factories_unit("BVB"))
    factories.user("unit_officer", unit=factories_unit("BVA-NOI"))  # not a direct child: not expected
    db.session.commit()
    api.as_("staff").post("/api/v1/campaigns", json=CAMPAIGN)
    notes = db.session.query(Notification).all()
    assert [(n.user_id, n.kind) for n in notes] == [(officer.id, "campaign_launched")]
    assert "31/03/2026" in notes[0].body


def test_reminders_reach_the_officers_of_units_that_have_not_registered(api, campaign, db):
    from awards.campaigns import queries, services
    from awards.notifications.models import Notification

    _staff, body = campaign
    bva_officer = factories.user("unit_officer", unit=factories_unit("BVA"))
    bvb_officer = factories.user("unit_officer", unit=factories_unit("BVB"))
    db.session.commit()
    _staff.post(f"/api/v1/campaigns/{body['id']}/registrations", json=REGISTRATION)
    db.session.query(Notification).delete()
    told, silent = services.remind_unregistered(queries.campaign_by_id(body["id"]), by=None)
    db.session.commit()
    assert told == 1 and [u.code for u in silent] == ["TTYT"]
    notes = db.session.query(Notification).all()
    assert [n.user_id for n in notes] == [bvb_officer.id] and bva_officer.id not in [n.user_id for n in notes]
    assert notes[0].kind == "registration_reminder"
    coverage = queries.coverage(queries.campaign_by_id(body["id"]))
    assert coverage["expected"] == 3 and coverage["registered"] == 1
    assert coverage["per_level"]["hospital"] == {**coverage["per_level"]["hospital"], "expected": 2, "registered": 1}



def test_registration_as_a_precondition_is_a_checklist_line(api, campaign, db):
    from awards.campaigns import queries, rules

    staff, body = campaign
    staff.post(f"/api/v1/campaigns/{body['id']}/registrations", json=REGISTRATION)
    record = queries.campaign_by_id(body["id"])
    assert rules.registration_line(record, True) is None, "off unless the campaign requires it"
    record.registration_required = True
    assert queries.registered_target(record, "person", "CB1", "CSTDCS")
    assert not queries.registered_target(record, "person", "CB1", "LDTT")
    assert queries.registered_target(record, "unit", "BVA", "TTLDTT")
    assert not queries.registered_target(record, "unit", "BVB", "TTLDTT")
    line = rules.registration_line(record, queries.registered_target(record, "person", "CB1", "LDTT"))
    assert not line.passed and "Chưa đăng ký" in line.detail and line.rule == "registered_in_campaign"
