"""A public feedback sender's name and contact are erased FEEDBACK_CONTACT_RETENTION_DAYS after the case is resolved
(docs/PERSONAL-DATA.md): by `flask announcements erase-contacts` and by the same function on Huey's scheduler.
Open cases and recently resolved ones keep them; the case itself stays."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from awards.announcements.models import Feedback
from awards.core import jobs
from awards.core.audit import AuditEntry
from awards.core.db import utcnow
from tests.announcements.conftest import OPENS, Desk


@pytest.fixture
def cases(api, db, at):
    """Three cases on one public list: resolved long ago, resolved yesterday, still open."""
    from awards.core import clock

    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    desk = Desk(api, db)
    dossiers = desk.passed("CSTDCS", "CSTDCS", "CSTDCS")
    announcement_id = desk.publish(dossiers).json["id"]
    at(datetime.combine(OPENS, datetime.min.time(), tzinfo=clock.VIETNAM) + timedelta(hours=10))
    ids = []
    for n, dossier in enumerate(dossiers):
        sent = api.post(f"/api/v1/public/announcements/{announcement_id}/feedback", json={
            "nomination_id": dossier.id, "name": f"Trần Thị Góp Ý {n}", "contact": f"gopy{n}@example.vn",
            "content": "Đề nghị xem lại thành tích năm 2025."})
        assert sent.status_code == 201, sent.json
        ids.append(db.session.scalar(select(Feedback.id).where(Feedback.reference == sent.json["reference"])))
    for case_id in ids[:2]:
        resolved = desk.staff.post(f"/api/v1/feedback/{case_id}/resolve", json={"resolution": "Đã xác minh."})
        assert resolved.status_code == 200, resolved.json
    old, recent, _open = (db.session.get(Feedback, i) for i in ids)
    old.resolved_at = utcnow() - timedelta(days=91)
    recent.resolved_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return ids


def _case(db, case_id) -> Feedback:
    db.session.expire_all()
    return db.session.get(Feedback, case_id)


def test_the_command_erases_only_the_expired_resolved_senders(app, db, cases):
    result = app.test_cli_runner().invoke(args=["announcements", "erase-contacts"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "erased 1 feedback senders' contacts"
    old, recent, still_open = (_case(db, i) for i in cases)
    assert (old.name, old.contact) == ("", "")
    assert old.content == "Đề nghị xem lại thành tích năm 2025." and old.resolution == "Đã xác minh."
    assert recent.contact == "gopy1@example.vn" and still_open.contact == "gopy2@example.vn"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "feedback.contacts_erased")).all()
    assert entry.after == {"references": [old.reference]} and "gopy0" not in repr(entry.after)
    again = app.test_cli_runner().invoke(args=["announcements", "erase-contacts"])
    assert again.output.strip() == "erased 0 feedback senders' contacts"


def test_a_shorter_period_on_the_command_line_and_a_bad_one_refused(app, db, cases):
    assert app.test_cli_runner().invoke(args=["announcements", "erase-contacts", "--days", "0"]).exit_code == 0
    old, recent, still_open = (_case(db, i) for i in cases)
    assert old.contact == recent.contact == "" and still_open.contact == "gopy2@example.vn"
    bad = app.test_cli_runner().invoke(args=["announcements", "erase-contacts", "--days", "-3"])
    assert bad.exit_code == 2


def test_the_scheduler_runs_it_daily_and_the_case_page_says_the_contact_was_erased(app, db, cases, client,
                                                                                   login_as):
    huey = jobs.queue(app).huey
    [task] = [t for t in huey.read_periodic(datetime(2026, 3, 9, 20, 30)) if t.name.endswith("feedback_contacts")]
    huey.execute(task)
    assert _case(db, cases[0]).contact == "" and _case(db, cases[1]).contact == "gopy1@example.vn"
    login_as("staff")
    page = client.get(f"/feedback/{cases[0]}").get_data(as_text=True)
    assert "Đã xoá sau thời hạn lưu giữ" in page and "gopy0@example.vn" not in page
