"""The plan's priorities in the appraisal queue: a woman frontline ethnic-minority nurse under 40 at a commune
station shows five badges, in full words for screen readers, and a colleague none; the “Ưu tiên” filter keeps the
right dossiers through the page and through queue_stmt; the badges cost no query per row; the page's read of the
sensitive flags is logged, never the birth date shown."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from awards.extensions import db as _db
from awards.nominations import appraisal
from tests import factories
from tests.web import count_statements

ROW = re.compile(r'<tr[^>]*>.*?</tr>', re.S)
BADGE = re.compile(r'<span class="badge pf" title="([^"]+)">([^<]+)<span class="visually-hidden"> \(([^)]+)\)</span>')
ALL_FIVE = {"Trực tiếp", "Trạm y tế xã", "Nữ", "DTTS", "Dưới 40"}


@pytest.fixture
def people(db):
    """The nurse with every priority, a colleague with none, and one dossier each in the queue (year 2025)."""
    writer = factories.user("staff")
    top = factories.unit(code="SYT", name="Sở Y tế")
    station = factories.unit(code="TYT01", name="Trạm Y tế xã Hòa Bình", parent=top, kind="station")
    hospital = factories.unit(code="BV01", name="Bệnh viện 01", parent=top, kind="hospital")
    nurse = factories.person(code="DD01", full_name="Hoàng Thị Nhung", unit=station, gender="female",
                             birth_date=date(1990, 4, 12), ethnicity="Tày", ethnic_minority=True, frontline=True)
    colleague = factories.person(code="BS01", full_name="Phạm Văn Quang", unit=hospital, gender="male",
                                 birth_date=date(1975, 1, 20))
    dossiers = {p.code: factories.nomination(p, "LDTT", status="submitted", by=writer) for p in (nurse, colleague)}
    db.session.commit()
    return dossiers


def row_of(html, name):
    return next(row for row in ROW.findall(html) if name in row)


def badges(row):
    return {short: (title, spoken) for title, short, spoken in BADGE.findall(row)}


def test_the_queue_shows_the_nurses_five_badges_and_none_for_her_colleague(people, client, login_as):
    login_as("staff")
    html = client.get("/nominations/queue").get_data(as_text=True)
    found = badges(row_of(html, "Hoàng Thị Nhung"))
    assert set(found) == ALL_FIVE
    assert found["DTTS"] == ("Người dân tộc thiểu số", "Người dân tộc thiểu số")  # tooltip and screen reader
    assert found["Dưới 40"][0] == "Dưới 40 tuổi tính đến ngày 31/12 của năm khen thưởng"
    assert badges(row_of(html, "Phạm Văn Quang")) == {}
    assert "12/04/1990" not in html and "1990" not in html  # the birth date itself is never shown


def test_the_page_read_of_the_sensitive_flags_is_logged_without_values(people, client, login_as):
    user = login_as("staff")
    client.get("/nominations/queue")
    entry = _db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.sensitive_read",
                                                         AuditEntry.actor_id == user.id)).one()
    assert entry.after["via"] == "list_page" and set(entry.after["people"]) == {"DD01", "BS01"}
    assert "1990" not in str(entry.after)


@pytest.mark.parametrize(("choice", "names"), [
    ("", {"Hoàng Thị Nhung", "Phạm Văn Quang"}),
    ("any", {"Hoàng Thị Nhung"}),
    ("frontline", {"Hoàng Thị Nhung"}),
    ("station", {"Hoàng Thị Nhung"}),
    ("female", {"Hoàng Thị Nhung"}),
    ("ethnic_minority", {"Hoàng Thị Nhung"}),
    ("under_40", {"Hoàng Thị Nhung"}),
    ("nonsense", {"Hoàng Thị Nhung", "Phạm Văn Quang"}),  # an unknown choice filters nothing
])
def test_the_priority_filter_on_the_page(people, client, login_as, choice, names):
    login_as("staff")
    html = client.get(f"/nominations/queue?priority={choice}").get_data(as_text=True)
    assert {name for name in ("Hoàng Thị Nhung", "Phạm Văn Quang") if name in html} == names
    if choice == "any":
        assert '<option value="any" selected>' in html


def test_the_priority_filter_in_the_query_and_each_flag_alone(people, db):
    staff = factories.user("staff")
    hospital = factories.unit(code="BV02", name="Bệnh viện 02", kind="hospital")
    men = {flag: factories.person(full_name=f"Ông {flag}", unit=hospital, gender="male", birth_date=None, **facts)
           for flag, facts in (("frontline", {"frontline": True}), ("ethnic_minority", {"ethnic_minority": True}))}
    young = factories.person(full_name="Ông trẻ", unit=hospital, gender="male", birth_date=date(1986, 1, 1))
    turning_40 = factories.person(full_name="Ông tròn 40", unit=hospital, gender="male", birth_date=date(1985, 12, 31))
    group = factories.unit(code="KHOA", name="Khoa Nhi", parent=hospital)
    extra = {p.full_name: factories.nomination(p, "LDTT", status="submitted", by=staff)
             for p in (*men.values(), young, turning_40)}
    collective = factories.nomination(group, "TTLDTT", status="submitted", by=staff)
    db.session.commit()

    def names(choice):
        stmt = appraisal.queue_stmt(staff, priority=choice)
        return {n.subject_name for n in db.session.scalars(stmt).unique()}

    assert names("frontline") == {"Hoàng Thị Nhung", "Ông frontline"}
    assert names("ethnic_minority") == {"Hoàng Thị Nhung", "Ông ethnic_minority"}
    assert names("under_40") == {"Hoàng Thị Nhung", "Ông trẻ"}  # 40 on 31/12/2025 is not under 40
    assert names("any") == {"Hoàng Thị Nhung", "Ông frontline", "Ông ethnic_minority", "Ông trẻ"}
    assert collective.subject_name in names("") and len(extra) == 4


def test_badges_cost_no_query_per_row(people, app, client, login_as):
    """The same number of statements for a page of plain dossiers and a page of dossiers full of badges."""
    writer = factories.user("staff")
    station = factories.unit(code="TYT02", name="Trạm Y tế xã Tân Lập", kind="station")
    hospital = factories.unit(code="BV03", name="Bệnh viện 03", kind="hospital")
    for n in range(12):
        factories.nomination(factories.person(full_name=f"Người ưu tiên {n}", unit=station, frontline=True,
                                              ethnic_minority=True, birth_date=date(1995, 1, 1)),
                             "LDTT", status="submitted", by=writer)
        factories.nomination(factories.person(full_name=f"Người khác {n}", unit=hospital, gender="male",
                                              birth_date=date(1970, 1, 1)), "LDTT", status="submitted", by=writer)
    _db.session.commit()
    login_as("staff")
    plain, html = count_statements(app, client, "/nominations/queue?unit=BV03")
    assert html.count('class="badge pf"') == 0 and html.count("Người khác") == 12
    flagged, html = count_statements(app, client, "/nominations/queue?unit=TYT02")
    assert html.count('class="badge pf"') == 12 * 5
    assert flagged == plain, (plain, flagged)
    few, html = count_statements(app, client, "/nominations/queue?unit=TYT02&priority=any")
    assert html.count('class="badge pf"') == 12 * 5 and few == flagged
