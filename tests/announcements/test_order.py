"""The order of the procedure for Huân chương (HCLĐ hạng Ba in the catalogue): the nominee list is public for at
least 10 working days BEFORE the council meets (NĐ 98/2023 Art 46.2; NĐ 152/2025 Art 44.2 for dossiers received
from 01/07/2025). A session does not open with such a dossier until its listing has closed, and no decision is
issued for it without one: refused through the API and through the pages alike."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from awards.announcements.listing import listing_basis
from awards.catalog import services as catalog
from awards.core import clock
from awards.council import services as council_services
from awards.nominations.models import Nomination
from tests.web import text_of, token_of, web

CLOSES_AT = datetime(2026, 4, 30, 17, 0, tzinfo=clock.VIETNAM)
TEN_FROM, TEN_TO = date(2026, 3, 3), date(2026, 3, 16)  # Tue 3 → Mon 16 March 2026: 10 working days


def moment(day):
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=clock.VIETNAM)


def status_of(db, dossier):
    return db.session.scalar(select(Nomination.status).where(Nomination.id == dossier.id))


@pytest.mark.parametrize(("received", "basis"), [
    pytest.param(date(2023, 12, 29), "Nghị định 91/2017/NĐ-CP, Điều 45 khoản 10", id="ND91-Art45.10-received-2023"),
    pytest.param(date(2024, 1, 1), "Nghị định 98/2023/NĐ-CP, Điều 46 khoản 2", id="ND98-Art46.2-received-2024"),
    pytest.param(date(2025, 6, 30), "Nghị định 98/2023/NĐ-CP, Điều 46 khoản 2", id="ND98-Art46.2-last-day"),
    pytest.param(date(2025, 7, 1), "Nghị định 152/2025/NĐ-CP, Điều 44 khoản 2", id="ND152-Art44.2-from-2025-07-01"),
])
def test_the_listing_rule_follows_the_day_the_dossier_was_received(received, basis):
    """NĐ 152 Art 60.3: the procedure follows the date the dossier was received, not the achievement year."""
    assert listing_basis(received) == basis


def _session(desk, dossier):
    session = council_services.create_session(council=desk.council, title="Phiên xét Huân chương",
                                              nomination_ids=[dossier.id], closes_at=CLOSES_AT, by=desk.staff.user)
    desk.db.session.commit()
    return session.id


def test_a_session_opens_with_a_huan_chuong_only_after_its_listing_closed_api(desk, db, at):
    """NĐ 152 Art 44.2 (received 2026): not listed → 409; listing running → 409 naming its last day; closed → opens."""
    medal = desk.appraised("HCLD3")
    db.session.commit()
    session_id = _session(desk, medal)
    refused = desk.staff.post(f"/api/v1/council-sessions/{session_id}/open")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_listed"
    message = refused.json["error"]["message"]
    assert "ít nhất 10 ngày làm việc trước khi họp Hội đồng" in message
    assert "Nghị định 152/2025/NĐ-CP, Điều 44 khoản 2" in message
    assert desk.publish([medal], TEN_FROM, TEN_TO).status_code == 201
    at(moment(date(2026, 3, 10)))
    running = desk.staff.post(f"/api/v1/council-sessions/{session_id}/open")
    assert running.status_code == 409 and "16/03/2026" in running.json["error"]["message"]
    assert status_of(db, medal) == "public_review"
    at(moment(date(2026, 3, 17)))
    opened = desk.staff.post(f"/api/v1/council-sessions/{session_id}/open")
    assert opened.status_code == 200, opened.json
    assert status_of(db, medal) == "in_council"


def test_a_listing_shorter_than_the_decree_does_not_count(desk, db, at):
    """NĐ 98 Art 46.2 "ít nhất 10 ngày làm việc": the award's review-days setting lowered to 5 lets a 5-day list be
    published, but it does not open the council."""
    catalog.change_setting("award.HCLD3.review_days", 5, by=desk.staff.user)
    medal = desk.appraised("HCLD3")
    db.session.commit()
    assert desk.publish([medal], date(2026, 3, 3), date(2026, 3, 9)).status_code == 201
    at(moment(date(2026, 3, 17)))
    session_id = _session(desk, medal)
    refused = desk.staff.post(f"/api/v1/council-sessions/{session_id}/open")
    assert refused.status_code == 409 and "ít nhất 10 ngày làm việc" in refused.json["error"]["message"]


def test_opening_is_refused_on_the_session_page_too(app, desk, db, at):
    medal = desk.appraised("HCLD3")
    other = desk.appraised("BK_TINH")
    db.session.commit()
    session = council_services.create_session(council=desk.council, title="Phiên xét Huân chương",
                                              nomination_ids=[other.id, medal.id], closes_at=CLOSES_AT,
                                              by=desk.staff.user)
    db.session.commit()
    staff = web(app, desk.staff.user)
    page = f"/council/sessions/{session.id}"
    refused = staff.post(f"{page}/open", data={"csrf_token": token_of(staff, page)})
    assert refused.status_code == 409
    assert "phải được công khai danh sách ít nhất 10 ngày làm việc trước khi họp Hội đồng" in text_of(refused)
    assert status_of(db, medal) == status_of(db, other) == "appraised"  # nothing opened, nothing moved


def test_no_huan_chuong_leaves_without_its_listing_and_never_by_a_decision_here(app, desk, db, at):
    """HCLĐ3 handled by the standing staff (no session): the Sở proposes it upward only after the closed listing;
    the President decides it, so it is never in a decision of the Sở (API and page name that level), and the
    answer comes back as a recorded outcome."""
    catalog.change_setting("award.HCLD3.ballot", "standing", by=desk.staff.user)
    medal = desk.appraised("HCLD3")
    db.session.commit()
    refused = desk.staff.post(f"/api/v1/nominations/{medal.id}/forward", json={"note": ""})
    assert refused.status_code == 409 and "công khai danh sách ít nhất 10 ngày" in refused.json["error"]["message"]
    body = {"number": "5/QĐ-SYT", "signed_on": "2026-03-20", "signer": "Giám đốc", "issuer": "Sở Y tế",
            "nomination_ids": [medal.id]}
    response = desk.staff.post("/api/v1/decisions", json=body)
    assert response.status_code == 409 and "thuộc thẩm quyền của Chủ tịch nước" in response.json["error"]["message"]
    staff = web(app, desk.staff.user)
    form = {"csrf_token": token_of(staff, "/decisions/new"), "number": "5/QĐ-SYT", "signed_on": "2026-03-20",
            "signer": "Giám đốc", "issuer": "Sở Y tế", "ids": [str(medal.id)]}
    page = staff.post("/decisions/new", data=form)
    assert page.status_code == 409 and "thuộc thẩm quyền của Chủ tịch nước" in text_of(page)
    assert status_of(db, medal) == "appraised"
    assert desk.publish([medal], TEN_FROM, TEN_TO).status_code == 201
    at(moment(date(2026, 3, 20)))
    assert desk.staff.post("/api/v1/decisions", json=body).status_code == 409  # listed or not: not the Sở's
    forwarded = desk.staff.post(f"/api/v1/nominations/{medal.id}/forward", json={"note": ""})
    assert forwarded.status_code == 200, forwarded.json
    assert status_of(db, medal) == "forwarded"
    answered = desk.staff.post(f"/api/v1/nominations/{medal.id}/outcome", json={
        "result": "awarded", "decision_number": "123/QĐ-CTN", "decision_date": "2026-03-20",
        "issuer": "Chủ tịch nước"})
    assert answered.status_code == 200, answered.json
    assert status_of(db, medal) == "awarded"


def test_standing_staff_awards_never_go_on_a_session(desk, db):
    """RULES §5: an award the standing staff appraises for the chair is not put to a session's vote."""
    catalog.change_setting("award.BK_TINH.ballot", "standing", by=desk.staff.user)
    dossier = desk.appraised("BK_TINH")
    db.session.commit()
    refused = desk.staff.post("/api/v1/council-sessions", json={
        "council_code": "HD", "title": "Phiên", "nomination_ids": [dossier.id], "closes_at": CLOSES_AT.isoformat()})
    assert refused.status_code == 400
    assert "Thường trực Hội đồng thẩm định, trình Chủ tịch Hội đồng" in refused.json["error"]["message"]
    item = {i["code"]: i for i in desk.staff.get("/api/v1/award-types").json["items"]}["BK_TINH"]
    assert (item["ballot"], item["voting"]) == ("none", "standing")
