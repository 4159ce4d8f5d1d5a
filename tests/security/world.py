"""A small province for the hostile-input tests: units, people, accounts, a council, a campaign and dossiers
in most states (draft to awarded), a closed session, a public list with open feedback, a decision, archive
records. Built through the real services, so the ids the fuzzer tries sometimes hit real rows."""

from dataclasses import dataclass, field
from datetime import date, datetime

from awards.announcements import decisions
from awards.announcements import services as announcements
from awards.archive import services as archive
from awards.campaigns import services as campaigns
from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from awards.extensions import db
from awards.units import services as units
from tests import factories


@dataclass
class World:
    token: str
    ids: dict[str, list] = field(default_factory=dict)


def seed_world() -> World:
    """The province of the fuzz tests (the clock at 10/03/2026, see the `at` fixture); committed."""
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=province, kind="hospital")
    station = factories.unit(code="TYT", name="Trạm Y tế xã Đồng Văn", parent=hospital, grassroots=True)
    admin = factories.user("admin", "staff", username="quantri")
    token = factories.token(admin)
    people = [factories.person(code=f"CB{n}", full_name=name, unit=hospital if n < 5 else station, gender=g)
              for n, (name, g) in enumerate([("Nguyễn Văn An", "male"), ("Đào Thị Bình", "female"),
                                              ("Lê Thị Cúc", "female"), ("Trần Văn Dũng", "male"),
                                              ("Phạm Thị Én", "female"), ("Hoàng Văn Giang", "male")], start=1)]
    units.add_person_evaluation(people[0], year=2025, rating="excellent", by=admin)
    units.add_initiative(people[1], year=2025, title="Quy trình tiếp đón người bệnh", scope="unit", by=admin)
    members = [factories.user("council_member", username=f"hoidong{n}",
                              person=factories.person(code=f"TV{n}", unit=province)) for n in range(3)]
    council = council_services.save_council(code="HD", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                                            chair_username=members[0].username,
                                            members=[(m.username, "member") for m in members[1:]], by=admin)
    campaign = campaigns.create_campaign(
        by=admin, launch=True, title="Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm 2026",
        kind="regular", year=2026, organizer_unit_code="SYT", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
        registration_deadline=date(2026, 3, 31), nomination_deadline=date(2026, 12, 15),
        award_codes=["LDTT", "CSTDCS", "TTLDTT"])

    draft = factories.nomination(people[0], "LDTT", status="draft", by=admin)
    submitted = factories.nomination(people[1], "LDTT", status="submitted", by=admin)
    to_decide = factories.nomination(people[2], "LDTT", by=admin)
    voted = [factories.nomination(p, "CSTDCS", by=admin) for p in people[3:5]]
    waiting = factories.nomination(people[5], "CSTDCS", by=admin)
    unit_dossier = factories.nomination(station, "TTLDTT", status="submitted", by=admin)

    closes = datetime(2026, 3, 12, 17, 0, tzinfo=clock.VIETNAM)
    closed = council_services.create_session(council=council, title="Phiên xét năm 2025",
                                             nomination_ids=[d.id for d in voted], closes_at=closes, by=admin)
    voting.open_session(closed, by=admin)
    for member in members:
        voting.cast_ballot(closed, votes={voted[0].id: "yes", voted[1].id: "no"}, by=member)
    voting.close_session(closed, by=admin)
    draft_session = council_services.create_session(council=council, title="Phiên xét bổ sung",
                                                    nomination_ids=[waiting.id], closes_at=closes, by=admin)
    listing = announcements.publish(title="Công khai danh sách đề nghị khen thưởng năm 2025",
                                    nomination_ids=[voted[0].id], opens_on=date(2026, 3, 10),
                                    closes_on=date(2026, 3, 16), by=admin)
    feedback = announcements.submit_feedback(listing, nomination_id=voted[0].id, name="Nguyễn Văn Hải",
                                             contact="0912 345 678", content="Đề nghị xem lại thành tích.")
    decision = decisions.issue_decision(number="15/QĐ-SYT", signed_on=date(2026, 3, 10), signer="Nguyễn Văn Sở",
                                        issuer="Sở Y tế", nomination_ids=[to_decide.id], by=admin)
    manual = archive.record_award(subject_type="unit", subject_code="BVA", award_code="TTLDTT", year=2024,
                                  decision_number="120/QĐ-UBND", decision_date=date(2025, 1, 15),
                                  issuer="UBND tỉnh", by=admin)
    db.session.commit()
    return World(token=token, ids={
        "unit": ["SYT", "BVA", "TYT"], "person": [p.code for p in people],
        "nomination": [d.id for d in (draft, submitted, to_decide, *voted, waiting, unit_dossier)],
        "session": [closed.id, draft_session.id], "announcement": [listing.id], "feedback": [feedback.id],
        "decision": [decision.id], "record": [decision.items[0].record_id, manual.id], "campaign": [campaign.id],
    })
