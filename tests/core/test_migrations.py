"""The real migrations on a fresh database: upgrade to head, agree with the models, downgrade one step back.

Tests build their schema with create_all (tests/conftest.py); production only ever migrates. This test
is what keeps the two the same.
"""

import logging
import os
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from awards import create_app
from awards.archive.models import compared_by_autogenerate
from awards.extensions import db
from tests.conftest import _postgres_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@contextmanager
def logging_kept():
    """Alembic's env.py runs logging.fileConfig, which disables every logger it does not name; undo that."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {name: lg.disabled for name, lg in logging.root.manager.loggerDict.items()
                if isinstance(lg, logging.Logger)}
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, lg in logging.root.manager.loggerDict.items():
            if isinstance(lg, logging.Logger):
                lg.disabled = disabled.get(name, False)


def upgrade(revision="head"):
    with logging_kept():
        flask_migrate.upgrade(directory=str(MIGRATIONS), revision=revision)


def downgrade(revision="-1"):
    with logging_kept():
        flask_migrate.downgrade(directory=str(MIGRATIONS), revision=revision)


@pytest.fixture
def fresh_url(tmp_path):
    """A new empty database: a SQLite file, or a created-and-dropped PostgreSQL database."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and not url.startswith("sqlite"):
        url, drop = _postgres_database(url)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def fresh_app(fresh_url, tmp_path):
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": fresh_url,
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _scripts() -> ScriptDirectory:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def _schema() -> dict[str, list[str]]:
    """Every application table with its columns (alembic's own bookkeeping table left out)."""
    inspector = inspect(db.engine)
    return {name: sorted(c["name"] for c in inspector.get_columns(name))
            for name in inspector.get_table_names() if name != "alembic_version"}


def _revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_name": compared_by_autogenerate})
        return compare_metadata(context, db.metadata)


def test_one_linear_history():
    scripts = _scripts()
    assert len(scripts.get_heads()) == 1, "migrations must form one line: merge the heads"


def test_upgrade_matches_models_and_downgrade_steps_back(fresh_app):
    scripts = _scripts()
    head = scripts.get_current_head()
    previous = scripts.get_revision(head).down_revision
    assert _schema() == {}

    if previous is not None:
        upgrade(previous)
    schema_before_head = _schema()

    upgrade()
    assert _revision() == head
    schema = _schema()
    assert set(db.metadata.tables) <= set(schema)
    assert {"users", "units", "people", "person_evaluations", "audit_entries"} <= set(schema)
    differences = _differences()
    assert differences == [], f"models and migrations disagree (write a migration): {differences}"

    downgrade("-1")
    assert _revision() == previous
    assert _schema() == schema_before_head

    upgrade()
    assert _revision() == head
    assert _schema() == schema
    assert _differences() == []
