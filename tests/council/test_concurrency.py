"""Ballots racing each other and the close, from real concurrent clients (threads, each its own connection):
every ballot is either counted or refused with a clear answer; none is lost or counted twice."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.council.conftest import Council


@pytest.fixture
def big_council(api, db, at):
    return Council(api, db, 30)


def _post(app, path, token, json=None):
    client = app.test_client()
    response = client.post(path, json=json, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.get_json()


def test_thirty_members_vote_while_the_session_closes(big_council, app, db):
    dossier, = big_council.dossiers("CSTDCS")
    session_id = big_council.session([dossier])
    path, dossier_id = f"/api/v1/council-sessions/{session_id}", dossier.id
    start = threading.Barrier(31)

    def vote(token):
        start.wait()
        return _post(app, f"{path}/ballots", token, {"votes": [{"nomination_id": dossier_id,
                                                                        "choice": "yes"}]})

    staff_token = big_council.staff.token

    def close():
        start.wait()
        return _post(app, f"{path}/close", staff_token)

    with ThreadPoolExecutor(max_workers=31) as pool:
        ballots = [pool.submit(vote, m.token) for m in big_council.members]
        closing = pool.submit(close)
        answers = [b.result() for b in ballots]
        closed_status, _ = closing.result()
    assert closed_status == 200
    counted = [a for a in answers if a[0] == 201]
    refused = [a for a in answers if a[0] == 409]
    assert len(counted) + len(refused) == 30, [a for a in answers if a[0] not in (201, 409)]
    results = big_council.staff.get(f"{path}/results").json
    assert results["ballots_cast"] == len(counted)
    assert results["items"][0]["yes"] == len(counted)
    receipts = big_council.staff.get(f"{path}/receipts").json["receipts"]
    assert sorted(receipts) == sorted(a[1]["receipt"] for a in counted)


def test_members_voting_at_the_same_moment_all_count(big_council, app, db):
    first, second = big_council.dossiers("CSTDCS", "CO_TINH")
    session_id = big_council.session([first, second])
    path, first_id, second_id = f"/api/v1/council-sessions/{session_id}/ballots", first.id, second.id
    start = threading.Barrier(30)

    def vote(token):
        start.wait()
        return _post(app, path, token, {"votes": [{"nomination_id": first_id, "choice": "yes"},
                                                         {"nomination_id": second_id, "choice": "no"}]})

    with ThreadPoolExecutor(max_workers=30) as pool:
        answers = list(pool.map(vote, [m.token for m in big_council.members]))
    assert [status for status, _body in answers] == [201] * 30
    results = big_council.close(session_id).json
    items = {i["nomination_id"]: i for i in results["items"]}
    assert results["ballots_cast"] == 30
    assert (items[first.id]["yes"], items[second.id]["no"]) == (30, 30)


def test_a_member_double_submitting_gets_exactly_one_ballot(big_council, app, db):
    dossier, = big_council.dossiers("CSTDCS")
    session_id = big_council.session([dossier])
    token, dossier_id = big_council.members[4].token, dossier.id
    start = threading.Barrier(8)

    def vote(_n):
        start.wait()
        return _post(app, f"/api/v1/council-sessions/{session_id}/ballots", token,
                     {"votes": [{"nomination_id": dossier_id, "choice": "yes"}]})

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(status for status, _body in pool.map(vote, range(8)))
    assert statuses == [201] + [409] * 7
    results = big_council.close(session_id).json
    assert results["ballots_cast"] == 1 and results["items"][0]["yes"] == 1
