"""`flask users password | set | deactivate | activate`: what an administrator does from the shell when no admin
can sign in (issue 26). Success on stdout, errors on stderr with a non-zero exit; the services' guards and audit."""

from sqlalchemy import select

from awards.auth.models import User
from awards.core.audit import AuditEntry
from tests import factories


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _user(db, username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def test_password_with_option_sets_it_and_ends_every_session(app, db, client, login_as):
    login_as("staff", username="lan.pt")
    assert client.get("/account").status_code == 200
    result = run(app, "users", "password", "lan.pt", "--password", "mat-khau-moi-2026")
    assert result.exit_code == 0, result.stderr
    assert "Đã đặt mật khẩu mới cho lan.pt" in result.stdout and result.stderr == ""
    assert _user(db, "lan.pt").check_password("mat-khau-moi-2026")
    assert client.get("/account").status_code == 302  # the old browser session is over
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password")) is not None


def test_password_prompts_twice_hidden_and_refuses_a_mismatch(app, db):
    factories.user("staff", username="minh.lv")
    db.session.commit()
    result = run(app, "users", "password", "minh.lv", input="mat-khau-moi-2026\nmat-khau-moi-2026\n")
    assert result.exit_code == 0, result.output
    assert "mat-khau-moi-2026" not in result.output  # hidden input is not echoed
    assert _user(db, "minh.lv").check_password("mat-khau-moi-2026")
    mismatch = run(app, "users", "password", "minh.lv", input="mot-mat-khau-1\nmat-khau-khac-2\n"
                                                           "mot-mat-khau-1\nmot-mat-khau-1\n")
    assert mismatch.exit_code == 0  # click asks again after a mismatch
    assert "không khớp" in mismatch.stderr.lower() or "match" in mismatch.stderr.lower()
    assert _user(db, "minh.lv").check_password("mot-mat-khau-1")


def test_password_refuses_a_weak_one_and_an_unknown_user(app, db):
    factories.user("staff", username="hung.nv")
    db.session.commit()
    weak = run(app, "users", "password", "hung.nv", "--password", "12345678")
    assert weak.exit_code == 1 and "chữ số" in weak.stderr and weak.stdout == ""
    assert _user(db, "hung.nv").check_password("mat-khau-2026")
    unknown = run(app, "users", "password", "khong-co", "--password", "mat-khau-moi-2026")
    assert unknown.exit_code == 1 and "không có tài khoản “khong-co”" in unknown.stderr and unknown.stdout == ""


def test_set_changes_roles_unit_and_email_and_keeps_the_rest(app, db):
    unit = factories.unit(code="BVSN")
    factories.user("staff", username="thu.dt", full_name="Đỗ Thị Thu")
    db.session.commit()
    result = run(app, "users", "set", "thu.dt", "--role", "unit_officer", "--role", "council_member",
                 "--unit", "BVSN", "--email", "thu.dt@syt.gov.vn")
    assert result.exit_code == 0, result.stderr
    assert "Đã cập nhật tài khoản thu.dt" in result.stdout
    user = _user(db, "thu.dt")
    assert user.roles == ["council_member", "unit_officer"] and user.unit_id == unit.id
    assert user.email == "thu.dt@syt.gov.vn" and user.full_name == "Đỗ Thị Thu" and user.active
    only_name = run(app, "users", "set", "thu.dt", "--name", "Đỗ Thị Thu Hà")
    assert only_name.exit_code == 0
    user = _user(db, "thu.dt")
    assert user.full_name == "Đỗ Thị Thu Hà" and user.unit_id == unit.id and user.email == "thu.dt@syt.gov.vn"


def test_set_refuses_what_the_account_page_refuses(app, db, client, login_as, csrf_token):
    factories.unit(code="BVSN")
    other = factories.user("staff", username="khac")
    other.email = "chung@syt.gov.vn"
    target = factories.user("staff", username="an.nv")
    db.session.commit()
    for args, message in [
        (("--role", "unit_officer"), "đơn vị"),  # an officer without a unit
        (("--unit", "NOPE"), "NOPE"),
        (("--email", "khong-phai-dia-chi"), "không hợp lệ"),
        (("--email", "CHUNG@syt.gov.vn"), "tài khoản khác"),
        ((), "không có gì để đổi"),
    ]:
        result = run(app, "users", "set", "an.nv", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr and result.stdout == "", (args, result.stderr)
    assert _user(db, "an.nv").roles == ["staff"] and _user(db, "an.nv").email == ""
    # the same refusal through the admin's page
    login_as("admin")
    response = client.post(f"/admin/users/{target.id}", data={
        "username": "an.nv", "full_name": "Nguyễn Văn An", "roles": ["unit_officer"], "unit_code": "",
        "person_code": "", "active": "y", "email": "", "csrf_token": csrf_token(f"/admin/users/{target.id}")})
    assert response.status_code == 200 and "Cán bộ đơn vị phải gắn với một đơn vị" in response.get_data(as_text=True)
    assert _user(db, "an.nv").roles == ["staff"]

def test_deactivate_blocks_sign_in_and_tokens_then_activate_reopens(app, db, client, csrf_token):
    user = factories.user("staff", username="binh.tt")
    raw = factories.token(user)
    db.session.commit()
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    result = run(app, "users", "deactivate", "binh.tt")
    assert result.exit_code == 0, result.stderr
    assert "Đã khóa tài khoản binh.tt (thu hồi 1 mã truy cập API)" in result.stdout
    assert not _user(db, "binh.tt").active
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    response = client.post("/login", data={"username": "binh.tt", "password": "mat-khau-2026",
                                           "csrf_token": csrf_token()})
    assert response.status_code == 200  # the form again, not a redirect into the app
    again = run(app, "users", "deactivate", "binh.tt")
    assert again.exit_code == 1 and "đã bị khóa" in again.stderr
    token = run(app, "users", "token", "binh.tt")
    assert token.exit_code == 1 and token.stdout == ""
    reopened = run(app, "users", "activate", "binh.tt")
    assert reopened.exit_code == 0 and "Đã mở lại tài khoản binh.tt" in reopened.stdout
    assert _user(db, "binh.tt").active
    assert client.get("/api/v1/units", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_create_reports_success_on_stdout(app, db):
    result = run(app, "users", "create", "moi.nv", "--password", "mat-khau-manh", "--role", "staff")
    assert result.exit_code == 0 and "Đã tạo tài khoản moi.nv" in result.stdout and result.stderr == ""
