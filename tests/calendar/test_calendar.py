"""The working calendar the secretariat keeps: announced days off and working Saturdays change the processing
clock at once; only the admin and the top-level secretariat change it, through the page, the API or the CLI."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from awards.calendar import services
from awards.calendar.cli import cli as calendar_cli
from awards.calendar.models import CalendarDay
from awards.core import clock, workdays
from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from awards.core.workdays import add_working_days, is_working_day, working_days_between
from awards.extensions import db as _db
from tests import factories
from tests.core.test_migrations import fresh_app, fresh_url, upgrade  # noqa: F401 (fixtures)
from tests.web import text_of, token_of, web

SOURCE = "Văn bản 12729/VPCP-KGVX ngày 25/12/2025"


def add(day, kind, by=None, reason="Hoán đổi ngày làm việc Tết Dương lịch"):
    return services.add_day(day=day, kind=kind, reason=reason, source=SOURCE, by=by)


def test_a_substitute_day_stops_counting_and_a_swapped_saturday_counts(db):
    admin = factories.user("admin")
    friday, saturday = date(2026, 1, 2), date(2026, 1, 10)
    assert is_working_day(friday) and not is_working_day(saturday)
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 12)) == 7  # 2, 5–9, 12 (1/1 off)
    add(friday, "day_off", admin)
    add(saturday, "working_day", admin)
    assert not is_working_day(friday) and is_working_day(saturday)
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 12)) == 7  # 5–9, 10, 12: the same count
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 2)) == 0
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 10)
    assert friday in workdays.holidays(2026) and saturday in workdays.working_weekends(2026)
    _db.session.commit()

    services.remove_day(friday, by=admin)
    assert is_working_day(friday)
    actions = [e.action for e in _db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
               if e.action.startswith("calendar.")]
    assert actions == ["calendar.add", "calendar.add", "calendar.remove"]
    removed = _db.session.scalars(select(AuditEntry).where(AuditEntry.action == "calendar.remove")).one()
    assert removed.before["reason"] == "Hoán đổi ngày làm việc Tết Dương lịch" and removed.actor_id == admin.id
    assert _db.session.scalar(select(CalendarDay).where(CalendarDay.day == friday)) is None  # a real delete


def test_a_working_day_entry_overrides_a_library_holiday(db):
    """If the government keeps 24/11 a working day in some year, the secretariat says so and the clock follows."""
    day = date(2027, 11, 24)
    assert not is_working_day(day)
    add(day, "working_day", reason="Chính phủ không cho nghỉ Ngày Văn hóa Việt Nam năm 2027")
    assert is_working_day(day)


@pytest.mark.parametrize("day, kind, status, field", [
    (date(2026, 1, 3), "day_off", 400, "day"),  # a Saturday is already a day off
    (date(2026, 1, 1), "day_off", 400, "day"),  # New Year's Day already is
    (date(2026, 1, 5), "working_day", 400, "day"),  # a Monday already works
    (date(2026, 1, 5), "holiday", 400, "kind"),
    (date(1990, 1, 5), "day_off", 400, "day"),
])
def test_entries_that_change_nothing_are_refused(db, day, kind, status, field):
    with pytest.raises(DomainError) as refused:
        add(day, kind)
    assert refused.value.status == status and refused.value.field == field
    assert "ngày" in refused.value.message.lower() or "Loại" in refused.value.message


def test_a_day_is_recorded_once_and_needs_a_reason_and_a_source(db):
    add(date(2026, 1, 2), "day_off")
    with pytest.raises(DomainError) as twice:
        add(date(2026, 1, 2), "day_off")
    assert twice.value.status == 409 and "đã có trong lịch" in twice.value.message
    with pytest.raises(DomainError) as bare:
        services.add_day(day=date(2026, 1, 9), kind="day_off", reason="  ", source=SOURCE, by=None)
    assert bare.value.field == "reason" and "lý do" in bare.value.message
    with pytest.raises(DomainError) as unsourced:
        services.add_day(day=date(2026, 1, 9), kind="day_off", reason="Nghỉ bù", source="", by=None)
    assert unsourced.value.field == "source" and "văn bản" in unsourced.value.message


# --- who may change it: the service refuses, whichever door ------------------------------------------------------

def test_the_service_refuses_a_unit_officer_and_staff_bound_to_a_unit(db):
    unit = factories.unit()
    for user in (factories.user("unit_officer", unit=unit), factories.user("council_member"),
                 factories.user("staff", unit=unit)):
        with pytest.raises(DomainError) as refused:
            add(date(2026, 1, 2), "day_off", user)
        assert refused.value.status == 403 and "Chỉ quản trị" in refused.value.message
    add(date(2026, 1, 2), "day_off", factories.user("staff"))  # the top-level secretariat may


def test_the_api_refuses_a_non_admin_and_answers_the_contract_body(api, client):
    body = {"day": "2026-01-02", "kind": "day_off", "reason": "Hoán đổi", "source": SOURCE}
    officer = api.as_("unit_officer")
    refused = officer.post("/api/v1/calendar/days", json=body)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert "Chỉ quản trị" in refused.json["error"]["message"]
    bad = api.as_("admin").post("/api/v1/calendar/days", json={**body, "day": "02/01/2026"})
    assert bad.status_code == 400 and "day" in bad.json["error"]["fields"]
    admin = api.as_("admin")
    created = admin.post("/api/v1/calendar/days", json=body)
    assert created.status_code == 201 and created.json["kind"] == "day_off"
    assert admin.post("/api/v1/calendar/days", json=body).status_code == 409
    year = officer.get("/api/v1/calendar/2026").json  # everyone signed in reads the calendar
    assert "2026-01-02" in year["days_off"] and "2026-11-24" in year["days_off"]
    assert [e["day"] for e in year["entries"]] == ["2026-01-02"]
    assert {"day": "2026-02-17", "name": "Tết Nguyên Đán", "off": True} in year["holidays"]
    gone = client.delete("/api/v1/calendar/days/2026-01-02", headers={"Authorization": f"Bearer {officer.token}"})
    assert gone.status_code == 403
    gone = client.delete("/api/v1/calendar/days/2026-01-02", headers={"Authorization": f"Bearer {admin.token}"})
    assert gone.status_code == 200 and gone.json["reason"] == "Hoán đổi"
    again = client.delete("/api/v1/calendar/days/2026-01-02", headers={"Authorization": f"Bearer {admin.token}"})
    assert again.status_code == 404 and again.json["error"]["code"] == "not_found"
    assert officer.get("/api/v1/calendar/1800").status_code == 404


def test_the_page_lists_adds_and_removes_for_the_admin_only(app, db):
    officer = factories.user("unit_officer", unit=factories.unit())
    admin = factories.user("admin")
    _db.session.commit()

    reader = web(app, officer)
    page = reader.get("/calendar?year=2026")
    assert page.status_code == 200 and "Tết Nguyên Đán" in text_of(page) and "Thêm vào lịch" not in text_of(page)
    refused = reader.post("/calendar?year=2026", data={"day": "02/01/2026", "kind": "day_off", "reason": "x",
                                                       "source": "y", "csrf_token": token_of(reader, "/calendar")})
    assert refused.status_code == 403

    editor = web(app, admin)
    token = token_of(editor, "/calendar")
    no_csrf = editor.post("/calendar", data={"day": "02/01/2026", "kind": "day_off", "reason": "x", "source": "y"})
    assert no_csrf.status_code == 400
    wrong = editor.post("/calendar", data={"day": "31/02/2026", "kind": "day_off", "reason": "Hoán đổi",
                                           "source": SOURCE, "csrf_token": token})
    assert wrong.status_code == 400 and "Ngày không hợp lệ." in text_of(wrong)
    weekend = editor.post("/calendar", data={"day": "03/01/2026", "kind": "day_off", "reason": "Hoán đổi",
                                             "source": SOURCE, "csrf_token": token})
    assert weekend.status_code == 400 and "đã là ngày nghỉ" in text_of(weekend)
    added = editor.post("/calendar", data={"day": "02/01/2026", "kind": "day_off", "reason": "Hoán đổi Tết Dương lịch",
                                           "source": SOURCE, "csrf_token": token})
    assert added.status_code == 302 and added.headers["Location"].endswith("/calendar?year=2026")
    listing = text_of(editor.get("/calendar?year=2026"))
    assert "Hoán đổi Tết Dương lịch" in listing and "02/01/2026" in listing and SOURCE in listing
    assert not is_working_day(date(2026, 1, 2))

    assert reader.post("/calendar/2026-01-02/delete",
                       data={"csrf_token": token_of(reader, "/calendar")}).status_code == 403
    assert not is_working_day(date(2026, 1, 2))
    removed = editor.post("/calendar/2026-01-02/delete", data={"csrf_token": token})
    assert removed.status_code == 302
    assert is_working_day(date(2026, 1, 2))
    assert editor.post("/calendar/2026-01-02/delete", data={"csrf_token": token}).status_code == 404


def test_the_cli_adds_lists_and_removes(app, db):
    runner = app.test_cli_runner()
    out = runner.invoke(calendar_cli, ["add", "2026-01-02", "day_off", "--reason", "Hoán đổi", "--source", SOURCE])
    assert out.exit_code == 0, out.output
    listing = runner.invoke(calendar_cli, ["list", "2026"])
    assert "2026-01-02" in listing.output and "Tết Nguyên Đán" in listing.output
    twice = runner.invoke(calendar_cli, ["add", "2026-01-02", "day_off", "--reason", "Hoán đổi", "--source", SOURCE])
    assert twice.exit_code == 1 and "đã có trong lịch" in twice.output
    assert runner.invoke(calendar_cli, ["remove", "2026-01-02"]).exit_code == 0
    with app.app_context():
        assert is_working_day(date(2026, 1, 2))


# --- the processing clock across Tết 2028 --------------------------------------------------------------------

def test_a_dossier_submitted_before_tet_2028_counts_only_working_days(db, at):
    from awards.nominations import appraisal

    person = factories.person()
    from awards.units.services import add_person_evaluation

    add_person_evaluation(person, year=2027, rating="good", by=None)
    dossier = factories.nomination(person, award_code="LDTT", year=2027, status="submitted")
    dossier.submitted_at = datetime(2028, 1, 20, 9, 0, tzinfo=clock.VIETNAM)  # Thursday before Tết
    at(datetime(2028, 2, 4, 15, 0, tzinfo=clock.VIETNAM))
    running = appraisal.clock_of(dossier, None, {"return_days": 5, "appraisal_days": 20, "forward_days": 10})
    # 21/01 is day 1; 24–28/01 are Tết (30 Tết on Tue 25, Mùng 1 on Wed 26); 31/01–04/02 are days 2–6
    assert running["elapsed"] == 6
    assert running["due_on"] == date(2028, 2, 24)
    assert not running["overdue"]


# --- the seeded announcements ------------------------------------------------------------------------------

def test_the_migration_seeds_the_checked_announcements(fresh_app):  # noqa: F811 (the fixture)
    upgrade()
    rows = {row.day: row for row in _db.session.scalars(select(CalendarDay))}
    assert rows[date(2026, 1, 2)].kind == "day_off" and "12729/VPCP-KGVX" in rows[date(2026, 1, 2)].source
    assert rows[date(2026, 1, 10)].kind == "working_day"
    assert rows[date(2025, 4, 26)].kind == "working_day" and "6150/TB-BLĐTBXH" in rows[date(2025, 4, 26)].source
    workdays.forget()
    assert not is_working_day(date(2026, 1, 2)) and is_working_day(date(2026, 1, 10))
