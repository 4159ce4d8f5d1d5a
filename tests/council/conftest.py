"""A council of members with accounts bound to people, and appraised dossiers to put on its agenda."""

from datetime import datetime

import pytest

from awards.core import clock
from awards.council import services
from tests import factories

CLOSES = datetime(2026, 3, 20, 17, 0, tzinfo=clock.VIETNAM)


class Council:
    """The council's people, its API clients and helpers to run a session over the API."""

    def __init__(self, api, db, size):
        self.api, self.db = api, db
        self.province = factories.unit(code="SYT", name="Sở Y tế")
        self.hospitals = [factories.unit(code=f"BV{n}", name=f"Bệnh viện {n}", parent=self.province)
                          for n in range(1, 4)]
        self.staff = api.as_("staff")
        self.members = []
        for n in range(size):
            person = factories.person(code=f"TV{n:02d}", full_name=f"Thành viên Hội đồng {n}",
                                      unit=self.province if n else self.hospitals[0])
            self.members.append(api.as_("council_member", person=person))
        services.save_council(code="HD-SYT", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                              chair_username=self.members[0].user.username,
                              members=[(m.user.username, "member") for m in self.members[1:]], by=self.staff.user)
        db.session.commit()

    def dossiers(self, *awards, unit=None):
        result = []
        for award in awards:
            if award in ("CO_TINH", "CO_CP", "TTLDXS"):
                subject = factories.unit(parent=unit or self.hospitals[1])
            else:
                subject = factories.person(unit=unit or self.hospitals[1])
            result.append(factories.nomination(subject, award, by=self.staff.user))
        self.db.session.commit()
        return result

    def session(self, dossiers, *, open_=True, closes_at=CLOSES):
        response = self.staff.post("/api/v1/council-sessions", json={
            "council_code": "HD-SYT", "title": "Phiên xét danh hiệu năm 2025",
            "nomination_ids": [d.id for d in dossiers], "closes_at": closes_at.isoformat()})
        assert response.status_code == 201, response.json
        session_id = response.json["id"]
        if open_:
            opened = self.staff.post(f"/api/v1/council-sessions/{session_id}/open")
            assert opened.status_code == 200, opened.json
        return session_id

    def vote(self, session_id, member, votes):
        return member.post(f"/api/v1/council-sessions/{session_id}/ballots", json={
            "votes": [{"nomination_id": d.id, "choice": c} for d, c in votes]})

    def close(self, session_id, by=None):
        return (by or self.staff).post(f"/api/v1/council-sessions/{session_id}/close")


@pytest.fixture
def council(api, db, at):
    return Council(api, db, 10)
