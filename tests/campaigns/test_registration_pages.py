"""The registration page (a unit's targets and commitment, revised until the deadline) and
`flask campaigns remind-deadlines`."""

import re
from datetime import date, datetime
from urllib.parse import urlencode

import pytest

from awards.campaigns import queries, services
from awards.campaigns.cli import cli as campaigns_cli
from awards.campaigns.models import Registration, RegistrationEntry
from awards.core import clock
from awards.core.text import name_sort_key
from awards.notifications.models import Notification
from awards.units import queries as units_queries
from awards.units import services as units_services
from tests import factories
from tests.core.test_jobs import run_periodic
from tests.web import count_statements

PLAN = {"title": "Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm 2026", "kind": "regular",
        "year": 2026, "organizer_unit_code": "SYT", "starts_on": date(2026, 1, 1), "ends_on": date(2026, 12, 31),
        "registration_deadline": date(2026, 3, 31), "nomination_deadline": date(2026, 12, 15),
        "award_codes": ["LDTT", "CSTDCS", "TTLDTT"]}


@pytest.fixture
def province(db, at):
    top = factories.unit(code="SYT", name="Sở Y tế")
    bva = factories.unit(code="BVA", name="Bệnh viện A", parent=top, kind="hospital")
    factories.unit(code="BVB", name="Bệnh viện B", parent=top, kind="hospital")
    factories.unit(code="TTYT", name="Trung tâm Y tế huyện Mèo Vạc", parent=top, kind="health_centre")
    noi = factories.unit(code="BVA-NOI", name="Khoa Nội", parent=bva)
    factories.person(code="CB1", full_name="Nguyễn Văn An", unit=bva)
    factories.person(code="CB2", full_name="Trần Thị Bình", unit=noi)
    factories.person(code="CB3", full_name="Lê Văn Cường", unit=bva).active = False  # left the unit
    factories.person(code="CB9", full_name="Phạm Thị Dung", unit=units_queries.unit_by_code("BVB"))
    campaign = services.create_campaign(by=None, launch=True, **PLAN)
    db.session.commit()
    return campaign


def unit(code):
    return units_queries.unit_by_code(code)


def pid(code):
    return units_queries.person_by_code(code).id


def url(campaign, code=None, **more):
    args = {"unit": code, **more} if code else more
    return f"/campaigns/{campaign.id}/register" + ("?" + urlencode(args) if args else "")


def registration(campaign, code):
    return queries.registration_for(campaign, unit(code))


def entries(reg):
    from awards.extensions import db

    rows = db.session.query(RegistrationEntry).filter_by(registration_id=reg.id).order_by(RegistrationEntry.id)
    return sorted((e.person.code, e.award_code) for e in rows)


def form(token, collective=(), targets=None, commitment=""):
    data = {"csrf_token": token, "collective": list(collective), "commitment": commitment}
    data.update({f"target-{pid(code)}": award for code, award in (targets or {}).items()})
    return data


def test_officer_registers_own_unit(client, login_as, csrf_token, province, db):
    login_as("unit_officer", unit=unit("BVA"))
    page = client.get(url(province))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đăng ký thi đua: Bệnh viện A" in html and "hết ngày 31/03/2026 (giờ Việt Nam)" in html
    assert "Đang nhận đăng ký" in html
    # the unit's own people first; the unit below is one choice away, with its count of who has registered
    assert "Nguyễn Văn An" in html and "Trần Thị Bình" not in html
    assert re.search(r'<option value="BVA-NOI"\s*>Khoa Nội · 0/1 người đã đăng ký</option>', html)
    assert "Bệnh viện A (trực tiếp) · 0/1 người đã đăng ký" in html
    assert "Lê Văn Cường" not in html and "Phạm Thị Dung" not in html  # not active / another unit
    assert 'value="TTLDTT"' in html and 'name="collective" type="checkbox"' in html
    assert re.search(r'<select[^>]*name="target-\d+"', html)
    assert 'value="LDTT"' in html and "Chiến sĩ thi đua cơ sở" in html
    assert "unit-choice" not in html  # one unit: no chooser

    response = client.post(url(province), data=form(
        csrf_token(url(province)), ["TTLDTT"], {"CB1": "CSTDCS"}, "Phấn đấu 100% cán bộ hoàn thành tốt nhiệm vụ"))
    assert response.status_code == 302 and response.headers["Location"].endswith(url(province, "BVA"))
    done = client.get(response.headers["Location"])
    assert "Đã lưu đăng ký thi đua của Bệnh viện A." in done.get_data(as_text=True)
    assert "Khoa Nội · 0/1 người đã đăng ký" in done.get_data(as_text=True)

    department = url(province, "BVA", part="BVA-NOI")
    html = client.get(department).get_data(as_text=True)
    assert "Trần Thị Bình" in html and "Nguyễn Văn An" not in html
    assert "Phấn đấu 100% cán bộ hoàn thành tốt nhiệm vụ" in html  # the collective part comes with every part
    assert "Đăng ký cá nhân của 1 người ở khoa, phòng hoặc trang khác được giữ nguyên khi lưu." in html
    response = client.post(department, data=form(csrf_token(department), ["TTLDTT"], {"CB2": "LDTT"},
                                                 "Phấn đấu 100% cán bộ hoàn thành tốt nhiệm vụ"))
    assert response.status_code == 302 and response.headers["Location"].endswith(department)

    reg = registration(province, "BVA")
    assert reg.collective_award_codes == ["TTLDTT"]
    assert reg.commitment == "Phấn đấu 100% cán bộ hoàn thành tốt nhiệm vụ"
    assert entries(reg) == [("CB1", "CSTDCS"), ("CB2", "LDTT")]  # saving the department kept the hospital's own
    assert db.session.query(Registration).count() == 1
    assert "Khoa Nội · 1/1 người đã đăng ký" in client.get(url(province)).get_data(as_text=True)


def test_revision_is_prefilled_and_replaces_the_old_one(client, login_as, csrf_token, province, db):
    officer = login_as("unit_officer", unit=unit("BVA"))
    services.register(province, unit("BVA"), collective_award_codes=["TTLDTT"], commitment="Cam kết lần đầu",
                      individuals=[("CB1", "CSTDCS"), ("CB1", "LDTT"), ("CB2", "LDTT")], by=officer)
    db.session.commit()
    html = client.get(url(province)).get_data(as_text=True)
    assert re.search(r'checked[^>]*value="TTLDTT"|value="TTLDTT"[^>]*checked', html)
    assert "Cam kết lần đầu" in html and "Đơn vị đã đăng ký" in html
    assert "lưu lại sẽ chỉ giữ danh hiệu được chọn" in html  # CB1 has two targets (registered by the API)
    html = client.get(url(province, "BVA", part="BVA-NOI")).get_data(as_text=True)
    cb2 = re.search(rf'name="target-{pid("CB2")}".*?</select>', html, re.S).group(0)
    assert re.search(r'value="LDTT"\s+selected', cb2)

    # the rows posted are the ones replaced (here both parts' rows at once); "" takes a person's targets away
    response = client.post(url(province), data=form(csrf_token(url(province)), [], {"CB1": "LDTT", "CB2": ""},
                                                     "Cam kết sửa lại"))
    assert response.status_code == 302
    db.session.expire_all()
    reg = registration(province, "BVA")
    assert reg.collective_award_codes == [] and reg.commitment == "Cam kết sửa lại"
    assert entries(reg) == [("CB1", "LDTT")]
    assert db.session.query(Registration).count() == 1


def test_staff_choose_a_unit(client, login_as, csrf_token, province, db):
    login_as("staff")
    chooser = client.get(url(province))
    html = chooser.get_data(as_text=True)
    assert chooser.status_code == 200 and 'id="unit-choice"' in html
    assert "Bệnh viện A (BVA)" in html and "Trung tâm Y tế huyện Mèo Vạc (TTYT)" in html
    assert 'name="commitment"' not in html and "Chọn đơn vị ở trên" in html

    page = client.get(url(province, "BVB"))
    assert page.status_code == 200 and "Phạm Thị Dung" in page.get_data(as_text=True)
    response = client.post(url(province, "BVB"), data=form(csrf_token(url(province, "BVB")), ["TTLDTT"],
                                                           {"CB9": "LDTT"}))
    assert response.status_code == 302
    assert entries(registration(province, "BVB")) == [("CB9", "LDTT")]
    assert client.get(url(province, "SYT")).status_code == 403  # the organizer itself does not register
    assert client.get(url(province, "NOPE")).status_code == 404
    assert client.post(url(province), data={"csrf_token": csrf_token(url(province))}).status_code == 400


def test_officer_of_another_unit_and_council_members_are_refused(client, login_as, csrf_token, province, db):
    login_as("unit_officer", unit=unit("BVB"))
    assert client.get(url(province, "BVA")).status_code == 403
    token = csrf_token(url(province))  # their own unit's page works
    assert client.post(url(province, "BVA"), data=form(token, ["TTLDTT"])).status_code == 403
    assert registration(province, "BVA") is None

    client.post("/logout", data={"csrf_token": token})
    login_as("council_member")
    assert client.get(url(province)).status_code == 403
    assert client.get(url(province, "BVA")).status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client, province):
    response = client.get(url(province, "BVA"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_officer_below_the_expected_unit_registers_their_own(client, login_as, province):
    login_as("unit_officer", unit=unit("BVA-NOI"))
    html = client.get(url(province)).get_data(as_text=True)
    assert "Đăng ký thi đua: Khoa Nội" in html and "Trần Thị Bình" in html and "Nguyễn Văn An" not in html
    assert client.get(url(province, "BVA")).status_code == 403


def test_after_the_deadline_the_page_is_closed_and_saving_is_409(client, login_as, csrf_token, province, at, db):
    officer = login_as("unit_officer", unit=unit("BVA"))
    services.register(province, unit("BVA"), collective_award_codes=["TTLDTT"], individuals=[("CB1", "LDTT")],
                      commitment="Bản đã nộp", by=officer)
    db.session.commit()
    at(datetime(2026, 4, 1, 0, 0, 1, tzinfo=clock.VIETNAM))
    page = client.get(url(province))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Đã khóa đăng ký" in html and "Đã hết hạn đăng ký thi đua (31/03/2026)" in html
    assert "<fieldset disabled>" in html and 'value="Lưu đăng ký"' not in html
    response = client.post(url(province), data=form(csrf_token(url(province)), [], {"CB2": "CSTDCS"}, "Sửa muộn"))
    assert response.status_code == 409
    assert "Đã hết hạn đăng ký thi đua (31/03/2026). Liên hệ cán bộ thường trực" in response.get_data(as_text=True)
    db.session.expire_all()
    reg = registration(province, "BVA")
    assert reg.commitment == "Bản đã nộp" and reg.collective_award_codes == ["TTLDTT"]
    assert entries(reg) == [("CB1", "LDTT")]


def test_a_reopened_unit_can_register_after_the_deadline(client, login_as, csrf_token, province, at, db):
    login_as("unit_officer", unit=unit("BVA"))
    at(datetime(2026, 4, 5, 10, 0, tzinfo=clock.VIETNAM))
    services.reopen_registration(province, unit("BVA"), until=date(2026, 4, 7), reason="Sự cố mạng", by=None)
    db.session.commit()
    html = client.get(url(province)).get_data(as_text=True)
    assert "được mở lại đăng ký đến hết ngày 07/04/2026" in html and "Đang nhận đăng ký" in html
    response = client.post(url(province), data=form(csrf_token(url(province)), ["TTLDTT"], {"CB1": "LDTT"}))
    assert response.status_code == 302
    assert entries(registration(province, "BVA")) == [("CB1", "LDTT")]


def test_a_target_outside_the_campaign_is_400_on_its_row(client, login_as, csrf_token, province):
    login_as("unit_officer", unit=unit("BVA"))
    response = client.post(url(province), data=form(csrf_token(url(province)), [], {"CB1": "CSTD_TQ"}))
    assert response.status_code == 400
    assert "Chọn một danh hiệu trong danh sách." in response.get_data(as_text=True)
    wrong = client.post(url(province), data=form(csrf_token(url(province)), ["CO_TINH"]))
    assert wrong.status_code == 400 and registration(province, "BVA") is None


def test_drafts_are_404_for_units(client, login_as, province, db):
    draft = services.create_campaign(by=None, **{**PLAN, "title": "Phong trào chuyên đề"})
    db.session.commit()
    login_as("unit_officer", unit=unit("BVA"))
    assert client.get(url(draft)).status_code == 404
    assert client.get("/campaigns/999999/register").status_code == 404


def test_drafts_show_staff_that_registration_waits(client, login_as, csrf_token, province, db):
    draft = services.create_campaign(by=None, **{**PLAN, "title": "Phong trào chuyên đề"})
    db.session.commit()
    login_as("staff")
    page = client.get(url(draft, "BVA"))
    assert page.status_code == 200 and "chưa phát động" in page.get_data(as_text=True)
    response = client.post(url(draft, "BVA"), data=form(csrf_token(url(draft, "BVA")), ["TTLDTT"]))
    assert response.status_code == 409


def test_an_empty_unit_says_what_to_do(client, login_as, province):
    login_as("unit_officer", unit=unit("TTYT"))
    html = client.get(url(province)).get_data(as_text=True)
    assert "Đơn vị chưa có cá nhân nào đang công tác." in html and "Thêm cá nhân cho đơn vị" in html


# remind-deadlines

def _officers():
    return {code: factories.user("unit_officer", unit=unit(code)) for code in ("BVA", "BVB")}


def _remind(app, *args):
    result = app.test_cli_runner().invoke(campaigns_cli, ["remind-deadlines", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_remind_deadlines_tells_unregistered_units_once_a_day(app, province, at, db):
    officers = _officers()
    factories.user("unit_officer", unit=unit("BVA-NOI"))  # below an expected unit: not told
    services.register(province, unit("BVA"), collective_award_codes=["TTLDTT"], by=None)
    db.session.query(Notification).delete()
    db.session.commit()

    assert "notified 0" in _remind(app)  # 10/03: the deadline is 21 days away
    assert db.session.query(Notification).count() == 0

    at(datetime(2026, 3, 29, 7, 0, tzinfo=clock.VIETNAM))
    output = _remind(app, "--days", "3")
    assert "notified 1 (campaigns 1, unregistered units 2, without officer 1)" in output
    notes = db.session.query(Notification).all()
    assert [(n.user_id, n.kind) for n in notes] == [(officers["BVB"].id, "deadline_approaching")]
    assert "Bệnh viện B chưa đăng ký" in notes[0].body and "31/03/2026" in notes[0].body
    assert "còn 2 ngày" in notes[0].body and notes[0].subject.startswith("Sắp hết hạn đăng ký thi đua")
    assert notes[0].link == f"/campaigns/{province.id}/register?unit=BVB"

    at(datetime(2026, 3, 29, 21, 0, tzinfo=clock.VIETNAM))
    assert "notified 0" in _remind(app)  # the same day in Vietnam: not again
    assert db.session.query(Notification).count() == 1

    at(datetime(2026, 3, 31, 7, 0, tzinfo=clock.VIETNAM))
    run_periodic(app, "remind_deadlines")  # a new day: Huey's scheduler runs it at 07:00 (it commits)
    assert db.session.query(Notification).count() == 2
    assert "notified 0" in _remind(app)  # once a day, by either door
    assert "hôm nay là ngày cuối" in db.session.query(Notification).order_by(Notification.id.desc()).first().body

    at(datetime(2026, 4, 1, 8, 0, tzinfo=clock.VIETNAM))
    assert "notified 0 (campaigns 0" in _remind(app)  # the deadline has passed


def test_registering_another_unit_is_refused_by_the_service_whichever_door(province, api, app, db):
    """The guard lives in services.register: the API, the page and a direct call (CLI, import) all meet it."""
    from awards.core.db import DomainError
    from tests.web import web

    officer = api.as_("unit_officer", unit=unit("BVB"))
    by_api = officer.post(f"/api/v1/campaigns/{province.id}/registrations",
                          json={"unit_code": "BVA", "collective_award_codes": ["TTLDTT"], "individuals": []})
    assert by_api.status_code == 403 and by_api.json["error"]["code"] == "forbidden"
    with pytest.raises(DomainError) as refused:
        services.register(province, unit("BVA"), collective_award_codes=["TTLDTT"], by=officer.user)
    assert refused.value.status == 403 and "đơn vị mình" in refused.value.message
    db.session.rollback()
    page = web(app, officer.user).get(url(province, "BVA"))
    assert page.status_code == 403
    assert registration(province, "BVA") is None


# --- issue 19, friction 10: 66 people on one form ---------------------------------------------------------------

GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phúc"]


HOMES = ["BVA", "BVA-NOI", "BVA-NGOAI", "BVA-SAN"]  # the hospital and its three departments
STATEMENTS = 20  # the registration form's statements (19 on PostgreSQL), whatever the number of people


def _people(start: int, stop: int) -> None:
    for i in range(start, stop):
        units_services.create_person(code=f"NV{i:03d}", full_name=f"Nguyễn Thị {GIVEN[i % len(GIVEN)]} {i}",
                                     gender="female", unit_code=HOMES[i % len(HOMES)])


def test_sixty_six_people_open_in_a_fixed_number_of_statements_one_department_at_a_time(
        app, client, login_as, province, db):
    """The form lists one part of the unit at a time (its own people, or one department), each part in the chooser
    with its count of who has registered; find people by name and choose for everyone shown. The statements do not
    grow with the people, nor the page with the hospital. How long the form takes is measured where the machine's
    load cannot fail a test: the page crawl of bench/ (`campaigns.register` as a hospital's unit officer)."""
    units_services.create_unit(code="BVA-NGOAI", name="Khoa Ngoại", parent_code="BVA")
    units_services.create_unit(code="BVA-SAN", name="Khoa Sản", parent_code="BVA")
    _people(0, 6)
    db.session.commit()
    login_as("unit_officer", unit=units_queries.unit_by_code("BVA"))
    department = url(province, "BVA", part="BVA-SAN")
    few, _html = count_statements(app, client, url(province))
    few_department, _html = count_statements(app, client, department)
    _people(6, 66)
    db.session.commit()
    many, html = count_statements(app, client, url(province))
    many_department, department_html = count_statements(app, client, department)
    assert (many, many_department) == (few, few_department), "the statements do not grow with the people"
    assert many <= STATEMENTS, f"{many} statements for the form (was {STATEMENTS})"

    assert html.count("data-member=") == 18  # the hospital's own: CB1 and NV000, NV004, …, NV064
    assert department_html.count("data-member=") == 16 and "Nguyễn Thị Dung 3" in department_html
    assert "Nguyễn Văn An" not in department_html
    assert "Đơn vị có 68 người đang công tác: 0 người đã đăng ký danh hiệu, 68 người chưa đăng ký." in html
    for name, count in (("Khoa Ngoại", 16), ("Khoa Nội", 18), ("Khoa Sản", 16)):
        assert re.search(rf'<option value="BVA-\w+"\s*>{name} · 0/{count} người đã đăng ký</option>', html), name
    assert 'id="member-search"' in html and "Chọn nhanh cho mọi người đang hiển thị" in html
    assert client.get(url(province, "BVA", part="BVB")).status_code == 404  # not a part of this unit


def _rows(html) -> list[str]:
    return re.findall(r'data-member="[^"]*"[^>]*>\s*<div[^>]*>\s*<div>([^<]+)</div>', html)


def test_a_large_department_is_paged_and_saving_a_page_keeps_the_others(
        app, client, login_as, csrf_token, province, db, monkeypatch):
    """A department longer than a page is listed a page at a time, by Vietnamese name order; saving a page replaces
    the targets of exactly its rows; "only who has not registered" lists the rest."""
    from awards.campaigns import registration_views

    monkeypatch.setattr(registration_views, "MEMBERS_PER_PAGE", 5)
    units_services.create_unit(code="BVA-NGOAI", name="Khoa Ngoại", parent_code="BVA")
    units_services.create_unit(code="BVA-SAN", name="Khoa Sản", parent_code="BVA")
    _people(0, 66)
    db.session.commit()
    login_as("unit_officer", unit=units_queries.unit_by_code("BVA"))
    first = client.get(url(province, "BVA", part="BVA-NGOAI")).get_data(as_text=True)
    second_url = url(province, "BVA", part="BVA-NGOAI", page=2)
    second = client.get(second_url).get_data(as_text=True)
    names = _rows(first) + _rows(second)
    assert len(_rows(first)) == len(_rows(second)) == 5 and len(set(names)) == 10
    assert names == sorted(names, key=name_sort_key)
    last = re.search(r'href="([^"]*)"[^>]*>4</a>', first).group(1).replace("&amp;", "&")
    assert "page=4" in last and "part=BVA-NGOAI" in last and "unit=BVA" in last and "page=5" not in first

    page_two = re.findall(r'name="target-(\d+)"', second)
    chosen = {int(i): "LDTT" for i in page_two}
    data = {"csrf_token": csrf_token(second_url), "collective": ["TTLDTT"], "commitment": "Giao ước",
            **{f"target-{i}": code for i, code in chosen.items()}}
    services.register(province, unit("BVA"), collective_award_codes=["TTLDTT"], individuals=[("CB2", "CSTDCS")],
                      by=None)
    db.session.commit()
    response = client.post(second_url, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(second_url)
    db.session.expire_all()
    saved = entries(registration(province, "BVA"))
    assert ("CB2", "CSTDCS") in saved and len(saved) == 6  # the other department's target was kept

    todo = client.get(url(province, "BVA", part="BVA-NGOAI", todo=1)).get_data(as_text=True)
    assert "Khoa Ngoại · 5/16 người đã đăng ký" in todo
    left = re.findall(r'name="target-(\d+)"', todo)
    assert len(left) == 5 and not set(left) & set(page_two)


def test_a_posted_row_of_someone_outside_the_unit_saves_nothing(client, login_as, csrf_token, province, db):
    """A row the page no longer should have (the person left, or belongs elsewhere): the whole submit is refused."""
    login_as("unit_officer", unit=unit("BVA"))
    for stranger in ("CB9", "CB3"):  # another hospital's person; one who left the unit
        response = client.post(url(province), data=form(csrf_token(url(province)), ["TTLDTT"],
                                                         {"CB1": "LDTT", stranger: "LDTT"}))
        assert response.status_code == 400
        assert "Danh sách cá nhân trên trang đã thay đổi" in response.get_data(as_text=True)
        assert registration(province, "BVA") is None
