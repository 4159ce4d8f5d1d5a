"""PostgreSQL's pooled connections: checked at checkout without a round trip (core.db._closed_by_server, issue 21),
so a request still never meets a connection the server closed (a restart, a failover, a killed backend)."""

import time

import pytest
from sqlalchemy import create_engine, event, text

from awards.core import db as core_db


@pytest.fixture
def postgresql(app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's pool")
    return db


def backend(db) -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
    db.session.remove()  # the request's end: the connection goes back to the pool
    return pid


def test_the_pool_pings_no_quiet_connection(postgresql, app, monkeypatch):
    """No `SELECT 1` before each request (pool_pre_ping is off, and the checkout's own check finds nothing to read on
    a quiet socket), and the pooled connections are used again: none is opened anew."""
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    assert postgresql.engine.pool._pre_ping is False
    backend(postgresql)
    pings, connects = [], []
    monkeypatch.setattr(core_db, "_answers", lambda connection: pings.append(connection) or True)
    event.listen(postgresql.engine, "connect", lambda *_args: connects.append(1))
    pooled = postgresql.engine.pool.checkedin()  # the pool is FIFO: each of its connections comes round in turn
    backends = {backend(postgresql) for _ in range(2 * pooled + 1)}
    assert pings == [] and connects == [] and len(backends) == pooled


def test_a_connection_the_server_closed_is_replaced_before_a_request_meets_it(postgresql, database_url):
    """The backend behind a pooled connection terminated (as a restart does): each later request gets a live
    connection and its answer, not an error, the dead one's turn in the pool included."""
    first = backend(postgresql)
    killer = create_engine(database_url)
    with killer.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    killer.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the pooled socket
    turns = postgresql.engine.pool.checkedin() + 1  # FIFO: every pooled connection, the dead one too, comes round
    assert first not in [backend(postgresql) for _ in range(turns)]


def test_a_database_given_to_the_app_gets_its_pool_settings(monkeypatch):
    """The tests and the bench name their database in create_app's settings: its pool is PostgreSQL's (no pre-ping,
    recycled), not that of DATABASE_URL (SQLite when unset)."""
    from config import load_config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    options = load_config("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://awards@db/awards")[
        "SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is False and options["pool_recycle"] == 1800
    assert load_config("testing", SQLALCHEMY_DATABASE_URI="sqlite:///x.db")["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True}
