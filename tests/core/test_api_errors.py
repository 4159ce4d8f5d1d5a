"""Every 4xx under /api/ is JSON with the CONTRACT body; bad input never causes a 500."""

import pytest

from awards.auth.models import ApiToken


def error(response):
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and body["error"]["message"]
    if response.status_code == 400:
        assert isinstance(body["error"]["fields"], dict)
    else:
        assert "fields" not in body["error"]
    return body["error"]


@pytest.fixture
def staff(api, db):
    return api.as_("staff")


def test_missing_and_bad_tokens_are_401(api, db):
    assert error(api.get("/api/v1/units"))["code"] == "unauthorized"
    assert api.get("/api/v1/units").status_code == 401
    bogus = api.get("/api/v1/units", headers={"Authorization": "Bearer aw_not-a-token"})
    assert bogus.status_code == 401 and error(bogus)["code"] == "invalid_token"
    basic = api.get("/api/v1/units", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401


def test_revoked_token_stops_working(api, db):
    staff = api.as_("staff")
    assert staff.get("/api/v1/units").status_code == 200
    token = db.session.query(ApiToken).filter_by(user_id=staff.user.id).one()
    from awards.auth.services import revoke_token

    revoke_token(token, by=staff.user)
    db.session.commit()
    assert staff.get("/api/v1/units").status_code == 401


def test_tokens_are_stored_hashed(api, db):
    staff = api.as_("staff")
    stored = db.session.query(ApiToken).filter_by(user_id=staff.user.id).one()
    assert staff.token not in (stored.token_hash, stored.prefix)
    assert len(stored.token_hash) == 64


def test_malformed_json_is_400(staff):
    response = staff.post("/api/v1/units", data="{'code': 'X'", content_type="application/json")
    assert response.status_code == 400 and error(response)["code"] == "invalid_json"


@pytest.mark.parametrize("payload", ["[1, 2]", '"text"', "null", "42", ""])
def test_body_that_is_not_an_object_is_400(staff, payload):
    response = staff.post("/api/v1/units", data=payload, content_type="application/json")
    assert response.status_code == 400 and error(response)["code"] == "invalid_json"


def test_non_utf8_body_is_400(staff):
    response = staff.post("/api/v1/units", data=b'{"code": "\xff\xfe"}', content_type="application/json")
    assert response.status_code == 400
    error(response)


def test_missing_fields_are_named_in_vietnamese(staff):
    response = staff.post("/api/v1/units", json={})
    assert response.status_code == 400
    fields = error(response)["fields"]
    assert fields == {"code": "Trường này là bắt buộc.", "name": "Trường này là bắt buộc."}


def test_wrong_types_and_codes(staff):
    response = staff.post("/api/v1/units", json={"code": "mã có dấu", "name": 5, "grassroots": "true"})
    fields = error(response)["fields"]
    assert set(fields) == {"code", "name", "grassroots"}
    assert fields["name"] == "Phải là chuỗi ký tự."


def test_blank_strings_are_refused(staff):
    fields = error(staff.post("/api/v1/units", json={"code": "   ", "name": "  "}))["fields"]
    assert fields["code"] == "Không được để trống." and fields["name"] == "Không được để trống."


def test_oversized_json_is_413(staff):
    response = staff.post("/api/v1/units", data=b'{"name": "' + b"a" * (2 * 1024 * 1024) + b'"}',
                          content_type="application/json")
    assert response.status_code == 413 and error(response)["code"] == "payload_too_large"


def test_oversized_request_body_is_413_json(staff, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = staff.post("/api/v1/units", data=b"x" * (limit + 1), content_type="application/json")
    assert response.status_code == 413
    error(response)


def test_unknown_path_is_json(staff):
    missing = staff.get("/api/v1/khong-co")
    assert missing.status_code == 404 and error(missing)["code"] == "not_found"


def test_wrong_method_is_405_json(client, db):
    response = client.delete("/api/v1/units")
    assert response.status_code == 405 and error(response)["code"] == "method_not_allowed"


def test_forbidden_is_403_json_and_audited(api, db):
    from awards.core.audit import AuditEntry

    member = api.as_("council_member")
    response = member.post("/api/v1/units", json={"code": "X", "name": "Y"})
    assert response.status_code == 403 and error(response)["code"] == "forbidden"
    denied = db.session.query(AuditEntry).filter_by(action="access.denied").one()
    assert denied.actor_name == member.user.username and denied.object_id == "/api/v1/units"


def test_english_messages_on_request(staff):
    response = staff.post("/api/v1/units", json={}, headers={"Accept-Language": "en"})
    body = error(response)
    assert body["fields"]["code"] == "This field is required."
    assert body["message"] == "Invalid data."
    missing = staff.get("/api/v1/people/NOPE", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert error(missing)["message"] == "No person with code “NOPE”."


def test_rate_limit_is_429_json(app, db):
    """Any limited API route answers 429 with the CONTRACT body (a fresh app: routes are added before use)."""
    from awards import create_app
    from awards.extensions import limiter

    fresh = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})

    @limiter.limit("2 per minute")
    def limited():
        return {"ok": True}

    fresh.add_url_rule("/api/v1/_test_limited", "test_limited", limited)
    client = fresh.test_client()
    codes = [client.get("/api/v1/_test_limited").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert error(client.get("/api/v1/_test_limited"))["code"] == "rate_limited"


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_openapi_describes_every_api_route(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in ("/api/v1/openapi.json",) or "_test" in rule.rule:
            continue
        path = rule.rule.replace("<", "{").replace(">", "}").replace("{int:", "{")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in described, (path, method)
    person_in = document["components"]["schemas"]["PersonIn"]
    assert set(person_in["required"]) >= {"code", "full_name", "gender", "birth_date", "unit_code"}
    assert person_in["properties"]["gender"]["enum"] == ["female", "male"]
    create = document["paths"]["/api/v1/people"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PersonIn"}
    assert "400" in create["responses"] and "201" in create["responses"]


def test_error_pages_outside_api_are_html(client, db):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.get_data(as_text=True)




def test_numbers_no_database_holds_are_400_not_500(staff):
    """Found by the API fuzzer (tests/security): a page, a filter or an id past the integer columns
    (PostgreSQL `integer`) was a database error, a 500."""
    page = staff.get("/api/v1/archive/records", query_string={"page": 118985240782289368862687232})
    assert page.status_code == 400 and "page" in error(page)["fields"]
    far = staff.get("/api/v1/archive/records", query_string={"page": 10**7, "per_page": 5000})  # capped at 200
    assert far.status_code == 200 and far.get_json()["items"] == [] and far.get_json()["per_page"] == 200
    huge = staff.get("/api/v1/archive/records", query_string={"per_page": 6626438938339})
    assert huge.status_code == 400 and "per_page" in error(huge)["fields"]
    year = staff.get("/api/v1/nominations", query_string={"year": -45726585728064, "campaign_id": 2**31})
    assert year.status_code == 400 and set(error(year)["fields"]) == {"year", "campaign_id"}
    ids = staff.post("/api/v1/decisions", json={"number": "1/QĐ", "signed_on": "2026-01-05", "signer": "A",
                                                "issuer": "B", "nomination_ids": [1, 2**64]})
    assert ids.status_code == 400 and "nomination_ids" in error(ids)["fields"]


def test_nul_characters_are_400_not_500(staff):
    """PostgreSQL text cannot hold NUL: refused as bad input, in a body, a query string and a path."""
    body = staff.post("/api/v1/units", json={"code": "X1", "name": "Khoa\u0000Nội"})
    assert body.status_code == 400 and "name" in error(body)["fields"]
    query = staff.get("/api/v1/units", query_string={"q": "a\x00b"})
    assert query.status_code == 400 and "q" in error(query)["fields"]
    path = staff.get("/api/v1/units/A%00B")
    assert path.status_code == 404 and error(path)["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/campaigns/2240724424831623652966400",
                                  "/api/v1/campaigns/2240724424831623652966400/registrations",
                                  "/api/v1/archive/records/9223372036854775808",
                                  "/api/v1/nominations/3265196279144", "/api/v1/decisions/2147483648"])
def test_ids_past_the_integer_columns_are_404_json(staff, path):
    """Not a database error (500), nor a 405 where the path also takes another method."""
    response = staff.get(path)
    assert response.status_code == 404 and error(response)["code"] == "not_found"


def test_openapi_documents_404_on_lists_filtered_by_a_code(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "404" in paths["/api/v1/people"]["get"]["responses"]
    assert "404" in paths["/api/v1/eligibility"]["get"]["responses"]
