"""The public pages of public review and results (no login): the list and its feedback form, the results with
their filters, one decision, the Atom feed, and the honour board's "awarded" mark."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from awards.announcements import decisions
from awards.announcements.models import Feedback
from awards.archive import services as archive_services
from awards.campaigns import examples
from awards.campaigns import services as campaign_services
from awards.core import clock
from awards.extensions import limiter
from tests import factories
from tests.announcements.conftest import CLOSES, OPENS
from tests.conftest import CSRF_INPUT
from tests.web import count_statements

ATOM = "{http://www.w3.org/2005/Atom}"
REFERENCE = re.compile(r"YK-2026-[A-Z2-9]{6}")
SUMMARY = "Hoàn thành xuất sắc nhiệm vụ năm 2025.\nCứu sống 3 bệnh nhân nặng <script>alert(1)</script>"


def moment(day: date, hour=9):
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=clock.VIETNAM)


def stored_feedback(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Feedback))


@pytest.fixture
def listed(desk, db):
    """A list of two nominees (one with a hostile summary), open from OPENS to CLOSES."""
    an = desk.appraised("LDTT", summary=SUMMARY, full_name="Nguyễn Văn An", code="NV-BI-MAT")
    binh = desk.appraised("LDTT", summary="Tận tình với người bệnh.", full_name="Trần Thị Bình")
    published = desk.publish([an, binh])
    assert published.status_code == 201, published.json
    return published.json["id"], an, binh


def csrf_of(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1) or match.group(2)


def send(client, announcement_id, csrf, nominee, **fields):
    body = {"csrf_token": csrf, "nomination_id": str(nominee.id), "name": "Lê Văn Dân", "contact": "0912 345 678",
            "content": "Ông An từng bị nhắc nhở vì đi làm muộn.", "website": "", **fields}
    return client.post(f"/public/announcements/{announcement_id}/feedback", data=body)


# --- the public list ---------------------------------------------------------------------------------------------

def test_the_list_shows_each_nominee_and_nothing_private(client, listed, at):
    announcement_id, an, binh = listed
    at(moment(OPENS))
    response = client.get(f"/public/announcements/{announcement_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Công khai danh sách đề nghị khen thưởng năm 2025" in html
    assert "Đang lấy ý kiến đến hết ngày 16/03/2026" in html
    for text in ("Nguyễn Văn An", "Trần Thị Bình", "Bệnh viện Đa khoa A", "Lao động tiên tiến",
                 "Hoàn thành xuất sắc nhiệm vụ năm 2025.\nCứu sống 3 bệnh nhân nặng", "Tận tình với người bệnh."):
        assert text in html, text
    assert 'class="summary-text' in html  # line breaks kept by CSS, not by marking the summary safe
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    for private in ("NV-BI-MAT", an.person.code, binh.person.code, "17/05/1985", "1985-05-17", "1985",
                    "report.pdf", "proposal.pdf"):
        assert private not in html, private
    index = client.get("/public/announcements").get_data(as_text=True)
    assert f"/public/announcements/{announcement_id}" in index and "2 người, tập thể được đề nghị" in index


def test_open_lists_come_first_in_the_index(client, desk, db, at):
    old = desk.publish([desk.appraised("LDTT")], opens_on=date(2026, 3, 2), closes_on=date(2026, 3, 6))
    current = desk.publish([desk.appraised("LDTT")], opens_on=date(2026, 3, 9), closes_on=date(2026, 3, 20))
    coming = desk.publish([desk.appraised("LDTT")], opens_on=date(2026, 3, 30), closes_on=date(2026, 4, 10))
    at(moment(date(2026, 3, 12)))
    html = client.get("/public/announcements").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'/public/announcements/(\d+)"', html)]
    assert order == [current.json["id"], coming.json["id"], old.json["id"]]


def test_the_list_takes_the_same_number_of_queries_for_two_or_six_nominees(app, client, desk, db, at):
    at(moment(OPENS))
    few = desk.publish([desk.appraised("LDTT") for _i in range(2)]).json["id"]
    many = desk.publish([desk.appraised("LDTT") for _i in range(6)]).json["id"]
    small, _html = count_statements(app, client, f"/public/announcements/{few}")
    big, html = count_statements(app, client, f"/public/announcements/{many}")
    assert html.count('class="card mb-3 nominee"') == 6
    assert big == small and big <= 6, (small, big)


# --- the feedback form ---------------------------------------------------------------------------------------

def test_feedback_form_errors_keep_what_was_typed_and_store_nothing(client, db, listed, at):
    announcement_id, an, _binh = listed
    at(moment(OPENS))
    page = client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True)
    assert 'name="website"' in page and 'class="hp-field"' in page
    assert re.search(r'<input[^>]*autocomplete="off"[^>]*name="website"[^>]*tabindex="-1"', page)
    assert "Tối đa 5.000 ký tự" in page and 'maxlength="5000"' in page
    csrf = csrf_of(page)

    missing = send(client, announcement_id, csrf, an, name="  ", contact="", content="Nội dung tôi đã viết dở")
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400
    assert html.count("Trường này là bắt buộc.") == 2 and "Ý kiến chưa được gửi" in html
    assert "Nội dung tôi đã viết dở" in html  # what they typed is kept
    bad_contact = send(client, announcement_id, csrf, an, contact="hỏi chị Lan")
    assert bad_contact.status_code == 400
    assert "Nhập số điện thoại" in bad_contact.get_data(as_text=True)
    assert 'value="hỏi chị Lan"' in bad_contact.get_data(as_text=True)
    too_long = send(client, announcement_id, csrf, an, content="x" * 5001)
    assert too_long.status_code == 400 and "Tối đa 5.000 ký tự." in too_long.get_data(as_text=True)
    limiter.reset()
    not_listed = send(client, announcement_id, csrf, an, nomination_id="999999")
    assert not_listed.status_code == 400
    assert "Chọn người được đề nghị mà bạn góp ý." in not_listed.get_data(as_text=True)
    robot = send(client, announcement_id, csrf, an, website="http://spam.example")
    assert robot.status_code == 400 and "Không gửi được ý kiến." in robot.get_data(as_text=True)
    assert stored_feedback(db) == 0


def test_feedback_success_shows_the_reference_and_stores_the_case(client, db, listed, at):
    announcement_id, an, binh = listed
    at(moment(OPENS))
    page = client.get(f"/public/announcements/{announcement_id}?nominee={binh.id}#gop-y").get_data(as_text=True)
    assert re.search(rf'<option selected value="{binh.id}">|<option value="{binh.id}" selected>', page)
    sent = send(client, announcement_id, csrf_of(page), binh, content="Chị Bình\r\nrất tận tình.")
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/{announcement_id}/feedback/sent")
    shown = client.get(sent.headers["Location"]).get_data(as_text=True)
    reference = REFERENCE.search(shown).group(0)
    assert re.search(rf"Số tham chiếu: <strong[^>]*>{reference}</strong> — vui lòng ghi lại", shown)
    case = db.session.scalars(select(Feedback)).one()
    assert (case.reference, case.nomination_id, case.name, case.contact) == (reference, binh.id, "Lê Văn Dân",
                                                                               "0912 345 678")
    assert case.content == "Chị Bình\nrất tận tình." and case.status == "open"
    again = client.get(f"/public/announcements/{announcement_id}/feedback/sent").get_data(as_text=True)
    assert reference in again  # a reload shows it again, without sending twice
    assert stored_feedback(db) == 1


def test_feedback_without_csrf_is_refused(client, db, listed, at):
    announcement_id, an, _binh = listed
    at(moment(OPENS))
    client.get(f"/public/announcements/{announcement_id}")
    response = send(client, announcement_id, "", an)
    assert response.status_code == 400 and stored_feedback(db) == 0


def test_the_sixth_post_in_a_minute_is_refused_kindly(client, db, listed, at):
    announcement_id, an, _binh = listed
    at(moment(OPENS))
    csrf = csrf_of(client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True))
    statuses = [send(client, announcement_id, csrf, an, content=f"Ý kiến số {n}").status_code for n in range(5)]
    assert statuses == [303] * 5
    sixth = send(client, announcement_id, csrf, an, content="Ý kiến <b>thứ sáu</b>")
    html = sixth.get_data(as_text=True)
    assert sixth.status_code == 429 and sixth.headers["Retry-After"]
    assert "5 ý kiến mỗi phút" in html and "Ý kiến &lt;b&gt;thứ sáu&lt;/b&gt;" in html
    assert stored_feedback(db) == 5


def test_the_form_and_the_json_endpoint_share_one_count_per_address(client, desk, db, listed, at):
    announcement_id, an, _binh = listed
    at(moment(OPENS))
    csrf = csrf_of(client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True))
    statuses = [send(client, announcement_id, csrf, an, content=f"Qua trang {n}").status_code for n in range(3)]
    body = {"nomination_id": an.id, "name": "Lê Dân", "contact": "0912345678", "content": "Qua API"}
    statuses += [desk.api.post(f"/api/v1/public/announcements/{announcement_id}/feedback", json=body).status_code
                 for _n in range(3)]
    assert statuses == [303, 303, 303, 201, 201, 429]
    assert stored_feedback(db) == 5


def test_the_form_is_only_there_while_the_list_is_open(client, db, listed, at):
    announcement_id, an, _binh = listed
    at(moment(OPENS))
    csrf = csrf_of(client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True))
    at(moment(OPENS - timedelta(days=1)))
    before = client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True)
    assert "Chưa đến thời gian lấy ý kiến" in before and 'name="content"' not in before
    assert send(client, announcement_id, csrf, an).status_code == 409
    at(moment(CLOSES + timedelta(days=1)))
    after = client.get(f"/public/announcements/{announcement_id}").get_data(as_text=True)
    assert "Đã hết thời gian lấy ý kiến" in after and 'name="content"' not in after
    assert send(client, announcement_id, csrf, an).status_code == 409
    assert stored_feedback(db) == 0
    assert client.get("/public/announcements/999999").status_code == 404


# --- results, one decision, the feed ------------------------------------------------------------------------------

@pytest.fixture
def decided(desk, db, at):
    """Two decisions: 12/QĐ-SYT (2026) for An, Bình (hospital under the Sở) and an outsider of a commune under it,
    Bình's award since revoked; 7/QĐ-SYT (2025) giving a Giấy khen to Cường, in a campaign."""
    at(moment(date(2026, 3, 25)))
    an = desk.appraised("LDTT", full_name="Nguyễn Văn An")
    binh = desk.appraised("LDTT", full_name="Trần Thị Bình")
    commune = factories.unit(code="UBX", name="UBND xã X", parent=desk.province)  # the Sở's level handles it too
    outsider = factories.nomination(factories.person(unit=commune,
                                                     full_name="Phạm Văn Ngoài"), "LDTT", by=desk.staff.user)
    cuong = factories.nomination(factories.person(unit=desk.hospital, full_name="Lê Văn Cường"), "GIAY_KHEN",
                                 by=desk.staff.user)
    campaign = campaign_services.create_campaign(
        title="Phong trào Thi đua yêu nước", kind="regular", year=2025, organizer_unit_code="SYT", launch=True,
        starts_on=date(2025, 1, 1), registration_deadline=date(2025, 3, 31), ends_on=date(2025, 12, 31),
        nomination_deadline=date(2025, 12, 15), award_codes=["GIAY_KHEN"], by=None)
    cuong.campaign_id = campaign.id
    db.session.flush()
    earlier = decisions.issue_decision(number="7/QĐ-SYT", signed_on=date(2025, 12, 30), signer="Giám đốc",
                                       issuer="Sở Y tế", nomination_ids=[cuong.id], by=desk.staff.user)
    later = decisions.issue_decision(number="12/QĐ-SYT", signed_on=date(2026, 3, 20), signer="Nguyễn Văn Giám Đốc",
                                     issuer="Sở Y tế & Môi trường <tỉnh>", nomination_ids=[an.id, binh.id, outsider.id],
                                     by=desk.staff.user)
    archive_services.revoke_record(later.items[1].record, reason="Khai man thành tích", decision_number="TH-1",
                                   decision_date=date(2026, 3, 25), by=desk.staff.user)
    db.session.commit()
    return {"earlier": earlier.id, "later": later.id, "campaign": campaign.id}


def names_in(html: str) -> set[str]:
    return {n for n in ("Nguyễn Văn An", "Trần Thị Bình", "Phạm Văn Ngoài", "Lê Văn Cường") if n in html}


def test_results_list_recipients_without_revoked_awards_and_filter(client, decided):
    html = client.get("/public/results").get_data(as_text=True)
    assert '<option value="Sở Y tế">' in html and "mã đơn vị" not in html  # the filter suggests names
    assert names_in(html) == {"Nguyễn Văn An", "Phạm Văn Ngoài", "Lê Văn Cường"}
    assert "Quyết định số 12/QĐ-SYT ngày 20/03/2026" in html and "Giấy khen" in html
    assert html.index("12/QĐ-SYT") < html.index("7/QĐ-SYT")  # newest first
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="http://localhost/public/'
                     r'decisions\.atom"', html)
    cases = {"year=2025": {"Lê Văn Cường"}, "year=2026": {"Nguyễn Văn An", "Phạm Văn Ngoài"},
             "unit=SYT": {"Nguyễn Văn An", "Lê Văn Cường", "Phạm Văn Ngoài"},  # the hospital, the commune below
             "unit=UBX": {"Phạm Văn Ngoài"}, "award=GIAY_KHEN": {"Lê Văn Cường"},
             "q=nguyen van an": {"Nguyễn Văn An"}, "q=NGUYEN": {"Nguyễn Văn An"}, "q=ngoai": {"Phạm Văn Ngoài"},
             "q=van+a": {"Nguyễn Văn An"}, f"campaign={decided['campaign']}": {"Lê Văn Cường"},
             "year=2026&unit=BVA": {"Nguyễn Văn An"}, "q=binh": set(), "unit=NOPE": set(),
             # by name, as a reader types it (issue 19, friction 8): with or without diacritics, from a word's start
             "unit=Sở Y tế": {"Nguyễn Văn An", "Lê Văn Cường", "Phạm Văn Ngoài"},
             "unit=da khoa": {"Nguyễn Văn An", "Lê Văn Cường"},
             "unit=ubnd xa": {"Phạm Văn Ngoài"}, "unit=khoa x": set()}
    for query, expected in cases.items():
        page = client.get(f"/public/results?{query}")
        assert page.status_code == 200
        found = page.get_data(as_text=True)
        assert names_in(found.split('role="search"')[1]) == expected, query


def test_results_and_decision_pages_take_a_bounded_number_of_queries(app, client, desk, decided):
    small, _html = count_statements(app, client, "/public/results?unit=SYT")
    decision_small, _html = count_statements(app, client, f"/public/decisions/{decided['later']}")
    more = [desk.appraised("LDTT") for _i in range(6)]
    decision = decisions.issue_decision(number="20/QĐ-SYT", signed_on=date(2026, 3, 21), signer="Giám đốc",
                                        issuer="Sở Y tế", nomination_ids=[n.id for n in more], by=desk.staff.user)
    desk.db.session.commit()
    big, html = count_statements(app, client, "/public/results?unit=SYT")
    assert html.count("<tr>") - 1 == 3 + 6  # the header row, then one row per recipient
    decision_big, _html = count_statements(app, client, f"/public/decisions/{decision.id}")
    assert big == small and decision_big == decision_small, (small, big, decision_small, decision_big)


def test_one_decision_page(client, decided):
    response = client.get(f"/public/decisions/{decided['later']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Quyết định số 12/QĐ-SYT ngày 20/03/2026" in html and "Nguyễn Văn Giám Đốc" in html
    assert "Sở Y tế &amp; Môi trường &lt;tỉnh&gt;" in html
    assert names_in(html) == {"Nguyễn Văn An", "Phạm Văn Ngoài"}  # Bình's award was revoked: left out
    # the Sở's one book, whatever the wording of its issuer: 7/QĐ-SYT took number 1, this one 2 to 4
    assert re.search(r"<td>2</td>\s*<td[^>]*>Nguyễn Văn An</td>\s*<td>Bệnh viện Đa khoa A</td>", html)
    assert re.search(r"<td>4</td>\s*<td[^>]*>Phạm Văn Ngoài</td>\s*<td>UBND xã X</td>", html)
    assert client.get("/public/decisions/999999").status_code == 404


def test_the_atom_feed(client, decided):
    response = client.get("/public/decisions.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/public/decisions.atom"
    assert feed.findtext(f"{ATOM}title") and feed.findtext(f"{ATOM}author/{ATOM}name")
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": "http://localhost/public/decisions.atom", "alternate": "http://localhost/public/results"}
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Quyết định số 12/QĐ-SYT ngày 20/03/2026",
                                                             "Quyết định số 7/QĐ-SYT ngày 30/12/2025"]
    first = entries[0]
    url = f"http://localhost/public/decisions/{decided['later']}"
    assert first.findtext(f"{ATOM}id") == url and first.find(f"{ATOM}link").get("href") == url
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
    datetime.fromisoformat(first.findtext(f"{ATOM}updated"))
    assert first.findtext(f"{ATOM}summary").startswith("2 cá nhân, tập thể được khen thưởng")  # revoked: not counted
    assert "Sở Y tế & Môi trường <tỉnh>" in first.findtext(f"{ATOM}summary")  # escaped in XML, read back intact
    assert client.get(url.removeprefix("http://localhost")).status_code == 200


def test_the_empty_feed_is_still_valid(client, db):
    feed = ET.fromstring(client.get("/public/decisions.atom").data)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")


def test_the_archive_search_links_to_the_results(client, db):
    html = client.get("/public/archive").get_data(as_text=True)
    assert 'href="/public/results"' in html and 'href="/public/announcements"' in html


# --- the honour board marks the awarded ----------------------------------------------------------------------

def test_the_honour_board_marks_examples_awarded_in_their_year_or_later(client, desk, db, at):
    at(moment(date(2026, 6, 30)))
    campaign = campaign_services.create_campaign(
        title="Phong trào 2026", kind="regular", year=2026, organizer_unit_code="SYT", launch=True,
        starts_on=date(2026, 1, 1), registration_deadline=date(2026, 3, 31), ends_on=date(2026, 12, 31),
        nomination_deadline=date(2026, 12, 15), award_codes=["LDTT"], by=None)
    awarded = factories.person(unit=desk.hospital, full_name="Đỗ Thị Vinh")
    earlier = factories.person(unit=desk.hospital, full_name="Hà Văn Cũ")
    for person, year in ((awarded, 2026), (earlier, 2025)):
        archive_services.record_award(subject_type="person", subject_code=person.code, award_code="CSTDCS",
                                      year=year, decision_number=f"{year}/QĐ", decision_date=date(year, 6, 1),
                                      issuer="Sở Y tế")
    for person in (awarded, earlier):
        example = examples.create_example(campaign, subject_type="person", subject_code=person.code,
                                          title=f"Điển hình {person.full_name}", story_html="",
                                          on=date(2026, 4, 1), by=None)
        for offset, stage in enumerate(("nurtured", "summarised", "replicated")):
            examples.advance_example(example, to=stage, on=date(2026, 4, 2 + offset), by=None)
    db.session.commit()
    html = client.get("/public/honour-board").get_data(as_text=True)
    cards = {name: next(card for card in html.split("<article")[1:] if name in card)
             for name in ("Đỗ Thị Vinh", "Hà Văn Cũ")}
    assert "Đã được khen thưởng: Chiến sĩ thi đua cơ sở năm 2026" in cards["Đỗ Thị Vinh"]
    assert "Đã được khen thưởng" not in cards["Hà Văn Cũ"]  # awarded before the campaign's year only
