"""Sixteen clients writing at once over mixed endpoints (archive records, initiatives, dossiers, attachments,
public feedback, ballots): no answer is a 5xx, and every write that was accepted (201) is stored.

Each client is a thread with its own app context, session and database connection, as under a threaded server.
`WRITERS_SECONDS` sets how long they write (5 s here; `WRITERS_SECONDS=60` for the figure in the closing note)."""

import io
import itertools
import os
import random
import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.council.conftest import Council

WRITERS = 16
SECONDS = float(os.environ.get("WRITERS_SECONDS", "5"))
PDF = b"%PDF-1.4\n" + b"x" * 2000


@pytest.fixture
def world(api, db, at):
    council = Council(api, db, 40)  # enough members for the ballots of a 5-second run; later ones get 409
    dossiers = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session(dossiers)
    hospital = council.hospitals[2]
    people = [factories.person(code=f"NV{n:03d}", unit=hospital) for n in range(400)]
    officer = api.as_("unit_officer", unit=hospital)
    listed = factories.nomination(factories.person(unit=hospital), "LDTT", by=council.staff.user)
    db.session.commit()
    today = date(2026, 3, 10)  # the `at` clock
    listing = council.staff.post("/api/v1/announcements", json={
        "title": "Công khai danh sách đề nghị khen thưởng", "nomination_ids": [listed.id],
        "opens_on": (today - timedelta(days=1)).isoformat(), "closes_on": (today + timedelta(days=10)).isoformat()})
    assert listing.status_code == 201, listing.json
    return {"council": council, "session_id": session_id, "dossiers": dossiers, "people": [p.code for p in people],
            "officer": officer, "announcement": listing.json["id"], "listed": listed.id}


def _client(app, token):
    client = app.test_client()

    def post(path, **kw):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post(path, headers=headers, **kw)

    return post


@pytest.fixture
def served(app):
    """The app as a server with a pool for its threads (gunicorn.conf.py runs 2 threads per worker against a pool of
    15): the same database, one connection for each of the 16 writers and the test's own."""
    from awards import create_app

    options = {"pool_size": WRITERS + 2, "max_overflow": 0} if app.config["SQLALCHEMY_DATABASE_URI"].startswith(
        "postgresql") else {"pool_size": WRITERS + 2}
    server = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "UPLOAD_DIR": app.config["UPLOAD_DIR"], "SQLALCHEMY_ENGINE_OPTIONS": options})
    yield server
    with server.app_context():
        from awards.extensions import db as _db

        _db.engine.dispose()


def test_sixteen_writers_get_no_5xx_and_lose_nothing(served, db, world):
    app = served
    council, staff_token, officer_token = world["council"], world["council"].staff.token, world["officer"].token
    people = iter(world["people"])
    members = iter(council.members)
    serial = itertools.count(1)
    lock = threading.Lock()
    answers: Counter = Counter()
    accepted: Counter = Counter()
    drafts: list[int] = []
    failures: list[str] = []
    ballot_path = f"/api/v1/council-sessions/{world['session_id']}/ballots"
    votes = [{"nomination_id": d.id, "choice": "yes"} for d in world["dossiers"]]

    def take(iterator):
        with lock:
            return next(iterator, None)

    def one_write(rng):
        kind = rng.choice(("record", "initiative", "dossier", "attachment", "feedback", "ballot"))
        n = next(serial)
        if kind == "record":
            return kind, _client(app, staff_token)("/api/v1/archive/records", json={
                "subject_type": "person", "subject_code": world["people"][n % 400], "award_code": "LDTT",
                "year": 2000 + n % 20, "decision_number": f"{n}/QĐ-SYT", "decision_date": "2025-01-05",
                "issuer": "Sở Y tế"})
        if kind == "initiative":
            return kind, _client(app, staff_token)(f"/api/v1/people/{world['people'][n % 400]}/initiatives", json={
                "year": 2025, "title": f"Sáng kiến số {n}", "scope": "unit"})
        if kind == "dossier":
            code = take(people)
            if code is None:
                return kind, None
            return kind, _client(app, officer_token)("/api/v1/nominations", json={
                "campaign_id": None, "subject_type": "person", "subject_code": code, "award_code": "LDTT",
                "year": 2025, "kind": "regular", "summary": "Hoàn thành xuất sắc nhiệm vụ"})
        if kind == "attachment":
            with lock:
                dossier = rng.choice(drafts) if drafts else None
            if dossier is None:
                return kind, None
            return kind, _client(app, officer_token)(f"/api/v1/nominations/{dossier}/attachments", data={
                "kind": "evidence", "file": (io.BytesIO(PDF + str(n).encode()), f"minh-chung-{n}.pdf")},
                content_type="multipart/form-data")
        if kind == "feedback":
            return kind, _client(app, None)(f"/api/v1/public/announcements/{world['announcement']}/feedback", json={
                "nomination_id": world["listed"], "name": f"Người dân {n}", "contact": "0912345678",
                "content": "Đề nghị xem xét lại thành tích."})
        member = take(members)
        if member is None:
            return kind, None
        return kind, _client(app, member.token)(ballot_path, json={"votes": votes})

    def writer(seed):
        rng = random.Random(seed)
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            kind, response = one_write(rng)
            if response is None:
                continue
            with lock:
                answers[(kind, response.status_code)] += 1
                if response.status_code >= 500:
                    failures.append(f"{kind}: {response.status_code} {response.get_data(as_text=True)[:200]}")
                if response.status_code == 201:
                    accepted[kind] += 1
                    if kind == "dossier":
                        drafts.append(response.json["id"])

    from awards import extensions

    before = _counts(db)
    extensions.limiter.enabled = False  # the public form's rate limit would answer 429 to this one address
    try:
        threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        extensions.limiter.enabled = True
    total = sum(answers.values())
    print(f"\n{WRITERS} writers, {SECONDS:.0f} s: {total} requests, {sum(accepted.values())} accepted, "
          f"{sum(v for (k, s), v in answers.items() if s >= 500)} × 5xx; {dict(sorted(answers.items()))}")
    assert not failures, failures[:5]
    assert {kind for kind, _status in answers} == {"record", "initiative", "dossier", "attachment", "feedback",
                                                   "ballot"}, "some kind of write never ran: the run proves less"
    after = _counts(db)
    assert {kind: after[kind] - before[kind] for kind in after} == {kind: accepted.get(kind, 0) for kind in after}


def _counts(db) -> dict[str, int]:
    """The rows each kind of write leaves."""
    from awards.announcements.models import Feedback
    from awards.archive.models import AwardRecord
    from awards.council.models import BallotCast
    from awards.nominations.models import Attachment, Nomination
    from awards.units.models import Initiative

    db.session.commit()  # what the test set up is stored; then read what the writers left
    return {
        "record": db.session.scalar(select(func.count()).select_from(AwardRecord)),
        "initiative": db.session.scalar(select(func.count()).select_from(Initiative)),
        "dossier": db.session.scalar(select(func.count()).select_from(Nomination)),
        "attachment": db.session.scalar(select(func.count()).select_from(Attachment)),
        "feedback": db.session.scalar(select(func.count()).select_from(Feedback)),
        "ballot": db.session.scalar(select(func.count()).select_from(BallotCast)),
    }
