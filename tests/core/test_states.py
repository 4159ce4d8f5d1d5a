"""Every status column is a labelled enum the database itself guards, and state changes go through one
transition() per stateful model: an illegal move is refused in Vietnamese and a legal one is audited."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from awards.announcements.models import CaseStatus, Feedback
from awards.announcements.states import transition as case_transition
from awards.campaigns.models import Campaign, CampaignStatus, Stage
from awards.campaigns.states import transition as campaign_transition
from awards.core.audit import AuditEntry
from awards.core.db import DomainError
from awards.core.states import EnumText, JobStatus, LabelledEnum, finish_job
from awards.council.models import CouncilSession, SessionStatus
from awards.council.states import transition as session_transition
from awards.extensions import db as _db
from awards.reports.models import ExportJob
from tests import factories
from tests.core.test_migrations import fresh_app, fresh_url, upgrade  # noqa: F401  (fixtures)


def _state_columns():
    """(table, column, enum) for every column stored through EnumText."""
    return [(table, column, column.type.enum) for table in _db.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, EnumText)]


def _filler(column):
    """A value of the right type for a required column (foreign keys may point nowhere: only CHECK is tested)."""
    kind = column.type
    if isinstance(kind, EnumText):
        return next(iter(kind.enum)).value
    if isinstance(kind, (Integer, SmallInteger, Float)):
        return 1
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime) or getattr(kind, "impl", None).__class__ is DateTime:
        return datetime(2026, 1, 1, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2026, 1, 1)
    if isinstance(kind, JSON):
        return []
    return "x"


def test_every_state_column_has_its_check_constraint_and_labels(app):
    columns = _state_columns()
    assert {(t.name, c.name) for t, c, _e in columns} >= {
        ("nominations", "status"), ("nomination_events", "status"), ("council_sessions", "status"),
        ("feedback", "status"), ("campaigns", "status"), ("advanced_examples", "stage"),
        ("report_exports", "status"), ("archive_imports", "status"), ("notifications", "email_status")}
    for table, column, enum in columns:
        assert issubclass(enum, LabelledEnum)
        names = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        assert f"ck_{table.name}_{column.name}" in names, f"{table.name}.{column.name} has no CHECK constraint"
        assert column.type.impl.length >= max(len(m.value) for m in enum)


def test_the_database_refuses_an_unknown_state(db):
    """Written past the models (a script, a hand-made UPDATE), an unknown value is still refused: on both DBs."""
    for table, column, _enum in _state_columns():
        row = {c.name: _filler(c) for c in table.columns
               if not c.nullable and c.default is None and c.server_default is None}
        row[column.name] = "bogus"
        with pytest.raises(IntegrityError) as refused, db.session.begin_nested():
            db.session.execute(insert(table).values(row))
        message = str(refused.value.orig).lower()
        assert "check" in message and f"ck_{table.name}_{column.name}" in message, message
    db.session.rollback()


def test_a_state_is_read_back_as_its_enum_with_label_and_badge(db):
    unit = factories.unit()
    campaign = Campaign(title="Phong trào thử", kind="regular", year=2026, organizer_unit_id=unit.id,
                        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                        registration_deadline=date(2026, 3, 1), nomination_deadline=date(2026, 11, 1))
    db.session.add(campaign)
    db.session.commit()
    db.session.expire_all()
    status = db.session.get(Campaign, campaign.id).status
    assert status is CampaignStatus.draft and status == "draft"
    assert str(status.label) == "Bản nháp" and status.badge == "text-bg-secondary"


def _audits(action):
    return _db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_council_session_moves_draft_open_closed_and_never_back(db):
    staff = factories.user("staff")
    session = CouncilSession(council_id=1, title="Phiên thử", closes_at=datetime(2030, 1, 1, tzinfo=UTC))
    session.status = SessionStatus.draft
    with pytest.raises(DomainError) as refused:
        session_transition(session, SessionStatus.closed, by=staff)
    assert refused.value.status == 409 and refused.value.code == "wrong_state"
    assert refused.value.message == "Không thể chuyển từ “Chưa mở” sang “Đã kết thúc”."
    session_transition(session, SessionStatus.open, by=staff)
    session_transition(session, SessionStatus.closed, by=staff)
    with pytest.raises(DomainError, match="“Đã kết thúc” sang “Đang bỏ phiếu”"):
        session_transition(session, SessionStatus.open, by=staff)
    assert session.status is SessionStatus.closed
    entries = _audits("council.session.close")
    assert [(e.actor_id, e.before, e.after["status"]) for e in entries] == [(staff.id, {"status": "open"}, "closed")]


def test_feedback_case_resolves_once(db):
    staff = factories.user("staff")
    case = Feedback(reference="ABC", announcement_id=1, nomination_id=1, name="A", contact="a", content="…",
                    status=CaseStatus.open)
    case_transition(case, CaseStatus.resolved, by=staff, extra={"outcome": "dismissed"})
    with pytest.raises(DomainError, match="Không thể chuyển từ “Đã giải quyết” sang “Đã giải quyết”."):
        case_transition(case, CaseStatus.resolved, by=staff)
    [entry] = _audits("feedback.resolve")
    assert entry.before == {"status": "open"} and entry.after["outcome"] == "dismissed"


def test_campaign_and_example_tables(db):
    staff = factories.user("staff")
    campaign = Campaign(status=CampaignStatus.draft)
    with pytest.raises(DomainError, match="“Bản nháp” sang “Đã kết thúc”"):
        campaign_transition(campaign, "closed", by=staff)
    campaign_transition(campaign, "launched", by=staff, note="Phát động")
    assert campaign.status is CampaignStatus.launched
    example = type("Example", (), {"stage": Stage.discovered, "id": 7})()
    with pytest.raises(DomainError, match="“Phát hiện” sang “Tổng kết”"):
        campaign_transition(example, Stage.summarised, by=staff, field="stage")
    [entry] = _audits("campaign.launched")
    assert entry.after == {"status": "launched", "note": "Phát động"}


def test_jobs_end_once(db):
    job = ExportJob(kind="annual", year=2026, status=JobStatus.running)
    finish_job(job, JobStatus.done)
    with pytest.raises(DomainError, match="“Hoàn thành” sang “Thất bại”"):
        finish_job(job, JobStatus.failed)
    assert [e.after["status"] for e in _audits("report_exports.done")] == ["done"]


def test_migrated_schema_has_the_same_check_constraints(fresh_app):  # noqa: F811
    """The migration adds every constraint the models declare, under the same names, on SQLite and PostgreSQL."""
    upgrade()
    inspector = inspect(_db.engine)
    for table, column, _enum in _state_columns():
        names = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert f"ck_{table.name}_{column.name}" in names, f"migrations lack ck_{table.name}_{column.name}"


CHECKS_REVISION = "a7c3e9d1f2b4"  # migrations/versions/2026_12_05_a7c3e9d1f2b4_status_check_constraints.py


def _previous():
    from tests.core.test_migrations import _scripts

    return _scripts().get_revision(CHECKS_REVISION).down_revision


def test_the_migration_keeps_rows_and_refuses_unknown_values(fresh_app):  # noqa: F811
    """Rows (with children pointing at them: SQLite rebuilds the table) survive; an unknown value stops it."""
    upgrade(_previous())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with _db.engine.begin() as conn:
        conn.execute(text("INSERT INTO units (id, code, name, name_folded, kind, grassroots, active, created_at) "
                          "VALUES (1, 'U1', 'Đơn vị', 'don vi', 'other', false, true, :now)"), {"now": now})
        conn.execute(text("INSERT INTO nominations (id, subject_type, unit_id, subject_code, award_code, year, kind, "
                          "summary, status, created_at) VALUES (1, 'unit', 1, 'U1', 'TTLDTT', 2025, 'regular', '', "
                          "'sent', :now)"), {"now": now})
        conn.execute(text("INSERT INTO nomination_events (nomination_id, status, at, note) "
                          "VALUES (1, 'draft', :now, '')"), {"now": now})
    with pytest.raises(SystemExit) as stopped:  # flask_migrate logs the error and exits
        upgrade(CHECKS_REVISION)
    assert "nominations.status = 'sent'" in str(stopped.value.__context__)
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE nominations SET status = 'submitted'"))
    upgrade(CHECKS_REVISION)
    with _db.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM nominations")).scalar_one() == "submitted"
        assert conn.execute(text("SELECT count(*) FROM nomination_events WHERE nomination_id = 1")).scalar_one() == 1


def test_a_state_assigned_as_a_string_is_a_member_at_once(app):
    session = CouncilSession(status="open")
    assert session.status is SessionStatus.open and str(session.status.label) == "Đang bỏ phiếu"
    assert CouncilSession(status="bogus").status == "bogus"  # left for the CHECK constraint to refuse
