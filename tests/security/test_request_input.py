"""Input no column can hold is bad input, never a 500 (CONTRACT §3): numbers past 32 and 64 bits and digits that
are not ASCII in query strings and forms, JSON nested thousands deep, NUL characters; and a database that is
down answers 503 with Retry-After."""

import json

from flask import url_for

from awards.core import params
from awards.core.api import OPERATIONS
from tests import factories
from tests.test_routes import MATRIX, _client_for, _url, world  # noqa: F401  (world is a fixture)

HOSTILE = {  # every number-like parameter a list reads, past what the database holds
    "huge": "99999999999999999999999",
    "int32": "2147483648",
    "unicode": "²",
    "arabic": "٢٠٢٥",
}
NUMBER_ARGS = ("page", "per_page", "year", "half", "campaign_id", "campaign", "council", "announcement", "nominee")
TEXT_ARGS = ("q", "status", "unit", "unit_code", "action", "actor", "subject_code", "award_code", "stage", "waiting")
LISTS = sorted(e for e, (method, *_) in MATRIX.items() if method == "GET")



def _failures(app, built, query):
    """(status, role, url) of every GET of the route matrix answering 5xx to `query`, as an admin and anonymously."""
    clients = {role: _client_for(app, role, built) for role in ("admin", "anonymous")}
    failures = []
    for endpoint in LISTS:
        url = _url(app, endpoint, MATRIX[endpoint][1], built)
        for role, client in clients.items():
            headers = {"Authorization": f"Bearer {built['tokens']['admin']}"} if role == "admin" else {}
            response = client.get(f"{url}?{query}", headers=headers)
            if response.status_code >= 500 and endpoint != "core.readyz":
                failures.append((response.status_code, role, url))
    return failures


def test_no_list_answers_500_to_numbers_past_the_database(app, world):  # noqa: F811
    for value in HOSTILE.values():
        assert _failures(app, world, "&".join(f"{name}={value}" for name in NUMBER_ARGS)) == [], value


def test_no_list_answers_500_to_a_nul_character(app, world):  # noqa: F811
    assert _failures(app, world, "&".join(f"{name}=a%00b" for name in TEXT_ARGS + NUMBER_ARGS)) == []
    anonymous = app.test_client()
    response = anonymous.get("/public/archive?q=a%00b")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    api = anonymous.get("/api/v1/public/decisions?q=a%00b")
    assert api.status_code == 400 and api.json["error"]["code"] == "validation_error"


def test_a_nul_in_the_login_form_is_refused_not_a_500(client, db, csrf_token):
    factories.user("staff", username="nul.user", password="mat-khau-2026")
    db.session.commit()
    for field in ("username", "password"):
        data = {"username": "nul.user", "password": "mat-khau-2026", "csrf_token": csrf_token()}
        data[field] = data[field][:3] + "\x00" + data[field][3:]
        response = client.post("/login", data=data)
        assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_ticked_ids_that_are_not_ascii_digits_are_dropped(app, client, login_as, csrf_token):
    login_as("staff")
    with app.test_request_context():
        bulk, agenda = url_for("nominations.bulk_appraise"), url_for("council.add_items", session_id=999_999)
    token = csrf_token("/account")
    for url in (bulk, agenda):
        for value in ("²", "٣", "99999999999999999999999"):
            response = client.post(url, data={"ids": [value], "csrf_token": token})
            assert response.status_code == 302, (url, value)
            assert "Chưa chọn hồ sơ nào" in client.get(response.headers["Location"]).get_data(as_text=True)


def _deep(depth: int) -> bytes:
    return b'{"a": ' + b"[" * depth + b"]" * depth + b"}"


def test_json_nested_thousands_deep_is_a_400_on_every_json_endpoint(app, api, db):
    admin = api.as_("admin", "staff")
    failures = []
    for op in (op for op in OPERATIONS if op.body is not None):
        path = op.rule.replace("<int:", "<").split("<")[0] + "".join(
            "1" + part.split(">", 1)[1] for part in op.rule.replace("<int:", "<").split("<")[1:])
        response = admin.post(path, data=_deep(5000), headers={"Content-Type": "application/json"}) \
            if op.method == "post" else app.test_client().open(
                path, method=op.method.upper(), data=_deep(5000),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {admin.token}"})
        if response.status_code == 400:
            if response.json["error"]["code"] != "invalid_json":
                failures.append((op.rule, response.json))
        elif response.status_code not in (403,):
            failures.append((op.rule, response.status_code))
    assert failures == []
    assert len([op for op in OPERATIONS if op.body is not None]) > 10


def test_nesting_a_little_deeper_than_any_request_needs_is_refused(api, db):
    admin = api.as_("admin")
    response = admin.post("/api/v1/units", data=_deep(params.MAX_DEPTH), headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"
    assert "lồng" in response.json["error"]["message"]
    ordinary = admin.post("/api/v1/units", json={"code": "SYT", "name": "Sở Y tế"})
    assert ordinary.status_code == 201, ordinary.json


def test_numbers_are_read_in_ascii_digits_within_the_database(app):
    assert params.parse_int(" 2026 ") == 2026 and params.parse_int("-3") == -3
    assert [params.parse_int(v) for v in ("²", "٣", "３", "1e3", "", None, "2147483648", "9" * 30)] == [None] * 8
    assert params.parse_int("12", lo=1, hi=10) is None
    with app.test_request_context("/?page=0&year=2147483648&n=7"):
        assert params.page_arg() == 1 and params.int_arg("year", 2026) == 2026 and params.int_arg("n") == 7
    with app.test_request_context("/", method="POST", data={"ids": ["3", "²", "3", "x", "0", "2"]}):
        assert params.ids_arg() == [3, 2]
    assert params.nesting_depth({"a": [1, {"b": []}]}) == 4 and params.nesting_depth(5) == 0


def test_a_form_integer_refuses_what_the_database_cannot_hold(app):
    from flask_wtf import FlaskForm

    class YearForm(FlaskForm):
        year = params.IntegerField("Năm", lo=1945, hi=2100)

    for value, expected in (("2026", 2026), ("٢٠٢٦", None), ("²", None), ("99999999999999999999", None)):
        with app.test_request_context("/", method="POST", data={"year": value}):
            form = YearForm(meta={"csrf": False})
            assert form.validate() is (expected is not None) and form.year.data == expected, value
            if expected is None:
                assert "Phải là số nguyên" in form.year.errors[0]


def test_a_database_that_cannot_be_reached_answers_503_with_retry_after(tmp_path):
    from awards import create_app

    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/gone/x.db",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    client = app.test_client()
    api = client.get("/api/v1/units", headers={"Authorization": "Bearer aw_x"})
    assert api.status_code == 503 and api.headers["Retry-After"]
    assert api.json["error"]["code"] == "service_unavailable"
    page = client.get("/public/results")
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "thử lại" in page.get_data(as_text=True)
    assert json.loads(client.get("/healthz").get_data())["status"] == "error"
