"""The announcements desk (a Sở with a hospital, a council) reused for decisions carrying prize money, and the
base-salary rows the migration seeds (the tests' schema comes from create_all, which seeds nothing)."""

import pytest

from awards.prizes import rules, services
from tests.announcements.conftest import desk  # noqa: F401 (the fixture)


@pytest.fixture
def base_salaries(db):
    for row in rules.BASE_SALARIES:
        services.add_base_salary(effective_from=row.effective_from, amount=row.amount, source=row.source, by=None)
    db.session.commit()
