"""The new public list's form ("Lập danh sách công khai") in a fixed number of statements (issue 21: the slowest
page of the crawl at full scale, 56 statements and 159 KB): 30 candidates from 30 units at different depths of the
tree take as many statements as 3, each row still naming its unit with the one above it; and a province's
thousands of candidates are not all put on one page: the form lists a page's worth and groups the rest by award
and year, each group one click from its own list."""

import re
from datetime import timedelta

import pytest

from awards.auth import sessions
from tests import factories
from tests.web import count_statements, text_of, web


def _ids(html) -> set[int]:
    return {int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)}


@pytest.fixture
def staff(app, desk, monkeypatch):
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(days=1))  # "last seen" written in one count only
    return web(app, desk.staff.user)


def _units(desk, n):
    """`n` units under the hospital, each with a parent of its own that has no candidate: a team under its own
    department (two in three), or a department right under the hospital."""
    made = []
    for i in range(n):
        department = factories.unit(name=f"Khoa thử {i + 1}", parent=desk.hospital)
        made.append(factories.unit(name=f"Tổ thử {i + 1}", parent=department) if i % 3 else department)
    return made


def _appraised(desk, award, unit):
    return factories.nomination(factories.person(unit=unit), award, by=desk.staff.user)


def test_three_candidates_or_thirty_from_thirty_units_take_the_same_statements(app, db, desk, staff):
    units = _units(desk, 30)
    dossiers = [_appraised(desk, "LDTT", unit) for unit in units[:3]]
    db.session.commit()
    count_statements(app, staff, "/announcements/new")  # warm: what every later request finds cached
    before, _html = count_statements(app, staff, "/announcements/new")
    dossiers += [_appraised(desk, "HCLD3" if i % 3 else "LDTT", unit) for i, unit in enumerate(units[3:])]
    db.session.commit()
    after, html = count_statements(app, staff, "/announcements/new")
    assert after == before, f"statements (3 candidates → 30): {before} → {after}"
    assert after <= 12
    assert _ids(html) == {d.id for d in dossiers}
    for unit in units:  # each row's unit with the one above it (a department under the hospital: its own name too)
        named = f"{unit.name} — {unit.parent.name}"
        assert f"<td>{named}</td>" in html, named


def test_a_province_of_candidates_is_listed_a_page_at_a_time_and_grouped_by_award_and_year(app, db, desk, staff,
                                                                                          monkeypatch):
    monkeypatch.setattr("awards.announcements.views.SHOWN", 4)
    older = factories.nomination(factories.person(unit=desk.hospital), "LDTT", 2024, by=desk.staff.user)
    medals = [desk.appraised("HCLD3") for _ in range(3)]
    workers = [desk.appraised("LDTT") for _ in range(3)]
    db.session.commit()

    html = text_of(staff.get("/announcements/new"))
    # the first page's worth: the newest year's first dossiers (the older year's first one waits), then shown by
    # award in catalog order, unit and name
    assert _ids(html) == {m.id for m in medals} | {workers[0].id}
    assert html.index(f'value="{workers[0].id}"') < html.index(f'value="{medals[0].id}"')
    assert "Chỉ hiện 4 hồ sơ đầu tiên" in html
    groups = re.findall(r'<tr><td><a href="/announcements/new\?([^"]+)">([^<]+)</a></td><td>(\d+)</td>'
                        r'<td class="text-end">(\d+)</td></tr>', html)
    assert groups == [("award=LDTT&amp;year=2025", "Lao động tiên tiến", "2025", "3"),  # the catalog's order
                      ("award=HCLD3&amp;year=2025", "Huân chương Lao động hạng Ba", "2025", "3"),
                      ("award=LDTT&amp;year=2024", "Lao động tiên tiến", "2024", "1")]
    chosen = text_of(staff.get("/announcements/new?award=LDTT&year=2025"))
    assert _ids(chosen) == {d.id for d in workers} and "Chỉ hiện" not in chosen
    assert chosen.count('<th scope="rowgroup" colspan="6">Lao động tiên tiến — 2025</th>') == 1  # the group's head
    assert not _ids(chosen) & {d.id for d in medals + [older]}


def test_the_candidates_are_counted_by_year_and_award_from_the_index_alone(db, statements):
    """SQLite: the count of each year's and award's candidates reads (status, year, award_code) and not the table
    (it looked up each of a province's 9,300 candidates: 35–80 ms at full scale)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    from awards.announcements import queries, services
    from awards.nominations.picking import PickFilter

    queries.candidate_groups(services.PUBLISHABLE, PickFilter({}, set()))
    (sql,) = [s for s in statements if "count(" in s]
    with db.engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("passed", "appraised")))
    assert "COVERING INDEX ix_nominations_status_year_award" in plan, plan


def test_the_decisions_form_too_lists_a_page_at_a_time_and_groups_the_rest(app, db, desk, staff, monkeypatch):
    monkeypatch.setattr("awards.announcements.decision_views.SHOWN", 2)
    workers = [desk.appraised("LDTT") for _ in range(3)]
    db.session.commit()
    html = text_of(staff.get("/decisions/new"))
    assert _ids(html) == {workers[0].id, workers[1].id} and "Chỉ hiện 2 hồ sơ đầu tiên" in html
    assert "Hồ sơ chờ quyết định theo danh hiệu và năm" in html
    assert re.findall(r'<tr><td><a href="/decisions/new\?([^"]+)">([^<]+)</a></td><td>(\d+)</td>'
                      r'<td class="text-end">(\d+)</td></tr>', html) == [
        ("award=LDTT&amp;year=2025", "Lao động tiên tiến", "2025", "3")]
    assert _ids(text_of(staff.get("/decisions/new?award=LDTT&year=2025"))) == {w.id for w in workers[:2]}
