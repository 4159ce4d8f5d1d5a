"""A ballot reads the same statements, by the same indexes, whatever the council held before (issue 21: the bench's
province kept a closed session, its ballots, receipts and notices per run, and the guard reads the seat, the
recusals and "has voted" beside them; production keeps every past session). Each read of the path is bounded by an
index on the token, the session or the member: with PostgreSQL's sequential scans switched off, no plan still has
one (only when no index can answer does the planner keep it), and SQLite's plans SEARCH, never SCAN, a table."""

import re

import pytest
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from awards.auth import services as auth
from awards.council import notices, voting


def _captured(db, call) -> list[tuple[str, object]]:
    """The statements `call` sends, with their parameters, as the driver receives them."""
    seen = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return seen


def _plan(db, statement: str, parameters) -> list[str]:
    """The plan's lines (PostgreSQL: with sequential scans off, so a table no index can answer still shows one)."""
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE notifications")  # its statistics, as autovacuum keeps them
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        lines = [r[0] for r in connection.exec_driver_sql("EXPLAIN " + statement, parameters)]
    else:
        lines = [r[-1] for r in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    db.session.rollback()
    return lines


def _full_scans(lines: list[str]) -> list[str]:
    """The plan lines that read a whole table."""
    return [line for line in lines if "Seq Scan" in line or re.match(r"SCAN (?!CONSTANT ROW)", line)]


def _read_by(lines: list[str], table: str, columns: tuple[str, ...]) -> bool:
    """Each read of `table` finds its rows by all these columns of an index (the member's notices about the session
    by both, not by the member alone: every notice they ever had, one or two per past session)."""
    reads = [i for i, line in enumerate(lines) if f" {table}" in line and ("Index" in line or "SEARCH" in line)]
    return bool(reads) and all(
        all(column in " ".join(lines[i:i + 2]).split("Filter")[0] for column in columns) for i in reads)


def _reads(seen) -> list[tuple[str, object]]:
    return [(s, p) for s, p in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]


def test_a_ballot_reads_as_much_after_many_sessions_as_after_none(council, db):
    member = council.members[3]
    first = council.dossiers("CSTDCS", "BK_TINH")
    session_id = council.session(first)
    before = _captured(db, lambda: council.vote(session_id, member, [(first[0], "yes")]))
    assert council.close(session_id).status_code == 200
    for _n in range(4):  # past sessions: every member voted, the chair recused from their own unit's dossier
        dossiers = council.dossiers("CSTDCS") + council.dossiers("CSTDCS", unit=council.hospitals[0])
        past = council.session(dossiers)
        for seat in council.members:
            assert council.vote(past, seat, [(dossiers[0], "no")]).status_code == 201
        assert council.close(past).status_code == 200
    later = council.dossiers("CSTDCS", "BK_TINH")
    session_id = council.session(later)
    after = _captured(db, lambda: council.vote(session_id, member, [(later[0], "yes")]))
    assert [s for s, _p in after] == [s for s, _p in before]  # the same statements, as many
    for statement, parameters in _reads(after):
        plan = _plan(db, statement, parameters)
        assert _full_scans(plan) == [], (statement, plan)
        if "UPDATE notifications" in statement:
            assert _read_by(plan, "notifications", ("about_type", "about_id", "user_id")), "\n".join(plan)
        if "FROM council_sessions" in statement:  # the guard: the seat and "has voted" by the session and member
            for table in ("ballots_cast", "session_members"):
                assert _read_by(plan, table, ("session_id", "user_id")), "\n".join(plan)


@pytest.mark.parametrize("dialect", [postgresql.psycopg.dialect(), sqlite.dialect()], ids=["postgresql", "sqlite"])
def test_the_ballot_statements_are_rendered_once(app, dialect):
    """No statement of the ballot path has a part SQLAlchemy renders again at every execution (an expanding IN: the
    notices' task kinds were one, a quarter of the write statement's time in Python), and the guard's states and
    times, repeated on every agenda item's row, are not converted row by row (the first row's are, in _refusal)."""
    statements = [voting.BALLOT_GUARD, notices.voted_statement(), auth._token_user()]
    if dialect.name == "postgresql":
        statements.append(voting._cast_pg())
    for statement in statements:
        assert "POSTCOMPILE" not in str(statement.compile(dialect=dialect)), statement
    if dialect.name == "postgresql":
        columns = {c[0]: c[3] for c in voting.BALLOT_GUARD.compile(dialect=dialect)._result_columns}
        assert all(columns[name]._cached_result_processor(dialect, None) is None
                   for name in ("status", "opens_at", "closes_at", "ballot"))
