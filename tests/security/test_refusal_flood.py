"""A flood of refused requests is counted, not written row by row (issue 23, finding 10): the 1st, 10th, 100th…
refusal of one actor in a window is written, each saying how many came before it."""

from sqlalchemy import func, select

from awards.core.audit import AuditEntry


def _denied(db):
    db.session.rollback()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "access.denied")
                              .order_by(AuditEntry.id)).all()


def test_a_thousand_refusals_write_four_rows(api, db):
    officer = api.as_("unit_officer")
    for _ in range(1000):
        assert officer.post("/api/v1/archive/records", json={}).status_code == 403
    rows = _denied(db)
    assert [(r.after or {}).get("refusals_in_window", 1) for r in rows] == [1, 10, 100, 1000]
    assert all(r.actor_id == officer.user.id for r in rows)


def test_pages_and_api_count_together_and_other_actors_apart(api, app, db, login_as, client):
    officer = api.as_("unit_officer")
    for _ in range(9):
        assert officer.post("/api/v1/archive/records", json={}).status_code == 403
    login_as("unit_officer")
    assert client.get("/admin/audit").status_code == 403
    assert officer.post("/api/v1/archive/records", json={}).status_code == 403  # the officer's 10th
    rows = _denied(db)
    assert len(rows) == 3  # the API officer's 1st and 10th, the page officer's 1st
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "access.denied", AuditEntry.actor_id == officer.user.id)) == 2
