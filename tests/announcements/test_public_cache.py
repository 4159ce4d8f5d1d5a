"""The public result pages served from the page cache (README bench F8): no SQL once cached, a decision issued or a
record revoked shows at once, query strings and languages kept apart, signed-in users' menus never shared, entries
expire, and the same through Redis when one is reachable."""

import re
from datetime import date

import cachelib.simple
import pytest
import redis
from sqlalchemy import select

from awards.announcements import decisions
from awards.archive import services as archive_services
from awards.archive.models import AwardRecord
from awards.core import cache
from awards.units.models import Unit
from tests import factories
from tests.announcements import test_public
from tests.announcements.test_public import count_statements, names_in

decided = test_public.decided  # the two decisions of the results tests (a fixture)

REDIS_URL = "redis://127.0.0.1:6379/15"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def page_cache(app, monkeypatch):
    """The cache on (tests have it off), empty, with a clock the test moves."""
    clock = Clock()
    monkeypatch.setattr(cache, "_now", clock)
    monkeypatch.setattr(cache, "_wall", clock)  # an entry's end, for the copy a process keeps
    monkeypatch.setattr(cachelib.simple, "time", clock)  # the one-process storage's expiry
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    cache.page_cache(app).clear()
    yield clock
    cache.page_cache(app).clear()


def content(html: str) -> str:
    return html.split('<main id="main"')[1].split("</main>")[0]


def test_a_cached_page_takes_no_sql(app, client, decided, page_cache):
    for path in ("/public/results", "/public/results?year=2026", f"/public/decisions/{decided['later']}",
                 "/public/decisions.atom", "/public/announcements"):
        first, html = count_statements(app, client, path)
        again, cached = count_statements(app, client, path)
        assert first > 0 and again == 0, (path, first, again)
        if "atom" not in path:
            assert content(cached) == content(html)
    response = client.get("/public/results")
    assert response.headers["Cache-Control"] == "private, max-age=60"
    assert client.get("/public/decisions.atom").headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/public/decisions/999999").status_code == 404
    assert client.get("/public/decisions/999999").status_code == 404  # the second time from the cache


def test_a_decision_issued_or_a_record_revoked_shows_at_once(app, client, desk, db, decided, page_cache):
    later = f"/public/decisions/{decided['later']}"
    assert names_in(client.get("/public/results").get_data(as_text=True)) == {
        "Nguyễn Văn An", "Phạm Văn Ngoài", "Lê Văn Cường"}
    assert "Nguyễn Văn An" in client.get(later).get_data(as_text=True)
    feed = client.get("/public/decisions.atom").get_data(as_text=True)
    binh = desk.appraised("LDTT", full_name="Trần Thị Bình")
    decisions.issue_decision(number="30/QĐ-SYT", signed_on=date(2026, 3, 24), signer="Giám đốc", issuer="Sở Y tế",
                             nomination_ids=[binh.id], by=desk.staff.user)
    db.session.commit()
    assert "Trần Thị Bình" in client.get("/public/results").get_data(as_text=True)
    assert "30/QĐ-SYT" in client.get("/public/decisions.atom").get_data(as_text=True) and "30/QĐ-SYT" not in feed

    an = db.session.scalar(select(AwardRecord).where(AwardRecord.subject_name == "Nguyễn Văn An"))
    archive_services.revoke_record(an, reason="Khai man", decision_number="TH-2",
                                   decision_date=date(2026, 3, 25), by=desk.staff.user)
    db.session.commit()
    assert "Nguyễn Văn An" not in client.get("/public/results").get_data(as_text=True)
    assert "Nguyễn Văn An" not in client.get(later).get_data(as_text=True)


def test_a_list_published_shows_at_once(app, client, desk, db, page_cache):
    assert "Chưa có danh sách nào" in client.get("/public/announcements").get_data(as_text=True)
    an = desk.appraised("LDTT", full_name="Nguyễn Văn An")
    assert desk.publish([an]).status_code == 201
    assert "Chưa có danh sách nào" not in client.get("/public/announcements").get_data(as_text=True)


def test_query_strings_and_languages_do_not_collide(app, client, decided, page_cache):
    def results(query):
        return names_in(content(client.get(f"/public/results?{query}").get_data(as_text=True)).split(
            'role="search"')[1])

    assert results("year=2025") == {"Lê Văn Cường"}
    assert results("year=2026") == {"Nguyễn Văn An", "Phạm Văn Ngoài"}
    assert results("year=2026&unit=BVA") == {"Nguyễn Văn An"}
    assert results("unit=BVA&year=2026") == {"Nguyễn Văn An"}
    assert results("year=2025") == {"Lê Văn Cường"}
    vietnamese = client.get("/public/results").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get("/public/results").get_data(as_text=True)
    assert "<h1" in english and "Award results" in content(english) and "Award results" not in content(vietnamese)
    with client.session_transaction() as session:
        session["lang"] = "vi"
    assert content(client.get("/public/results").get_data(as_text=True)) == content(vietnamese)


def sign_in(app, user, password="mat-khau-2026"):
    from tests.conftest import CSRF_INPUT

    other = app.test_client()
    match = CSRF_INPUT.search(other.get("/login").get_data(as_text=True))
    response = other.post("/login", data={"username": user.username, "password": password,
                                          "csrf_token": match.group(1) or match.group(2)})
    assert response.status_code == 302
    return other


def test_signed_in_users_get_their_own_menu_around_the_cached_page(app, client, db, decided, page_cache):
    first = factories.user("staff", full_name="Đỗ Thị Thứ Nhất")
    second = factories.user("council_member", full_name="Vũ Văn Thứ Hai")
    db.session.commit()
    anonymous = client.get("/public/results")
    assert "Thứ Nhất" not in anonymous.get_data(as_text=True)
    one = sign_in(app, first).get("/public/results")
    two = sign_in(app, second).get("/public/results")
    html_one, html_two = one.get_data(as_text=True), two.get_data(as_text=True)
    assert "Đỗ Thị Thứ Nhất" in html_one and "Vũ Văn Thứ Hai" not in html_one
    assert "Vũ Văn Thứ Hai" in html_two and "Đỗ Thị Thứ Nhất" not in html_two
    assert "Thẩm định" in html_one and "Thẩm định" not in html_two  # the manager's menu only
    assert content(html_one) == content(html_two) == content(anonymous.get_data(as_text=True))
    assert "max-age" not in one.headers.get("Cache-Control", "")
    again = client.get("/public/results").get_data(as_text=True)
    assert "Thứ Nhất" not in again and "Thứ Hai" not in again


def test_entries_expire_after_their_ttl(app, client, db, decided, page_cache):
    db.session.execute(Unit.__table__.update().where(Unit.code == "UBX").values(name="UBND xã Mới"))
    db.session.commit()  # no bump: only the TTL brings the new name
    before = client.get(f"/public/decisions/{decided['later']}").get_data(as_text=True)
    db.session.execute(Unit.__table__.update().where(Unit.code == "UBX").values(name="UBND xã Mới Hơn"))
    db.session.commit()
    page_cache.now += 59
    assert "UBND xã Mới Hơn" not in client.get(f"/public/decisions/{decided['later']}").get_data(as_text=True)
    assert "UBND xã Mới<" in before
    page_cache.now += 2
    assert "UBND xã Mới Hơn" in client.get(f"/public/decisions/{decided['later']}").get_data(as_text=True)


@pytest.fixture
def redis_cache(app, page_cache):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    pages = cache.page_cache(app)
    backend = cache.Storage(app, REDIS_URL)
    kept, pages.backend = pages.backend, backend
    backend.clear()
    yield client
    backend.clear()
    pages.backend = kept


def test_the_redis_backend(app, client, desk, db, decided, redis_cache):
    first, html = count_statements(app, client, "/public/results")
    again, cached = count_statements(app, client, "/public/results")
    assert first > 0 and again == 0 and content(cached) == content(html)
    assert list(redis_cache.scan_iter(cache.REDIS_PREFIX + "*"))
    assert count_statements(app, client, "/public/decisions.atom")[0] > 0
    assert count_statements(app, client, "/public/decisions.atom")[0] == 0
    binh = desk.appraised("LDTT", full_name="Trần Thị Bình")
    decisions.issue_decision(number="31/QĐ-SYT", signed_on=date(2026, 3, 24), signer="Giám đốc", issuer="Sở Y tế",
                             nomination_ids=[binh.id], by=desk.staff.user)
    db.session.commit()
    assert "Trần Thị Bình" in client.get("/public/results").get_data(as_text=True)


def language_form_token(html: str) -> str:
    """The value of the footer's language form's csrf_token field ("" when the form carries none)."""
    form = html.split('action="/lang/')[1].split("</form>")[0]
    match = re.search(r'name="csrf_token" value="([^"]*)"', form)
    return match.group(1) if match else ""


SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}  # what a browser sends with a form posted from our own page


def test_every_anonymous_visitor_gets_the_same_bytes_and_no_cookie(app, client, decided, page_cache):
    """The cached anonymous page carries nothing of a visitor: no CSRF token (the language form is checked by its
    origin instead), so a visit opens no session and sets no cookie."""
    first = client.get("/public/results")
    others = [app.test_client().get("/public/results") for _n in range(2)]
    assert {r.get_data() for r in others} == {first.get_data()}
    for response in (first, *others):
        assert "Set-Cookie" not in response.headers
        assert "Cookie" in response.headers.get("Vary", "")  # the language still comes from the cookie
    html = first.get_data(as_text=True)
    assert language_form_token(html) == "" and 'name="csrf_token" value="e' not in html
    visitor = app.test_client()
    visitor.get("/public/results")
    switched = visitor.post("/lang/en", data={"next": "/public/results"}, headers=SAME_ORIGIN)
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/public/results")
    assert "session=" in switched.headers["Set-Cookie"]  # the visitor did something: now there is a session
    assert "Award results" in content(visitor.get("/public/results").get_data(as_text=True))
    assert "Set-Cookie" not in visitor.get("/public/results").headers  # the English page, built: nothing to write
    assert "Award results" not in content(client.get("/public/results").get_data(as_text=True))


def test_a_cross_site_post_cannot_switch_an_anonymous_visitors_language(app, client, decided, page_cache):
    client.get("/public/results")
    for headers in ({"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}, {"Origin": "https://evil.test"},
                    {"Referer": "https://evil.test/page"}, {}):
        refused = client.post("/lang/en", data={"next": "/public/results"}, headers=headers)
        assert refused.status_code == 400, headers
    assert "Award results" not in content(client.get("/public/results").get_data(as_text=True))


class CountingStorage:
    """The page cache's storage, its reads counted (the storage itself, not the database)."""

    def __init__(self, backend):
        self.backend, self.reads = backend, 0

    def get(self, key):
        self.reads += 1
        return self.backend.get(key)

    def __getattr__(self, name):
        return getattr(self.backend, name)


def test_an_anonymous_page_is_kept_ready_in_the_process_until_its_entry_ends(app, client, db, decided, page_cache,
                                                                             monkeypatch):
    pages = cache.page_cache(app)
    storage = CountingStorage(pages.backend)
    monkeypatch.setattr(pages, "backend", storage)
    first = client.get("/public/results").get_data(as_text=True)
    reads = storage.reads
    visitors = [app.test_client() for _n in range(3)]
    pages_seen = [v.get("/public/results").get_data(as_text=True) for v in visitors]
    assert storage.reads == reads  # no storage read (with Redis: no round trip), no unpickling
    assert set(pages_seen) == {first}  # the same bytes, nothing of a visitor in them
    db.session.execute(Unit.__table__.update().where(Unit.code == "UBX").values(name="UBND xã Đổi Tên"))
    db.session.commit()  # no bump: only the entry's end brings the new name
    page_cache.now += 59
    assert "UBND xã Đổi Tên" not in app.test_client().get("/public/results").get_data(as_text=True)
    page_cache.now += 2
    assert "UBND xã Đổi Tên" in app.test_client().get("/public/results").get_data(as_text=True)
    assert storage.reads > reads


def test_a_visitor_with_a_session_keeps_it_untouched_and_their_language(app, client, decided, page_cache):
    """A visitor who opened the login page (a session holding a CSRF token) then reads the results: the cached
    page, their session left as it was (no new cookie), the language form still working with their token."""
    app.test_client().get("/public/results")  # the page in the cache
    token = test_public.csrf_of(client.get("/login").get_data(as_text=True))
    page = client.get("/public/results")
    assert "Set-Cookie" not in page.headers and language_form_token(page.get_data(as_text=True)) == ""
    switched = client.post("/lang/en", data={"csrf_token": token, "next": "/public/results"})  # no origin header
    assert switched.status_code == 302
    assert "Award results" in content(client.get("/public/results").get_data(as_text=True))
    with client.session_transaction() as session:
        assert session["csrf_token"]  # kept: the login form they opened still works


def test_a_revalidating_browser_gets_a_304_until_the_page_changes(app, client, desk, db, decided, page_cache):
    first = client.get("/public/results")
    etag = first.headers["ETag"]
    again = client.get("/public/results", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "private, max-age=60" and "Set-Cookie" not in again.headers
    assert app.test_client().get("/public/results").headers["ETag"] == etag  # another visitor, the same page
    assert client.get("/public/results?year=2025", headers={"If-None-Match": etag}).status_code == 200
    english = app.test_client()
    with english.session_transaction() as session:
        session["lang"] = "en"
    assert english.get("/public/results", headers={"If-None-Match": etag}).status_code == 200

    binh = desk.appraised("LDTT", full_name="Trần Thị Bình")
    decisions.issue_decision(number="32/QĐ-SYT", signed_on=date(2026, 3, 24), signer="Giám đốc", issuer="Sở Y tế",
                             nomination_ids=[binh.id], by=desk.staff.user)
    db.session.commit()
    changed = client.get("/public/results", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Trần Thị Bình" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_a_signed_in_user_never_gets_the_anonymous_304_or_bytes(app, client, db, decided, page_cache):
    user = factories.user("staff", full_name="Hà Thị Riêng")
    db.session.commit()
    anonymous = client.get("/public/results")
    mine = sign_in(app, user)
    page = mine.get("/public/results", headers={"If-None-Match": anonymous.headers["ETag"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ETag" not in page.headers and "Hà Thị Riêng" in html
    assert language_form_token(html)  # their own token, in their own page
    assert language_form_token(html) not in anonymous.get_data(as_text=True)
    assert "Hà Thị Riêng" not in app.test_client().get("/public/results").get_data(as_text=True)


def test_a_visitor_who_signs_in_sees_their_own_page_not_the_anonymous_one(app, client, db, decided, page_cache):
    from tests.conftest import CSRF_INPUT

    user = factories.user("staff", full_name="Lê Thị Đăng Nhập")
    db.session.commit()
    anonymous = client.get("/public/results")
    assert anonymous.headers["Cache-Control"] == "private, max-age=60"
    match = CSRF_INPUT.search(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"username": user.username, "password": "mat-khau-2026",
                                            "csrf_token": match.group(1) or match.group(2)})
    assert signed_in.status_code == 302
    mine = client.get("/public/results")
    html = mine.get_data(as_text=True)
    assert "Lê Thị Đăng Nhập" in html and "max-age" not in mine.headers.get("Cache-Control", "")
    assert content(html) == content(anonymous.get_data(as_text=True))
    assert "Lê Thị Đăng Nhập" not in app.test_client().get("/public/results").get_data(as_text=True)


def test_the_results_count_is_read_once_for_every_page_of_the_same_filters(app, client, desk, db, decided,
                                                                            page_cache, statements, monkeypatch):
    """Counting reads every row the filters keep (half of building a page at province scale): the second page of the
    same results reuses the first's total, another filter counts its own, and a decision issued counts again."""
    from awards.announcements import public

    monkeypatch.setattr(public, "RESULTS_PER_PAGE", 2)  # three recipients: two pages

    def counts():
        return sum("count(" in s.lower() for s in statements)

    first = client.get("/public/results").get_data(as_text=True)
    assert counts() == 1 and "Tìm thấy 3 lượt khen thưởng" in first
    statements.clear()
    assert "Tìm thấy 3 lượt khen thưởng" in client.get("/public/results?page=2").get_data(as_text=True)
    assert counts() == 0
    assert "Tìm thấy 1 lượt khen thưởng" in client.get("/public/results?year=2025").get_data(as_text=True)
    assert counts() == 1
    binh = desk.appraised("LDTT", full_name="Trần Thị Bình")
    decisions.issue_decision(number="33/QĐ-SYT", signed_on=date(2026, 3, 24), signer="Giám đốc", issuer="Sở Y tế",
                             nomination_ids=[binh.id], by=desk.staff.user)
    db.session.commit()
    statements.clear()
    assert "Tìm thấy 4 lượt khen thưởng" in client.get("/public/results?page=2").get_data(as_text=True)
    assert counts() == 1
