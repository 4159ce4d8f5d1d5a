"""The attack of issue 23 (finding 1), run against the sealed ballots: whoever copies the database's files, its
write-ahead log or its backups cannot tell how a member voted.

SQLite: a session on its own file database, the WAL kept whole (`wal_autocheckpoint=0`); five members vote
differently; the copied WAL is replayed commit by commit onto the file as it stood before, and every table is read at
every commit. PostgreSQL: the counters' row versions (pageinspect when the server has it) and the transaction ids."""

import json
import re
import sqlite3
import struct
from datetime import datetime

import pytest
from nacl.public import SealedBox
from sqlalchemy import event, inspect, text

from awards import create_app
from awards.core import clock
from awards.council import queries, sealing, services, voting
from awards.council.models import BallotKey
from awards.extensions import db
from tests import factories
from tests.core.test_migrations import fresh_app, fresh_url, upgrade  # noqa: F401 - fixtures

CLOSES = datetime(2026, 3, 20, 17, 0, tzinfo=clock.VIETNAM)
# five members, three secret dossiers; None: left out (counts as blank)
CHOICES = [("yes", "yes", "yes"), ("no", "yes", None), ("yes", "no", "no"), (None, None, None), ("no", "no", "yes")]
# the plaintext's own tokens, quoted as the ballot's JSON writes them: a bare b"no" (two bytes) turns up by chance in
# a 304-byte random box about once in 220, so one run in 45 of this five-ballot test failed on a box that was opaque
CHOICE_WORDS = (b'"yes"', b'"no"', b'"blank"', b'"r":', b'"v":')


def _expected(dossiers) -> dict[int, tuple[int, int, int]]:
    totals = {}
    for n, dossier in enumerate(dossiers):
        column = [row[n] or "blank" for row in CHOICES]
        totals[dossier.id] = tuple(column.count(c) for c in ("yes", "no", "blank"))
    return totals


# --- SQLite: the WAL replayed commit by commit ------------------------------------------------------------------

@pytest.fixture
def wal_app(tmp_path, at):
    """An app on its own SQLite file whose WAL is never checkpointed by itself: every frame stays in it."""
    path = tmp_path / "awards.db"
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    with app.app_context():
        event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA wal_autocheckpoint = 0"))
        db.engine.dispose()
        db.create_all()
        yield app, path
        db.session.remove()
        db.engine.dispose()


def _checkpoint() -> None:
    busy, _log, _done = db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
    db.session.commit()
    assert busy == 0


def _setup_session():
    """A council of five (none recused: the dossiers are of another hospital), a draft session of three dossiers."""
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BV1", name="Bệnh viện 1", parent=province)
    staff = factories.user("staff")
    members = [factories.user("council_member", person=factories.person(unit=province)) for _n in range(5)]
    services.save_council(code="HD", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                          chair_username=members[0].username,
                          members=[(m.username, "member") for m in members[1:]], by=staff)
    dossiers = [factories.nomination(factories.person(unit=hospital), "CSTDCS", by=staff) for _n in range(3)]
    session = services.create_session(council=queries.council_by_code("HD"), title="Phiên xét năm 2025",
                                      nomination_ids=[d.id for d in dossiers], closes_at=CLOSES, by=staff)
    db.session.commit()
    return staff, members, dossiers, session


def _run_session(staff, members, dossiers, session) -> list[str]:
    """Open, five ballots (each its own transaction, as the API and the page commit), close."""
    voting.open_session(session, by=staff)
    db.session.commit()
    receipts = []
    for member, row in zip(members, CHOICES, strict=True):
        votes = {d.id: c for d, c in zip(dossiers, row, strict=True) if c}
        receipts.append(voting.cast_ballot(session, votes=votes, by=member))
        db.session.commit()
    voting.close_session(session, by=staff)
    db.session.commit()
    return receipts


def wal_states(base: bytes, wal: bytes):
    """The database file as it stood after each commit in the WAL: frames applied in order onto the base file.

    WAL format (sqlite.org/fileformat2.html §4): a 32-byte header (page size at 8, salts at 16), then frames of a
    24-byte header (page number, database size in pages after the commit or 0, the salts) and one page."""
    page_size, salts = struct.unpack(">I", wal[8:12])[0], wal[16:24]
    image, offset = bytearray(base), 32
    while offset + 24 + page_size <= len(wal):
        page_no, size_after_commit = struct.unpack(">II", wal[offset:offset + 8])
        if wal[offset + 8:offset + 16] != salts:
            break  # a frame of an earlier generation of the WAL
        page = wal[offset + 24:offset + 24 + page_size]
        start = (page_no - 1) * page_size
        image[len(image):start + page_size] = bytes(max(0, start + page_size - len(image)))
        image[start:start + page_size] = page
        if size_after_commit:
            del image[size_after_commit * page_size:]
            yield bytes(image)
        offset += 24 + page_size


def read_tables(image: bytes, tmp_path) -> dict[str, list[dict]]:
    """Every table of a database image, every row, as a forensic reader with sqlite3 would see them."""
    path = tmp_path / "state.db"
    image = bytearray(image)
    image[18:20] = b"\x01\x01"  # read as a rollback-journal file: the frames are already applied
    path.write_bytes(bytes(image))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: [dict(r) for r in conn.execute(f'SELECT * FROM "{name}"')] for name in names}
    finally:
        conn.close()


def _changed(before: dict, after: dict) -> set[str]:
    def rows(table):
        return sorted(json.dumps(r, sort_keys=True, default=repr) for r in table)
    return {name for name in after if rows(after[name]) != rows(before.get(name, []))}


def _voter_rows_with_choices(tables: dict, voter_ids: set[int]) -> list:
    """Rows that name a voter (a user id or an actor) and carry a choice word anywhere in them."""
    found = []
    for name, rows in tables.items():
        for row in rows:
            names_voter = any(row.get(c) in voter_ids for c in ("user_id", "actor_id", "by_id", "created_by_id"))
            words = re.findall(r"\b(yes|no|blank)\b", json.dumps(row, default=repr))
            if names_voter and words:
                found.append((name, row))
    return found


def test_the_wal_replayed_commit_by_commit_shows_no_choice(wal_app, tmp_path):
    app, path = wal_app
    staff, members, dossiers, session = _setup_session()
    _checkpoint()  # the attacker's starting point: the main file as it stood, an empty WAL from here on
    base = path.read_bytes()
    receipts = _run_session(staff, members, dossiers, session)
    wal = (path.parent / "awards.db-wal").read_bytes()  # copied while the app runs, before any checkpoint
    _checkpoint()
    main_after = path.read_bytes()

    voter_ids, states = {m.id for m in members}, []
    for image in wal_states(base, wal):
        states.append(read_tables(image, tmp_path))
    assert len(states) >= 7  # the opening, five ballots, the close

    counters_seen, wrapped, boxes = [], None, set()
    for before, state in zip([read_tables(base, tmp_path)] + states, states, strict=False):
        status = next(s["status"] for s in state["council_sessions"] if s["id"] == session.id)
        counters = {i["nomination_id"]: (i["yes"], i["no"], i["blank"]) for i in state["session_items"]
                    if i["session_id"] == session.id}
        if not counters_seen or counters_seen[-1][1] != counters:
            counters_seen.append((status, counters))
        assert not _voter_rows_with_choices(state, voter_ids)
        assert state["open_votes"] == []
        if status != "open":
            continue
        # while open: no counter moves, no receipt, the ballots are same-size opaque boxes
        assert set(counters.values()) == {(0, 0, 0)}
        assert state["ballot_receipts"] == []
        cast = [b for b in state["ballots_cast"] if b["session_id"] == session.id]
        sealed = [b["box"] for b in state["sealed_ballots"]]
        assert len(sealed) == len(cast) and len({len(b) for b in sealed}) <= 1
        for box in sealed:
            assert not any(word in box for word in CHOICE_WORDS) and not any(r.encode() in box for r in receipts)
        boxes.update(sealed)
        wrapped = state["ballot_keys"][0]["wrapped_private_key"]
        if len(cast) > len([b for b in before["ballots_cast"] if b["session_id"] == session.id]):
            # a ballot's commit: who voted, an opaque box, an audit line with no choice, and the voter's own "vote"
            # notices marked done (who voted, as ballots_cast says; never what); nothing else moved
            assert _changed(before, state) - {"notifications"} == {"ballots_cast", "sealed_ballots", "audit_entries"}

    # the counters appear once, at the close, already whole
    assert [status for status, _c in counters_seen] == ["open", "closed"]
    assert counters_seen[-1][1] == _expected(dossiers)
    final = states[-1]
    assert final["ballot_keys"] == [] and final["sealed_ballots"] == []
    assert sorted(r["code"] for r in final["ballot_receipts"]) == sorted(receipts)
    assert len(boxes) == 5 and wrapped is not None
    # after the close the key is nowhere in the database file: what is left of the boxes can never be opened
    assert wrapped not in main_after
    assert not any(isinstance(v, bytes) and wrapped in v for rows in final.values() for r in rows for v in r.values())
    kept, app.config["SECRET_KEY"] = app.config["SECRET_KEY"], "another-key"
    try:
        with pytest.raises(sealing.SealError):  # with another SECRET_KEY even the WAL copy opens nothing
            sealing.unseal_all(session.id, wrapped, boxes)
    finally:
        app.config["SECRET_KEY"] = kept
    # the documented limit (docs/SECURITY.md): SECRET_KEY *and* a WAL copy taken while the session was open
    opened = sealing.unseal_all(session.id, wrapped, boxes)
    assert sorted(r for r, _v in opened) == sorted(receipts)


def test_after_the_close_no_table_links_a_member_to_a_choice(wal_app, tmp_path):
    app, path = wal_app
    staff, members, dossiers, session = _setup_session()
    receipts = _run_session(staff, members, dossiers, session)
    _checkpoint()
    tables = read_tables(path.read_bytes(), tmp_path)
    assert not _voter_rows_with_choices(tables, {m.id for m in members})
    assert tables["ballot_keys"] == [] and tables["sealed_ballots"] == []
    assert db.session.get(BallotKey, session.id) is None
    result = voting.results(session)
    assert {r["nomination_id"]: (r["yes"], r["no"] - r["blank"], r["blank"]) for r in result["items"]} == \
        _expected(dossiers)
    assert queries.receipts(session) == sorted(receipts)  # each member finds their receipt among the counted


# --- any database: the key, the sizes, a changed SECRET_KEY -------------------------------------------------------

def test_every_ballot_has_the_same_size_whatever_it_holds(council, db):
    first, second = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session([first, second])
    for member, votes in zip(council.members[:3], ([(first, "yes"), (second, "yes")], [(first, "no")], []),
                             strict=True):
        assert council.vote(session_id, member, votes).status_code == 201
    sizes = db.session.execute(text("SELECT length(box) FROM sealed_ballots")).scalars().all()
    assert len(sizes) == 3 and len(set(sizes)) == 1
    key = db.session.get(BallotKey, session_id)
    assert len(key.public_key) == 32 and bytes(key.public_key) not in bytes(key.wrapped_private_key)
    box = db.session.execute(text("SELECT box FROM sealed_ballots LIMIT 1")).scalar()
    with pytest.raises(Exception):  # noqa: B017 - the public key alone opens nothing
        SealedBox(key.public_key).decrypt(bytes(box))


def test_a_changed_secret_key_refuses_the_close_and_keeps_every_ballot(council, db, app):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    for member in council.members[:7]:
        assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 201
    kept, app.config["SECRET_KEY"] = app.config["SECRET_KEY"], "a-key-set-after-the-opening"
    try:
        refused = council.close(session_id)
    finally:
        app.config["SECRET_KEY"] = kept
    assert refused.status_code == 409 and refused.json["error"]["code"] == "ballots_unreadable"
    assert "SECRET_KEY" in refused.json["error"]["message"]
    assert council.staff.get(f"/api/v1/council-sessions/{session_id}").json["status"] == "open"
    closed = council.close(session_id)
    assert closed.status_code == 200 and closed.json["items"][0]["yes"] == 7


# --- PostgreSQL: row versions and transaction ids -----------------------------------------------------------------

def _xid_rows(sql: str, **params) -> list:
    return db.session.execute(text(sql), params).all()


def _versions(table: str) -> list[str] | None:
    """Every tuple version's xmin in the table's pages, dead ones too (pageinspect), or None without it."""
    try:
        with db.session.begin_nested():
            db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    except Exception:  # noqa: BLE001 - not installed or not allowed: that check is skipped
        return None
    blocks = db.session.execute(text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"))
    return [str(x) for n in range(blocks.scalar()) for x in db.session.execute(text(
        f"SELECT t_xmin FROM heap_page_items(get_raw_page('{table}', {n})) WHERE t_xmin IS NOT NULL")).scalars()]


def test_postgresql_counters_have_no_version_per_ballot(council, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL row versions and transaction ids")
    dossiers = council.dossiers("CSTDCS", "CSTDCS", "CSTDCS")
    session_id = council.session(dossiers)
    items_sql = "SELECT ctid::text, xmin::text FROM session_items WHERE session_id = :s ORDER BY id"
    opened = _xid_rows(items_sql, s=session_id)
    db.session.commit()
    receipts = []
    for member, row in zip(council.members[:5], CHOICES, strict=True):
        response = council.vote(session_id, member, [(d, c) for d, c in zip(dossiers, row, strict=True) if c])
        receipts.append(response.json["receipt"])
        assert _xid_rows(items_sql, s=session_id) == opened, "a ballot wrote a new version of the counters"
        db.session.commit()
    ballot_xids = {x for (x,) in _xid_rows("SELECT xmin::text FROM ballots_cast WHERE session_id = :s", s=session_id)}
    assert len(ballot_xids) == 5
    versions = _versions("session_items")
    if versions is not None:
        assert not set(versions) & ballot_xids, "a dead version of the counters carries a ballot's transaction"
    db.session.commit()
    assert council.close(session_id).status_code == 200
    after = _xid_rows("SELECT xmin::text FROM session_items WHERE session_id = :s", s=session_id)
    receipt_xids = {x for (x,) in _xid_rows("SELECT xmin::text FROM ballot_receipts WHERE session_id = :s",
                                            s=session_id)}
    assert len(receipt_xids) == 1 and not receipt_xids & ballot_xids  # all written by the close, none by a ballot
    assert {x for (x,) in after} == receipt_xids
    versions = _versions("session_items")
    if versions is not None:
        assert not set(versions) & ballot_xids
    published = council.members[5].get(f"/api/v1/council-sessions/{session_id}/receipts").json["receipts"]
    assert published == sorted(receipts)


# --- the migration: closed sessions kept, an open one refused -----------------------------------------------------

SEALED_REVISION = "0334742d5ac3"  # migrations/versions/2026_12_05_0334742d5ac3_sealed_secret_ballots.py


def test_the_migration_keeps_closed_counts_and_refuses_an_open_session(fresh_app):  # noqa: F811
    from tests.core.test_migrations import _scripts

    upgrade(_scripts().get_revision(SEALED_REVISION).down_revision)
    now = {"t": datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM)}
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO units (id, code, name, name_folded, kind, grassroots, active, created_at) "
                          "VALUES (1, 'SYT', 'Sở Y tế', 'so y te', 'other', false, true, :t)"), now)
        conn.execute(text("INSERT INTO councils (id, code, name, unit_id, created_at) "
                          "VALUES (1, 'HD', 'Hội đồng', 1, :t)"), now)
        for session_id, status in ((1, "closed"), (2, "open")):
            conn.execute(text("INSERT INTO council_sessions (id, council_id, title, status, round, closes_at, "
                              "created_at) VALUES (:i, 1, 'Phiên', :s, 1, :t, :t)"),
                         {**now, "i": session_id, "s": status})
        conn.execute(text("INSERT INTO ballot_receipts (session_id, code) VALUES (1, 'ABCD-EF01-2345-6789')"))
    with pytest.raises(SystemExit) as stopped:  # flask_migrate logs the error and exits
        upgrade()
    assert "council sessions [2] are open" in str(stopped.value.__context__)
    assert "ballot_keys" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE council_sessions SET status = 'closed' WHERE id = 2"))
    upgrade()
    assert {"ballot_keys", "sealed_ballots"} <= set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM ballot_receipts")).scalars().all() == ["ABCD-EF01-2345-6789"]
