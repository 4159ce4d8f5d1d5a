"""Lists are scoped like their pages (issue 23, findings 3 and 11): a unit officer reads their own units'
registrations and unpublished archive records, never another unit's, through the API and the pages alike."""

from datetime import date

import pytest

from awards.archive import services as archive
from tests import factories
from tests.web import text_of, web

CAMPAIGN = {"title": "Phong trào thi đua năm 2026", "kind": "regular", "year": 2026, "organizer_unit_code": "SYT",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "registration_deadline": "2026-03-31",
            "nomination_deadline": "2026-12-15", "award_codes": ["LDTT", "CSTDCS", "TTLDTT"]}


@pytest.fixture
def province(api, db, at):
    top = factories.unit(code="SYT", name="Sở Y tế")
    units = {code: factories.unit(code=code, name=f"Bệnh viện {code}", parent=top, kind="hospital")
             for code in ("BVA", "BVB")}
    factories.person(code="CB-A", full_name="Nguyễn Văn An", unit=units["BVA"])
    factories.person(code="CB-B", full_name="Trần Thị Bích", unit=units["BVB"])
    db.session.commit()
    return units


def test_an_officer_reads_only_their_units_registrations(api, province):
    staff = api.as_("staff")
    campaign = staff.post("/api/v1/campaigns", json=CAMPAIGN).json
    url = f"/api/v1/campaigns/{campaign['id']}/registrations"
    for unit, person in (("BVA", "CB-A"), ("BVB", "CB-B")):
        stored = staff.post(url, json={"unit_code": unit, "collective_award_codes": ["TTLDTT"],
                                       "individuals": [{"person_code": person, "award_code": "CSTDCS"}]})
        assert stored.status_code == 201, stored.json
    officer = api.as_("unit_officer", unit=province["BVA"])
    seen = officer.get(url).json
    assert [r["unit_code"] for r in seen["items"]] == ["BVA"]
    assert "CB-B" not in str(seen["items"])
    assert sorted(r["unit_code"] for r in staff.get(url).json["items"]) == ["BVA", "BVB"]
    member = api.as_("council_member")
    assert member.get(url).json["items"] == []


def _record(code, published, year=2024):
    return archive.record_award(subject_type="person", subject_code=code, award_code="LDTT", year=year,
                                decision_number=f"{year}-{code}/QĐ-SYT", decision_date=date(2025, 1, 5),
                                issuer="Sở Y tế", published=published)


def test_unpublished_records_are_read_only_by_their_units_and_managers(api, app, db, province):
    hidden_a, hidden_b, public_b = _record("CB-A", False), _record("CB-B", False), _record("CB-B", True, 2023)
    db.session.commit()
    officer = api.as_("unit_officer", unit=province["BVA"])
    listed = {r["decision_number"] for r in officer.get("/api/v1/archive/records?per_page=200").json["items"]}
    assert listed == {"2024-CB-A/QĐ-SYT", "2023-CB-B/QĐ-SYT"} and len(
        officer.get("/api/v1/archive/records?q=tran%20thi%20bich").json["items"]) == 1  # the published one only
    assert officer.get(f"/api/v1/archive/records/{hidden_b.id}").status_code == 404
    assert officer.get(f"/api/v1/archive/records/{hidden_a.id}").status_code == 200
    assert officer.get(f"/api/v1/archive/records/{public_b.id}").status_code == 200
    staff = api.as_("staff")
    assert staff.get("/api/v1/archive/records").json["total"] == 3

    client = web(app, officer.user)
    assert client.get(f"/archive/records/{hidden_b.id}").status_code == 404
    assert client.get(f"/archive/records/{hidden_a.id}").status_code == 200
    history = text_of(client.get("/archive/people/CB-B"))
    assert "2023-CB-B/QĐ-SYT" in history and "2024-CB-B/QĐ-SYT" not in history
    search = text_of(client.get("/archive?q=tran+thi+bich"))
    assert "2023-CB-B/QĐ-SYT" in search and "2024-CB-B/QĐ-SYT" not in search
    export = client.get("/archive/export.xlsx?q=tran+thi+bich")
    assert export.status_code == 200
