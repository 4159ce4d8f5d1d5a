"""A province in March 2026 with some of every kind of waiting work: dossiers waiting at the appraisal desk (one
long past its norm), one returned and one draft at a hospital, a public list closing within the week with an open
feedback case, council sessions to open and to vote, one dossier ready for a decision and one already awarded,
and a campaign open for registration."""

from datetime import date, datetime

import pytest

from awards.announcements import decisions as decision_services
from awards.announcements import services as announcements
from awards.campaigns import services as campaigns
from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from awards.council.queries import council_by_code
from awards.extensions import db as _db
from awards.nominations import services as nominations
from tests import factories

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM)  # a Tuesday
VOTE_CLOSES = datetime(2026, 3, 12, 17, 0, tzinfo=clock.VIETNAM)
RETURN_REASON = "Thiếu báo cáo thành tích có xác nhận của thủ trưởng đơn vị"


class Province:
    def __init__(self):
        self.top = factories.unit(code="SYT", name="Sở Y tế")
        self.bva = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=self.top, kind="hospital")
        self.bvb = factories.unit(code="BVB", name="Bệnh viện B", parent=self.top, kind="hospital")
        self.staff = factories.user("staff", full_name="Nguyễn Thị Ánh Tuyết")
        self.officer = factories.user("unit_officer", unit=self.bva, full_name="Trần Văn Bình")
        chair = factories.person(code="TV01", full_name="Lê Thị Chủ Tịch", unit=self.top)
        self.member = factories.user("council_member", person=chair, full_name="Lê Thị Chủ Tịch")
        council_services.save_council(code="HD", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                                      chair_username=self.member.username, members=[], by=self.staff)
        self.campaign = campaigns.create_campaign(by=None, launch=True, **{
            "title": "Phong trào “Cán bộ y tế vì sức khỏe nhân dân” năm 2026", "kind": "regular", "year": 2026,
            "organizer_unit_code": "SYT", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31),
            "registration_deadline": date(2026, 3, 31), "nomination_deadline": date(2026, 12, 15),
            "award_codes": ["LDTT", "CSTDCS", "TTLDTT"]})
        campaigns.register(self.campaign, self.bvb, collective_award_codes=["TTLDTT"], by=None)
        self._dossiers()
        _db.session.commit()

    def _person(self, unit, name):
        return factories.person(full_name=name, unit=unit)

    def _dossiers(self):
        by = self.staff
        self.overdue = factories.nomination(self._person(self.bvb, "Phạm Văn Quá Hạn"), "LDTT", status="submitted",
                                            by=by)
        self.overdue.submitted_at = datetime(2026, 1, 5, 9, 0, tzinfo=clock.VIETNAM)
        self.fresh = factories.nomination(self._person(self.bva, "Đỗ Thị Mới Nộp"), "LDTT", status="submitted", by=by)
        self.returned = factories.nomination(self._person(self.bva, "Hoàng Văn Bổ Sung"), "LDTT", status="submitted",
                                             by=by)
        nominations.return_for_supplement(self.returned, reason=RETURN_REASON, by=by)
        self.draft = factories.nomination(self._person(self.bva, "Vũ Thị Đang Soạn"), "LDTT", status="draft", by=by)
        self.ready = factories.nomination(self._person(self.bvb, "Ngô Văn Sẵn Sàng"), "LDTT", by=by)
        self.won = factories.nomination(self._person(self.bva, "Bùi Thị Được Khen"), "LDTT", by=by)
        decision_services.issue_decision(number="15/QĐ-SYT", signed_on=date(2026, 3, 9), signer="Giám đốc Sở",
                                         issuer="Sở Y tế", nomination_ids=[self.won.id], by=by)
        self.listed = factories.nomination(self._person(self.bvb, "Trịnh Văn Công Khai"), "LDTT", by=by)
        self.announcement = announcements.publish(
            title="Công khai danh sách đề nghị khen thưởng đợt 1", nomination_ids=[self.listed.id],
            opens_on=date(2026, 3, 10), closes_on=date(2026, 3, 16), by=by)
        announcements.submit_feedback(self.announcement, nomination_id=self.listed.id, name="Nguyễn Văn Dân",
                                      contact="0912345678", content="Đề nghị xem lại thành tích.")
        agenda = [factories.nomination(self._person(self.bvb, f"Người Hội Đồng {n}"), "CSTDCS", by=by)
                  for n in range(3)]
        council = council_by_code("HD")
        self.draft_session = council_services.create_session(
            council=council, title="Phiên xét đợt 2", nomination_ids=[agenda[0].id], closes_at=VOTE_CLOSES, by=by)
        self.open_session = council_services.create_session(
            council=council, title="Phiên xét danh hiệu năm 2025", nomination_ids=[a.id for a in agenda[1:]],
            closes_at=VOTE_CLOSES, by=by)
        voting.open_session(self.open_session, by=by)


@pytest.fixture
def province(db, at):
    at(NOW)
    return Province()
