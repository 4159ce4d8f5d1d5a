"""The plan's priorities on a council session's agenda: the secretariat sees the nurse's five badges, none for her
colleague, and the count of each flag in the agenda's header; a council member (who may not see birth dates or
ethnicity) sees only the flags that do not come from them, in the badges and in the counts; the staff's read is
logged, the member's is not."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from awards.core.audit import AuditEntry
from tests import factories
from tests.web import text_of, web

BADGE = re.compile(r'<span class="badge pf" title="[^"]+">([^<]+)<')


@pytest.fixture
def agenda(council, db):
    station = factories.unit(code="TYT01", name="Trạm Y tế xã Hòa Bình", parent=council.province, kind="station")
    nurse = factories.person(code="DD01", full_name="Hoàng Thị Nhung", unit=station, gender="female",
                             birth_date=date(1990, 4, 12), ethnicity="Tày", ethnic_minority=True, frontline=True)
    colleague = factories.person(code="BS01", full_name="Phạm Văn Quang", unit=council.hospitals[1], gender="male",
                                 birth_date=date(1975, 1, 20))
    dossiers = [factories.nomination(p, "CSTDCS", by=council.staff.user) for p in (nurse, colleague)]
    db.session.commit()
    return council.session(dossiers, open_=False)


def item(html, name):
    """The agenda row or card of the dossier of `name`."""
    start = html.index(name)
    end = min(i for i in (html.find("</tr>", start), html.find("</li>", start)) if i != -1)
    return html[start:end]


def test_the_secretariat_sees_every_badge_and_the_counts(app, council, agenda):
    html = text_of(web(app, council.staff.user).get(f"/council/sessions/{agenda}"))
    assert set(BADGE.findall(item(html, "Hoàng Thị Nhung"))) == {"Trực tiếp", "Trạm y tế xã", "Nữ", "DTTS", "Dưới 40"}
    assert BADGE.findall(item(html, "Phạm Văn Quang")) == []
    counts = re.search(r'id="agenda-priorities">(.*?)</p>', html, re.S).group(1)
    for label in ("Trực tiếp", "Trạm y tế xã", "Nữ", "DTTS", "Dưới 40"):
        assert re.search(rf">{label}</abbr>: <strong>1</strong>", counts), label
    assert 'title="Người dân tộc thiểu số">DTTS</abbr>' in counts


def test_a_member_sees_no_flag_read_from_sensitive_data(app, db, council, agenda):
    member = council.members[3].user
    html = text_of(web(app, member).get(f"/council/sessions/{agenda}"))
    assert set(BADGE.findall(item(html, "Hoàng Thị Nhung"))) == {"Trực tiếp", "Trạm y tế xã", "Nữ"}
    counts = re.search(r'id="member-agenda-priorities">(.*?)</p>', html, re.S).group(1)
    assert ">Nữ</abbr>: <strong>1</strong>" in counts and "DTTS" not in counts and "Dưới 40" not in counts
    assert "DTTS" not in html and "Dưới 40" not in html
    reads = db.session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action == "person.sensitive_read")).all()
    assert member.id not in reads


def test_the_secretariats_read_is_logged(app, db, council, agenda):
    web(app, council.staff.user).get(f"/council/sessions/{agenda}")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.sensitive_read",
                                                        AuditEntry.actor_id == council.staff.user.id)).one()
    assert set(entry.after["people"]) == {"DD01", "BS01"} and entry.after["via"] == "list_page"
