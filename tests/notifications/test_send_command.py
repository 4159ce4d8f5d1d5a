"""`flask notifications send` without MAIL_SERVER: one clear line and a non-zero exit; the scheduler's task (the
same function) keeps the notifications pending without failing."""

from awards.notifications.mail import deliver_pending
from awards.notifications.services import notify
from tests import factories


def test_send_says_in_one_line_that_mail_is_not_configured(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    user = factories.user("staff")
    user.email = "a@syt.example.vn"
    notify([user], "registration_reminder", "Chưa có máy chủ thư")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "MAIL_SERVER is unset" in lines[0] and "Traceback" not in result.output
    assert deliver_pending() == {"sent": 0, "failed": 0, "skipped": 1, "error": None}
