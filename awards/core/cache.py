"""A cache of rendered public pages (README bench F8), stored by Flask-Caching.

`cached_page(key_parts, build, ttl)` returns what `build()` returned (a str, or a dict of str), kept for `ttl`
seconds in Flask-Caching's RedisCache when REDIS_URL is set (shared by every instance), else in its SimpleCache
(this process' memory, at most MAX_ENTRIES entries). The library stores and expires the entries; what is the
project's own is the invalidation by version: each key carries the current version of what the page shows (a row
of `cache_versions`), and the code that changes it calls `bump(name)` in the same transaction (a decision issued, a
record revoked or corrected…), so the next request builds a new entry and the old ones age out.

The versions are read from the database at most once every VERSION_CHECK seconds per process (a served page costs no
SQL); the process that bumps forgets its copy at once, the others within VERSION_CHECK seconds. An entry asked for
with `prepare` is also kept in the process, ready to send, until its end (a new version is a new key).

Off when the app is TESTING unless PAGE_CACHE is set (the test database is emptied between tests, versions too).
"""

import hashlib
import math
import threading
import time

from flask import current_app, has_app_context
from flask_caching import Cache
from sqlalchemy import String, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from awards.extensions import db

MAX_ENTRIES = 500
VERSION_CHECK = 1.0  # seconds a process trusts the versions it read
REDIS_PREFIX = "awards:page:"

# what the public pages show, each with its own version
RESULTS = "results"  # decisions, their recipients, revocations and corrections of their records
ANNOUNCEMENTS = "announcements"  # the public review lists
ARCHIVE = "archive"  # every append to the archive (archive.services.lock_chain): the figures counted over it


class CacheVersion(db.Model):
    """One counter per kind of cached content; bumped in the transaction that changes it."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def _now() -> float:
    return time.monotonic()


def _wall() -> float:
    """The time an entry was built, comparable between processes (Redis)."""
    return time.time()


def storage_config(redis_url: str | None) -> dict:
    """Flask-Caching's settings: Redis (entries expire in Redis, which bounds its memory) or a bounded dict."""
    config = {"CACHE_KEY_PREFIX": REDIS_PREFIX, "CACHE_DEFAULT_TIMEOUT": 60, "CACHE_NO_NULL_WARNING": True}
    if redis_url:
        return {**config, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url,
                "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}}
    return {**config, "CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": MAX_ENTRIES}


class Storage:
    """The app's Flask-Caching backend, where a cache that is down is a miss, never an error page."""

    def __init__(self, app, redis_url: str | None = None):
        self.cache = Cache(app, config=storage_config(redis_url), with_jinja2_ext=False)

    def get(self, key: str):
        try:
            return self.cache.get(key)
        except Exception:  # noqa: BLE001
            current_app.logger.warning("page cache: storage unavailable", exc_info=True)
            return None

    def set(self, key: str, value, ttl: float) -> None:
        try:
            self.cache.set(key, value, timeout=max(math.ceil(ttl), 1))
        except Exception:  # noqa: BLE001
            current_app.logger.warning("page cache: storage unavailable", exc_info=True)

    def clear(self) -> None:
        self.cache.clear()


class PageCache:
    """One per app (app.extensions["page_cache"]): the storage and this process' copy of the versions."""

    def __init__(self, app):
        self.backend = Storage(app, app.config.get("REDIS_URL"))
        self.versions: dict[str, int] | None = None
        self.read_at = 0.0
        self.lock = threading.Lock()
        self.local: dict[str, tuple[float, object]] = {}  # key → (until, prepared value): `cached_page(prepare=…)`

    def version(self, name: str) -> int:
        with self.lock:
            if self.versions is None or _now() - self.read_at >= VERSION_CHECK:
                self.versions = dict(db.session.execute(select(CacheVersion.name, CacheVersion.version)).all())
                self.read_at = _now()
            return self.versions.get(name, 0)

    def forget_versions(self) -> None:
        with self.lock:
            self.versions = None

    def remember(self, key: str, value, until: float) -> None:
        """Keep a prepared value in this process until `until` (_wall()); at most MAX_ENTRIES of them."""
        if len(self.local) >= MAX_ENTRIES:
            now = _wall()
            for old in [k for k, (t, _v) in list(self.local.items()) if t <= now]:
                self.local.pop(old, None)
            if len(self.local) >= MAX_ENTRIES:
                self.local.clear()
        self.local[key] = (until, value)

    def recall(self, key: str):
        hit = self.local.get(key)
        return hit[1] if hit is not None and hit[0] > _wall() else None

    def clear(self) -> None:
        self.forget_versions()
        self.local.clear()
        self.backend.clear()


def init_app(app) -> None:
    app.extensions["page_cache"] = PageCache(app)


def page_cache(app=None) -> PageCache:
    app = app or current_app._get_current_object()
    cache = app.extensions.get("page_cache")
    if cache is None:
        cache = app.extensions["page_cache"] = PageCache(app)
    return cache


def enabled() -> bool:
    return bool(current_app.config.get("PAGE_CACHE", not current_app.testing))


def cached_page(key_parts, build, ttl: float = 60, versions=(RESULTS,), prepare=None):
    """What `build()` returns, from the cache when a fresh entry exists under `key_parts` and the current
    `versions`; `build()` must return a str or a dict of str.

    With `prepare`, what `prepare(value)` returns, and this process keeps that too (no storage read, no unpickling,
    no Redis round trip for the next request: issue 21) until the entry's own end, `ttl` seconds after it was
    built wherever it was built; the storage then holds {"built_at", "value"}."""
    if not enabled():
        return build() if prepare is None else prepare(build())
    cache = page_cache()
    parts = [f"{name}={cache.version(name)}" for name in versions] + [str(p) for p in key_parts]
    if prepare is not None:
        parts.append("built_at")  # stored wrapped: never the key of an entry stored bare (an older release's)
    key = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    if prepare is not None:
        hit = cache.recall(key)
        if hit is not None:
            return hit
    value = cache.backend.get(key)
    if value is None:
        value = build() if prepare is None else {"built_at": _wall(), "value": build()}
        cache.backend.set(key, value, ttl)
    if prepare is None:
        return value
    prepared = prepare(value["value"])
    cache.remember(key, prepared, value["built_at"] + ttl)
    return prepared


def bump(*names: str) -> None:
    """Move these versions on, in the caller's transaction (an upsert: one statement each)."""
    session = db.session
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for name in names:
        stmt = insert(CacheVersion).values(name=name, version=1)
        session.execute(stmt.on_conflict_do_update(index_elements=[CacheVersion.name],
                                                   set_={"version": CacheVersion.version + 1}))
    session.info["page_cache_bumped"] = True
    if has_app_context():
        page_cache().forget_versions()


def bump_after_commit(session: Session, *names: str) -> None:
    """Move these versions on once `session`'s transaction has committed, in a short transaction of its own, for
    writes that may be part of a long one (an import of people or ratings): bumped inside it, the version's row
    would stay locked, and every other write that bumps it wait, until the import commits. A view that reads the
    old version after the commit builds its entry from the committed rows (fresher than its key); one that read
    before the commit is keyed on the old version, which the bump leaves behind."""
    session.info.setdefault("page_cache_after_commit", set()).update(names)


def _upsert(conn, names) -> None:
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    for name in sorted(names):
        stmt = insert(CacheVersion).values(name=name, version=1)
        conn.execute(stmt.on_conflict_do_update(index_elements=[CacheVersion.name],
                                                set_={"version": CacheVersion.version + 1}))


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session):
    """The bumping transaction is committed: this process reads the new versions on its next request."""
    if session.get_nested_transaction() is not None:  # a savepoint released: the transaction goes on
        return
    later = session.info.pop("page_cache_after_commit", None)
    if later:
        try:
            with session.get_bind().begin() as conn:
                _upsert(conn, later)
        except Exception:  # noqa: BLE001 — the write is committed; its cached views then live out their ttl
            if has_app_context():
                current_app.logger.warning("page cache: versions %s not bumped", sorted(later), exc_info=True)
    if (session.info.pop("page_cache_bumped", False) or later) and has_app_context():
        page_cache().forget_versions()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # the whole transaction: what it would have bumped did not happen
        session.info.pop("page_cache_after_commit", None)
    if session.info.pop("page_cache_bumped", False) and has_app_context():
        page_cache().forget_versions()
