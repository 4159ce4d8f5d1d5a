"""awards/core/cache.py: Flask-Caching's storage (SimpleCache bounded and expiring, RedisCache when one is reachable),
versions bumped in the caller's transaction, read at most once per VERSION_CHECK."""

import cachelib.simple
import pytest
import redis
from sqlalchemy import select

from awards.core import cache

REDIS_URL = "redis://127.0.0.1:6379/15"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """One clock for the versions' copy and for the storage's expiry (SimpleCache reads time.time)."""
    moving = Clock()
    monkeypatch.setattr(cache, "_now", moving)
    monkeypatch.setattr(cachelib.simple, "time", moving)
    return moving


def test_one_process_storage_expires_entries_and_stays_bounded(app, clock, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    with app.app_context():
        storage = cache.Storage(app)
        assert type(storage.cache.cache).__name__ == "SimpleCache"
        for key in "abcdefgh":
            storage.set(key, {"content": key.upper()}, ttl=60)
            clock.now += 1
        # SimpleCache prunes the oldest before it adds one: at most MAX_ENTRIES + 1
        assert len(storage.cache.cache._cache) <= 4 and storage.get("a") is None
        assert storage.get("h") == {"content": "H"}
        storage.set("e", "Kết quả", ttl=10)
        clock.now += 10
        assert storage.get("e") is None and storage.get("h") == {"content": "H"}
        clock.now += 51
        assert storage.get("h") is None


def test_cached_page_builds_once_per_key_and_version(app, db, clock, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    cache.page_cache(app).clear()
    built = []

    def build(name):
        built.append(name)
        return {"content": f"{name} {len(built)}"}

    try:
        assert cache.cached_page(("a",), lambda: build("a")) == {"content": "a 1"}
        assert cache.cached_page(("a",), lambda: build("a")) == {"content": "a 1"}
        assert cache.cached_page(("b",), lambda: build("b")) == {"content": "b 2"}
        cache.bump(cache.RESULTS)
        db.session.commit()
        assert cache.cached_page(("a",), lambda: build("a")) == {"content": "a 3"}
        # another kind's version leaves these entries alone
        cache.bump(cache.ANNOUNCEMENTS)
        db.session.commit()
        assert cache.cached_page(("a",), lambda: build("a")) == {"content": "a 3"}
        assert dict(db.session.execute(select(cache.CacheVersion.name, cache.CacheVersion.version)).all()) == {
            cache.RESULTS: 1, cache.ANNOUNCEMENTS: 1}
        cache.bump(cache.RESULTS)
        db.session.rollback()  # the version did not move: the entry is still good
        assert cache.cached_page(("a",), lambda: build("a")) == {"content": "a 3"}
    finally:
        cache.page_cache(app).clear()


def test_off_in_tests_unless_asked(app, db):
    built = []
    assert cache.cached_page(("a",), lambda: built.append(1) or "x") == "x"
    assert cache.cached_page(("a",), lambda: built.append(1) or "x") == "x"
    assert len(built) == 2


def test_another_process_bump_is_seen_within_version_check(app, db, clock, monkeypatch):
    """A bump committed by another process (here: straight SQL, no forget) is read after VERSION_CHECK seconds."""
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    pages = cache.page_cache(app)
    pages.clear()
    try:
        assert pages.version(cache.RESULTS) == 0
        db.session.execute(cache.CacheVersion.__table__.insert().values(name=cache.RESULTS, version=7))
        db.session.commit()
        assert pages.version(cache.RESULTS) == 0
        clock.now += cache.VERSION_CHECK
        assert pages.version(cache.RESULTS) == 7
    finally:
        pages.clear()


def test_with_redis_the_entries_live_in_redis_with_an_expiry(app):
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    with app.app_context():
        storage = cache.Storage(app, REDIS_URL)
        assert type(storage.cache.cache).__name__ == "RedisCache"
        storage.clear()
        try:
            storage.set("k", {"content": "Kết quả <b>"}, ttl=60)
            assert storage.get("k") == {"content": "Kết quả <b>"}
            assert 0 < client.pttl(cache.REDIS_PREFIX + "k") <= 60_000
            assert storage.get("missing") is None
        finally:
            storage.clear()
    assert not list(client.scan_iter(cache.REDIS_PREFIX + "*"))


def test_a_cache_that_is_down_is_a_miss_not_an_error(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    with app.test_request_context():
        down = cache.Storage(app, "redis://127.0.0.1:1/0")  # nothing listens on port 1
        monkeypatch.setattr(cache.page_cache(app), "backend", down)
        assert cache.cached_page(("a",), lambda: "Trang") == "Trang"
        assert down.get("a") is None
