"""Fixtures of the dossier tests: a hospital's officer, another unit's officer, staff and a council member."""

import pytest

from awards.units.services import add_person_evaluation
from tests import factories


@pytest.fixture
def setting(api, db):
    hospital = factories.unit(code="BVA")
    elsewhere = factories.unit(code="BVB")
    person = factories.person(code="CB1", full_name="Lê Thị Mai", unit=hospital)
    add_person_evaluation(person, year=2025, rating="good", by=None)  # a green checklist: passing is allowed
    db.session.commit()
    clients = {"unit_officer": api.as_("unit_officer", unit=hospital), "staff": api.as_("staff"),
               "other_officer": api.as_("unit_officer", unit=elsewhere), "council_member": api.as_("council_member")}
    return clients
