"""Signing in and out through the real form."""


def test_login_page_is_vietnamese(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in html and "Mật khẩu" in html and 'lang="vi"' in html


def test_login_then_home(client, login_as):
    user = login_as("staff")
    html = client.get("/").get_data(as_text=True)
    assert user.full_name in html


def test_wrong_password_is_refused(client, login_as, csrf_token, db):
    from tests import factories

    user = factories.user("staff", password="dung-mat-khau")
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": "sai-mat-khau",
                                           "csrf_token": csrf_token()})
    assert response.status_code == 200
    assert "không đúng" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
