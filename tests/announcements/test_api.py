"""Publicity, feedback cases and decisions over the API (CONTRACT §4), with RULES §7–§8's gates."""

from datetime import date, datetime

from sqlalchemy import select

from awards.archive.models import AwardRecord
from awards.core import clock
from awards.extensions import limiter
from awards.nominations.models import Nomination
from tests.announcements.conftest import OPENS


def status_of(db, dossier):
    return db.session.scalar(select(Nomination.status).where(Nomination.id == dossier.id))


def moment(day: date, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.VIETNAM)


def feedback(desk, announcement_id, dossier, **fields):
    body = {"nomination_id": dossier.id, "name": "Lê Văn Dân", "contact": "0912 345 678",
            "content": "Ông An đã bị nhắc nhở vì đi muộn trong năm.", **fields}
    return desk.api.post(f"/api/v1/public/announcements/{announcement_id}/feedback", json=body)


def test_publish_then_feedback_freezes_until_resolved(desk, db, at):
    first, second = desk.passed("CSTDCS", "CSTDCS")
    published = desk.publish([first, second])
    assert published.status_code == 201, published.json
    announcement_id = published.json["id"]
    assert status_of(db, first) == "public_review"
    at(moment(OPENS))
    sent = feedback(desk, announcement_id, first)
    assert sent.status_code == 201 and sent.json["reference"].startswith("YK-2026-")
    cases = desk.staff.get(f"/api/v1/announcements/{announcement_id}/feedback").json["items"]
    assert [c["reference"] for c in cases] == [sent.json["reference"]] and cases[0]["status"] == "open"
    at(moment(date(2026, 3, 20)))
    decision = {"number": "125/QĐ-SYT", "signed_on": "2026-03-20", "signer": "Nguyễn Văn Giám Đốc",
                "issuer": "Sở Y tế", "nomination_ids": [first.id, second.id]}
    refused = desk.staff.post("/api/v1/decisions", json=decision)
    assert refused.status_code == 409 and sent.json["reference"] in refused.json["error"]["message"]
    assert desk.staff.post(f"/api/v1/feedback/{cases[0]['id']}/resolve",
                           json={"resolution": "Đã xác minh: không ảnh hưởng danh hiệu."}).status_code == 200
    issued = desk.staff.post("/api/v1/decisions", json=decision)
    assert issued.status_code == 201, issued.json
    assert [r["gold_book_number"] for r in issued.json["recipients"]] == ["1", "2"]
    assert status_of(db, first) == "awarded"
    records = db.session.scalars(select(AwardRecord).where(AwardRecord.decision_number == "125/QĐ-SYT")).all()
    assert sorted(r.gold_book_number for r in records) == ["1", "2"] and all(r.source == "decided" for r in records)


def test_upheld_feedback_sends_the_dossier_back_with_the_reason(desk, db, at):
    dossier, = desk.passed("CSTDCS")
    announcement_id = desk.publish([dossier]).json["id"]
    at(moment(OPENS))
    case_id = desk.staff.get(f"/api/v1/announcements/{announcement_id}/feedback").json["items"] or None
    assert case_id is None
    feedback(desk, announcement_id, dossier)
    case = desk.staff.get(f"/api/v1/announcements/{announcement_id}/feedback").json["items"][0]
    resolved = desk.staff.post(f"/api/v1/feedback/{case['id']}/resolve", json={
        "resolution": "Có vi phạm kỷ luật chưa được báo cáo", "outcome": "upheld", "action": "return"})
    assert resolved.status_code == 200 and resolved.json["outcome"] == "upheld"
    assert status_of(db, dossier) == "returned"
    history = desk.staff.get(f"/api/v1/nominations/{dossier.id}").json["history"]
    assert "Có vi phạm kỷ luật chưa được báo cáo" in history[-1]["note"]
    again = desk.staff.post(f"/api/v1/feedback/{case['id']}/resolve", json={"resolution": "Lần nữa"})
    assert again.status_code == 409


def test_the_decision_gate(desk, db, at):
    in_review, = desk.passed("CSTDCS")
    draft = desk.appraised("CSTDCS")  # appraised, but a council vote is due
    no_vote = desk.appraised("LDTT")  # no vote due: appraised is enough
    desk.publish([in_review])
    at(moment(date(2026, 3, 12)))
    body = {"signed_on": "2026-03-12", "signer": "Giám đốc", "issuer": "Sở Y tế"}
    during = desk.staff.post("/api/v1/decisions", json={**body, "number": "1/QĐ", "nomination_ids": [in_review.id]})
    assert during.status_code == 409 and "16/03/2026" in during.json["error"]["message"]
    council_due = desk.staff.post("/api/v1/decisions", json={**body, "number": "2/QĐ", "nomination_ids": [draft.id]})
    assert council_due.status_code == 409
    direct = desk.staff.post("/api/v1/decisions", json={**body, "number": "3/QĐ", "nomination_ids": [no_vote.id]})
    assert direct.status_code == 201
    twice = desk.staff.post("/api/v1/decisions", json={**body, "number": "4/QĐ", "nomination_ids": [no_vote.id]})
    assert twice.status_code == 409
    duplicate_number = desk.staff.post("/api/v1/decisions", json={**body, "number": "3/QĐ",
                                                                  "nomination_ids": [no_vote.id]})
    assert duplicate_number.status_code == 409


def test_a_failure_in_the_middle_leaves_nothing(desk, db, at):
    """The second dossier's record is refused by the archive (decision dated before the year it rewards):
    the first dossier's record and state change are rolled back with it."""
    good = desk.appraised("LDTT")
    from tests import factories
    later = factories.nomination(factories.person(unit=desk.hospital), "LDTT", year=2026, by=desk.staff.user)
    db.session.commit()
    response = desk.staff.post("/api/v1/decisions", json={
        "number": "9/QĐ", "signed_on": "2025-12-30", "signer": "Giám đốc", "issuer": "Sở Y tế",
        "nomination_ids": [good.id, later.id]})
    assert response.status_code == 400
    assert db.session.scalar(select(AwardRecord.id).where(AwardRecord.decision_number == "9/QĐ")) is None
    assert status_of(db, good) == "appraised"
    from awards.announcements.models import Decision
    assert db.session.scalars(select(Decision)).all() == []


def test_feedback_validation_limits_and_honeypot(desk, db, at):
    dossier = desk.appraised("LDTT")
    other = desk.appraised("LDTT")
    announcement_id = desk.publish([dossier]).json["id"]
    assert feedback(desk, announcement_id, dossier).status_code == 409  # opens on the 10th
    at(moment(OPENS))
    limiter.reset()
    assert feedback(desk, announcement_id, other).status_code == 400  # not on this list
    assert feedback(desk, announcement_id, dossier, name="").status_code == 400
    assert feedback(desk, announcement_id, dossier, contact="  ").status_code == 400
    assert feedback(desk, announcement_id, dossier, content="x" * 5001).status_code == 400
    assert feedback(desk, announcement_id, dossier, website="http://spam").status_code == 400
    assert feedback(desk, announcement_id, dossier).status_code == 429  # bad requests count against the limit too
    limiter.reset()
    assert desk.api.post(f"/api/v1/public/announcements/{announcement_id}/feedback", data="{bad",
                         headers={"Content-Type": "application/json"}).status_code == 400
    assert desk.staff.get(f"/api/v1/announcements/{announcement_id}/feedback").json["items"] == []


def test_feedback_is_rate_limited_per_address_and_closes_with_the_list(desk, db, at):
    dossier = desk.appraised("LDTT")
    announcement_id = desk.publish([dossier]).json["id"]
    at(moment(OPENS))
    statuses = [feedback(desk, announcement_id, dossier, content=f"Ý kiến số {n}").status_code for n in range(6)]
    assert statuses == [201] * 5 + [429]
    limiter.reset()
    at(moment(date(2026, 3, 17)))
    assert feedback(desk, announcement_id, dossier).status_code == 409


def test_publicity_period_follows_the_award(desk, db, at):
    medal = desk.appraised("HCLD3")
    short = desk.publish([medal])
    assert short.status_code == 400 and short.json["error"]["fields"]["closes_on"]
    assert desk.publish([medal], closes_on=date(2026, 3, 23)).status_code == 201  # 10 working days


def test_the_public_sees_no_private_field(desk, db, at):
    dossier = desk.appraised("LDTT", full_name="Nguyễn Văn An", summary="<script>alert(1)</script>Hoàn thành tốt")
    announcement_id = desk.publish([dossier]).json["id"]
    public = desk.api.get(f"/api/v1/public/announcements/{announcement_id}").json
    nominee = public["nominees"][0]
    assert nominee["subject_name"] == "Nguyễn Văn An" and nominee["unit_name"] == "Bệnh viện Đa khoa A"
    assert set(nominee) == {"nomination_id", "subject_name", "unit_name", "award_code", "award_name", "summary"}
    assert "1985" not in str(public)


def test_public_decisions_list(desk, db, at):
    dossier = desk.appraised("LDTT")
    at(moment(date(2026, 3, 20)))
    desk.staff.post("/api/v1/decisions", json={"number": "12/QĐ-SYT", "signed_on": "2026-03-20",
                                               "signer": "Giám đốc", "issuer": "Sở Y tế",
                                               "nomination_ids": [dossier.id]})
    listed = desk.api.get("/api/v1/public/decisions?year=2026").json
    assert listed["total"] == 1 and listed["items"][0]["number"] == "12/QĐ-SYT"
    assert listed["items"][0]["recipients"][0]["gold_book_number"] == "1"
    assert desk.api.get("/api/v1/public/decisions?year=2025").json["total"] == 0
