"""Timing, percentiles, peak memory, and the floors' raw side: the SQL an app path ran, captured and replayed on
a bare DB-API connection (no SQLAlchemy, no ORM, no Flask)."""

import math
import resource
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import make_url


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer(into: list):
    started = time.perf_counter()
    yield
    into.append(time.perf_counter() - started)


def is_postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def raw_connection(url: str):
    """A bare DB-API connection in autocommit: sqlite3, or psycopg for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return sqlite3.connect(parsed.database, isolation_level=None, check_same_thread=False)
    import psycopg

    return psycopg.connect(host=parsed.host or "localhost", port=parsed.port or 5432, user=parsed.username,
                           password=parsed.password, dbname=parsed.database, autocommit=True)


def placeholder(url: str) -> str:
    return "%s" if is_postgres(url) else "?"


@dataclass
class Captured:
    """The reading statements an app path sent to the database, with their parameters as the driver got them."""

    statements: list[tuple[str, object]] = field(default_factory=list)

    def replay(self, conn) -> int:
        """Run them again on a bare connection, fetching every row; returns the number of rows."""
        rows = 0
        cursor = conn.cursor()
        for statement, parameters in self.statements:
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                rows += len(cursor.fetchall())
        cursor.close()
        return rows


@contextmanager
def capture(engine, every: bool = False):
    """Record every SELECT (or WITH …) the engine executes inside the block; with `every`, every statement (a
    page's count: the session record's touch included)."""
    captured = Captured()

    def before(conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip()[:6].upper()
        if every or head.startswith(("SELECT", "WITH")):
            captured.statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)
