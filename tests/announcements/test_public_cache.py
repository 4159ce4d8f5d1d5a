"""The public result pages served from the page cache (README bench F8): no SQL once cached, a decision issued or a
record revoked shows at once, query strings and languages kept apart, signed-in users' menus never shared, entries
expire, and the same through Redis when one is reachable."""

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


def test_each_anonymous_visitor_gets_their_own_csrf_token_in_the_cached_page(app, client, decided, page_cache):
    from awards.announcements.public import CSRF_SLOT

    mine = client.get("/public/results").get_data(as_text=True)
    other = app.test_client()
    theirs = other.get("/public/results").get_data(as_text=True)
    assert CSRF_SLOT not in mine and CSRF_SLOT not in theirs
    assert test_public.csrf_of(mine) != test_public.csrf_of(theirs)
    assert content(mine) == content(theirs)
    switched = other.post("/lang/en", data={"csrf_token": test_public.csrf_of(theirs), "next": "/public/results"})
    assert switched.status_code in (302, 303) and switched.headers["Location"].endswith("/public/results")
    assert "Award results" in content(other.get("/public/results").get_data(as_text=True))
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
    assert {content(p) for p in pages_seen} == {content(first)}
    assert len({test_public.csrf_of(p) for p in [first, *pages_seen]}) == 4  # each visitor's own token
    db.session.execute(Unit.__table__.update().where(Unit.code == "UBX").values(name="UBND xã Đổi Tên"))
    db.session.commit()  # no bump: only the entry's end brings the new name
    page_cache.now += 59
    assert "UBND xã Đổi Tên" not in app.test_client().get("/public/results").get_data(as_text=True)
    page_cache.now += 2
    assert "UBND xã Đổi Tên" in app.test_client().get("/public/results").get_data(as_text=True)
    assert storage.reads > reads


def test_a_returning_visitor_keeps_their_cookie_and_token(app, client, decided, page_cache):
    first = client.get("/public/results")
    assert "session=" in first.headers.get("Set-Cookie", "")  # the language form's token needs the session
    again = client.get("/public/results")
    assert "Set-Cookie" not in again.headers  # nothing new to store: not sent again
    token = test_public.csrf_of(again.get_data(as_text=True))
    switched = client.post("/lang/en", data={"csrf_token": token, "next": "/public/results"})
    assert switched.status_code == 302
    assert "Award results" in content(client.get("/public/results").get_data(as_text=True))


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
