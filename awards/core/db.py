"""The declarative base every model inherits: one naming convention, timezone-aware timestamps."""

import functools
import json
import select as io_select
import sqlite3
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    ARRAY,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    TypeDecorator,
    any_,
    bindparam,
    event,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, registry
from sqlalchemy.pool import Pool


def among(column, values, dialect: str, *, few: int = 0):
    """`column IN values` as one bound value whatever their number (more than `few`; one parameter each below):
    an array on PostgreSQL, a JSON text read by json_each on SQLite. A thousand values as a thousand bound
    parameters were compiled and bound anew each time (SQLAlchemy's expanding IN) and can pass either database's
    limit on parameters; one value keeps the statement's text, so it is compiled once (and prepared by the
    server). The column's index is used either way."""
    values = sorted(values)
    if len(values) <= few:
        return column.in_(values)
    if dialect == "postgresql":
        kind = Integer if values and isinstance(values[0], int) else String
        return column == any_(bindparam(None, values, type_=ARRAY(kind)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(values)))))


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


@contextmanager
def prepared_at_first_use(connection):
    """PostgreSQL (psycopg): the statements run inside are prepared on their first execution on this connection
    rather than their sixth (psycopg's prepare_threshold, 5 by default), and stay prepared on it. For a hot path
    of a few statements run by many connections at once (a council's ballots: 16 pooled connections, 100 ballots
    in a second), most of a burst's executions were otherwise parsed and planned anew. Scoped: the connection's
    threshold is put back after, so the searches keep psycopg's default; a deployment that turned preparing off
    (prepare_threshold None, e.g. behind a transaction-pooling pgbouncer) keeps it off. Nothing on SQLite."""
    raw = connection.connection.dbapi_connection if connection.dialect.name == "postgresql" else None
    before = getattr(raw, "prepare_threshold", None)
    if before is None or before == 0:
        yield
        return
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = before


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC, always returns an aware datetime (SQLite forgets the offset otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime})


class DomainError(Exception):
    """A business rule refused the action; views show `message`, the API answers with `status`."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None, field=None):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.field = field


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Invalid(DomainError):
    """Bad input found by a service (unknown code, impossible value): 400 with the field named."""

    status = 400
    code = "validation_error"


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys; let SQLAlchemy (not pysqlite) open transactions, so that SAVEPOINTs
    really nest (otherwise a released savepoint is already committed and all-or-nothing breaks)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 15000")  # writers queue for the lock; half gunicorn's 30 s timeout
        cursor.execute("PRAGMA journal_mode = WAL")  # readers and the one writer do not block each other
        cursor.close()


@event.listens_for(Pool, "checkout")
def _closed_by_server(dbapi_connection, connection_record, connection_proxy):
    """PostgreSQL: a pooled connection the server has closed since its last use (a restart, a failover, a killed
    backend) is replaced at checkout, before a request meets it, without pool_pre_ping's `SELECT 1` in every request
    (issue 21). An idle connection has nothing to read, so only a readable socket (the server's "terminating
    connection", the end of the stream, or something harmless) is pinged; one that does not answer is replaced (the
    pool connects anew). A connection dropped without a word (a cut cable) shows nothing until its first statement
    fails: pool_recycle bounds how long one idles, and that request gets the 503 page (core.errors)."""
    if getattr(dbapi_connection, "pgconn", None) is None:  # not psycopg's
        return
    try:
        quiet = not dbapi_connection.closed and not io_select.select([dbapi_connection.fileno()], [], [], 0)[0]
    except (OSError, ValueError):
        quiet = False
    if not quiet and not _answers(dbapi_connection):
        raise DisconnectionError("the database server closed this pooled connection")


def _answers(dbapi_connection) -> bool:
    """SQLAlchemy's own ping for psycopg: `SELECT 1` outside a transaction."""
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.autocommit = autocommit
    except Exception:  # noqa: BLE001  (whatever a dead connection raises: it is replaced)
        return False
    return True


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _request_writes() -> bool:
    """Does the current request change data? (POST, PUT, PATCH, DELETE; never a GET: CONTRACT's reads.) A job run
    inline by a request (core.jobs.context) reads and writes like a worker, in transactions of its own."""
    from flask import g, has_request_context, request

    return has_request_context() and request.method in WRITE_METHODS and not g.get("background_job")


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    """SQLite has one writer. A deferred transaction that has read cannot become the writer once another has
    committed ("database is locked" at once, whatever busy_timeout says), so a request that writes starts its
    transactions as the writer (BEGIN IMMEDIATE) and waits its turn; reads stay deferred and never wait."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _request_writes() else "BEGIN")


@event.listens_for(Session, "after_flush")
def _wrote(session, flush_context):
    session.info["wrote"] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session, transaction):
    if transaction.parent is None:
        session.info.pop("wrote", None)


def begin_write(session, table: str, row_id: int) -> None:
    """Take the write lock now, for a read-then-write that must not fail half way (a ballot, a close).

    PostgreSQL: the caller's SELECT … FOR UPDATE is the lock; nothing to do. SQLite has one writer and a
    deferred transaction that has only read cannot become the writer once another has committed (its
    snapshot is stale: "database is locked" at once). So a transaction that has written nothing yet is
    ended, and the next one starts with a write, which waits its turn (busy_timeout)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if not session.info.get("wrote"):
        session.commit()
    session.execute(text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})


RETRIES = 3
TRANSIENT_SQLSTATES = ("40001", "40P01")  # PostgreSQL: serialization failure, deadlock detected


def is_transient(exc: DBAPIError) -> bool:
    """A failure that the same request, run again, would not meet: SQLite's writer lock not granted in time,
    PostgreSQL's serialization failure or deadlock (the server already rolled the loser back)."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        return "database is locked" in str(orig) or "database is busy" in str(orig)
    return getattr(orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def retrying(view):
    """Run a view again (up to RETRIES times, backing off) when the database refused its transaction for a
    transient reason, from a clean session and with its uploaded files rewound: nothing of the failed attempt was
    committed, so the second attempt is the first that counts."""

    @functools.wraps(view)
    def run(*args, **kwargs):
        from flask import current_app, has_request_context, request

        for attempt in range(RETRIES):
            try:
                return view(*args, **kwargs)
            except DBAPIError as exc:
                if attempt == RETRIES - 1 or not is_transient(exc) or _committed_in_request():
                    raise  # after a commit, running the view again would store its change twice
                current_app.extensions["sqlalchemy"].session.rollback()  # extensions imports this module
                if has_request_context():
                    for upload in request.files.values():
                        upload.stream.seek(0)
                time.sleep(0.02 * 2 ** attempt)
        raise AssertionError("unreachable")

    return run


@event.listens_for(Session, "after_commit")
def _remember_commit(session):
    """A request that has committed once must not be run again from the start (see `retrying`)."""
    from flask import g, has_request_context

    if has_request_context():
        g.db_committed = True


def _committed_in_request() -> bool:
    from flask import g, has_request_context

    return has_request_context() and g.get("db_committed", False)


def retry_transient_failures(app) -> None:
    """Every view (page, API, public) runs under `retrying`; call after the blueprints are registered."""
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            app.view_functions[endpoint] = retrying(view)
