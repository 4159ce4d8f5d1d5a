"""Issue 25: a person nominated for an award type an admin added goes through the council's open vote, the
decision and into the archive, as a built-in award does (the stored type's ballot and name throughout)."""

from datetime import date

from awards.announcements.decisions import issue_decision
from awards.archive.models import AwardRecord
from awards.catalog import services as catalog
from awards.nominations.eligibility import checklist_of
from awards.units import services as units
from tests import factories


def test_a_stored_type_through_an_open_vote_to_the_archive(council, db):
    admin = factories.user("admin")
    catalog.create_award_type(
        code="BK_BYT", name="Bằng khen của Bộ trưởng Bộ Y tế", subject="both", ballot="open", threshold=None,
        level="ministerial", period_years=2, by=admin,
        conditions=[{"rule": "rating_years", "params": {"minimum": "excellent", "years": 2},
                     "basis": {"article": "Thông tư Bộ Y tế [check]", "text": "02 năm HTXSNV", "confirmed": False}}])
    units.set_competence(council.province, ["LDTT", "CSTDCS", "TTLDTT", "GIAY_KHEN", "BK_BYT"], by=admin)
    doctor = factories.person(unit=council.hospitals[1], full_name="Lê Văn Bác Sĩ")
    for year in (2024, 2025):
        units.add_person_evaluation(doctor, year=year, rating="excellent", by=admin)
    dossier = factories.nomination(doctor, "BK_BYT", 2025, by=council.staff.user)
    db.session.commit()
    lines = {c.rule: c for c in checklist_of(dossier).checks}
    assert lines["rating_years"].passed and lines["rating_years"].article == "Thông tư Bộ Y tế [check]"

    session_id = council.session([dossier])
    for member in council.members:
        assert council.vote(session_id, member, [(dossier, "yes")]).status_code == 201
    results = council.close(session_id).json
    item = next(i for i in results["items"] if i["nomination_id"] == dossier.id)
    assert item["yes"] == 10 and item["passed"] is True

    db.session.refresh(dossier)
    decision = issue_decision(number="5/QĐ-SYT", signed_on=date(2026, 3, 25), signer="Giám đốc", issuer="Sở Y tế",
                              nomination_ids=[dossier.id], unit_code="SYT", by=council.staff.user)
    db.session.commit()
    record = db.session.query(AwardRecord).filter_by(award_code="BK_BYT").one()
    assert record.decision_number == decision.number and (record.period_from, record.period_to) == (2024, 2025)
    assert dossier.status == "awarded"
