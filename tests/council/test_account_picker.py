"""The council form's account picker (issue 21): the form no longer carries every account that may sit on a council;
a secretary finds one by typing part of a username, of the person's name (diacritics or not) or of their unit, and
the lookup answers only those who manage councils, with only the accounts the service would seat."""

import pytest

from awards.council import queries, services
from awards.units import queries as units_queries
from tests import factories
from tests.web import count_statements, text_of, token_of, web

LOOKUP = "/council/accounts/lookup"


@pytest.fixture
def province(app, db):
    """A Sở and a hospital with a department; council accounts bound to people of them, one bound to nobody, and
    accounts that match a search but may not sit on a council."""
    so = factories.unit(code="SYT", name="Sở Y tế", kind="department_of_health")
    hospital = factories.unit(code="BV2", name="Bệnh viện Đa khoa số 2", parent=so, kind="hospital")
    ward = factories.unit(code="BV2-NOI", name="Khoa Nội tổng hợp", parent=hospital)

    def member(username, name, unit):
        return factories.user("council_member", username=username, full_name=name,
                              person=factories.person(full_name=name, unit=unit))

    accounts = {
        "an": member("hd-syt-1", "Nguyễn Văn An", so),
        "hanh": member("hd-syt-2", "Đào Thị Hạnh", so),
        "duc": member("tv.duc", "Phạm Văn Đức", ward),
        "lan": member("hd-bv2-1", "Trần Thị Lan", hospital),
        "unbound": factories.user("council_member", username="tk.thuky", full_name="Lê Thị Ánh Nguyệt"),
    }
    quitter = member("hd-syt-9", "Nguyễn Văn Anh", so)
    quitter.active = False
    factories.user("staff", username="nguyen.staff", full_name="Nguyễn Văn Ân")  # no council role
    staff = factories.user("staff")
    db.session.commit()
    return web(app, staff), staff, accounts


def _find(client, q, **args):
    response = client.get(LOOKUP, query_string={"q": q, **args})
    assert response.status_code == 200, text_of(response)
    return response.json


def _usernames(found):
    return [a["username"] for a in found]


def test_lookup_finds_a_person_by_name_without_diacritics_by_unit_and_by_username(province):
    client, _staff, _accounts = province
    found = _find(client, "nguyen van")
    assert found == [{"username": "hd-syt-1", "name": "Nguyễn Văn An", "unit": "Sở Y tế", "bound": True}]
    assert _usernames(_find(client, "dao thi")) == ["hd-syt-2"]  # đ folds to d
    assert _usernames(_find(client, "Hạnh")) == ["hd-syt-2"]
    assert _usernames(_find(client, "an")) == ["tk.thuky", "hd-syt-1"]  # words starting so: Ánh, An; not Hạnh, Lan
    assert _usernames(_find(client, "anh nguyet")) == ["tk.thuky"]  # bound to nobody: its own name
    assert _find(client, "anh")[0]["bound"] is False
    assert _usernames(_find(client, "khoa noi")) == ["tv.duc"]  # by unit
    assert _find(client, "duc")[0]["unit"] == "Khoa Nội tổng hợp — Bệnh viện Đa khoa số 2"
    assert _usernames(_find(client, "tran bv2")) == ["hd-bv2-1"]  # a name's word and the unit's code
    assert _usernames(_find(client, "da khoa so 2")) == ["tv.duc", "hd-bv2-1"]  # a department's people: its hospital
    assert _usernames(_find(client, "hd-")) == ["hd-bv2-1", "hd-syt-1", "hd-syt-2"]
    assert _usernames(_find(client, "hd-syt-2")) == ["hd-syt-2"]
    assert _find(client, "") == [] and _find(client, "khong co ai") == []


def test_lookup_offers_only_accounts_the_service_seats(province):
    """An inactive council account and a staff account without the council role match "nguyen": neither is offered,
    and every account offered is one the service accepts on a council."""
    client, staff, _accounts = province
    offered = _usernames(_find(client, "nguyen"))
    assert offered == ["hd-syt-1"]
    everyone = _usernames(_find(client, "hd")) + _usernames(_find(client, "t"))
    council = services.save_council(code="HD-ALL", name="Hội đồng thử", unit_code="SYT", chair_username=everyone[0],
                                    members=[(u, "member") for u in everyone[1:]], by=staff)
    assert sorted(m.user.username for m in council.members) == sorted(set(everyone))


def test_lookup_gives_at_most_twenty(app, db, province):
    client, _staff, _accounts = province
    for n in range(25):
        factories.user("council_member", username=f"tv{n:02d}", full_name=f"Hoàng Thị Mai {n}",
                       person=factories.person(full_name=f"Hoàng Thị Mai {n}"))
    for n in range(5):
        factories.user("council_member", username=f"tvx{n}", full_name=f"Hoàng Văn Tự Do {n}")
    db.session.commit()
    assert len(_find(client, "hoang")) == 20
    found = _usernames(_find(client, "tv"))
    assert len(found) == 20 and all(u.startswith("tv") for u in found)
    assert _usernames(_find(client, "tv.duc")) == ["tv.duc"]


@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_lookup_is_for_those_who_manage_councils(client, login_as, province, role):
    login_as(role)
    refused = client.get(LOOKUP, query_string={"q": "nguyen"})
    assert refused.status_code == 403 and refused.json["error"]["code"]
    assert "Nguyễn" not in text_of(refused)


def test_lookup_asks_a_sign_in_and_answers_admins(app, db, province):
    anonymous = app.test_client().get(LOOKUP, query_string={"q": "nguyen"})
    assert anonymous.status_code == 401 and anonymous.is_json and "Nguyễn" not in text_of(anonymous)
    admin = web(app, factories.user("admin"))
    db.session.commit()
    assert _usernames(_find(admin, "nguyen")) == ["hd-syt-1"]


def test_lookup_refuses_bad_questions_in_json(province):
    client = province[0]
    missing = client.get(LOOKUP)
    assert missing.status_code == 400 and "q" in missing.json["error"]["fields"]
    long = client.get(LOOKUP, query_string={"q": "a" * 101})
    assert long.status_code == 400 and "q" in long.json["error"]["fields"]
    assert _find(client, "100%_\\") == []  # LIKE's own characters are plain text


def test_the_form_does_not_grow_with_the_accounts(app, db, province):
    """200 more council accounts: the page suggests only the accounts of the council's unit and those it names,
    and its size and statements stay those of a province with four."""
    client, staff, accounts = province
    base, few = count_statements(app, client, "/council/councils/new")
    ward = units_queries.unit_by_code("BV2-NOI")  # three levels down: not among the unit picker's suggestions
    for n in range(200):
        factories.user("council_member", username=f"hd-x-{n:03d}", full_name=f"Vũ Thị Nhiều {n}",
                       person=factories.person(full_name=f"Vũ Thị Nhiều {n}", unit=ward))
    db.session.commit()
    statements, page = count_statements(app, client, "/council/councils/new")
    assert "Nhiều" not in page and "hd-x-" not in page
    assert statements == base, (base, statements)
    assert abs(len(page.encode()) - len(few.encode())) < 200, (len(few.encode()), len(page.encode()))
    assert len(page.encode()) < 40_000

    services.save_council(code="HD-SYT", name="Hội đồng Sở Y tế", unit_code="SYT", chair_username="hd-syt-1",
                          members=[("tk.thuky", "secretary"), ("hd-x-199", "member")], by=staff)
    db.session.commit()
    statements, edit = count_statements(app, client, "/council/councils/HD-SYT/edit")
    assert 'value="hd-syt-1"' in edit and "hd-x-199 Ủy viên" in edit
    assert "Vũ Thị Nhiều 199" in edit and "Vũ Thị Nhiều 198" not in edit  # the seated one is named, not the rest
    assert 'data-name="Đào Thị Hạnh"' in edit  # the council's unit's accounts are suggested
    assert edit.count("<option value=\"hd-") + edit.count("<option value=\"tk.") <= 30
    assert "chưa gắn hồ sơ cá nhân" in edit  # tk.thuky: conflicts of interest are not found for it
    assert statements <= base + 6, (base, statements)


def test_the_form_suggests_the_people_of_the_councils_level(app, db, province):
    """A hospital's secretariat opens the form: its council's unit is the hospital, and the page suggests the council
    accounts of the hospital and its departments (the people of that level), not the Sở's."""
    officer = factories.user("staff", unit=units_queries.unit_by_code("BV2"))
    db.session.commit()
    page = text_of(web(app, officer).get("/council/councils/new"))
    assert ('<option value="tv.duc" data-name="Phạm Văn Đức" '
            'data-unit="Khoa Nội tổng hợp — Bệnh viện Đa khoa số 2"') in page
    assert '<option value="hd-bv2-1"' in page and "hd-syt-1" not in page


def test_without_javascript_usernames_typed_still_seat_the_members(app, db, province):
    client, _staff, _accounts = province
    url = "/council/councils/new"
    response = client.post(url, data={
        "csrf_token": token_of(client, url), "code": "HD-BV2", "name": "Hội đồng TĐKT Bệnh viện 2", "unit_code": "BV2",
        "chair_username": "hd-bv2-1", "seats": "tv.duc Ủy viên\nhd-syt-2 Ủy viên thư ký\n", "recusal_scope": "unit"})
    assert response.status_code == 302, text_of(response)[:2000]
    council = queries.council_by_code("HD-BV2")
    assert {m.user.username: m.role for m in council.members} == {
        "hd-bv2-1": "chair", "tv.duc": "member", "hd-syt-2": "secretary"}
