"""Multi-row changes are all or nothing, on SQLite as on PostgreSQL."""

import pytest
from sqlalchemy import func, select

from awards.units.models import Person, Unit
from tests import factories


def test_a_rolled_back_savepoint_keeps_nothing_and_the_outer_work_survives(db):
    factories.unit(code="KEEP")
    with pytest.raises(RuntimeError), db.session.begin_nested():
        factories.unit(code="GONE")
        raise RuntimeError("a bad row")
    db.session.commit()
    assert db.session.scalars(select(Unit.code)).all() == ["KEEP"]


def test_a_released_savepoint_is_not_committed_before_the_outer_transaction(db, app):
    with db.session.begin_nested():
        factories.unit(code="INNER")
    other = db.engine.connect()
    try:
        assert other.scalar(select(func.count()).select_from(Unit)) == 0, "visible before the outer commit"
    finally:
        other.close()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 0


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    db.session.add(Person(code="X", full_name="Lê Văn Lộc", gender="male", unit_id=999_999))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
