"""A decision carries each recipient's prize money, computed on the day it is issued and stored: the page and the
.docx annex show the coefficient, the amount and the total; a decision of 30/06/2024 uses 1.800.000 đồng, one of
01/07/2024 uses 2.340.000; a base salary added later never rewrites a decision already issued."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from awards.announcements import documents
from awards.announcements.models import Decision, DecisionItem
from awards.prizes import services
from tests import factories
from tests.announcements.test_documents import all_text, issue, opened
from tests.web import text_of, web

pytestmark = pytest.mark.usefixtures("base_salaries")


def _dossiers(desk, db, year=2023):
    """Two LĐTT people and a collective TTLĐTT of the hospital's ward."""
    people = [factories.nomination(factories.person(unit=desk.hospital, full_name=name), "LDTT", year=year,
                                   by=desk.staff.user) for name in ("Nguyễn Văn An", "Trần Thị Bình")]
    ward = factories.unit(code=f"KN{year}", name="Khoa Nội", parent=desk.hospital)
    collective = factories.nomination(ward, "TTLDTT", year=year, by=desk.staff.user)
    db.session.commit()
    return [*people, collective]


def _items(db, decision) -> list[tuple[float, int]]:
    rows = db.session.execute(select(DecisionItem.prize_coefficient, DecisionItem.prize_amount)
                              .where(DecisionItem.decision_id == decision.id).order_by(DecisionItem.position))
    return [tuple(row) for row in rows]


@pytest.mark.parametrize(("signed_on", "expected", "total"), [
    ("2024-06-30", [(0.3, 540_000), (0.3, 540_000), (0.8, 1_440_000)], 2_520_000),
    ("2024-07-01", [(0.3, 710_000), (0.3, 710_000), (0.8, 1_880_000)], 3_300_000),
])
def test_the_base_salary_of_the_decision_date_is_written_on_each_recipient(desk, db, signed_on, expected, total):
    decision = issue(desk, db, _dossiers(desk, db), number="9/QĐ-SYT", signed_on=signed_on)
    assert _items(db, decision) == expected
    assert documents.prize_total(decision.items) == total


def test_the_page_and_the_annex_show_coefficient_amount_and_total(app, desk, db):
    decision = issue(desk, db, _dossiers(desk, db), number="10/QĐ-SYT", signed_on="2024-07-01")
    html = text_of(web(app, desk.staff.user).get(f"/decisions/{decision.id}"))
    assert re.findall(r'class="text-end prize-amount">([^<]*)<', html) == ["710.000", "710.000", "1.880.000"]
    assert re.findall(r'class="text-end prize-coefficient">([^<]*)<', html) == ["0,3", "0,3", "0,8"]
    assert re.search(r'id="prize-total">3.300.000<', html)

    document = opened(documents.decision_docx(decision))
    rows = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    assert rows[0][-2:] == ["Hệ số", "Tiền thưởng (đồng)"]
    assert rows[2][-2:] == ["0,3", "710.000"] and rows[5][-2:] == ["0,8", "1.880.000"]
    assert "Tổng số tiền thưởng: 3.300.000 đồng." in all_text(document)


def test_a_base_salary_added_later_does_not_rewrite_an_issued_decision(desk, db):
    decision = issue(desk, db, _dossiers(desk, db), number="11/QĐ-SYT", signed_on="2024-07-01")
    services.add_base_salary(effective_from=date(2024, 7, 2), amount=3_000_000, source="thử",
                             by=desk.staff.user)
    db.session.commit()
    db.session.expire_all()
    assert _items(db, db.session.get(Decision, decision.id)) == [(0.3, 710_000), (0.3, 710_000), (0.8, 1_880_000)]
    later = issue(desk, db, _dossiers(desk, db, year=2024), number="12/QĐ-SYT", signed_on="2024-07-03")
    assert _items(db, later) == [(0.3, 900_000), (0.3, 900_000), (0.8, 2_400_000)]


def test_a_stored_award_type_takes_the_coefficient_its_admin_gave(desk, db):
    """A type the decrees' table does not list (the Minister's Bằng khen) is paid by its catalogue coefficient; a
    built-in type keeps the decree's, whatever the catalogue says."""
    from awards.catalog import services as catalog
    from awards.prizes import amounts

    admin = factories.user("admin")
    catalog.create_award_type(code="BK_BYT", name="Bằng khen của Bộ trưởng Bộ Y tế", subject="individual",
                              ballot="none", threshold=None, prize_coefficient=1.5, by=admin,
                              conditions=[{"rule": "no_discipline", "params": {"years": 1}}])
    db.session.commit()
    prize = amounts.prize_for("BK_BYT", "person", date(2026, 3, 20))
    assert (prize.coefficient, prize.amount) == (1.5, 3_510_000) and not prize.basis.confirmed
    assert amounts.prize_for("BK_NONE", "person", date(2026, 3, 20)).amount is None
    assert amounts.prize_for("LDTT", "person", date(2026, 3, 20)).coefficient == 0.3
