"""A session over the API (CONTRACT §4): open, ballots, recusals, close, results, receipts, second round."""

from datetime import datetime

from sqlalchemy import inspect, select, text

from awards.core import clock
from awards.core.audit import AuditEntry
from awards.nominations.models import Nomination
from tests.council.conftest import CLOSES


def status_of(db, dossier):
    return db.session.scalar(select(Nomination.status).where(Nomination.id == dossier.id))


def test_ten_members_eighty_percent(council, db):
    """8 yes of 10 passes a CSTĐCS; 7 yes with 8 ballots cast fails it (80% of the total membership)."""
    good, short = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session([good, short])
    assert status_of(db, good) == "in_council"
    for n, member in enumerate(council.members[:8]):
        response = council.vote(session_id, member, [(good, "yes"), (short, "yes" if n < 7 else "no")])
        assert response.status_code == 201, response.json
        assert len(response.json["receipt"]) == 19
    assert council.staff.get(f"/api/v1/council-sessions/{session_id}/results").status_code == 409
    closed = council.close(session_id)
    assert closed.status_code == 200, closed.json
    results = council.staff.get(f"/api/v1/council-sessions/{session_id}/results").json
    assert results["members"] == 10 and results["ballots_cast"] == 8 and results["quorum_met"]
    items = {i["nomination_id"]: i for i in results["items"]}
    assert (items[good.id]["yes"], items[good.id]["no"], items[good.id]["passed"]) == (8, 0, True)
    assert (items[short.id]["yes"], items[short.id]["no"], items[short.id]["passed"]) == (7, 1, False)
    assert status_of(db, good) == "passed" and status_of(db, short) == "failed"


def test_ninety_percent_titles_and_quorum(council, db):
    """CSTĐ cấp tỉnh needs 9 of 10; with only 6 of 10 members voting nothing passes."""
    provincial, = council.dossiers("CSTD_TINH")
    session_id = council.session([provincial])
    for member in council.members[:9]:
        assert council.vote(session_id, member, [(provincial, "yes")]).status_code == 201
    council.close(session_id)
    assert status_of(db, provincial) == "passed"

    weak, = council.dossiers("CSTDCS")
    session_id = council.session([weak])
    for member in council.members[:6]:
        council.vote(session_id, member, [(weak, "yes")])
    results = council.close(session_id).json
    assert results["quorum_met"] is False and results["ballots_cast"] == 6
    assert results["items"][0]["yes"] == 6 and results["items"][0]["passed"] is False


def test_quorum_at_seven_of_ten(council, db):
    dossier, = council.dossiers("CO_TINH")
    session_id = council.session([dossier])
    for member in council.members[:7]:
        council.vote(session_id, member, [(dossier, "yes")])
    results = council.close(session_id).json
    assert results["quorum_met"] is True and results["items"][0]["passed"] is False  # 7 < 8 of 10


def test_items_left_out_count_as_not_yes_and_open_votes_pass_on_half_the_cast(council, db):
    secret, open_ = council.dossiers("CSTDCS", "TTLDXS")
    session_id = council.session([secret, open_])
    for member in council.members[:8]:
        council.vote(session_id, member, [(open_, "yes")] if member is not council.members[7] else [])
    items = {i["nomination_id"]: i for i in council.close(session_id).json["items"]}
    assert (items[secret.id]["yes"], items[secret.id]["no"], items[secret.id]["blank"]) == (0, 8, 8)
    assert items[open_.id]["ballot"] == "open" and items[open_.id]["passed"]  # 7 of 8 cast
    assert status_of(db, secret) == "failed"


def test_one_ballot_per_member_and_no_change(council, db):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member = council.members[1]
    assert council.vote(session_id, member, [(dossier, "no")]).status_code == 201
    again = council.vote(session_id, member, [(dossier, "yes")])
    assert again.status_code == 409 and again.json["error"]["code"] == "already_voted"
    results = council.close(session_id).json
    assert results["ballots_cast"] == 1 and results["items"][0]["yes"] == 0


def test_who_may_vote_and_when(council, db, api, at):
    dossier, other = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session([dossier], open_=False)
    member = council.members[1]
    assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 409  # not open yet
    council.staff.post(f"/api/v1/council-sessions/{session_id}/open")
    outsider = api.as_("council_member")
    assert outsider.post(f"/api/v1/council-sessions/{session_id}/ballots", json={"votes": []}).status_code == 404
    assert council.vote(session_id, member, [(other, "yes")]).status_code == 400  # not on the agenda
    assert council.staff.post(f"/api/v1/council-sessions/{session_id}/ballots", json={"votes": []}).status_code == 403
    bad = member.post(f"/api/v1/council-sessions/{session_id}/ballots",
                      json={"votes": [{"nomination_id": dossier.id, "choice": "maybe"}]})
    assert bad.status_code == 400
    at(CLOSES)  # the window has ended: refused, and the session still waits for its close
    assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 409


def test_conflicts_are_recused_automatically_and_on_declaration(council, db):
    """The chair works at Bệnh viện 1: a dossier from there is not theirs to vote on; the minutes say why."""
    own_unit, = council.dossiers("CSTDCS", unit=council.hospitals[0])
    other, = council.dossiers("CSTDCS")
    chair, member = council.members[0], council.members[1]
    session_id = council.session([own_unit, other])
    declared = member.post(f"/api/v1/council-sessions/{session_id}/recusals",
                           json={"nomination_id": other.id, "reason": "Người thân trong gia đình"})
    assert declared.status_code == 201 and declared.json["automatic"] is False
    assert council.vote(session_id, chair, [(own_unit, "yes")]).status_code == 403
    assert council.vote(session_id, member, [(other, "yes")]).status_code == 403
    assert council.vote(session_id, chair, [(other, "yes")]).status_code == 201
    assert council.vote(session_id, member, [(own_unit, "yes")]).status_code == 201
    view = chair.get(f"/api/v1/council-sessions/{session_id}").json
    assert view["voted"] and view["recused_from"] == [own_unit.id]
    items = {i["nomination_id"]: i for i in council.close(session_id).json["items"]}
    assert items[own_unit.id]["recused"] == 1 and items[own_unit.id]["yes"] == 1 and items[own_unit.id]["no"] == 0
    assert items[other.id]["recused"] == 1 and items[other.id]["yes"] == 1


def test_secret_choices_are_stored_apart_from_the_voter(council, db):
    """After a vote no row, audit entry or order ties the member to a choice."""
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    member = council.members[3]
    receipt = council.vote(session_id, member, [(dossier, "yes")]).json["receipt"]
    uid = member.user.id
    engine = db.engine
    for table in ("ballots_cast", "sealed_ballots", "ballot_keys", "ballot_receipts", "session_items", "open_votes",
                  "review_marks"):
        columns = {c["name"] for c in inspect(engine).get_columns(table)}
        rows = db.session.execute(text(f"SELECT * FROM {table}")).mappings().all()
        holds_member = "user_id" in columns and any(r["user_id"] == uid for r in rows)
        holds_choice = columns & {"choice", "yes", "no"} and any(r.get("yes") or r.get("choice") for r in rows)
        assert not (holds_member and holds_choice), table
        assert not columns & {"created_at", "at", "cast_at"} or table == "review_marks"
    assert db.session.execute(text("SELECT count(*) FROM open_votes")).scalar() == 0
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "council.ballot")).all()
    assert len(entries) == 1 and "yes" not in str(entries[0].after) and "choice" not in str(entries[0].after)
    if engine.dialect.name == "sqlite":  # no rowid to give the receipts' insertion order
        sql = db.session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ballot_receipts'")).scalar()
        assert "WITHOUT ROWID" in sql.upper()
    council.close(session_id)
    published = council.members[5].get(f"/api/v1/council-sessions/{session_id}/receipts").json["receipts"]
    assert published == [receipt]


def test_close_is_for_staff_or_the_chair(council, db):
    dossier, = council.dossiers("CSTDCS")
    session_id = council.session([dossier])
    assert council.close(session_id, by=council.members[2]).status_code == 403
    assert council.close(session_id, by=council.members[0]).status_code == 200
    assert council.close(session_id).status_code == 409


def test_second_round_for_a_narrow_miss_then_no_third(council, db, at):
    narrow, clear = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session([narrow, clear])
    for n, member in enumerate(council.members):
        council.vote(session_id, member, [(narrow, "yes" if n < 7 else "no"), (clear, "yes" if n < 5 else "no")])
    council.close(session_id)
    chair = council.members[0]
    later = datetime(2026, 3, 25, 17, 0, tzinfo=clock.VIETNAM)
    refused = chair.post(f"/api/v1/council-sessions/{session_id}/second-round",
                         json={"nomination_ids": [clear.id], "closes_at": later.isoformat()})
    assert refused.status_code == 400
    second = chair.post(f"/api/v1/council-sessions/{session_id}/second-round",
                        json={"nomination_ids": [narrow.id], "closes_at": later.isoformat()})
    assert second.status_code == 201, second.json
    assert second.json["round"] == 2 and second.json["status"] == "open"
    assert status_of(db, narrow) == "in_council"
    second_id = second.json["id"]
    twice = chair.post(f"/api/v1/council-sessions/{session_id}/second-round",
                       json={"nomination_ids": [narrow.id], "closes_at": later.isoformat()})
    assert twice.status_code == 409 and twice.json["error"]["code"] == "duplicate"
    for member in council.members[:8]:
        council.vote(second_id, member, [(narrow, "yes")])
    council.close(second_id, by=chair)
    assert status_of(db, narrow) == "passed"
    third = chair.post(f"/api/v1/council-sessions/{second_id}/second-round",
                       json={"nomination_ids": [narrow.id], "closes_at": later.isoformat()})
    assert third.status_code == 409


def test_a_council_has_one_chair(council, db):
    members = council.members
    response = council.staff.post("/api/v1/councils", json={
        "code": "HD-2", "name": "Hội đồng", "unit_code": "SYT", "chair_username": members[0].user.username,
        "seats": [{"username": members[1].user.username, "role": "chair"}]})
    assert response.status_code == 400 and "Chủ tịch" in response.json["error"]["message"]


def test_agenda_takes_only_appraised_dossiers_due_a_vote(council, db):
    lao_dong, = council.dossiers("LDTT")
    from tests import factories
    draft = factories.nomination(factories.person(unit=council.hospitals[1]), "CSTDCS", status="draft")
    db.session.commit()
    for ids, status in (([lao_dong.id], 400), ([draft.id], 409), ([999999], 400)):
        response = council.staff.post("/api/v1/council-sessions", json={
            "council_code": "HD-SYT", "title": "Phiên", "nomination_ids": ids, "closes_at": CLOSES.isoformat()})
        assert response.status_code == status, response.json
