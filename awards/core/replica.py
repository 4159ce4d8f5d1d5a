"""Read-only report queries on a streaming replica when DATABASE_REPLICA_URL is set (docs/DEPLOY.md).

The reports' figures and workbook lists read through `read_session()`: a session on the replica's engine (its
pool settings as the primary's, config.py), one per app context and closed with it, or the app's own session when
no replica is configured. Everything that writes — and every page that must see its own writes — stays on
`db.session`. A replica lags its primary by a moment: a report may miss what was decided a second ago.
"""

from flask import current_app, g
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from awards.extensions import db


def configured() -> bool:
    return "replica_engine" in current_app.extensions


def engine() -> Engine:
    return current_app.extensions["replica_engine"]


def read_session() -> Session:
    """Where the reports read: the replica when there is one, else db.session."""
    if not configured():
        return db.session
    session = g.get("replica_session")
    if session is None:
        session = g.replica_session = Session(engine())
    return session


def _close(_exc=None) -> None:
    session = g.pop("replica_session", None)
    if session is not None:
        session.close()


def init_app(app) -> None:
    url = app.config.get("DATABASE_REPLICA_URL")
    if url:
        app.extensions["replica_engine"] = create_engine(url, **app.config.get("REPLICA_ENGINE_OPTIONS", {}))
    app.teardown_appcontext(_close)
