"""A ballot is a handful of statements (issue 21: 100 members voting at once on 2 cores): one SELECT for the
session, the seat, the recusals and "has voted" together, then plain inserts; no ORM object loaded. The refusals
are those of test_voting.py, through the service and the API; a ballot waiting on the opening's lock counts."""

import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, select

from awards.auth.models import ApiToken, User, UserRole
from awards.core.audit import AuditEntry
from awards.core.db import DomainError, utcnow
from awards.council import queries, voting
from awards.council.models import OpenVote
from awards.council.services import lock_session
from awards.extensions import db as _db
from awards.notifications.models import Notification
from tests.council.conftest import CLOSES

# the service, after the request's own statements (the token and its roles): the guard, "has voted" as an insert
# that refuses a second, the sealed box, the audit line, the member's notices marked done; an open-vote item adds
# its named choices. PostgreSQL writes them all in one statement (data-modifying CTEs: voting._cast_pg; before: 5,
# and 17 before that: the loader, the lock, the ORM), open-vote items included (before: one more statement, one
# execution per item). SQLite takes its write lock first (core/db.py begin_write): BEGIN IMMEDIATE and an UPDATE,
# then one statement each, and one for the open-vote items.
SERVICE_STATEMENTS = {"postgresql": 2, "sqlite": 7}
# + the token with its account and roles, one statement (auth/services.py; before: two, the token joined to the
# account, its unit and person, then the roles) (+ SQLite's first BEGIN IMMEDIATE)
REQUEST_STATEMENTS = {"postgresql": 3, "sqlite": 9}
WRITES = ["INSERT INTO ballots_cast", "INSERT INTO sealed_ballots", "INSERT INTO audit_entries", "UPDATE notifications"]


@contextmanager
def statements(engine):
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _body(votes):
    return {"votes": [{"nomination_id": n, "choice": c} for n, c in votes]}


def test_a_ballot_over_the_api_is_a_handful_of_statements(council, db):
    dossiers = council.dossiers("CSTDCS", "CSTDCS", "CSTD_TINH")  # all three secret
    ids = [d.id for d in dossiers]
    session_id = council.session(dossiers)
    member, body = council.members[2], _body([(ids[0], "yes"), (ids[1], "no")])
    dialect = db.engine.dialect.name
    with statements(db.engine) as seen:
        response = member.post(f"/api/v1/council-sessions/{session_id}/ballots", json=body)
    assert response.status_code == 201, response.json
    listing = "\n".join(s.split("\n")[0] for s in seen)
    ours = [s for s in seen if not s.startswith("BEGIN") and "api_tokens" not in s and "FROM user_roles" not in s]
    assert len(ours) == SERVICE_STATEMENTS[dialect] - (dialect == "sqlite"), listing  # the BEGIN is not ours
    assert len(seen) <= REQUEST_STATEMENTS[dialect], listing  # with the token's (auth/services.py)
    auth = [s for s in seen if "api_tokens" in s or "user_roles" in s]
    assert len(auth) == 1 and "JOIN api_tokens" in auth[0] and "user_roles" in auth[0], listing
    guard = [s for s in seen if "FROM council_sessions" in s]
    assert len(guard) == 1 and "ballots_cast" in guard[0] and "recusals" in guard[0] and "session_members" in guard[0]
    if dialect == "postgresql":
        assert "FOR SHARE OF council_sessions" in guard[0]  # the close (FOR UPDATE) waits for it
    if dialect == "postgresql":  # one statement, the later writes each reading the row "has voted" inserted
        write, = [s for s in seen if s.startswith("WITH cast_row AS")]
        assert [w for w in WRITES if w in write] == WRITES and write.count("FROM cast_row") == 5, write
        assert "INSERT INTO open_votes" in write and "unnest(" in write
    else:
        assert [s.split(" (")[0].split(" SET")[0] for s in seen if s.startswith(("INSERT", "UPDATE notif"))] == WRITES


def test_the_service_loads_no_object_and_an_open_item_adds_no_statement_on_postgresql(council, db):
    secret, open_ = council.dossiers("CSTDCS", "TTLDXS")
    session_id = council.session([secret, open_])
    member = council.members[3]
    user = member.user
    user_id, username = user.id, user.username
    session, votes = queries.session_by_id(session_id), {secret.id: "yes", open_.id: "no"}
    db.session.commit()
    assert user.username  # the caller's user, loaded as a request has it
    known = set(db.session.identity_map.keys())
    dialect = db.engine.dialect.name
    with statements(db.engine) as seen:
        receipt = voting.cast_ballot(session_id, votes=votes, by=user)
    db.session.commit()
    assert len(seen) == SERVICE_STATEMENTS[dialect] + (dialect == "sqlite"), "\n".join(s.split("\n")[0] for s in seen)
    assert set(db.session.identity_map.keys()) <= known  # no ORM object graph read
    assert len(receipt) == 19
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "council.ballot")).one()
    assert (entry.actor_id, entry.actor_name, entry.object_type, entry.object_id) == (
        user_id, username, "CouncilSession", str(session_id))
    assert entry.before is None and entry.after == {"items": 2}  # the number of items, never a choice
    assert queries.has_voted(session, user)
    named = db.session.execute(select(OpenVote.nomination_id, OpenVote.user_id, OpenVote.choice)
                               .where(OpenVote.session_id == session_id)).all()
    assert named == [(open_.id, user_id, "no")]  # the open item's choice by name; never the secret item's
    results = council.close(session_id).json
    items = {i["nomination_id"]: i for i in results["items"]}
    assert (items[secret.id]["yes"], items[open_.id]["no"], results["ballots_cast"]) == (1, 1, 1)


def test_the_ballot_statements_are_prepared_at_their_first_use_on_postgresql(council, db):
    """100 ballots at once share 16 pooled connections: psycopg prepares a statement at its sixth use on a
    connection, so most of a burst's guards and writes were parsed and planned anew. The ballot path prepares its
    two at the first (core/db.py prepared_at_first_use); the connection's threshold is put back after."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements: PostgreSQL only")
    dossiers = council.dossiers("CSTDCS", "TTLDXS")
    session_id = council.session(dossiers)
    user = council.members[4].user
    db.session.commit()
    connection = db.session.connection()
    raw = connection.connection.dbapi_connection
    threshold = raw.prepare_threshold
    assert threshold and threshold > 1  # psycopg's default (5): what the rest of the app keeps

    def prepared():
        return [s for (s,) in connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements")]

    assert not [s for s in prepared() if "ballots_cast" in s]
    voting.cast_ballot(session_id, votes={d.id: "yes" for d in dossiers}, by=user)
    statements_now = prepared()
    assert raw.prepare_threshold == threshold  # scoped to the ballot
    assert any("FOR SHARE OF council_sessions" in s for s in statements_now), statements_now  # the guard
    assert any("INSERT INTO ballots_cast" in s for s in statements_now), statements_now  # the one write
    db.session.commit()
    assert council.close(session_id).json["ballots_cast"] == 1


def test_a_ballot_over_the_api_prepares_its_token_statement_too_on_postgresql(council, app, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements: PostgreSQL only")
    dossiers = council.dossiers("CSTDCS")
    session_id = council.session(dossiers)
    seen: list[tuple[str, int]] = []

    def prepared_now(conn, cursor, statement, parameters, context, executemany):
        if "api_tokens" in statement:  # the token's statement has run: which of it is prepared on this connection
            rows = cursor.connection.execute("SELECT statement FROM pg_prepared_statements").fetchall()
            seen.append((statement, sum("api_tokens" in s for (s,) in rows)))

    event.listen(db.engine, "after_cursor_execute", prepared_now)
    try:
        response = council.members[1].post(f"/api/v1/council-sessions/{session_id}/ballots",
                                           json=_body([(dossiers[0].id, "yes")]))
    finally:
        event.remove(db.engine, "after_cursor_execute", prepared_now)
    assert response.status_code == 201, response.json
    assert seen and seen[-1][1] == 1  # prepared at its first use, on the connection that ran it


def test_the_vote_notice_is_done_once_the_member_has_voted(council, db):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member, other = council.members[4], council.members[5]

    def pending(user):
        return db.session.scalar(select(Notification.id).where(
            Notification.user_id == user.id, Notification.kind == "council_session_opened",
            Notification.about_id == session_id, Notification.done_at.is_(None)))

    assert pending(member.user) and pending(other.user)
    assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 201
    db.session.commit()
    assert pending(member.user) is None and pending(other.user) is not None


def _refused(call) -> tuple[int, str]:
    try:
        call()
    except DomainError as exc:
        _db.session.rollback()
        return exc.status, exc.code
    raise AssertionError("not refused")


def test_the_service_refuses_as_the_api_does(council, db, api, at):
    """Each refusal of the one guard query, through the service and through the API: the same status and code."""
    mine, other, own_unit = council.dossiers("CSTDCS", "CSTDCS") + council.dossiers("CSTDCS",
                                                                                      unit=council.hospitals[0])
    draft_id = council.session([other], open_=False)
    session_id = council.session([mine, own_unit])
    chair, member, outsider = council.members[0], council.members[1], api.as_("council_member")
    db.session.commit()
    cases = [  # (client, user, session, votes): (status, code)
        (outsider, outsider.user, session_id, {mine.id: "yes"}, (404, "not_found")),
        (outsider, outsider.user, 999999, {mine.id: "yes"}, (404, "not_found")),
        (council.staff, council.staff.user, session_id, {mine.id: "yes"}, (403, "forbidden")),
        (member, member.user, draft_id, {other.id: "yes"}, (409, "wrong_state")),
        (member, member.user, session_id, {other.id: "yes"}, (400, "validation_error")),
        (member, member.user, session_id, {mine.id: "maybe"}, (400, "validation_error")),
        (chair, chair.user, session_id, {own_unit.id: "yes"}, (403, "recused")),
    ]
    for client, user, sid, votes, expected in cases:
        refusal = _refused(lambda s=sid, v=votes, u=user: voting.cast_ballot(s, votes=v, by=u))
        assert refusal == expected, (sid, votes)
        if votes.get(mine.id) == "maybe":
            continue  # the API's own schema refuses it before the service (400 as well)
        response = client.post(f"/api/v1/council-sessions/{sid}/ballots", json=_body(votes.items()))
        assert (response.status_code, response.json["error"]["code"]) == expected, (sid, votes, response.json)
    assert council.vote(session_id, member, [(mine, "yes")]).status_code == 201
    assert _refused(lambda: voting.cast_ballot(session_id, votes={}, by=member.user)) == (409, "already_voted")
    at(CLOSES)  # the window has ended
    assert _refused(lambda: voting.cast_ballot(session_id, votes={}, by=chair.user)) == (409, "wrong_state")
    assert council.close(session_id).json["ballots_cast"] == 1


def test_a_ballot_waiting_on_the_opening_counts(council, app, db):
    """A member votes while the chair's opening holds the session's lock: the ballot waits, then reads the seats
    and the key the opening wrote (on PostgreSQL its first snapshot predates them) and is counted."""
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier], open_=False)
    staff_id, token, dossier_id = council.staff.user.id, council.members[6].token, dossier.id
    db.session.commit()
    locked, release, answers = threading.Event(), threading.Event(), []

    def open_slowly():
        with app.app_context():
            from awards.auth.models import User
            session = lock_session(queries.session_by_id(session_id))
            voting.open_session(session, by=_db.session.get(User, staff_id))
            _db.session.flush()
            locked.set()
            release.wait(10)
            _db.session.commit()
            _db.session.remove()

    def vote():
        client = app.test_client()
        response = client.post(f"/api/v1/council-sessions/{session_id}/ballots",
                               json=_body([(dossier_id, "yes")]), headers={"Authorization": f"Bearer {token}"})
        answers.append((response.status_code, response.get_json()))

    opener = threading.Thread(target=open_slowly)
    opener.start()
    assert locked.wait(10)
    voter = threading.Thread(target=vote)
    voter.start()
    time.sleep(0.5)  # the ballot is now waiting for the lock
    assert answers == []
    release.set()
    opener.join(20)
    voter.join(20)
    assert [status for status, _body in answers] == [201], answers
    results = council.close(session_id).json
    assert results["ballots_cast"] == 1 and results["items"][0]["yes"] == 1


@pytest.mark.parametrize("door", ["service", "api"])
def test_a_second_ballot_is_refused_and_changes_nothing(council, db, door):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member = council.members[7]
    assert council.vote(session_id, member, [(dossier, "no")]).status_code == 201
    db.session.commit()
    if door == "service":
        assert _refused(lambda: voting.cast_ballot(session_id, votes={dossier.id: "yes"}, by=member.user)) == (
            409, "already_voted")
    else:
        again = council.vote(session_id, member, [(dossier, "yes")])
        assert again.status_code == 409 and "không sửa được" in again.json["error"]["message"]
    results = council.close(session_id).json
    assert (results["ballots_cast"], results["items"][0]["yes"], results["items"][0]["no"]) == (1, 0, 1)


def test_a_second_ballot_racing_the_first_is_refused_at_the_insert(council, app, db):
    """The same member's two ballots, the second read before the first commits (it has not voted yet, as far as it
    can see): its insert waits for the first and inserts nothing; refused, one ballot counted. (SQLite: the second
    waits for the write lock and its guard sees the first.)"""
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member_id, dossier_id = council.members[8].user.id, dossier.id
    db.session.commit()
    first_cast, second_read, answers = threading.Event(), threading.Event(), {}

    def ballot(name, before_commit=None):
        with app.app_context():
            from awards.auth.models import User
            try:
                voting.cast_ballot(session_id, votes={dossier_id: "yes"}, by=_db.session.get(User, member_id))
                if before_commit:
                    before_commit()
                _db.session.commit()
                answers[name] = 201
            except DomainError as exc:
                _db.session.rollback()
                answers[name] = (exc.status, exc.code)
            finally:
                _db.session.remove()

    original = voting._guard_rows

    def guard_then_wait(connection, sid, uid):  # the second ballot reads, then lets the first commit
        rows = original(connection, sid, uid)
        if threading.current_thread().name == "second":
            second_read.set()
        return rows

    voting._guard_rows = guard_then_wait
    try:
        wait = 5 if db.engine.dialect.name == "postgresql" else 0.5  # SQLite: the second waits for the lock
        first = threading.Thread(target=ballot, args=("first", lambda: (first_cast.set(), second_read.wait(wait))),
                                 name="first")
        first.start()
        assert first_cast.wait(10)
        second = threading.Thread(target=ballot, args=("second",), name="second")
        second.start()
        first.join(20)
        second.join(20)
    finally:
        voting._guard_rows = original
    assert answers == {"first": 201, "second": (409, "already_voted")}
    results = council.close(session_id).json
    assert results["ballots_cast"] == 1 and results["items"][0]["yes"] == 1


def test_a_ballot_reads_its_token_afresh_each_time(council, api, app, db):
    """The ballot's endpoint reads the token's account as id, username and roles in one statement of its own
    (auth.services.principal_for_token); nothing is kept between requests: a token revoked, an account made
    inactive or a role taken away are refused at the next ballot."""
    first, second, third = (council.dossiers("CSTDCS") for _n in range(3))
    sessions = [council.session(d) for d in (first, second, third)]
    member, other, third_member = council.members[1], council.members[2], council.members[3]
    assert council.vote(sessions[0], member, [(first[0], "yes")]).status_code == 201
    with app.app_context():  # revoked by another connection, as the account page would
        _db.session.execute(ApiToken.__table__.update().where(ApiToken.user_id == member.user.id)
                            .values(revoked_at=utcnow()))
        _db.session.commit()
        _db.session.remove()
    refused = council.vote(sessions[1], member, [(second[0], "yes")])
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_token")
    assert council.vote(sessions[0], other, [(first[0], "no")]).status_code == 201
    db.session.get(User, other.user.id).active = False
    db.session.commit()
    refused = council.vote(sessions[1], other, [(second[0], "yes")])
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_token")
    db.session.execute(delete(UserRole).where(UserRole.user_id == third_member.user.id))
    db.session.commit()
    refused = council.vote(sessions[2], third_member, [(third[0], "yes")])
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "forbidden")
    assert council.vote(sessions[2], council.members[4], [(third[0], "yes")]).status_code == 201
    results = [council.close(s).json["ballots_cast"] for s in sessions]
    assert results == [2, 0, 1]


def test_a_ballot_body_is_checked_as_every_body(council, db):
    """One parse of the body (pydantic's), and still the JSON's own faults named: not JSON, not an object, nested
    too deep even in a key the ballot ignores; a dossier voted twice in one ballot is a 400 naming the votes."""
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member, path = council.members[5], f"/api/v1/council-sessions/{session_id}/ballots"
    deep = '{"votes": [], "note": ' + "[" * 40 + "]" * 40 + "}"
    for raw in ("{'votes': []", "[]", deep, ""):
        response = member.post(path, data=raw, content_type="application/json")
        assert (response.status_code, response.json["error"]["code"]) == (400, "invalid_json"), raw
    shallow = member.post(path, data='{"votes": [], "note": [[1]]}', content_type="application/json")
    assert shallow.status_code == 201, shallow.json  # extra keys are ignored, an empty ballot is all blanks
    twice = council.vote(session_id, council.members[6], [(dossier, "yes"), (dossier, "no")])
    assert twice.status_code == 400 and "votes" in twice.json["error"]["fields"]
    wrong = member.post(path, json={"votes": [{"nomination_id": "1", "choice": "yes"}]})
    assert wrong.status_code == 400 and wrong.json["error"]["fields"] == {"votes.0.nomination_id": "Phải là số nguyên."}
    assert council.close(session_id).json["ballots_cast"] == 1
