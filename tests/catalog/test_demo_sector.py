"""Issue 25 in the demo: the health sector's awards are stored types with their conditions (the unverified ones
marked), every demo person has a start date in the sector, and the years-of-service medal finds its people."""

from datetime import date

from sqlalchemy import select

from awards.archive import eligibility
from awards.catalog import services as catalog
from awards.demo import cli as demo
from awards.units.models import Person


def test_the_demo_has_the_sectors_awards_and_start_dates(db):
    counts = demo.load_demo(db.session)
    assert counts["award_types"] == 4
    stored = catalog.stored_types()
    assert list(stored) == ["BK_BYT", "KNC_VSKND", "TTUT", "TTND"]
    assert stored["BK_BYT"].subjects == ("individual", "collective") and stored["BK_BYT"].level == "ministerial"
    medal = stored["KNC_VSKND"].conditions[0]
    assert medal["params"] == {"min_years": 20, "min_years_women": 15} and medal["basis"]["confirmed"] is False
    assert all(c["basis"]["article"] for a in stored.values() for c in a.conditions)
    people = db.session.scalars(select(Person)).all()
    assert all(p.sector_start_date is not None and p.sector_start_date < date.today() for p in people)
    assert all(p.birth_date is None or p.sector_start_date > p.birth_date for p in people)
    year = date.today().year - 1
    results = eligibility.preview("KNC_VSKND", year, "person")
    assert len(results) == 10
    lines = [next(c for c in r.checks if c.rule == "years_of_service") for r in results]
    assert all("năm công tác" in line.detail for line in lines)
