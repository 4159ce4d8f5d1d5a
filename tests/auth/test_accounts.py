"""Accounts as their owners and admins use them: passwords, sessions, throttling, tokens, admin pages."""

import re

from sqlalchemy import select

from awards.auth.models import ApiToken, User
from awards.core.audit import AuditEntry
from tests import factories


def test_password_change_ends_other_sessions(app, client, login_as, csrf_token):
    user = login_as("staff", password="mat-khau-cu-1")
    other = app.test_client()
    html = other.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert other.post("/login", data={"username": user.username, "password": "mat-khau-cu-1",
                                      "csrf_token": token}).status_code == 302
    assert other.get("/account").status_code == 200

    response = client.post("/account/password", data={
        "current_password": "mat-khau-cu-1", "new_password": "mat-khau-moi-2", "confirm": "mat-khau-moi-2",
        "csrf_token": csrf_token("/account")})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200, "the session that changed the password goes on"
    assert other.get("/account").status_code == 302, "every other session is signed out"


def test_password_change_needs_current_password_and_a_strong_new_one(client, login_as, csrf_token):
    login_as("staff", password="mat-khau-cu-1")
    wrong = client.post("/account/password", data={
        "current_password": "sai", "new_password": "mat-khau-moi-2", "confirm": "mat-khau-moi-2",
        "csrf_token": csrf_token("/account")})
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.get_data(as_text=True)
    weak = client.post("/account/password", data={
        "current_password": "mat-khau-cu-1", "new_password": "12345678", "confirm": "12345678",
        "csrf_token": csrf_token("/account")})
    assert weak.status_code == 400 and "chỉ gồm chữ số" in weak.get_data(as_text=True)


def test_login_is_throttled(client, db, csrf_token):
    factories.user("staff", username="bi.khoa", password="dung-mat-khau")
    db.session.commit()
    token = csrf_token()
    codes = [client.post("/login", data={"username": "bi.khoa", "password": f"sai-{i}", "csrf_token": token}
                         ).status_code for i in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    blocked = client.post("/login", data={"username": "bi.khoa", "password": "dung-mat-khau", "csrf_token": token})
    assert blocked.status_code == 429 and "Quá nhiều" in blocked.get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="login.failed").count() == 10


def test_inactive_user_cannot_sign_in(client, db, csrf_token):
    user = factories.user("staff", username="da.nghi", password="mat-khau-2026")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"username": "da.nghi", "password": "mat-khau-2026",
                                           "csrf_token": csrf_token()})
    assert response.status_code == 200 and client.get("/account").status_code == 302


def test_logout_needs_post_with_csrf(client, login_as, csrf_token):
    login_as("staff")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
    assert client.post("/logout", data={"csrf_token": csrf_token("/")}).status_code == 302
    assert client.get("/account").status_code == 302


def test_login_form_without_csrf_is_refused(client, db):
    factories.user("staff", username="csrf.user", password="mat-khau-2026")
    db.session.commit()
    response = client.post("/login", data={"username": "csrf.user", "password": "mat-khau-2026"})
    assert response.status_code == 400 and client.get("/account").status_code == 302


def test_next_parameter_stays_on_this_site(client, db, csrf_token):
    factories.user("staff", username="next.user", password="mat-khau-2026")
    db.session.commit()
    data = {"username": "next.user", "password": "mat-khau-2026", "csrf_token": csrf_token()}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_session_cookie_flags(client, db, csrf_token):
    factories.user("staff", username="cookie.user", password="mat-khau-2026")
    db.session.commit()
    response = client.post("/login", data={"username": "cookie.user", "password": "mat-khau-2026",
                                           "csrf_token": csrf_token()})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_admin_creates_user_and_issues_token_shown_once(client, login_as, csrf_token, db):
    factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh")
    db.session.commit()
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "username": "lan.pt", "full_name": "Phạm Thị Lan", "password": "mat-khau-2026",
        "roles": ["unit_officer"], "unit_code": "BVDK", "active": "y", "csrf_token": csrf_token("/admin/users/new")})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "lan.pt"))
    assert user.roles == ["unit_officer"] and user.unit.code == "BVDK"
    listing = client.get("/admin/users?q=lan").get_data(as_text=True)
    assert "Phạm Thị Lan" in listing

    edit = f"/admin/users/{user.id}"
    page = client.post(f"{edit}/tokens", data={"label": "cổng tỉnh", "csrf_token": csrf_token(edit)})
    raw = re.search(r'<code id="token">([^<]+)</code>', page.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert raw not in client.get(edit).get_data(as_text=True), "a token is shown only once"

    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert client.post(f"/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(edit)}).status_code == 302
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_admin_form_errors_are_vietnamese(client, login_as, csrf_token):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "username": "x", "full_name": "", "password": "", "roles": [], "csrf_token": csrf_token("/admin/users/new")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Trường này là bắt buộc." in html


def test_admin_cannot_lock_themselves_out(client, login_as, csrf_token, db):
    admin = login_as("admin")
    edit = f"/admin/users/{admin.id}"
    client.post(edit, data={"username": admin.username, "full_name": admin.full_name, "roles": ["staff"],
                            "csrf_token": csrf_token(edit)})
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == ["admin"]


def test_user_revokes_own_token_but_not_others(client, login_as, csrf_token, db):
    owner = factories.user("staff")
    token = db.session.scalars(select(ApiToken)).first()
    factories.token(owner)
    db.session.commit()
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    login_as("staff")
    response = client.post(f"/tokens/{token.id}/revoke", data={"csrf_token": csrf_token("/account")})
    assert response.status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None


def test_api_create_user(api, db):
    factories.unit(code="TYT-01")
    db.session.commit()
    admin = api.as_("admin")
    body = {"username": "tram.truong", "password": "mat-khau-2026", "full_name": "Hoàng Văn Sơn",
            "roles": ["unit_officer"], "unit_code": "TYT-01"}
    created = admin.post("/api/v1/users", json=body)
    assert created.status_code == 201
    assert created.json["roles"] == ["unit_officer"] and created.json["unit_code"] == "TYT-01"
    assert "password" not in created.json and "password_hash" not in created.json
    assert admin.post("/api/v1/users", json=body).status_code == 409
    assert admin.post("/api/v1/users", json={**body, "username": "b", "roles": ["boss"]}).status_code == 400
    assert api.as_("staff").post("/api/v1/users", json={**body, "username": "c"}).status_code == 403


def test_language_switch(client, login_as, csrf_token):
    login_as("staff")
    client.post("/lang/en", data={"csrf_token": csrf_token("/"), "next": "/"})
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Tiếng Việt" in html


def test_passwords_are_hashed_with_scrypt_outside_tests(tmp_path):
    from awards import create_app
    from awards.auth.models import User

    app = create_app({"AWARDS_ENV": "development", "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.db'}"})
    with app.app_context():
        user = User(username="u")
        user.set_password("mat-khau-2026")
        assert user.password_hash.startswith("scrypt:") and "mat-khau-2026" not in user.password_hash
        assert user.check_password("mat-khau-2026") and not user.check_password("sai")
