"""Each role's home page: the work waiting for them, counted right, each count a link that reaches the list
showing exactly that work; and the public home for anyone not signed in."""

import re
from datetime import datetime

from awards.core import clock
from tests.home.conftest import RETURN_REASON
from tests.web import text_of, web


def _task(html: str, label: str) -> tuple[int, str]:
    """The count and the link of the home's task named `label`."""
    match = re.search(r'<a class="card[^"]*home-task[^"]*" href="([^"]+)">\s*<span[^>]*>\s*'
                      r'<span class="home-count">(\d+)</span>\s*<span>\s*<span[^>]*>' + re.escape(label), html)
    assert match, f"no task “{label}” on the home page"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_staff_home_counts_the_waiting_work_and_links_to_each_list(app, province):
    client = web(app, province.staff)
    html = text_of(client.get("/"))
    assert "Xin chào, Nguyễn Thị Ánh Tuyết" in html and "Việc đang chờ thường trực" in html
    expected = {
        "Hồ sơ chờ thẩm định": (2, "/nominations/queue"),
        "Hồ sơ quá hạn thẩm định": (1, "/nominations/queue?waiting=overdue"),
        "Ý kiến phản ánh đang xử lý": (1, "/feedback"),
        "Danh sách công khai kết thúc trong 7 ngày": (1, "/announcements?ending=week"),
        "Phiên họp chờ mở bỏ phiếu": (1, "/council/sessions?status=draft"),
        "Phiên họp đã hết hạn, chờ kết thúc": (0, "/council/sessions?status=open"),
        "Hồ sơ sẵn sàng ban hành quyết định": (1, "/decisions/new"),
        "Đơn vị chưa đăng ký thi đua": (1, f"/campaigns/{province.campaign.id}#registrations"),
    }
    for label, want in expected.items():
        assert _task(html, label) == want, label
    queue = text_of(client.get("/nominations/queue?waiting=overdue"))
    assert "Phạm Văn Quá Hạn" in queue and "Đỗ Thị Mới Nộp" not in queue
    assert "Công khai danh sách đề nghị khen thưởng đợt 1" in text_of(client.get("/announcements?ending=week"))
    assert "Trịnh Văn Công Khai" in text_of(client.get("/feedback"))
    assert "Phiên xét đợt 2" in text_of(client.get("/council/sessions?status=draft"))
    assert "Ngô Văn Sẵn Sàng" in text_of(client.get("/decisions/new"))


def test_staff_home_shows_the_longest_waiting_first_with_the_clock(app, province):
    html = text_of(web(app, province.staff).get("/"))
    preview = html[html.index("Hồ sơ chờ thẩm định lâu nhất"):]
    assert preview.index("Phạm Văn Quá Hạn") < preview.index("Đỗ Thị Mới Nộp")
    assert re.search(r"Phạm Văn Quá Hạn.*?ngày làm việc.*?Quá hạn", preview, re.S)
    assert f'href="/nominations/{province.overdue.id}/appraise"' in preview


def test_a_session_past_its_deadline_waits_to_be_closed(app, province, at):
    at(datetime(2026, 3, 13, 9, 0, tzinfo=clock.VIETNAM))
    html = text_of(web(app, province.staff).get("/"))
    assert _task(html, "Phiên họp đã hết hạn, chờ kết thúc") == (1, "/council/sessions?status=open")
    assert "Phiên xét danh hiệu năm 2025" in text_of(web(app, province.staff).get("/council/sessions?status=open"))


def test_officer_home_says_what_to_do(app, province):
    client = web(app, province.officer)
    html = text_of(client.get("/"))
    assert "Việc đang chờ thường trực" not in html and "Hồ sơ chờ thẩm định" not in html
    assert "Bổ sung hồ sơ: Hoàng Văn Bổ Sung" in html and RETURN_REASON in html
    assert f'href="/nominations/{province.returned.id}"' in html
    assert "Hoàn thiện và nộp hồ sơ: Vũ Thị Đang Soạn" in html
    # the campaign, its deadline, and that BVA has not registered yet
    assert "Phong trào “Cán bộ y tế vì sức khỏe nhân dân” năm 2026" in html
    assert "Hạn đăng ký thi đua: 31/03/2026" in html and "Bệnh viện Đa khoa A chưa đăng ký" in html
    register = f"/campaigns/{province.campaign.id}/register?unit=BVA"
    assert f'href="{register}"' in html and client.get(register).status_code == 200
    # the unit's dossiers by status, each a link to the filtered list
    assert re.search(r'href="/nominations\?status=returned">Trả lại để bổ sung</a>\s*<span[^>]*>1</span>', html)
    assert "Hoàng Văn Bổ Sung" in text_of(client.get("/nominations?status=returned"))
    # results decided for the unit, only theirs
    assert "Bùi Thị Được Khen" in html and "Quyết định số 15/QĐ-SYT ngày 09/03/2026" in html
    assert "Phạm Văn Quá Hạn" not in html and "Ngô Văn Sẵn Sàng" not in html


def test_officer_home_after_registering(app, province, db):
    from awards.campaigns import services as campaigns

    campaigns.register(province.campaign, province.bva, collective_award_codes=["TTLDTT"], by=province.officer)
    db.session.commit()
    html = text_of(web(app, province.officer).get("/"))
    assert "Bệnh viện Đa khoa A đã đăng ký" in html and "Xem, sửa bản đăng ký" in html


def test_member_home_shows_the_ballot_waiting_with_time_left(app, province, db, at):
    client = web(app, province.member)
    html = text_of(client.get("/"))
    assert "Phiên họp chờ bạn bỏ phiếu" in html and "Việc đang chờ thường trực" not in html
    section = html[html.index("Phiên họp chờ bạn bỏ phiếu"):html.index("Các phiên bạn đã bỏ phiếu")]
    assert "Phiên xét danh hiệu năm 2025" in section and "2 hồ sơ" in section
    assert "Hạn bỏ phiếu: 12/03/2026 17:00" in section and "còn 2 ngày 8 giờ" in section
    assert f'href="/council/sessions/{province.open_session.id}"' in section
    assert "Phiên xét đợt 2" in html  # the session being prepared
    assert "Bạn chưa bỏ phiếu phiên họp nào." in html

    from awards.council import voting

    voting.cast_ballot(province.open_session, votes={i.nomination_id: "yes" for i in province.open_session.items},
                       by=province.member)
    db.session.commit()
    html = text_of(client.get("/"))
    assert "Không có phiên họp nào đang chờ bạn bỏ phiếu." in html
    voted = html[html.index("Các phiên bạn đã bỏ phiếu"):]
    assert "Phiên xét danh hiệu năm 2025" in voted


def test_time_left_reads_in_vietnamese(app):
    from awards.home.queries import time_left

    now = datetime(2026, 3, 10, 9, 0, tzinfo=clock.VIETNAM)
    with app.test_request_context():
        assert time_left(datetime(2026, 3, 10, 9, 12, tzinfo=clock.VIETNAM), now) == "còn 12 phút"
        assert time_left(datetime(2026, 3, 10, 12, 30, tzinfo=clock.VIETNAM), now) == "còn 3 giờ 30 phút"
        assert time_left(datetime(2026, 3, 9, 9, 0, tzinfo=clock.VIETNAM), now) == "đã hết hạn"


def test_anyone_not_signed_in_lands_on_the_public_home(client, province):
    response = client.get("/")
    html = text_of(response)
    assert response.status_code == 200 and "Xin chào" not in html
    assert '<a class="btn btn-light fw-semibold" href="/login">Đăng nhập</a>' in html
    assert 'action="/public/archive"' in html and "Tra cứu khen thưởng" in html
    assert "Công khai danh sách đề nghị khen thưởng đợt 1" in html and "nhận ý kiến đến hết ngày 16/03/2026" in html
    assert f'href="/public/announcements/{province.announcement.id}"' in html
    assert "Cách gửi ý kiến" in html
    assert "Quyết định số 15/QĐ-SYT" in html and 'href="/public/honour-board"' in html
    assert "Phạm Văn Quá Hạn" not in html  # nothing of the desk's work
    assert client.get("/login").status_code == 200 and 'href="/login">Đăng nhập' not in text_of(client.get("/login"))


def test_titles_name_the_product_and_a_favicon_ships(client, province):
    html = text_of(client.get("/"))
    assert "<title>Trang chủ · Thi đua – Khen thưởng</title>" in html and "awards</title>" not in html
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg', html)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data


def test_staff_navigation_is_grouped(app, province):
    html = text_of(web(app, province.staff).get("/"))
    nav = html[html.index('<nav class="navbar'):html.index("</nav>")]
    top = re.findall(r'<li class="nav-item(?: dropdown)?">\s*<(?:a|button) class="nav-link', nav)
    assert len(top) <= 9, "a few top-level entries, the rest in groups"
    for group in ("Hồ sơ", "Xét duyệt", "Tra cứu"):
        assert re.search(rf'<button class="nav-link dropdown-toggle" type="button" id="menu-\w+" '
                         rf'data-bs-toggle="dropdown" aria-expanded="false">{group}</button>', nav), group
    for href in ("/nominations/queue", "/council/sessions", "/announcements", "/feedback", "/decisions",
                 "/archive", "/units", "/people", "/reports/"):
        assert f'href="{href}"' in nav, href
