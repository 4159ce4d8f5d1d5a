"""CONTRACT §6 through the JSON API: POST /api/v1/award-types (admin) and GET /api/v1/award-types/<code>."""

from awards.catalog.models import StoredAwardType
from awards.core.audit import AuditEntry

BODY = {
    "code": "BK_BYT", "name": "Bằng khen của Bộ trưởng Bộ Y tế", "subject": "both", "ballot": "open",
    "threshold": None, "level": "ministerial", "decided_by": "Bộ trưởng Bộ Y tế", "period_years": 2,
    "conditions": [
        {"rule": "rating_years", "params": {"minimum": "excellent", "years": 2},
         "basis": {"article": "Thông tư Bộ Y tế về TĐKT ngành Y tế [check]", "text": "02 năm liên tục HTXSNV",
                   "confirmed": False}},
        {"rule": "confirm", "params": {"text": "có thành tích xuất sắc được bình xét trong phong trào thi đua"}},
    ],
}


def test_admin_adds_a_type_and_reads_it_back(api, db):
    admin = api.as_("admin")
    created = admin.post("/api/v1/award-types", json=BODY)
    assert created.status_code == 201, created.json
    body = created.json
    assert body["code"] == "BK_BYT" and body["builtin"] is False and body["ballot"] == "open"
    assert body["subjects"] == ["individual", "collective"] and body["level"] == "ministerial"
    assert [c["rule"] for c in body["conditions"]] == ["rating_years", "confirm"]
    shown = admin.get("/api/v1/award-types/BK_BYT")
    assert shown.status_code == 200 and shown.json == body
    listed = admin.get("/api/v1/award-types").json["items"]
    assert [a["code"] for a in listed][-1] == "BK_BYT" and len(listed) == 13
    assert all(a["subject"] in ("individual", "collective") and a["ballot"] in ("secret", "open", "none")
               for a in listed)  # CONTRACT §4 stays as it was
    assert db.session.query(AuditEntry).filter_by(action="catalog.award_type.create").count() == 1


def test_a_built_in_type_reads_with_its_fields(api, db):
    body = api.as_("staff").get("/api/v1/award-types/CSTDCS").json
    assert body["builtin"] is True and body["name"] == "Chiến sĩ thi đua cơ sở" and body["threshold"] == 0.8
    assert body["conditions"] == [] and body["prize_coefficient"] is None


def test_unknown_code_is_404(api, db):
    response = api.as_("staff").get("/api/v1/award-types/KHONG_CO")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_built_in_code_and_a_second_post_are_409(api, db):
    admin = api.as_("admin")
    builtin = admin.post("/api/v1/award-types", json={**BODY, "code": "BK_TINH"})
    assert builtin.status_code == 409 and "không định nghĩa lại" in builtin.json["error"]["message"]
    assert admin.post("/api/v1/award-types", json=BODY).status_code == 201
    again = admin.post("/api/v1/award-types", json=BODY)
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    assert db.session.query(StoredAwardType).count() == 1


def test_malformed_and_invalid_bodies_are_400_with_the_condition_named(api, db):
    admin = api.as_("admin")
    bad_json = admin.post("/api/v1/award-types", data="{not json", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json["error"]["code"] == "invalid_json"
    missing = admin.post("/api/v1/award-types", json={"code": "X1", "name": "Thử"})
    assert missing.status_code == 400 and "subject" in missing.json["error"]["fields"]
    unknown = admin.post("/api/v1/award-types", json={**BODY, "conditions": [{"rule": "bay_len", "params": {}}]})
    assert unknown.status_code == 400
    assert unknown.json["error"]["message"] == "Điều kiện 1: không có khối điều kiện “bay_len”."
    assert unknown.json["error"]["fields"] == {"conditions": unknown.json["error"]["message"]}
    out_of_range = admin.post("/api/v1/award-types", json={**BODY, "conditions": [
        BODY["conditions"][1], {"rule": "rating_years", "params": {"minimum": "good", "years": 40}}]})
    assert out_of_range.status_code == 400
    assert "Điều kiện 2 (Xếp loại liên tục nhiều năm)" in out_of_range.json["error"]["message"]
    bad_code = admin.post("/api/v1/award-types", json={**BODY, "code": "bk byt!"})
    assert bad_code.status_code == 400 and "code" in bad_code.json["error"]["fields"]
    assert db.session.query(StoredAwardType).count() == 0


def test_only_an_admin_adds_a_type(api, db):
    for role in ("staff", "unit_officer", "council_member"):
        assert api.as_(role).post("/api/v1/award-types", json=BODY).status_code == 403
    assert api.post("/api/v1/award-types", json=BODY).status_code == 401
    assert db.session.query(StoredAwardType).count() == 0
