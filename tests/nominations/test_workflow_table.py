"""Every (state, action, role): allowed, or 409 for a wrong state, or 403/404 for a wrong role or unit.
Expectations are written from CONTRACT §4's words, not derived from the transition table they check."""

import io

import pytest

from awards.nominations.states import STATUS_LABELS

PDF = b"%PDF-1.4\n%%EOF\n"
STATES = sorted(STATUS_LABELS)
# CONTRACT: submit from draft (and again after a return); return and appraise a submitted dossier (staff);
# withdraw from any state before awarded (the unit, or staff).
ALLOWED_FROM = {
    "submit": {"draft", "returned"},
    "return": {"submitted"},
    "appraise": {"submitted"},
    "withdraw": set(STATES) - {"awarded", "withdrawn", "not_awarded"},
}
STAFF_ONLY = {"return", "appraise"}
BODIES = {"submit": None, "return": {"reason": "Bổ sung biên bản"}, "appraise": {"result": "pass", "note": "Đạt"},
          "withdraw": {"reason": "Đơn vị rút hồ sơ"}}


def _dossier_in(state, clients, db):
    """A complete dossier put straight into `state` (the route there is tested elsewhere)."""
    from awards.nominations.models import Nomination

    officer = clients["unit_officer"]
    nid = officer.post("/api/v1/nominations", json={"subject_type": "person", "subject_code": "CB1",
                                                    "award_code": "LDTT", "year": 2025}).json["id"]
    for kind in ("report", "proposal"):
        officer.post(f"/api/v1/nominations/{nid}/attachments", content_type="multipart/form-data",
                     data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")})
    db.session.get(Nomination, nid).status = state
    db.session.commit()
    return nid


@pytest.mark.parametrize("actor", ["unit_officer", "staff"])
@pytest.mark.parametrize("action", sorted(ALLOWED_FROM))
@pytest.mark.parametrize("state", STATES)
def test_state_action_role(setting, db, state, action, actor):
    nid = _dossier_in(state, setting, db)
    url = f"/api/v1/nominations/{nid}/{action}"

    def call(role):
        return setting[role].post(url, json=BODIES[action])

    # those who may not act never change anything, whatever the state
    assert call("council_member").status_code == 403
    assert call("other_officer").status_code == (403 if action in STAFF_ONLY else 404)
    response = call(actor)
    if actor == "unit_officer" and action in STAFF_ONLY:
        assert response.status_code == 403
    elif state in ALLOWED_FROM[action]:
        assert response.status_code == 200, response.json
        expected = {"submit": "submitted", "return": "returned", "appraise": "appraised",
                    "withdraw": "withdrawn"}[action]
        assert response.json["status"] == expected and response.json["history"][-1]["status"] == expected
    else:
        assert response.status_code == 409 and response.json["error"]["code"] == "wrong_state"
        from awards.nominations.models import Nomination

        db.session.expire_all()
        assert db.session.get(Nomination, nid).status == state
