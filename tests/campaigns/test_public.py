"""Public campaign pages: no login, launched and closed campaigns only, results from the published archive."""

from datetime import date, datetime

import pytest

from awards.archive import services as archive
from awards.campaigns import services
from awards.campaigns.models import Campaign
from awards.core import clock, uploads
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PLAN = {"kind": "regular", "year": 2025, "organizer_unit_code": "SYT", "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 12, 31), "registration_deadline": date(2025, 3, 31),
        "nomination_deadline": date(2025, 12, 15), "award_codes": ["LDTT", "TTLDTT"],
        "theme": "Vì sức khỏe nhân dân", "targets_html": "<ul><li>100% đơn vị đăng ký</li></ul>",
        "criteria_html": "<p>Hoàn thành xuất sắc nhiệm vụ</p>"}


@pytest.fixture(autouse=True)
def at(monkeypatch):
    moment = datetime(2025, 6, 1, 9, 0, tzinfo=clock.VIETNAM)
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def province(db):
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top, kind="hospital")
    other = factories.unit(code="SGD", name="Sở Giáo dục")
    factories.person(code="CB1", full_name="Nguyễn Văn An", unit=bva, birth_date=date(1985, 5, 17))
    factories.person(code="CB2", full_name="Đào Thị Hạnh", unit=bva)
    factories.person(code="CB3", full_name="Lò Văn Páo", unit=bva)
    factories.person(code="CB4", full_name="Trần Thị Ngoài", unit=other)
    db.session.commit()


def campaign(db, title="Phong trào thi đua “Vì sức khỏe nhân dân”", launch=True, document=False, **values):
    created = services.create_campaign(title=title, by=None, launch=launch, **{**PLAN, **values})
    if document:
        created.launch_document = uploads.store(PDF, "Kế hoạch.pdf")
    db.session.commit()
    return created.id


def award(code, award_code="LDTT", year=2025, number="1/QĐ-SYT", **kw):
    return archive.record_award(subject_type="person", subject_code=code, award_code=award_code, year=year,
                                decision_number=number, decision_date=date(year + 1, 1, 15), issuer="Sở Y tế", **kw)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_is_public_and_shows_no_drafts(client, db, province):
    campaign(db)
    campaign(db, "Phong trào nháp bí mật", launch=False)
    closed = campaign(db, "Phong trào đã xong")
    services.close_campaign(db.session.get(Campaign, closed), by=None)
    db.session.commit()
    response = client.get("/public/campaigns")
    assert response.status_code == 200
    page = text(response)
    assert "Vì sức khỏe nhân dân" in page and "Đang triển khai" in page
    assert "Phong trào đã xong" in page and "Đã kết thúc" in page
    assert "nháp bí mật" not in page and "Đăng xuất" not in page


def test_an_empty_public_list_says_so(client, db):
    assert "Chưa có phong trào thi đua nào được phát động" in text(client.get("/public/campaigns"))


def test_the_detail_is_public_and_drafts_are_404(client, db, province):
    campaign_id = campaign(db, document=True)
    draft = campaign(db, "Phong trào nháp", launch=False, document=True)
    response = client.get(f"/public/campaigns/{campaign_id}")
    assert response.status_code == 200
    page = text(response)
    for expected in ("Vì sức khỏe nhân dân", "Đang triển khai", "31/03/2025", "15/12/2025",
                     "<li>100% đơn vị đăng ký</li>", "<p>Hoàn thành xuất sắc nhiệm vụ</p>", "Lao động tiên tiến",
                     "Tập thể lao động tiên tiến", f"/public/campaigns/{campaign_id}/launch-document",
                     "sau khi có quyết định khen thưởng"):
        assert expected in page, expected
    assert client.get(f"/public/campaigns/{draft}").status_code == 404
    assert client.get(f"/public/campaigns/{draft}/launch-document").status_code == 404
    assert client.get("/public/campaigns/9999").status_code == 404


def test_the_launch_document_downloads_without_login(client, db, province):
    with_document = campaign(db, document=True)
    without = campaign(db, "Không có văn bản")
    response = client.get(f"/public/campaigns/{with_document}/launch-document")
    assert response.status_code == 200 and response.data == PDF and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/public/campaigns/{without}/launch-document").status_code == 404


def test_results_show_published_awards_of_the_campaign_and_hide_the_rest(client, db, province):
    campaign_id = campaign(db)
    award("CB1")
    revoked = award("CB2", number="2/QĐ-SYT")
    archive.revoke_record(revoked, reason="Khai man thành tích", decision_number="9/QĐ-SYT",
                          decision_date=date(2026, 2, 1), by=None)
    award("CB3", number="3/QĐ-SYT", published=False)
    award("CB3", year=2024, number="4/QĐ-SYT")  # another year
    award("CB3", "GIAY_KHEN", number="5/QĐ-SYT")  # not one of the campaign's awards
    award("CB4", number="6/QĐ-SGD")  # outside the organizer's units
    db.session.commit()
    page = text(client.get(f"/public/campaigns/{campaign_id}"))
    results = page[page.index('id="results"'):]
    assert "Nguyễn Văn An" in results and "1/QĐ-SYT" in results and "Bệnh viện A" in results
    for hidden in ("Đào Thị Hạnh", "Lò Văn Páo", "Trần Thị Ngoài"):
        assert hidden not in results, hidden
    for private in ("17/05/1985", "1985-05-17", "CB1", "Ngày sinh"):
        assert private not in page, private


def test_no_results_yet_says_when_they_come(client, db, province):
    campaign_id = campaign(db)
    assert "Chưa có quyết định khen thưởng nào được công bố" in text(client.get(f"/public/campaigns/{campaign_id}"))
