"""Dossiers ready for publicity and decisions: appraised ones, and ones the council has passed."""

from datetime import date, datetime

import pytest

from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from tests import factories

OPENS, CLOSES = date(2026, 3, 10), date(2026, 3, 16)  # Tue..Mon: 5 working days


class Desk:
    """The secretariat's desk: a unit with people, a one-member council, helpers over the API."""

    def __init__(self, api, db):
        self.api, self.db = api, db
        self.province = factories.unit(code="SYT", name="Sở Y tế")
        self.hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=self.province)
        self.staff = api.as_("staff")
        self.officer = api.as_("unit_officer", unit=self.hospital)
        self.member = factories.user("council_member")
        council_services.save_council(code="HD", name="Hội đồng", unit_code="SYT",
                                      chair_username=self.member.username, members=[], by=self.staff.user)
        db.session.commit()

    def appraised(self, award="LDTT", summary="", **person):
        subject = factories.person(unit=self.hospital, **person)
        return factories.nomination(subject, award, by=self.staff.user, summary=summary)

    def passed(self, *awards):
        dossiers = [self.appraised(award) for award in awards]
        closes = datetime(2026, 3, 9, 17, 0, tzinfo=clock.VIETNAM)
        session = council_services.create_session(council=self.council, title="Phiên xét",
                                                   nomination_ids=[d.id for d in dossiers], closes_at=closes,
                                                   by=self.staff.user)
        voting.open_session(session, by=self.staff.user)
        voting.cast_ballot(session, votes={d.id: "yes" for d in dossiers}, by=self.member)
        voting.close_session(session, by=self.staff.user)
        self.db.session.commit()
        return dossiers

    @property
    def council(self):
        from awards.council.queries import council_by_code
        return council_by_code("HD")

    def publish(self, dossiers, opens_on=OPENS, closes_on=CLOSES):
        return self.staff.post("/api/v1/announcements", json={
            "title": "Công khai danh sách đề nghị khen thưởng năm 2025", "nomination_ids": [d.id for d in dossiers],
            "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()})


@pytest.fixture
def desk(api, db, at):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    desk = Desk(api, db)
    desk.at = at  # tests move the app's clock to the day a decision is signed
    return desk
