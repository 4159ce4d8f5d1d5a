"""Every step of a dossier tells the people it concerns (issue 19): the secretariat when it is submitted, the unit's
officers at each step after that; a council's members when voting opens, 24 hours before it closes if they have
not voted (once), and when it closes; a report's owner when it is ready. A notice whose task is finished no longer
shows "Mới"; a member's preference decides which notices are made and which are mailed."""

import email
import re
from datetime import date, datetime
from email import policy

import pytest
from sqlalchemy import select

from awards.announcements import decisions
from awards.announcements import services as announcements
from awards.core import clock
from awards.council import notices as council_notices
from awards.council import services as council_services
from awards.council import voting
from awards.nominations import services as nominations
from awards.notifications import mail
from awards.notifications.models import Notification
from awards.notifications.services import notify, set_preference
from awards.reports import exports
from tests import factories
from tests.core.test_jobs import run_periodic

PDF = factories.PDF


def moment(day: date, hour=9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.VIETNAM)


def notes_of(db, user, kind=None) -> list[Notification]:
    db.session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


class Province:
    """A department of health with a hospital, its officer, the secretariat, an admin, a one-member council."""

    def __init__(self, db):
        self.db = db
        self.department = factories.unit(code="SYT", name="Sở Y tế")
        self.hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=self.department)
        self.other = factories.unit(code="BVB", name="Bệnh viện B", parent=self.department)
        self.officer = factories.user("unit_officer", unit=self.hospital, username="canbo",
                                      full_name="Trần Thị Cán Bộ")
        self.other_officer = factories.user("unit_officer", unit=self.other)
        self.staff = factories.user("staff", full_name="Lê Văn Thường Trực")
        self.admin = factories.user("admin")
        self.member = factories.user("council_member", full_name="Phạm Văn Hội Đồng")
        council_services.save_council(code="HD", name="Hội đồng", unit_code="SYT",
                                      chair_username=self.member.username, members=[], by=self.staff)
        db.session.commit()

    def draft(self, award="CSTDCS", **person):
        nominee = factories.person(unit=self.hospital, full_name="Nguyễn Văn Được", **person)
        dossier = nominations.create_nomination(subject_type="person", subject_code=nominee.code, award_code=award,
                                                year=2025, by=self.officer)
        for n, kind in enumerate(sorted(nominations.required_attachments(dossier))):
            nominations.add_attachment(dossier, data=PDF + str(n).encode(), filename=f"{kind}.pdf", kind=kind,
                                       by=self.officer)
        return dossier

    def appraise(self, dossier):
        factories._override_blockers(dossier, self.staff)
        nominations.appraise(dossier, result="pass", note="", by=self.staff)

    def session(self, dossiers, closes_at):
        session = council_services.create_session(council=self.council, title="Phiên xét danh hiệu năm 2025",
                                                   nomination_ids=[d.id for d in dossiers], closes_at=closes_at,
                                                   by=self.staff)
        voting.open_session(session, by=self.staff)
        return session

    @property
    def council(self):
        from awards.council.queries import council_by_code
        return council_by_code("HD")


@pytest.fixture
def province(db, at):
    at(moment(date(2026, 3, 2)))
    return Province(db)


def sign_in(client, csrf_token, user):
    response = client.post("/login", data={"username": user.username, "password": "mat-khau-2026",
                                           "csrf_token": csrf_token()})
    assert response.status_code == 302


# --- one dossier, draft to awarded, in the officer's inbox --------------------------------------------------

def test_one_dossier_from_draft_to_awarded_in_the_officers_inbox(province, db, at, client, csrf_token):
    p = province
    dossier = p.draft()
    nominations.submit(dossier, by=p.officer)
    nominations.return_for_supplement(dossier, reason="Thiếu biên bản họp bình xét của khoa.", by=p.staff)
    db.session.commit()
    returned, = notes_of(db, p.officer)
    assert returned.kind == "nomination_returned" and returned.is_new
    nominations.submit(dossier, by=p.officer)  # supplemented and sent again: the "returned" task is done
    p.appraise(dossier)
    session = p.session([dossier], moment(date(2026, 3, 6), 17))
    voting.cast_ballot(session, votes={dossier.id: "yes"}, by=p.member)
    voting.close_session(session, by=p.staff)
    announcement = announcements.publish(title="Công khai danh sách đề nghị khen thưởng năm 2025",
                                         nomination_ids=[dossier.id], opens_on=date(2026, 3, 10),
                                         closes_on=date(2026, 3, 16), by=p.staff)
    db.session.commit()
    at(moment(date(2026, 3, 10)))
    feedback = announcements.submit_feedback(announcement, nomination_id=dossier.id, name="Lê Văn Dân",
                                             contact="0912 345 678", content="Ông Được đi muộn nhiều lần.")
    announcements.resolve(feedback, resolution="Đã xác minh: không ảnh hưởng danh hiệu.", by=p.staff)
    db.session.commit()
    at(moment(date(2026, 3, 20)))
    decisions.issue_decision(number="125/QĐ-SYT", signed_on=date(2026, 3, 20), signer="Nguyễn Văn Giám Đốc",
                             issuer="Sở Y tế", nomination_ids=[dossier.id], by=p.staff)
    db.session.commit()

    assert [n.kind for n in notes_of(db, p.officer)] == [
        "nomination_returned", "nomination_appraised", "nomination_in_council", "nomination_passed",
        "nomination_listed", "nomination_feedback", "decision_issued"]
    sign_in(client, csrf_token, p.officer)
    html = client.get("/notifications").get_data(as_text=True)
    title = f"#{dossier.id} Nguyễn Văn Được — Chiến sĩ thi đua cơ sở"
    subjects = ["Quyết định khen thưởng số 125/QĐ-SYT", f"Có ý kiến phản ánh về hồ sơ: {title}",
                f"Hồ sơ được công khai lấy ý kiến: {title}", f"Hội đồng thông qua hồ sơ: {title}",
                f"Hồ sơ được đưa ra Hội đồng xét: {title}", f"Hồ sơ đạt thẩm định: {title}",
                f"Hồ sơ được trả lại để bổ sung: {title}"]
    positions = [html.find(s) for s in subjects]
    assert -1 not in positions and positions == sorted(positions), positions  # newest first
    assert "Lý do: Thiếu biên bản họp bình xét của khoa." in html
    assert "Kết quả: 1/1 thành viên đồng ý" in html and "Phiên họp: Phiên xét danh hiệu năm 2025" in html
    assert "Danh sách: Công khai danh sách đề nghị khen thưởng năm 2025" in html
    assert "Lê Văn Dân" not in html and "0912 345 678" not in html and "đi muộn" not in html  # never who or what
    assert "CSTDCS" not in html
    assert "6 chưa đọc" in html  # the returned one is done: not "Mới", not counted
    returned_item = html[html.rfind("<li", 0, html.find(subjects[-1])):html.find(subjects[-1])]
    assert "Đã xong" in returned_item and "Mới" not in returned_item
    assert f'value="/nominations/{dossier.id}"' in html

    # the secretariat: each submission, done once it was handled; the admin is not the appraisal desk
    desk = notes_of(db, p.staff, "nomination_submitted")
    assert [n.subject for n in desk] == [f"Hồ sơ chờ thẩm định: {title}"] * 2
    assert all(n.done_at is not None for n in desk) and desk[0].body == "Đơn vị: Bệnh viện Đa khoa A."
    assert notes_of(db, p.admin, "nomination_submitted") == []
    # the other hospital hears nothing of it
    assert notes_of(db, p.other_officer) == []
    # the council's member: opened (done once they voted), closed
    assert [(n.kind, n.done_at is not None) for n in notes_of(db, p.member)] == [
        ("council_session_opened", True), ("council_session_closed", False)]


# --- each recipient rule ---------------------------------------------------------------------------------------

def test_a_step_is_never_told_to_whoever_took_it(province, db):
    p = province
    dossier = p.draft()
    nominations.submit(dossier, by=p.staff)  # the desk submitted it for the unit: the rest of the desk hears
    nominations.appraise(dossier, result="fail", note="Chưa đủ 3 năm liên tục đạt danh hiệu.", by=p.staff)
    db.session.commit()
    assert notes_of(db, p.staff) == []
    rejected, = notes_of(db, p.officer)
    assert rejected.kind == "nomination_rejected" and rejected.body == "Lý do: Chưa đủ 3 năm liên tục đạt danh hiệu."


def test_without_staff_the_admins_receive_submissions(db, at):
    at(moment(date(2026, 3, 2)))
    hospital = factories.unit(code="BVX")
    officer = factories.user("unit_officer", unit=hospital)
    admin = factories.user("admin")
    gone = factories.user("staff")
    gone.active = False
    nominee = factories.person(unit=hospital)
    dossier = nominations.create_nomination(subject_type="person", subject_code=nominee.code, award_code="LDTT",
                                            year=2025, by=officer)
    for kind in sorted(nominations.required_attachments(dossier)):
        nominations.add_attachment(dossier, data=PDF + kind.encode(), filename=f"{kind}.pdf", kind=kind, by=officer)
    nominations.submit(dossier, by=officer)
    db.session.commit()
    assert [n.kind for n in notes_of(db, admin)] == ["nomination_submitted"]
    assert notes_of(db, gone) == []


def test_feedback_is_told_to_the_unit_without_the_sender_and_done_for_the_desk_once_resolved(province, db, at):
    p = province
    dossier = p.draft(award="LDTT")
    nominations.submit(dossier, by=p.officer)
    p.appraise(dossier)
    announcement = announcements.publish(title="Danh sách công khai", nomination_ids=[dossier.id],
                                         opens_on=date(2026, 3, 10), closes_on=date(2026, 3, 16), by=p.staff)
    db.session.commit()
    at(moment(date(2026, 3, 11)))
    feedback = announcements.submit_feedback(announcement, nomination_id=dossier.id, name="Hoàng Thị Kín",
                                             contact="kin@example.vn", content="Nội dung phản ánh riêng.")
    db.session.commit()
    told, = notes_of(db, p.officer, "nomination_feedback")
    assert "Hoàng Thị Kín" not in told.subject + told.body and "Nội dung phản ánh" not in told.subject + told.body
    assert notes_of(db, p.other_officer) == []
    for manager in (p.staff, p.admin):
        received, = notes_of(db, manager, "feedback_received")
        assert received.done_at is None
    announcements.resolve(feedback, resolution="Không có cơ sở.", by=p.staff)
    db.session.commit()
    assert all(n.done_at is not None for n in notes_of(db, p.staff, "feedback_received"))


# --- the council: opened, 24 hours left, closed -----------------------------------------------------------

@pytest.fixture
def voting_members(province, db):
    """A three-member council (the chair and two members) and a session open until 10/03 17:00."""
    p = province
    others = [factories.user("council_member", full_name=f"Thành viên {n}") for n in (1, 2)]
    council_services.save_council(code="HD", name="Hội đồng", unit_code="SYT", chair_username=p.member.username,
                                  members=[(u.username, "member") for u in others], council=p.council, by=p.staff)
    dossier = p.draft()
    nominations.submit(dossier, by=p.officer)
    p.appraise(dossier)
    session = p.session([dossier], moment(date(2026, 3, 10), 17))
    db.session.commit()
    return session, dossier, [p.member, *others]


def test_the_24_hour_reminder_goes_once_and_only_to_who_has_not_voted(province, voting_members, db, at, app):
    session, dossier, (chair, first, second) = voting_members
    for member in (chair, first, second):
        opened, = notes_of(db, member)
        assert opened.kind == "council_session_opened" and "1 hồ sơ chờ bạn xem và bỏ phiếu" in opened.body
        assert "Hạn bỏ phiếu: 17:00 10/03/2026" in opened.body
    voting.cast_ballot(session, votes={dossier.id: "yes"}, by=chair)
    db.session.commit()
    assert notes_of(db, chair)[0].done_at is not None and notes_of(db, first)[0].done_at is None

    at(moment(date(2026, 3, 8), 17))  # 48 hours left: too early
    assert council_notices.remind_ballots() == []
    at(moment(date(2026, 3, 9), 18))  # 23 hours left
    run_periodic(app, "remind_ballots")  # Huey's scheduler runs it every 15 minutes; it commits
    assert len(notes_of(db, first, "ballot_reminder")) == len(notes_of(db, second, "ballot_reminder")) == 1
    runner = app.test_cli_runner()
    again = runner.invoke(args=["council", "remind-ballots"])
    assert again.exit_code == 0 and "reminded 0" in again.output, again.output  # never twice, by either door
    assert notes_of(db, chair, "ballot_reminder") == []
    reminder, = notes_of(db, first, "ballot_reminder")
    assert reminder.subject == "Còn 23 giờ để bỏ phiếu: “Phiên xét danh hiệu năm 2025”"
    assert reminder.link == f"/council/sessions/{session.id}"

    voting.cast_ballot(session, votes={dossier.id: "yes"}, by=first)
    db.session.commit()
    assert all(n.done_at is not None for n in notes_of(db, first))
    voting.close_session(session, by=province.staff)
    db.session.commit()
    for member in (chair, first, second):
        kinds = {n.kind: n for n in notes_of(db, member)}
        assert kinds["council_session_opened"].done_at is not None  # closed: nothing left to do
        assert kinds["council_session_closed"].body == "2/3 thành viên đã bỏ phiếu; 0/1 hồ sơ được thông qua."
        assert kinds["council_session_closed"].link == f"/council/sessions/{session.id}/results"
    assert notes_of(db, second, "ballot_reminder")[0].done_at is not None


# --- a member's preference -------------------------------------------------------------------------------

def test_tasks_only_receives_no_news_and_no_email_is_never_mailed(province, db, smtp_server):
    p = province
    p.officer.email, p.staff.email = "canbo@bva.example.vn", "thuongtruc@syt.example.vn"
    set_preference(p.officer, "tasks", by=p.officer)
    set_preference(p.staff, "no_email", by=p.staff)
    dossier = p.draft()
    nominations.submit(dossier, by=p.officer)
    nominations.return_for_supplement(dossier, reason="Bổ sung bản thành tích.", by=p.staff)
    nominations.submit(dossier, by=p.officer)
    p.appraise(dossier)  # news: the officer asked for tasks only
    db.session.commit()
    assert [n.kind for n in notes_of(db, p.officer)] == ["nomination_returned"]
    assert {n.email_status for n in notes_of(db, p.staff)} == {"none"}  # in the app, not by mail
    assert len(notes_of(db, p.staff, "nomination_submitted")) == 2

    result = mail.deliver_pending()
    # the officer's "returned" was done (resubmitted) before the mail went: not mailed either
    assert result["sent"] == 0 and smtp_server.envelopes == []


def test_the_mailer_reads_the_preference_as_it_is_now(province, db, smtp_server):
    p = province
    p.officer.email = "canbo@bva.example.vn"
    news = notify([p.officer], "nomination_appraised", "Hồ sơ đạt thẩm định: #1")[0]
    task = notify([p.officer], "nomination_returned", "Hồ sơ được trả lại để bổ sung: #2")[0]
    db.session.commit()
    assert news.email_status == task.email_status == "pending"
    set_preference(p.officer, "tasks", by=p.officer)  # changed before the mail went
    db.session.commit()
    assert mail.deliver_pending() == {"sent": 1, "failed": 0, "skipped": 1, "error": None}
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert message["Subject"] == "Hồ sơ được trả lại để bổ sung: #2"
    db.session.expire_all()
    assert (news.email_status, task.email_status) == ("none", "sent")


def test_the_preference_on_the_account_page(province, db, client, csrf_token):
    p = province
    sign_in(client, csrf_token, p.officer)
    html = client.get("/account").get_data(as_text=True)
    assert "Nhận thông báo" in html and "Chỉ việc cần tôi làm" in html
    assert re.search(r'value="all"[^>]*checked|checked[^>]*value="all"', html)
    token = csrf_token("/account")
    saved = client.post("/notifications/preference", data={"csrf_token": token, "preference": "tasks"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/account#thong-bao")
    html = client.get("/account").get_data(as_text=True)
    assert "Đã lưu cách nhận thông báo." in html
    assert re.search(r'value="tasks"[^>]*checked|checked[^>]*value="tasks"', html)
    bad = client.post("/notifications/preference", data={"csrf_token": token, "preference": "sometimes"})
    assert bad.status_code == 302
    assert re.search(r'value="tasks"[^>]*checked|checked[^>]*value="tasks"', client.get("/account").get_data(
        as_text=True))
    notify([p.officer], "nomination_appraised", "Tin không cần làm gì")
    db.session.commit()
    assert notes_of(db, p.officer) == []


def test_only_oneself_or_an_admin_sets_a_preference(province, db):
    from awards.core.db import DomainError

    p = province
    with pytest.raises(DomainError) as refused:
        set_preference(p.officer, "tasks", by=p.staff)
    assert refused.value.status == 403
    set_preference(p.officer, "no_email", by=p.admin)


# --- a report's owner --------------------------------------------------------------------------------------

def test_a_finished_report_is_told_to_its_owner_and_listed_with_who_made_it(province, db, app, client, csrf_token,
                                                                               monkeypatch):
    p = province
    job = exports.start_export("annual", 2025, by=p.staff)
    ready, = notes_of(db, p.staff, "report_ready")
    assert ready.subject == "Báo cáo đã lập xong: Báo cáo năm 2025" and ready.link == f"/reports/exports/{job.id}"
    assert notes_of(db, p.admin) == []
    sign_in(client, csrf_token, p.admin)
    html = client.get("/reports/?year=2025").get_data(as_text=True)
    table = html[html.index('id="made-reports"'):]
    assert "Báo cáo năm 2025" in table and "Lê Văn Thường Trực" in table
    assert f"/reports/exports/{job.id}/download" in table


# --- a campaign's reminders ---------------------------------------------------------------------------------

def test_a_registration_reminder_is_done_once_the_unit_registers(province, db):
    from awards.campaigns import services as campaigns

    p = province
    today = clock.today()
    campaign = campaigns.create_campaign(
        title="Phong trào thi đua năm 2026", launch=True, by=p.staff, kind="regular", year=today.year,
        organizer_unit_code="SYT", award_codes=["LDTT", "TTLDTT"], starts_on=today,
        registration_deadline=date(today.year, 3, 31), ends_on=date(today.year, 11, 30),
        nomination_deadline=date(today.year, 11, 15))
    campaigns.remind_unregistered(campaign, by=p.staff)
    db.session.commit()
    reminder, = notes_of(db, p.officer, "registration_reminder")
    other, = notes_of(db, p.other_officer, "registration_reminder")
    assert reminder.is_new and reminder.about_type == "campaign"
    campaigns.register(campaign, p.hospital, collective_award_codes=["TTLDTT"], by=p.officer)
    db.session.commit()
    assert notes_of(db, p.officer, "registration_reminder")[0].done_at is not None
    assert notes_of(db, p.other_officer, "registration_reminder")[0].done_at is None  # BVB has not registered
    assert notes_of(db, p.officer, "campaign_launched")[0].done_at is None  # news stays news until read
