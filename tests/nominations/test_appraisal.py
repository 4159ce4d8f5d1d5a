"""The appraisal desk: the processing clock, the queue, bulk passing, one dossier's appraisal, the CSTĐCS quota."""

import re
import time
from datetime import datetime

import pytest
from sqlalchemy import event

from awards.archive.eligibility import override_check
from awards.catalog.services import change_setting
from awards.core import clock
from awards.nominations import appraisal, eligibility, services
from awards.nominations.models import Nomination
from awards.nominations.states import transition
from awards.units.services import add_person_evaluation
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def writer(db):
    user = factories.user("staff")
    db.session.commit()
    return user


def dossier(writer, unit=None, *, award="LDTT", rating="good", person=None, submitted=None, year=2025):
    """A submitted dossier for a (new) person rated `rating` for the year; `submitted` sets the clock start."""
    if person is None:
        person = factories.person(unit=unit)
        if rating:
            add_person_evaluation(person, year=year, rating=rating, by=None)
    nomination = services.create_nomination(subject_type="person", subject_code=person.code, award_code=award,
                                            year=year, by=writer)
    for kind in sorted(services.required_attachments(nomination)):
        services.add_attachment(nomination, data=PDF, filename=f"{kind}.pdf", kind=kind, by=writer)
    services.submit(nomination, by=writer)
    if submitted:
        nomination.submitted_at = submitted
    return nomination


def vn(*args):
    return datetime(*args, 9, 0, tzinfo=clock.VIETNAM)


# --- the clock ---------------------------------------------------------------------------------------------

def test_clock_counts_working_days_across_a_weekend_and_holidays(db, writer, at):
    nomination = dossier(writer, submitted=vn(2026, 4, 24))  # Friday; 27/4 Giỗ Tổ, 30/4 and 1/5 holidays
    at(vn(2026, 5, 4))  # Monday
    checklist = eligibility.checklist_of(nomination)
    result = appraisal.clock_of(nomination, checklist)
    assert result["elapsed"] == 3 and result["norm"] == 20 and result["overdue"] is False
    assert result["label"] == "Thẩm định: 3/20 ngày làm việc"
    at(vn(2026, 4, 26))  # Sunday: nothing counted yet
    assert appraisal.clock_of(nomination, checklist)["elapsed"] == 0


def test_clock_norms_follow_status_and_checklist(db, writer, at):
    green = dossier(writer, submitted=vn(2026, 3, 2))
    failing = dossier(writer, rating=None, submitted=vn(2026, 3, 2))
    at(vn(2026, 3, 10))  # 6 working days later
    lists = eligibility.checklists_of([green, failing])
    assert appraisal.clock_of(green, lists[green.id])["overdue"] is False
    late = appraisal.clock_of(failing, lists[failing.id])
    assert late["norm"] == 5 and late["overdue"] is True and late["due_on"] == datetime(2026, 3, 9).date()
    green.events[-1].at = vn(2026, 3, 2)  # the submission
    services.appraise(green, result="pass", note="", by=writer)
    green.events[-1].at = vn(2026, 3, 9)
    waiting = appraisal.clock_of(green, lists[green.id])  # waiting for the council: no norm (not the 10-day one)
    assert (waiting["elapsed"], waiting["norm"], waiting["overdue"]) == (1, None, False)
    done, = waiting["steps"]
    assert (done["what"], done["elapsed"], done["norm"], done["overdue"]) == ("Thẩm định", 5, 20, False)


STEP_CASES = [
    # (events after the submission on Mon 2/3/2026 as (status, day), step names and elapsed/norm/overdue)
    pytest.param([("returned", (2026, 3, 6))], [("Trả lại hồ sơ chưa đủ điều kiện", 4, 5, False)],
                 id="RULES-6-return-ineligible-within-5-working-days"),
    pytest.param([("returned", (2026, 3, 12))], [("Trả lại hồ sơ chưa đủ điều kiện", 8, 5, True)],
                 id="RULES-6-return-after-8-working-days-overdue"),
    pytest.param([("appraised", (2026, 3, 27))], [("Thẩm định", 19, 20, False)],
                 id="RULES-6-appraise-complete-dossier-within-20-working-days"),
    pytest.param([("rejected", (2026, 3, 31))], [("Thẩm định", 21, 20, True)],
                 id="RULES-6-appraisal-after-21-working-days-overdue"),
]


@pytest.mark.parametrize(("events", "expected"), STEP_CASES)
def test_each_step_against_its_own_norm(db, writer, at, events, expected):
    """RULES §6 (NĐ 98 Art 32.2 as RULES cites it; settings): each norm applies to its own step."""
    nomination = dossier(writer, submitted=vn(2026, 3, 2))
    nomination.events[-1].at = vn(2026, 3, 2)
    for status, day in events:
        transition(nomination, status, by=writer, note="Thiếu biên bản bình xét" if status != "appraised" else "")
        nomination.events[-1].at = vn(*day)
    at(vn(2026, 4, 20))
    steps = appraisal.clock_of(nomination, None)["steps"]
    assert [(s["what"], s["elapsed"], s["norm"], s["overdue"]) for s in steps] == expected


def test_sending_the_decision_out_has_its_10_day_norm(db, writer, at):
    """RULES §6: 10 working days to send the decision and results out, counted from its signing, not from the
    appraisal (the decision signed Fri 6/3/2026 and entered, the units told, Thu 19/3: 9 working days)."""
    from awards.announcements.decisions import issue_decision

    at(vn(2026, 3, 2))
    nomination = factories.nomination(factories.person(), "LDTT", by=writer)
    at(vn(2026, 3, 19))
    issue_decision(number="8/QĐ-SYT", signed_on=datetime(2026, 3, 6).date(), signer="Giám đốc", issuer="Sở Y tế",
                   nomination_ids=[nomination.id], by=writer)
    nomination.events[-1].at = vn(2026, 3, 19)  # entered (and the units told) on Thursday 19/3
    db.session.commit()
    at(vn(2026, 4, 20))
    steps = appraisal.clock_of(nomination, None)["steps"]
    assert (steps[-1]["what"], steps[-1]["elapsed"], steps[-1]["norm"], steps[-1]["overdue"]) == \
        ("Gửi quyết định, kết quả khen thưởng", 9, 10, False)


def test_overdue_is_highlighted_and_filtered(client, login_as, db, writer, at):
    old = dossier(writer, submitted=vn(2026, 3, 2))
    fresh = dossier(writer, submitted=vn(2026, 3, 9))
    change_setting("appraisal_days", 1, by=None)
    db.session.commit()
    login_as("staff")
    at(vn(2026, 3, 10))
    html = client.get("/nominations/queue").get_data(as_text=True)
    assert html.count("Quá hạn</span>") == 1 and html.index(f"#{old.id}<") < html.index(f"#{fresh.id}<")
    only = client.get("/nominations/queue?waiting=overdue").get_data(as_text=True)
    assert f"#{old.id}<" in only and f"#{fresh.id}<" not in only


def test_overdue_filter_uses_the_return_norm_for_failing_dossiers(db, writer, at):
    green = dossier(writer, submitted=vn(2026, 3, 2))
    failing = dossier(writer, rating=None, submitted=vn(2026, 3, 2))
    db.session.commit()
    at(vn(2026, 3, 10))
    ids = {n.id for n in db.session.scalars(appraisal.queue_stmt(writer, overdue_only=True)).unique()}
    assert ids == {failing.id} and green.id not in ids


# --- the queue ---------------------------------------------------------------------------------------------

def test_queue_orders_longest_waiting_first_and_filters(client, login_as, db, writer, at):
    parent = factories.unit(code="SYT", name="Sở Y tế")
    child = factories.unit(code="BVX", name="Bệnh viện X", parent=parent)
    other = factories.unit(code="UBX", name="Ủy ban X")
    newest = dossier(writer, child, submitted=vn(2026, 3, 5))
    oldest = dossier(writer, other, submitted=vn(2026, 2, 26))
    middle = dossier(writer, child, submitted=vn(2026, 3, 2), year=2024)
    draft = services.create_nomination(subject_type="person", subject_code=factories.person(unit=child).code,
                                       award_code="LDTT", year=2025, by=writer)
    db.session.commit()
    login_as("staff")
    html = client.get("/nominations/queue").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'appraise">#(\d+)<', html)]
    assert order == [oldest.id, middle.id, newest.id] and draft.id not in order
    by_unit = client.get("/nominations/queue?unit=SYT").get_data(as_text=True)
    assert [int(i) for i in re.findall(r'appraise">#(\d+)<', by_unit)] == [middle.id, newest.id]
    by_year = client.get("/nominations/queue?year=2024").get_data(as_text=True)
    assert [int(i) for i in re.findall(r'appraise">#(\d+)<', by_year)] == [middle.id]
    assert "Không có hồ sơ nào khớp" in client.get("/nominations/queue?award=HCLD3").get_data(as_text=True)


def test_queue_checklist_takes_a_bounded_number_of_queries(client, login_as, db, writer, app):
    unit = factories.unit()
    nominations = [dossier(writer, unit, rating="good" if i % 3 else None) for i in range(30)]
    db.session.commit()
    login_as("staff")

    def count(path):
        statements = []

        def listen(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = app.extensions["sqlalchemy"].engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert response.status_code == 200
        return len(statements), elapsed, response.get_data(as_text=True)

    many, _elapsed, html = count("/nominations/queue")
    assert html.count('name="ids"') == 20 and html.count("1 dòng chưa đạt") == 10
    few, _elapsed, _html = count(f"/nominations/queue?unit={unit.code}&year=2025&award=LDTT")
    assert many <= 25, many
    services.withdraw(nominations[0], reason="Rút", by=writer)
    db.session.commit()
    assert count("/nominations/queue")[0] <= max(few, many)


# --- bulk pass ---------------------------------------------------------------------------------------------

def test_bulk_pass_asks_then_passes_all_in_one_go(client, login_as, db, writer, csrf_token):
    chosen = [dossier(writer) for _ in range(3)]
    db.session.commit()
    login_as("staff")
    token = csrf_token("/nominations/queue")
    ids = [n.id for n in chosen]
    confirm = client.post("/nominations/queue/appraise", data={"csrf_token": token, "ids": ids})
    assert confirm.status_code == 200 and "Xác nhận thẩm định đạt 3 hồ sơ" in confirm.get_data(as_text=True)
    db.session.expire_all()
    assert {n.status for n in chosen} == {"submitted"}, "the first step changes nothing"
    done = client.post("/nominations/queue/appraise", data={"csrf_token": token, "ids": ids, "confirm": "1"},
                       follow_redirects=True)
    assert "Đã thẩm định đạt 3 hồ sơ." in done.get_data(as_text=True)
    db.session.expire_all()
    assert {n.status for n in chosen} == {"appraised"}
    assert {n.events[-1].note for n in chosen} == {"Thẩm định hàng loạt: đủ điều kiện"}


def test_bulk_pass_refused_when_one_line_fails(client, login_as, db, writer, csrf_token):
    chosen = [dossier(writer), dossier(writer), dossier(writer, rating=None)]
    db.session.commit()
    login_as("staff")
    token = csrf_token("/nominations/queue")
    response = client.post("/nominations/queue/appraise",
                           data={"csrf_token": token, "ids": [n.id for n in chosen], "confirm": "1"})
    assert response.status_code == 409
    assert f"#{chosen[2].id}" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {n.status for n in chosen} == {"submitted"}


# --- one dossier -------------------------------------------------------------------------------------------

def test_return_and_fail_need_reasons(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer)
    db.session.commit()
    login_as("staff")
    path = f"/nominations/{nomination.id}/appraise"
    token = csrf_token(path)
    for action in ("return", "fail"):
        blank = client.post(path, data={"csrf_token": token, "action": action, f"{action}-reason": "  "})
        assert blank.status_code == 400 and "Cần ghi lý do." in blank.get_data(as_text=True)
    returned = client.post(path, data={"csrf_token": token, "action": "return", "return-reason": "Bổ sung biên bản"})
    assert returned.status_code == 302
    db.session.expire_all()
    assert nomination.status == "returned" and nomination.events[-1].note == "Bổ sung biên bản"


def test_fail_with_a_reason_rejects(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer)
    db.session.commit()
    login_as("admin")
    path = f"/nominations/{nomination.id}/appraise"
    response = client.post(path, data={"csrf_token": csrf_token(path), "action": "fail",
                                       "fail-reason": "Thiếu minh chứng"})
    assert response.status_code == 302
    db.session.expire_all()
    assert nomination.status == "rejected"


def test_pass_refused_while_a_line_fails_then_allowed_after_override(client, login_as, db, writer, csrf_token):
    nomination = dossier(writer, rating=None)
    db.session.commit()
    login_as("staff")
    path = f"/nominations/{nomination.id}/appraise"
    page = client.get(path).get_data(as_text=True)
    assert f'action="/nominations/{nomination.id}/appraise/override"' in page  # in place, not another page
    token = csrf_token(path)
    refused = client.post(path, data={"csrf_token": token, "action": "pass", "pass-reason": ""})
    assert refused.status_code == 409 and "ý kiến vượt qua" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert nomination.status == "submitted"
    override_check("person", nomination.subject_code, "LDTT", 2025, "rating_good_or_better",
                   "Đã có xác nhận xếp loại bằng văn bản của đơn vị", by=writer)
    db.session.commit()
    assert "⚑" in client.get(path).get_data(as_text=True)
    passed = client.post(path, data={"csrf_token": token, "action": "pass", "pass-reason": "Đủ điều kiện"})
    assert passed.status_code == 302
    db.session.expire_all()
    assert nomination.status == "appraised"


def test_unknown_dossier_is_404(client, login_as):
    login_as("staff")
    assert client.get("/nominations/999999/appraise").status_code == 404


# --- the quota ---------------------------------------------------------------------------------------------

def test_quota_flag_when_cstdcs_exceed_the_share_of_ldtt(client, login_as, db, writer):
    unit = factories.unit()
    people = [factories.person(unit=unit) for _ in range(20)]
    for person in people:
        add_person_evaluation(person, year=2025, rating="excellent", by=None)
        dossier(writer, person=person)
    cstdcs = [dossier(writer, award="CSTDCS", person=person) for person in people[:4]]
    db.session.commit()
    assert eligibility.quota_for(unit, 2025) is None, "off by default"
    change_setting("cstdcs_quota_percent", 15, by=None)
    db.session.commit()
    check = eligibility.quota_for(unit, 2025)
    assert check.passed is False and check.detail.startswith("4 CSTĐCS / tối đa 3")
    login_as("staff")
    html = client.get("/nominations/queue?award=CSTDCS").get_data(as_text=True)
    assert html.count("Vượt tỷ lệ CSTĐCS") == 4
    page = client.get(f"/nominations/{cstdcs[0].id}/appraise").get_data(as_text=True)
    assert "Vượt tỷ lệ CSTĐCS của đơn vị" in page
    services.withdraw(cstdcs[3], reason="Rút bớt theo tỷ lệ", by=writer)
    db.session.commit()
    assert eligibility.quota_for(unit, 2025).passed is True


# --- who may -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_only_managers(client, login_as, db, writer, csrf_token, role):
    nomination = dossier(writer)
    db.session.commit()
    token = csrf_token()
    login_as(role)
    assert client.get("/nominations/queue").status_code == 403
    assert client.get(f"/nominations/{nomination.id}/appraise").status_code == 403
    assert client.post(f"/nominations/{nomination.id}/appraise",
                       data={"csrf_token": token, "action": "pass"}).status_code == 403
    assert client.post("/nominations/queue/appraise", data={"csrf_token": token, "ids": [nomination.id],
                                                            "confirm": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).status == "submitted"


def test_anonymous_goes_to_login(client, db):
    response = client.get("/nominations/queue")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_appraisal_page_shows_each_step_against_its_norm(client, login_as, db, writer, at):
    nomination = dossier(writer, submitted=vn(2026, 3, 2))
    nomination.events[-1].at = vn(2026, 3, 2)
    transition(nomination, "returned", by=writer, note="Thiếu biên bản bình xét")
    nomination.events[-1].at = vn(2026, 3, 12)
    services.submit(nomination, by=writer)
    nomination.submitted_at = vn(2026, 3, 16)
    db.session.commit()
    at(vn(2026, 3, 18))
    login_as("staff")
    html = client.get(f"/nominations/{nomination.id}/appraise").get_data(as_text=True)
    assert "Trả lại hồ sơ chưa đủ điều kiện: 8/5 ngày làm việc (02/03/2026 – 12/03/2026)" in html
    assert "Thẩm định: 2/20 ngày làm việc (16/03/2026 – nay)" in html
