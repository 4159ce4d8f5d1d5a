"""The audit log is written by services and never edited."""

import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from tests import factories


def test_services_write_who_what_before_after(db):
    actor = factories.user("staff", username="thu.ky")
    unit = factories.unit(code="BVDK", name="Bệnh viện Đa khoa")
    from awards.units import services

    services.update_unit(unit, name="Bệnh viện Đa khoa tỉnh", parent_code=None, kind="hospital",
                         grassroots=False, by=actor)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.update"))
    assert entry.actor_name == "thu.ky" and entry.object_type == "Unit"
    assert entry.before["name"] == "Bệnh viện Đa khoa" and entry.after["name"] == "Bệnh viện Đa khoa tỉnh"
    assert entry.after["kind"] == "hospital"


def test_entries_cannot_be_changed_or_deleted(db):
    factories.unit()
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry))
    entry.action = "forged"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()
    entry = db.session.scalar(select(AuditEntry))
    db.session.delete(entry)
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()


def test_audit_page_is_admin_only(client, login_as, db):
    login_as("staff")
    assert client.get("/admin/audit").status_code == 403
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "access.denied")) is not None


def test_admin_reads_the_log(client, login_as):
    login_as("admin")
    html = client.get("/admin/audit?action=login").get_data(as_text=True)
    assert "Nhật ký hệ thống" in html and "login" in html
