"""Fixtures: an app on its own database (SQLite file, or a fresh PostgreSQL database when
TEST_DATABASE_URL is set), emptied after each test; a client; login_as(role); plain factories."""

import os
import re
import uuid

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from awards import create_app
from awards.extensions import db as _db
from awards.extensions import limiter
from tests import factories


def _postgres_database(url: str):
    """Create a uniquely named database beside TEST_DATABASE_URL; return its URL and a dropper."""
    base = make_url(url)
    name = f"awards_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


# What `pytest -m "not slow"` leaves out: the runs that start servers, browsers, subprocesses or thousands of
# generated requests. They still run in `make test` and CI; the fast suite is for the edit–test loop.
SLOW = ("tests/browser/", "tests/security/test_faults.py", "tests/security/test_api_fuzz.py",
        "tests/security/test_state_machines.py", "tests/security/test_backup.py", "tests/test_bench.py",
        "tests/deploy/test_serving.py", "tests/deploy/test_two_instances.py", "tests/deploy/test_migration_safety.py",
        "tests/demo/")


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix()
        if path.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url and not url.startswith("sqlite"):
        url, drop = _postgres_database(url)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (its own `g` and database session), as in production:
    otherwise the test's context is reused and a signed-in user cached in `g` leaks between requests.
    The test's own session first commits what the test set up and ends its snapshot, so the request sees
    it and the test then sees what the request changed (two users, two transactions)."""

    def open(self, *args, **kwargs):
        if has_app_context():
            _db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "AWARDS_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
        "WTF_CSRF_ENABLED": True,
        "SERVER_NAME": "localhost",
        "PUBLIC_BASE_URL": "http://localhost",
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        _db.create_all()  # tests only: production paths migrate (tests/core/test_migrations.py checks both agree)
    yield app
    with app.app_context():
        _db.engine.dispose()


def empty_database(truncate=True):
    """Every table emptied, children first, and (with `truncate`) ids counted from 1 again. On PostgreSQL rows are
    deleted and the sequences reset rather than TRUNCATEd: TRUNCATE rewrites every table's files, which took seconds
    per test on a busy machine, while deleting a test's few rows takes milliseconds (`truncate=False` between the
    examples of a hypothesis test, which need no fresh ids)."""
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
        if conn.dialect.name == "postgresql" and truncate:
            resets = ", ".join(f"setval('{name}', 1, false)" for name in _sequences(conn))
            if resets:
                conn.execute(text(f"SELECT {resets}"))
        elif conn.dialect.name == "sqlite" and truncate and conn.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
            conn.execute(text("DELETE FROM sqlite_sequence"))
    limiter.reset()


_SEQUENCES: list[str] = []


def _sequences(conn) -> list[str]:
    """The sequences behind the tables' serial ids, read once per run."""
    if not _SEQUENCES:
        _SEQUENCES.extend(conn.execute(text(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
            "WHERE schemaname = current_schema()")).scalars())
    return _SEQUENCES


@pytest.fixture
def db(app):
    """The database, emptied after the test (every table, children first)."""
    with app.app_context():
        yield _db
        empty_database()


@pytest.fixture
def client(app, db):
    return app.test_client()


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture
def csrf_token(client):
    """A valid CSRF token for this client's session, read from a rendered form as a browser would."""

    def read(path="/login"):
        html = client.get(path).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"no CSRF field on {path}"
        return match.group(1) or match.group(2)

    return read


@pytest.fixture
def login_as(client, db, csrf_token):
    """Sign the client in through the real login form as a new user with `role` (and a unit if needed)."""

    def login(*roles, unit=None, person=None, username=None, password="mat-khau-2026"):
        roles = roles or ("staff",)
        if "unit_officer" in roles and unit is None:
            unit = factories.unit()
        user = factories.user(*roles, unit=unit, person=person, username=username, password=password)
        _db.session.commit()
        response = client.post("/login", data={"username": user.username, "password": password,
                                               "csrf_token": csrf_token()})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return login


@pytest.fixture
def api(client, db):
    """A JSON client with a bearer token for a new user of the given roles."""

    class Api:
        def __init__(self, token=None):
            self.token = token

        def as_(self, *roles, unit=None, person=None):
            if "unit_officer" in roles and unit is None:
                unit = factories.unit()
            user = factories.user(*roles, unit=unit, person=person)
            raw = factories.token(user)
            _db.session.commit()
            client_ = Api(raw)
            client_.user = user
            return client_

        def _headers(self, headers):
            result = {"Authorization": f"Bearer {self.token}"} if self.token else {}
            result.update(headers or {})
            return result

        def get(self, path, headers=None, **kw):
            return client.get(path, headers=self._headers(headers), **kw)

        def post(self, path, json=None, headers=None, **kw):
            return client.post(path, json=json, headers=self._headers(headers), **kw)

    return Api()


@pytest.fixture
def at(monkeypatch):
    """Move the app's clock to a moment in Vietnam (10/03/2026 09:00 unless moved again)."""
    from datetime import datetime

    from awards.core import clock

    def move(moment: datetime):
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(clock.VIETNAM))

    move(datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM))
    return move


@pytest.fixture
def statements(db):
    """The SQL statements sent while the test runs, in order (listened to on the engine)."""
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def warm_page_cache(app, monkeypatch):
    """The page cache on (tests have it off), empty before and after the test."""
    from awards.core import cache

    monkeypatch.setitem(app.config, "PAGE_CACHE", True)
    cache.page_cache(app).clear()
    yield
    cache.page_cache(app).clear()

