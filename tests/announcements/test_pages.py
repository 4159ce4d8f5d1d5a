"""The secretariat's pages for public review, feedback cases and award decisions, through the real forms:
publishing a list (the review period checked per award), handling a case to its outcome, issuing a decision
(and being refused while a listed dossier has an open case), its papers as .docx; who may see what; CSRF."""

import io
import re
from datetime import date, datetime

import pytest
from docx import Document
from sqlalchemy import func, select

from awards.announcements import queries, services
from awards.announcements.models import Announcement, Decision, Feedback
from awards.archive.models import AwardRecord
from awards.core import clock
from awards.nominations.models import Nomination, NominationEvent
from tests import factories
from tests.announcements.conftest import CLOSES, OPENS
from tests.web import text_of, token_of, web

PASSWORD = "mat-khau-2026"
TITLE = "Công khai danh sách đề nghị khen thưởng năm 2025 — đợt “Huân chương”"
CONTENT = "Ông Huân đã bị nhắc nhở vì đi muộn trong năm.\nĐề nghị Sở xác minh lại."
RESOLUTION = "Có vi phạm kỷ luật chưa được báo cáo; đề nghị đơn vị giải trình, bổ sung."
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def moment(day: date, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.VIETNAM)


def status_of(db, dossier):
    return db.session.scalar(select(Nomination.status).where(Nomination.id == dossier.id))


def checked(html: str, dossier) -> bool:
    tag = re.search(rf'<input[^>]*name="ids" value="{dossier.id}"[^>]*>', html)
    return tag is not None and "checked" in tag.group(0)


def tickable(html: str, dossier) -> bool:
    return re.search(rf'name="ids" value="{dossier.id}"', html) is not None


def send_feedback(db, announcement_id, dossier, content=CONTENT):
    feedback = services.submit_feedback(queries.announcement_by_id(announcement_id), nomination_id=dossier.id,
                                        name="Lê Văn Dân", contact="0912 345 678", content=content)
    db.session.commit()
    return feedback


@pytest.fixture
def staff(app, desk):
    return web(app, desk.staff.user)


# --- publishing a list ------------------------------------------------------------------------------------------

def test_staff_publishes_a_list_and_the_period_is_checked_per_award(app, db, desk, staff):
    medal = desk.appraised("HCLD3", full_name="Trần Văn Huân")
    worker = desk.appraised("LDTT", full_name="Đặng Thị Ánh")
    draft = factories.nomination(factories.person(full_name="Võ Văn Nháp", unit=desk.hospital), "LDTT",
                                 status="draft", by=desk.staff.user)
    db.session.commit()

    page = staff.get("/announcements/new")
    html = text_of(page)
    assert page.status_code == 200
    assert tickable(html, medal) and tickable(html, worker) and not tickable(html, draft)
    assert "Huân chương Lao động hạng Ba: <strong>10 ngày</strong>" in html
    assert "Lao động tiên tiến: <strong>5 ngày</strong>" in html
    folded = text_of(staff.get("/announcements/new?q=dang+thi"))  # without diacritics, from a word's start
    assert tickable(folded, worker) and not tickable(folded, medal)
    by_award = text_of(staff.get("/announcements/new?award=HCLD3&unit=SYT&year=2025"))
    assert tickable(by_award, medal) and not tickable(by_award, worker)

    form = {"csrf_token": token_of(staff, "/announcements/new"), "title": TITLE, "ids": [str(medal.id), str(worker.id)],
            "opens_on": OPENS.isoformat(), "closes_on": CLOSES.isoformat()}
    short = staff.post("/announcements/new", data=form)
    html = text_of(short)
    assert short.status_code == 400
    assert "“Huân chương Lao động hạng Ba” phải công khai ít nhất 10 ngày làm việc (đợt này có 5)." in html
    assert checked(html, medal) and checked(html, worker) and TITLE in html
    nothing = staff.post("/announcements/new", data={**form, "ids": [], "closes_on": "2026-03-23"})
    assert nothing.status_code == 400 and "Chọn ít nhất một hồ sơ, mỗi hồ sơ một lần." in text_of(nothing)
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0
    assert status_of(db, medal) == "appraised"

    check = staff.post("/announcements/new", data={**form, "closes_on": "2026-03-23"})  # 10 working days
    html = text_of(check)
    assert check.status_code == 200 and "Đã kiểm tra: đủ điều kiện công khai" in html
    assert f"Lấy ý kiến từ {OPENS:%d/%m/%Y} đến hết 23/03/2026: 10 ngày làm việc" in html
    assert "Huân chương Lao động hạng Ba: cần ít nhất 10 ngày làm việc" in html and "Xác nhận công khai" in html
    assert 'data-confirm="Công khai danh sách này?' in html  # the confirmation comes after the check
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0
    published = staff.post("/announcements/new", data={**form, "closes_on": "2026-03-23", "checked": "1"})
    assert published.status_code == 302, text_of(published)[:800]
    announcement = db.session.scalar(select(Announcement))
    assert published.headers["Location"].endswith(f"/announcements/{announcement.id}")
    assert announcement.title == TITLE
    assert [i.nomination_id for i in announcement.items] == [medal.id, worker.id]  # in the order ticked
    assert status_of(db, medal) == status_of(db, worker) == "public_review"

    detail = text_of(staff.get(published.headers["Location"]))
    assert TITLE in detail and "Trần Văn Huân" in detail and "Đặng Thị Ánh" in detail
    assert f'href="/public/announcements/{announcement.id}"' in detail and "Sắp công khai" in detail
    assert "Đã công khai danh sách" in detail  # the flash
    listing = text_of(staff.get("/announcements"))
    assert TITLE in listing and "Sắp công khai" in listing
    assert not tickable(text_of(staff.get("/announcements/new")), medal)  # no longer publishable


# --- a feedback case ----------------------------------------------------------------------------------------------

def test_staff_handles_a_case_to_an_upheld_outcome_that_returns_the_dossier(app, db, desk, staff, at):
    dossier = desk.appraised("LDTT", full_name="Trần Văn Huân")
    colleague = factories.user("staff", full_name="Phạm Thị Thư Ký")
    away = factories.user("staff", full_name="Cán Bộ Nghỉ")
    away.active = False
    db.session.commit()
    announcement_id = desk.publish([dossier]).json["id"]
    at(moment(OPENS))
    case = send_feedback(db, announcement_id, dossier)

    listing = text_of(staff.get("/feedback"))
    assert case.reference in listing and "Chưa giao" in listing and "Lê Văn Dân" in listing
    assert f"/announcements/{announcement_id}" in text_of(staff.get(f"/feedback?announcement={announcement_id}"))
    page = text_of(staff.get(f"/feedback/{case.id}"))
    assert "đang tạm dừng" in page and f'href="/nominations/{dossier.id}"' in page
    assert "0912 345 678" in page and "Ông Huân đã bị nhắc nhở vì đi muộn trong năm." in page
    assert f'value="{colleague.id}"' in page and f'value="{away.id}"' not in page
    assert f'value="{desk.officer.user.id}"' not in page  # only the secretariat

    path = f"/feedback/{case.id}"
    refused = staff.post(f"{path}/assign", data={"csrf_token": token_of(staff, path),
                                                 "assignee": str(desk.officer.user.id)})
    assert refused.status_code == 400 and "Lựa chọn không hợp lệ." in text_of(refused)
    assigned = staff.post(f"{path}/assign", data={"csrf_token": token_of(staff, path), "assignee": str(colleague.id)})
    assert assigned.status_code == 302
    assert f"Đã giao ý kiến {case.reference} cho Phạm Thị Thư Ký." in text_of(staff.get(assigned.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(Feedback, case.id).assignee_id == colleague.id
    assert case.reference not in text_of(staff.get("/feedback?mine=1"))
    assert case.reference in text_of(web(app, colleague).get("/feedback?mine=1"))

    empty = staff.post(f"{path}/notes", data={"csrf_token": token_of(staff, path), "body": "  "})
    assert empty.status_code == 400 and "Trường này là bắt buộc." in text_of(empty)
    noted = staff.post(f"{path}/notes", data={"csrf_token": token_of(staff, path),
                                              "body": "Đã liên hệ ông Dân; đơn vị xác nhận có quyết định khiển trách."})
    assert noted.status_code == 302
    page = text_of(staff.get(path))
    assert f"Giao cho {colleague.username}" in page and "đơn vị xác nhận có quyết định khiển trách." in page

    mixed = staff.post(f"{path}/resolve", data={"csrf_token": token_of(staff, path), "outcome": "dismissed",
                                                "action": "return", "resolution": RESOLUTION})
    assert mixed.status_code == 400 and "Chỉ ý kiến có cơ sở mới trả lại hoặc loại hồ sơ." in text_of(mixed)
    assert status_of(db, dossier) == "public_review"
    blank = staff.post(f"{path}/resolve", data={"csrf_token": token_of(staff, path), "outcome": "upheld",
                                                "action": "return", "resolution": ""})
    assert blank.status_code == 400 and "Cần ghi kết quả giải quyết." in text_of(blank)

    resolved = staff.post(f"{path}/resolve", data={"csrf_token": token_of(staff, path), "outcome": "upheld",
                                                   "action": "return", "resolution": RESOLUTION})
    assert resolved.status_code == 302, text_of(resolved)[:800]
    assert status_of(db, dossier) == "returned"
    event = db.session.scalars(select(NominationEvent).where(NominationEvent.nomination_id == dossier.id)
                               .order_by(NominationEvent.id.desc())).first()
    assert event.status == "returned" and RESOLUTION in event.note and case.reference in event.note
    page = text_of(staff.get(path))
    assert "Đã giải quyết" in page and "Có cơ sở" in page and RESOLUTION in page and "đang tạm dừng" not in page
    assert f"{path}/resolve" not in page
    assert RESOLUTION in text_of(staff.get(f"/nominations/{dossier.id}"))  # in the dossier's history
    again = staff.post(f"{path}/resolve", data={"csrf_token": token_of(staff, path), "outcome": "dismissed",
                                                "action": "none", "resolution": "Lần nữa"})
    assert again.status_code == 409 and "Ý kiến này đã được giải quyết." in text_of(again)
    assert case.reference not in text_of(staff.get("/feedback"))  # open ones by default
    assert case.reference in text_of(staff.get("/feedback?status=resolved"))


# --- a decision -----------------------------------------------------------------------------------------------------

def test_staff_issues_a_decision_and_is_told_why_a_dossier_may_not_be_in_it(app, db, desk, staff, at):
    complained, ready = desk.passed("CSTDCS", "CSTDCS")
    no_vote = desk.appraised("LDTT", full_name="Đặng Thị Ánh")
    vote_due = desk.appraised("CSTDCS", full_name="Võ Thị Chờ")
    announcement_id = desk.publish([complained]).json["id"]
    at(moment(OPENS))
    case = send_feedback(db, announcement_id, complained)
    at(moment(date(2026, 3, 20)))

    page = text_of(staff.get("/decisions/new"))
    assert tickable(page, ready) and tickable(page, no_vote)
    assert not tickable(page, complained) and not tickable(page, vote_due)
    assert case.reference in page  # why the complained-of dossier waits
    assert f"Hồ sơ #{vote_due.id} đang ở trạng thái “Đã thẩm định đạt”, chưa thể quyết định khen thưởng." in page

    form = {"csrf_token": token_of(staff, "/decisions/new"), "number": "125/QĐ-SYT", "signed_on": "2026-03-20",
            "signer": "Nguyễn Văn Giám Đốc", "issuer": "Sở Y tế"}
    refused = staff.post("/decisions/new", data={**form, "ids": [str(ready.id), str(complained.id)]})
    assert refused.status_code == 409
    assert f"Hồ sơ #{complained.id} đang có ý kiến phản ánh {case.reference} chưa giải quyết." in text_of(refused)
    assert checked(text_of(refused), ready)
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0
    assert status_of(db, ready) == "passed"
    missing = staff.post("/decisions/new", data={**form, "signer": "", "ids": [str(ready.id)]})
    assert missing.status_code == 400 and "Trường này là bắt buộc." in text_of(missing)

    issued = staff.post("/decisions/new", data={**form, "ids": [str(no_vote.id), str(ready.id)]})
    assert issued.status_code == 302, text_of(issued)[:800]
    decision = db.session.scalar(select(Decision))
    assert issued.headers["Location"].endswith(f"/decisions/{decision.id}")
    records = {r.gold_book_number: r for r in db.session.scalars(
        select(AwardRecord).where(AwardRecord.decision_number == "125/QĐ-SYT"))}
    assert sorted(records) == ["1", "2"]
    assert (records["1"].subject_code, records["2"].subject_code) == (no_vote.subject_code, ready.subject_code)
    assert status_of(db, no_vote) == status_of(db, ready) == "awarded"

    page = text_of(staff.get(issued.headers["Location"]))
    assert "Quyết định số 125/QĐ-SYT" in page and "Nguyễn Văn Giám Đốc" in page and "Đặng Thị Ánh" in page
    for number, record in records.items():
        assert re.search(rf'href="[^"]*/records/{record.id}"[^>]*>{number}</a>', page)
    assert f'href="/nominations/{ready.id}"' in page
    listing = text_of(staff.get("/decisions"))
    assert "125/QĐ-SYT" in listing and "Nguyễn Văn Giám Đốc" in listing
    assert "125/QĐ-SYT" not in text_of(staff.get("/decisions?year=2025"))
    duplicate = staff.post("/decisions/new", data={**form, "csrf_token": token_of(staff, "/decisions/new"),
                                                   "ids": [str(ready.id)]})
    assert duplicate.status_code == 409 and "Sở Y tế đã có quyết định số “125/QĐ-SYT” năm 2026." in text_of(duplicate)


def test_the_decision_and_its_certificates_download_as_docx(app, db, desk, staff, at):
    first, second = desk.appraised("LDTT", full_name="Đặng Thị Ánh"), desk.appraised("LDTT", full_name="Lý Văn Bảo")
    at(moment(date(2026, 3, 20)))
    form = {"csrf_token": token_of(staff, "/decisions/new"), "number": "7/QĐ-BVA", "signed_on": "2026-03-20",
            "signer": "Nguyễn Văn Giám Đốc", "issuer": "Bệnh viện Đa khoa A", "ids": [str(first.id), str(second.id)]}
    assert staff.post("/decisions/new", data=form).status_code == 302
    decision = db.session.scalar(select(Decision))
    page = text_of(staff.get(f"/decisions/{decision.id}"))
    for path in (f"/decisions/{decision.id}/decision.docx", f"/decisions/{decision.id}/certificates.docx",
                 *(f"/decisions/{decision.id}/certificates/{i.id}.docx" for i in decision.items)):
        assert f'href="{path}"' in page

    def words(path):
        response = staff.get(path)
        assert response.status_code == 200 and response.mimetype == DOCX
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        document = Document(io.BytesIO(response.data))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    whole = words(f"/decisions/{decision.id}/decision.docx")
    assert "7/QĐ-BVA" in whole and "Đặng Thị Ánh" in whole and "Lý Văn Bảo" in whole
    both = words(f"/decisions/{decision.id}/certificates.docx")
    assert "Đặng Thị Ánh" in both and "Lý Văn Bảo" in both
    second_item = next(i for i in decision.items if i.nomination_id == second.id)
    one = words(f"/decisions/{decision.id}/certificates/{second_item.id}.docx")
    assert "Lý Văn Bảo" in one and "Đặng Thị Ánh" not in one
    assert staff.get(f"/decisions/{decision.id}/certificates/999999.docx").status_code == 404
    assert staff.get("/decisions/999999/decision.docx").status_code == 404


# --- who may, and CSRF ---------------------------------------------------------------------------------------------

def test_only_the_secretariat_sees_these_pages(app, db, desk, at):
    dossier = desk.appraised("LDTT")
    announcement_id = desk.publish([dossier]).json["id"]
    at(moment(OPENS))
    case = send_feedback(db, announcement_id, dossier)
    paths = ["/announcements", "/announcements/new", f"/announcements/{announcement_id}", "/feedback",
             f"/feedback/{case.id}", "/decisions", "/decisions/new"]
    for user in (desk.officer.user, desk.member):
        client = web(app, user)
        for path in paths:
            assert client.get(path).status_code == 403, (user.username, path)
        token = token_of(client, "/account")
        resolved = client.post(f"/feedback/{case.id}/resolve", data={
            "csrf_token": token, "outcome": "dismissed", "action": "none", "resolution": "Không có cơ sở"})
        assert resolved.status_code == 403
    anonymous = app.test_client()
    for path in paths:
        response = anonymous.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert db.session.get(Feedback, case.id).status == "open"
    nav = text_of(web(app, desk.staff.user).get("/"))
    assert 'href="/announcements"' in nav and 'href="/decisions"' in nav
    assert 'href="/announcements"' not in text_of(web(app, desk.officer.user).get("/"))


def test_a_post_without_its_csrf_token_is_refused(app, db, desk, staff, at):
    dossier = desk.appraised("LDTT")
    refused = staff.post("/announcements/new", data={"title": TITLE, "ids": [str(dossier.id)],
                                                     "opens_on": OPENS.isoformat(), "closes_on": CLOSES.isoformat()})
    assert refused.status_code == 400 and status_of(db, dossier) == "appraised"
    announcement_id = desk.publish([dossier]).json["id"]
    at(moment(OPENS))
    case = send_feedback(db, announcement_id, dossier)
    for action, data in (("resolve", {"outcome": "dismissed", "action": "none", "resolution": "Không có cơ sở"}),
                         ("notes", {"body": "Ghi chú"}), ("assign", {"assignee": str(desk.staff.user.id)})):
        assert staff.post(f"/feedback/{case.id}/{action}", data=data).status_code == 400
    db.session.expire_all()
    feedback = db.session.get(Feedback, case.id)
    assert feedback.status == "open" and feedback.assignee_id is None and not feedback.notes
    assert staff.post("/decisions/new", data={"number": "1/QĐ", "signed_on": "2026-03-10", "signer": "A",
                                              "issuer": "B", "ids": [str(dossier.id)]}).status_code == 400
