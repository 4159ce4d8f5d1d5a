"""The sessions list: each signed-in browser is a record; ending one signs that browser out on its next request;
signing out is per browser, "sign out everywhere" ends them all."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from awards.auth import sessions
from awards.auth.models import UserSession
from awards.core.audit import AuditEntry
from awards.core.db import utcnow
from tests import factories
from tests.conftest import CSRF_INPUT

PASSWORD = "mat-khau-2026"
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")


def _csrf(client, path="/login"):
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    return match.group(1) or match.group(2)


def _browser(app, username, *, agent, address, remember=False):
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
    data = {"username": username, "password": PASSWORD, "csrf_token": _csrf(client)}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    return client


@pytest.fixture
def two_browsers(app, db):
    user = factories.user("staff", username="hai.may", password=PASSWORD)
    db.session.commit()
    office = _browser(app, user.username, agent=CHROME_WINDOWS, address="10.1.1.5")
    phone = _browser(app, user.username, agent=SAFARI_IPHONE, address="10.9.9.9", remember=True)
    return user, office, phone


def test_the_list_shows_each_browser_with_its_device_address_and_times(two_browsers):
    _user, office, _phone = two_browsers
    page = office.get("/account/sessions").get_data(as_text=True)
    assert "Chrome, Windows" in page and "Safari, iPhone" in page
    assert "10.1.1.5" in page and "10.9.9.9" in page
    assert page.count("Phiên này") == 1 and "Đăng xuất các phiên khác" in page and "Đăng xuất khỏi mọi nơi" in page


def test_ending_a_session_signs_that_browser_out_at_once(app, db, two_browsers):
    user, office, phone = two_browsers
    record = db.session.scalar(select(UserSession).where(UserSession.ip == "10.9.9.9"))
    copied = app.test_client()  # its cookies copied elsewhere end with it
    copied.set_cookie("remember_token", phone.get_cookie("remember_token").value)
    assert copied.get("/account").status_code == 200
    response = office.post(f"/account/sessions/{record.id}/end", data={"csrf_token": _csrf(office, "/account")})
    assert response.status_code == 302
    assert phone.get("/account").status_code == 302, "the phone's next request is refused"
    assert copied.get("/account").status_code == 302
    assert office.get("/account").status_code == 200, "this browser goes on"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.end"))
    assert entry.actor_name == user.username and entry.after["device"] == "Safari, iPhone"


def test_one_cannot_end_someone_elses_session(app, db, two_browsers):
    _user, _office, phone = two_browsers
    record = db.session.scalar(select(UserSession).where(UserSession.ip == "10.9.9.9"))
    stranger = factories.user("admin", password=PASSWORD)
    db.session.commit()
    other = _browser(app, stranger.username, agent=CHROME_WINDOWS, address="10.2.2.2")
    response = other.post(f"/account/sessions/{record.id}/end", data={"csrf_token": _csrf(other, "/account")})
    assert response.status_code == 302 and "Không còn phiên đăng nhập này" in other.get("/account/sessions").get_data(
        as_text=True)
    assert phone.get("/account").status_code == 200
    assert sessions.end(stranger, record.id, by=stranger) is False


def test_signing_out_ends_this_browser_only(two_browsers):
    _user, office, phone = two_browsers
    assert office.post("/logout", data={"csrf_token": _csrf(office, "/account")}).status_code == 302
    assert office.get("/account").status_code == 302
    assert phone.get("/account").status_code == 200, "sign-out is per session"


def test_ending_the_others_keeps_this_one(app, db, two_browsers):
    user, office, phone = two_browsers
    third = _browser(app, user.username, agent=CHROME_WINDOWS, address="10.3.3.3")
    assert office.post("/account/sessions/end-others", data={"csrf_token": _csrf(office, "/account")}
                       ).status_code == 302
    assert "Đã đăng xuất 2 phiên đăng nhập khác" in office.get("/account/sessions").get_data(as_text=True)
    assert [b.get("/account").status_code for b in (office, phone, third)] == [200, 302, 302]


def test_signing_out_everywhere_ends_every_session_this_one_too(app, db, two_browsers):
    _user, office, phone = two_browsers
    response = office.post("/account/sessions/end-all", data={"csrf_token": _csrf(office, "/account")})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert [b.get("/account").status_code for b in (office, phone)] == [302, 302]
    assert db.session.scalar(select(UserSession)) is None


def test_the_forms_need_csrf(two_browsers):
    _user, office, phone = two_browsers
    assert office.post("/account/sessions/end-all").status_code == 400
    assert office.post("/account/sessions/end-others").status_code == 400
    assert phone.get("/account").status_code == 200, "nothing ended without the token"


def test_a_session_idle_longer_than_a_remembered_cookie_lasts_is_over(app, db, two_browsers):
    _user, office, _phone = two_browsers
    db.session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(days=31)))
    db.session.commit()
    assert office.get("/account").status_code == 302


def test_last_seen_is_written_on_reads_once_a_minute(app, db, two_browsers):
    _user, office, _phone = two_browsers
    earlier = utcnow() - timedelta(minutes=5)
    db.session.execute(update(UserSession).where(UserSession.ip == "10.1.1.5").values(last_seen_at=earlier))
    db.session.commit()
    office.get("/account")
    db.session.expire_all()
    seen = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.ip == "10.1.1.5"))
    assert seen > earlier + timedelta(minutes=4)


def test_a_cookie_from_before_session_records_is_refused(app, db):
    """Cookies written before this change carry `id:token` without a session key: those browsers sign in again."""
    user = factories.user("staff", password=PASSWORD)
    db.session.commit()
    assert sessions.load_user(f"{user.id}:{user.session_token}") is None


@pytest.mark.parametrize("agent, expected", [
    (CHROME_WINDOWS, "Chrome, Windows"),
    (SAFARI_IPHONE, "Safari, iPhone"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox, Linux"),
    ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
     "Safari/537.36", "Chrome, Android"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/136.0.0 "
     "Chrome/130.0.0.0 CocCoc Safari/537.36", "Cốc Cốc, Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 Edg/131.0.0.0", "Edge, macOS"),
    ("curl/8.5.0", "curl/8.5.0"),
    ("", "Không rõ thiết bị"),
])
def test_the_device_is_named_from_the_user_agent(app, agent, expected):
    with app.test_request_context():
        assert sessions.describe(agent) == expected
