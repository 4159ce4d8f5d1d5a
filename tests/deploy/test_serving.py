"""What production serving relies on: /readyz compares the database's revision with the code's head, /healthz
says 503 when the database is gone, pool settings from the environment for PostgreSQL only, a replica URL
used by the reports' read-only queries, the gunicorn configuration file, X-Forwarded-For behind nginx."""

import runpy
from pathlib import Path

import pytest
from sqlalchemy import event

from awards import create_app
from awards.core import replica
from awards.core.views import migration_heads
from awards.extensions import db
from awards.reports import figures
from config import load_config
from tests import factories
from tests.core.test_migrations import fresh_app, fresh_url, upgrade  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parents[2]


def test_readyz_is_ready_at_head_and_names_both_revisions_otherwise(fresh_app):  # noqa: F811
    client = fresh_app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "not_ready", "current": [], "head": list(migration_heads())}
    upgrade()
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "current": list(migration_heads()),
                                   "head": list(migration_heads())}
    with db.engine.begin() as conn:  # as after deploying new code, before `flask db upgrade`
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'c8a3e0f5d217'")
    body = client.get("/readyz").get_json()
    assert body["current"] == ["c8a3e0f5d217"] and body["head"] == list(migration_heads())


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"AWARDS_ENV": "testing", "UPLOAD_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "error"
    assert app.test_client().get("/readyz").status_code == 503


def test_pool_settings_come_from_the_environment_for_postgresql_only(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "12")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    monkeypatch.setenv("DB_POOL_TIMEOUT", "7")
    monkeypatch.setenv("DB_POOL_RECYCLE", "600")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://awards@db.internal/awards")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgresql+psycopg://awards@replica.internal/awards")
    config = load_config("testing")
    pool = {"pool_pre_ping": False, "pool_size": 12, "max_overflow": 3, "pool_timeout": 7, "pool_recycle": 600}
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == pool
    assert config["DATABASE_REPLICA_URL"] == "postgresql+psycopg://awards@replica.internal/awards"
    assert config["REPLICA_ENGINE_OPTIONS"] == pool
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    monkeypatch.delenv("DATABASE_REPLICA_URL")
    config = load_config("testing")
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True} and config["DATABASE_REPLICA_URL"] is None


def test_reports_read_through_the_replica_when_one_is_set(app, db, database_url, tmp_path):
    """A "replica" that is the same database (SQLite file or PostgreSQL): the figures' queries go through it."""
    unit = factories.unit()
    db.session.commit()
    reporting = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                            "DATABASE_REPLICA_URL": database_url, "UPLOAD_DIR": str(tmp_path)})
    statements = []
    with reporting.app_context():
        assert replica.configured() and replica.read_session() is not db.session
        event.listen(replica.engine(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        counts = figures.summary(figures.Period(2025, None))
        assert statements and counts is not None
        assert replica.read_session().get(type(unit), unit.id).code == unit.code
        replica.read_session().execute(db.select(type(unit)).limit(1))
        replica.engine().dispose()
        db.engine.dispose()
    with app.app_context():
        assert not replica.configured() and replica.read_session() is db.session


def test_the_gunicorn_configuration(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["workers"] == 3 and settings["bind"] == "127.0.0.1:8000" and settings["timeout"] > 0
    assert settings["access_log_format"].startswith('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"')
    monkeypatch.delenv("GUNICORN_WORKERS")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] >= 3  # (2 × cores) + 1


@pytest.mark.parametrize("proxies, seen", [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_behind_nginx_the_client_address_comes_from_x_forwarded_for(tmp_path, database_url, proxies, seen):
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_DIR": str(tmp_path),
                      "PROXY_COUNT": proxies})

    @app.get("/_ip")
    def ip():
        from flask import request
        return request.remote_addr

    response = app.test_client().get("/_ip", headers={"X-Forwarded-For": "203.0.113.7"},
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.get_data(as_text=True) == seen
