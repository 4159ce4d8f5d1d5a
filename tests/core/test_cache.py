"""awards/core/cache.py: the in-process backend's TTL and size bound, versions bumped in the caller's transaction,
read at most once per VERSION_CHECK, and Redis when one is reachable."""

import pytest
from sqlalchemy import select

from awards.core import cache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr(cache, "_now", moving)
    return moving


def test_memory_entries_expire_and_the_least_recently_used_goes_first(clock):
    backend = cache.MemoryBackend(size=3)
    for key in "abc":
        backend.set(key, key.upper(), ttl=60)
    assert backend.get("a") == "A"  # a is now the most recent
    backend.set("d", "D", ttl=60)
    assert backend.get("b") is None and [backend.get(k) for k in "acd"] == ["A", "C", "D"]
    backend.set("e", "E", ttl=10)
    clock.now += 10
    assert backend.get("e") is None and backend.get("d") == "D"
    clock.now += 51
    assert backend.get("d") is None and len(backend.entries) <= 3


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


def test_the_redis_backend_keeps_json_with_an_expiry():
    try:
        backend = cache.RedisBackend("redis://127.0.0.1:6379/15")
        backend.client.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no Redis: {exc}")
    backend.clear()
    try:
        backend.set("k", {"content": "Kết quả <b>"}, ttl=60)
        assert backend.get("k") == {"content": "Kết quả <b>"}
        assert 0 < backend.client.pttl(cache.REDIS_PREFIX + "k") <= 60_000
        assert backend.get("missing") is None
    finally:
        backend.clear()
