"""Forwarding upward and the answer from outside (issue 18, CONTRACT §5): a hospital proposes a Bằng khen tỉnh to
the Sở, the Sở proposes it to the province, the province's answer is recorded — through the API, the guards in
the services (the same refusals through the batch doors)."""

from datetime import datetime

import pytest

from awards.core import clock
from awards.extensions import db as _db
from awards.nominations.models import Nomination
from tests.units.test_levels import Province


@pytest.fixture
def province(api, db, at):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    province = Province(api)
    province.staff_syt = api.as_("staff", unit=province.units["SYT"])
    return province


def _passed(province, unit_code="BVA", award="BK_TINH"):
    """A dossier its level's council has passed (the council is tested in tests/council)."""
    dossier = province.dossier(unit_code, award=award, status="appraised")
    _db.session.get(Nomination, dossier.id).status = "passed"
    _db.session.commit()
    return dossier.id


def test_a_hospital_forwards_to_the_so_which_forwards_outside_and_records_the_answer(province):
    officer = province.api.as_("unit_officer", unit=province.units["BVA"])
    nid = _passed(province)
    other = province.staff_b.post(f"/api/v1/nominations/{nid}/forward", json={"note": "Trình Sở"})
    assert other.status_code == 403  # another hospital's secretariat

    moved = province.staff_a.post(f"/api/v1/nominations/{nid}/forward", json={"note": "Tờ trình số 12/TTr-BVA"})
    assert moved.status_code == 200, moved.json
    body = moved.json
    assert body["status"] == "submitted" and body["handling_unit_code"] == "SYT"
    assert [(lv["unit_code"], lv["status"]) for lv in body["levels"]] == [("BVA", "forwarded"), ("SYT", "submitted")]
    assert "Tờ trình số 12/TTr-BVA" in [e["note"] for e in body["history"]]
    # the hospital no longer handles it, but still sees it; the Sở appraises it as its own
    assert province.staff_a.post(f"/api/v1/nominations/{nid}/forward", json={}).status_code == 403
    assert province.staff_a.get(f"/api/v1/nominations/{nid}").status_code == 200
    assert province.staff_syt.post(f"/api/v1/nominations/{nid}/appraise",
                                   json={"result": "pass", "note": "Đạt"}).status_code in (200, 409)
    _db.session.get(Nomination, nid).status = "passed"
    _db.session.commit()

    out = province.staff_syt.post(f"/api/v1/nominations/{nid}/forward", json={})
    assert out.status_code == 200, out.json
    assert out.json["status"] == "forwarded" and out.json["forwarded_workdays"] == 0
    assert "UBND tỉnh" in out.json["history"][-1]["note"]
    assert province.staff_syt.post(f"/api/v1/nominations/{nid}/forward", json={}).status_code == 409

    answer = {"result": "awarded", "decision_number": "215/QĐ-UBND", "decision_date": "2026-03-02",
              "issuer": "Chủ tịch UBND tỉnh Thái An", "reason": ""}
    assert province.staff_a.post(f"/api/v1/nominations/{nid}/outcome", json=answer).status_code == 403
    done = province.staff_syt.post(f"/api/v1/nominations/{nid}/outcome", json=answer)
    assert done.status_code == 200, done.json
    assert done.json["status"] == "awarded"
    assert "215/QĐ-UBND" in done.json["history"][-1]["note"]
    records = province.admin.get("/api/v1/archive/records?q=215/QĐ-UBND").json["items"]
    assert [(r["award_code"], r["issuer"]) for r in records] == [("BK_TINH", "Chủ tịch UBND tỉnh Thái An")]
    assert province.staff_syt.post(f"/api/v1/nominations/{nid}/outcome", json=answer).status_code == 409
    # the unit that proposed was told, step by step
    from awards.notifications.models import Notification
    kinds = {n.kind for n in _db.session.query(Notification).filter_by(about_id=nid, user_id=officer.user.id)}
    assert {"nomination_forwarded", "nomination_answered"} <= kinds


def test_a_level_that_decides_the_award_does_not_forward_it(province):
    nid = _passed(province, award="CSTDCS")
    refused = province.staff_a.post(f"/api/v1/nominations/{nid}/forward", json={})
    assert refused.status_code == 409 and "có thẩm quyền quyết định" in refused.json["error"]["message"]


def test_forward_needs_the_council_first(province):
    dossier = province.dossier("BVA", award="BK_TINH", status="appraised")  # a vote is due for a Bằng khen
    refused = province.staff_a.post(f"/api/v1/nominations/{dossier.id}/forward", json={})
    assert refused.status_code == 409
    draft = province.dossier("BVA", award="BK_TINH", status="draft")
    assert province.staff_a.post(f"/api/v1/nominations/{draft.id}/forward", json={}).status_code == 409
    officer = province.api.as_("unit_officer", unit=province.units["BVA"])
    assert officer.post(f"/api/v1/nominations/{dossier.id}/forward", json={}).status_code == 403


def _forwarded(province, count):
    ids = [_passed(province, unit_code="SYT") for _ in range(count)]
    response = province.staff_syt.post("/api/v1/nominations/forward", json={"nomination_ids": ids,
                                                                             "note": "Tờ trình số 30/TTr-SYT"})
    assert response.status_code == 200, response.json
    assert {n["status"] for n in response.json["items"]} == {"forwarded"}
    return ids


def test_one_answer_for_many_dossiers_is_recorded_once_all_or_none(province):
    ids = _forwarded(province, 3)
    stray = _passed(province, unit_code="SYT")
    answer = {"result": "awarded", "decision_number": "300/QĐ-UBND", "decision_date": "2026-03-02",
              "issuer": "Chủ tịch UBND tỉnh Thái An"}
    refused = province.staff_syt.post("/api/v1/nominations/outcomes", json={**answer, "nomination_ids": ids + [stray]})
    assert refused.status_code == 409 and f"#{stray}" in refused.json["error"]["message"]
    assert {_db.session.get(Nomination, i).status for i in ids} == {"forwarded"}
    assert province.admin.get("/api/v1/archive/records?q=300/QĐ-UBND").json["total"] == 0

    done = province.staff_syt.post("/api/v1/nominations/outcomes", json={**answer, "nomination_ids": ids})
    assert done.status_code == 200, done.json
    assert {n["status"] for n in done.json["items"]} == {"awarded"}
    assert province.admin.get("/api/v1/archive/records?q=300/QĐ-UBND").json["total"] == 3


def test_a_refusal_from_outside_keeps_its_reason(province):
    nid = _forwarded(province, 1)[0]
    missing = province.staff_syt.post(f"/api/v1/nominations/{nid}/outcome", json={"result": "not_awarded"})
    assert missing.status_code == 400 and "reason" in missing.json["error"]["fields"]
    no = province.staff_syt.post(f"/api/v1/nominations/{nid}/outcome",
                                 json={"result": "not_awarded", "reason": "Chưa đủ thời gian công tác",
                                       "decision_number": "45/UBND-VX"})
    assert no.status_code == 200, no.json
    assert no.json["status"] == "not_awarded"
    assert "Chưa đủ thời gian công tác" in no.json["history"][-1]["note"]
    assert province.staff_syt.post(f"/api/v1/nominations/{nid}/withdraw",
                                   json={"reason": "Rút"}).status_code == 409
