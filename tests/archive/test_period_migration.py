"""Migration ae9deb38da10 on a database with data (SQLite, and PostgreSQL with TEST_DATABASE_URL): the archive's
old records keep their hash and read their default period, disciplines keep their rows and gain their end."""

from datetime import date, datetime

from sqlalchemy import text

from awards.archive import services
from awards.archive.models import GENESIS, AwardRecord, content_hash
from awards.core import clock
from awards.extensions import db
from tests.core.test_migrations import _scripts, fresh_app, fresh_url, upgrade  # noqa: F401 - fixtures

REVISION = "ae9deb38da10"


def test_the_migration_keeps_records_and_disciplines(fresh_app):  # noqa: F811
    upgrade(_scripts().get_revision(REVISION).down_revision)
    now = {"t": datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM)}
    values = {"entry": "award", "target_id": None, "subject_type": "person", "subject_code": "CB1",
              "subject_name": "Lê Thị Mai", "award_code": "BK_TINH", "year": 2024, "kind": "regular",
              "decision_number": "5/QĐ", "decision_date": date(2025, 2, 1), "issuer": "UBND tỉnh",
              "gold_book_number": "1", "source": "imported", "reason": "", "published": True}
    digest = content_hash(GENESIS, values)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO units (id, code, name, name_folded, kind, grassroots, active, created_at) "
                          "VALUES (1, 'BVA', 'Bệnh viện A', 'benh vien a', 'other', false, true, :t)"), now)
        conn.execute(text("INSERT INTO people (id, code, full_name, name_folded, gender, ethnicity, ethnic_minority, "
                          "unit_id, position, frontline, active, created_at) VALUES (1, 'CB1', 'Lê Thị Mai', "
                          "'le thi mai', 'female', 'Kinh', false, 1, '', false, true, :t)"), now)
        conn.execute(text("INSERT INTO disciplines (id, person_id, year, level, decided_on, note, created_at) "
                          "VALUES (1, 1, 2024, 'dismissal', '2024-03-15', '', :t), "
                          "(2, 1, 2023, 'reprimand', '2023-01-31', '', :t)"), now)
        conn.execute(text(
            "INSERT INTO award_records (entry, subject_type, person_id, unit_id, subject_code, subject_name, "
            "name_folded, award_code, year, kind, decision_number, decision_folded, decision_date, issuer, "
            "gold_book_number, source, reason, published, created_at, prev_hash, hash) VALUES ('award', 'person', "
            "1, 1, 'CB1', 'Lê Thị Mai', 'le thi mai', 'BK_TINH', 2024, 'regular', '5/QĐ', '5/qđ', '2025-02-01', "
            "'UBND tỉnh', '1', 'imported', '', true, :t, :prev, :hash)"), {**now, "prev": GENESIS, "hash": digest})
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT level, ends_on, person_id, unit_id FROM disciplines ORDER BY id")).all()
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [("dismissal", "2026-03-15", 1, None),
                                                            ("reprimand", "2024-01-31", 1, None)]
    assert services.verify_chain() == (1, None, "")
    old = db.session.scalars(db.select(AwardRecord)).one()
    assert (old.period_from, old.period, old.period_stated) == (None, (2023, 2024), False)
    services.record_award(subject_type="person", subject_code="CB1", award_code="LDTT", year=2025,
                          decision_number="9/QĐ", decision_date=date(2026, 1, 5), issuer="Sở Y tế")
    db.session.commit()
    assert services.verify_chain() == (2, None, "")
