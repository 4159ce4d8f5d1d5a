"""Who receives what: a unit's notifications reach its active unit officers only; what no unit owns (feedback)
reaches the secretariat (admin, staff), never a unit officer or a council member."""

from awards.notifications import queries
from tests import factories


def test_unit_officers_are_the_active_officers_of_that_unit(db):
    unit, other = factories.unit(), factories.unit()
    officer = factories.user("unit_officer", unit=unit)
    gone = factories.user("unit_officer", unit=unit)
    gone.active = False
    factories.user("unit_officer", unit=other)
    factories.user("staff", unit=unit)
    db.session.flush()
    assert [u.id for u in queries.unit_officers(unit)] == [officer.id]


def test_managers_are_the_active_admins_and_staff(db):
    admin, staff = factories.user("admin"), factories.user("staff")
    both = factories.user("admin", "staff")
    retired = factories.user("staff")
    retired.active = False
    factories.user("unit_officer", unit=factories.unit())
    factories.user("council_member")
    db.session.flush()
    assert sorted(u.id for u in queries.managers()) == sorted([admin.id, staff.id, both.id])
