"""The hand-counted archive the report tests share."""

from datetime import date

import pytest

from awards.archive import services as archive
from tests import factories


@pytest.fixture
def province(db):
    """Sở → Bệnh viện A (not grassroots) → Trạm Y tế xã (grassroots); awards for 2025 counted by hand."""
    so = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=so)
    tram = factories.unit(code="TYT", name="Trạm Y tế xã Hòa An", parent=bva, grassroots=True)
    people = [
        # the 40-year boundary: born 1986-01-01 is 39 on 31/12/2025 (young); born 1985-12-31 is 40 (not young)
        factories.person(code="A", unit=bva, gender="female", birth_date=date(1986, 1, 1)),
        factories.person(code="B", unit=bva, gender="male", birth_date=date(1985, 12, 31), ethnic_minority=True),
        factories.person(code="C", unit=tram, gender="female", birth_date=date(1970, 3, 3), frontline=True),
        factories.person(code="D", unit=tram, gender="male", birth_date=None),
    ]
    n = 0

    def award(code, subject_code, subject_type="person", year=2025, decided=date(2026, 1, 15)):
        nonlocal n
        n += 1
        return archive.record_award(subject_type=subject_type, subject_code=subject_code, award_code=code,
                                    year=year, decision_number=f"{n}/QĐ", decision_date=decided, issuer="Sở Y tế")

    for person in people:
        award("LDTT", person.code)
    award("CSTDCS", "A")
    award("TTLDTT", "TYT", subject_type="unit")
    revoked = award("GIAY_KHEN", "B")
    archive.revoke_record(revoked, reason="Khen sai đối tượng", decision_number="TH/1",
                          decision_date=date(2026, 2, 1), by=None)
    award("LDTT", "A", year=2024, decided=date(2025, 5, 5))  # another year
    db.session.commit()
    return so, bva, tram
