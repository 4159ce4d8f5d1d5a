"""The appraisal queue at province scale (bench/README.md F3, F7): same rows in the same order, the unit filter
(with descendants) without rendering every unit, a bounded number of statements, the working-day clock unchanged."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import insert

from awards.core import clock, workdays
from awards.core.text import fold
from awards.extensions import db as _db
from awards.nominations import services
from awards.nominations.models import NominationEvent
from awards.units.models import Unit
from tests import factories
from tests.web import count_statements

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROW = re.compile(r'appraise">#(\d+)<')


def vn(*args):
    return datetime(*args, tzinfo=clock.VIETNAM)


def submitted(writer, unit, when, *, rating="good", year=2025):
    from awards.units.services import add_person_evaluation

    person = factories.person(unit=unit)
    if rating:
        add_person_evaluation(person, year=year, rating=rating, by=None)
    nomination = services.create_nomination(subject_type="person", subject_code=person.code, award_code="LDTT",
                                            year=year, by=writer)
    for kind in sorted(services.required_attachments(nomination)):
        services.add_attachment(nomination, data=PDF, filename=f"{kind}.pdf", kind=kind, by=writer)
    services.submit(nomination, by=writer)
    nomination.submitted_at = when
    return nomination


def ids_of(html):
    return [int(i) for i in ROW.findall(html)]


@pytest.fixture
def queue(db, at):
    """Dossiers in the four queue statuses, with ties on the clock start, a re-appraised dossier and one
    appraised without an appraisal event; units two levels deep. Returns the expected orders by status."""
    writer = factories.user("staff")
    root = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BV01", name="Bệnh viện 01", parent=root)
    ward = factories.unit(code="BV01K1", name="Khoa 1", parent=hospital)
    other = factories.unit(code="UB", name="Ủy ban")
    units = [root, hospital, ward, other]
    starts = [vn(2026, 3, 2, 9), vn(2026, 2, 26, 8), vn(2026, 3, 2, 9), vn(2026, 1, 5, 10), vn(2026, 3, 9, 7),
              vn(2026, 2, 26, 8), vn(2026, 2, 2, 14), vn(2026, 3, 4, 9)]
    subs = [submitted(writer, units[i % 4], when, rating="good" if i % 3 else None)
            for i, when in enumerate(starts)]
    returned = [submitted(writer, units[i % 4], vn(2026, 2, 10 - i, 9)) for i in range(3)]
    for n in returned:
        services.return_for_supplement(n, reason="Bổ sung", by=writer)
    rejected = [submitted(writer, units[i % 4], vn(2026, 1, 20 + i, 9)) for i in range(2)]
    for n in rejected:
        services.appraise(n, result="fail", note="Không đạt", by=writer)
    appraised = [submitted(writer, units[i % 4], vn(2026, 1, 10 + i, 9)) for i in range(5)]
    appraised_on = [vn(2026, 3, 3, 9), vn(2026, 2, 1, 9), vn(2026, 3, 3, 9), vn(2026, 2, 20, 9), None]
    for n, when in zip(appraised, appraised_on, strict=True):
        if when is None:  # appraised without an event (the clock starts at the submission)
            n.status = "appraised"
            continue
        services.appraise(n, result="pass", note="", by=writer)
        event_ = n.events[-1]
        event_.at = when
    # a dossier appraised twice: the clock starts at the later appraisal
    twice = appraised[1]
    _db.session.add(NominationEvent(nomination_id=twice.id, status="appraised", at=vn(2026, 3, 6, 9), note=""))
    _db.session.commit()

    def order(items, start):
        return [n.id for n in sorted(items, key=lambda n: (start(n) is None, start(n), n.id))]

    appraised_start = {n.id: when or n.submitted_at for n, when in zip(appraised, appraised_on, strict=True)}
    appraised_start[twice.id] = vn(2026, 3, 6, 9)
    return {"submitted": order(subs, lambda n: n.submitted_at),
            "returned": order(returned, lambda n: n.submitted_at),
            "rejected": order(rejected, lambda n: n.submitted_at),
            "appraised": order(appraised, lambda n: appraised_start[n.id]),
            "subs": subs, "units": units}


def test_queue_rows_keep_their_order_in_every_status(client, login_as, queue):
    login_as("staff")
    assert ids_of(client.get("/nominations/queue").get_data(as_text=True)) == queue["submitted"]
    for status in ("returned", "rejected", "appraised"):
        html = client.get(f"/nominations/queue?status={status}").get_data(as_text=True)
        assert ids_of(html) == queue[status], status


def test_queue_pages_split_the_same_order(client, login_as, queue, monkeypatch):
    from awards.nominations import appraisal_views

    monkeypatch.setattr(appraisal_views, "QUEUE_PER_PAGE", 3)
    login_as("staff")
    pages = [ids_of(client.get(f"/nominations/queue?page={p}").get_data(as_text=True)) for p in (1, 2, 3)]
    assert sum(pages, []) == queue["submitted"]
    pages = [ids_of(client.get(f"/nominations/queue?status=appraised&page={p}").get_data(as_text=True))
             for p in (1, 2)]
    assert sum(pages, []) == queue["appraised"]


def test_unit_filter_includes_descendants(client, login_as, queue):
    login_as("staff")
    root, hospital, ward, other = queue["units"]
    by_unit = {n.id: n.unit_id for n in queue["subs"]}
    for unit, ids in ((root, {root.id, hospital.id, ward.id}), (hospital, {hospital.id, ward.id}),
                      (ward, {ward.id}), (other, {other.id})):
        html = client.get(f"/nominations/queue?unit={unit.code}").get_data(as_text=True)
        assert ids_of(html) == [i for i in queue["submitted"] if by_unit[i] in ids], unit.code
    assert "Không có hồ sơ nào khớp" in client.get("/nominations/queue?unit=KHONGCO").get_data(as_text=True)


def test_overdue_filter_keeps_the_order(client, login_as, queue, at):
    at(vn(2026, 3, 10, 9))
    login_as("staff")
    html = client.get("/nominations/queue?waiting=overdue").get_data(as_text=True)
    rows = ids_of(html)
    assert rows and rows == [i for i in queue["submitted"] if i in set(rows)]
    assert html.count("Quá hạn</span>") == len(rows)


def many_units(count):
    """`count` units in a province-like tree: a root, hospitals below it, departments below those."""
    root = factories.unit(code="TINH", name="Sở Y tế tỉnh")
    hospitals = [factories.unit(code=f"BV{i:02d}", name=f"Bệnh viện {i:02d}", parent=root) for i in range(30)]
    rows = []
    for n in range(count - 31):
        parent = hospitals[n % 30]
        name = f"Khoa {n:04d}"
        rows.append({"code": f"{parent.code}K{n:04d}", "name": name, "name_folded": fold(name),
                     "parent_id": parent.id, "grassroots": True, "kind": "other"})
    _db.session.execute(insert(Unit), rows)
    _db.session.commit()
    return root, hospitals


def test_page_stays_small_and_statements_bounded_with_many_units(app, client, login_as, db, at):
    root, hospitals = many_units(2000)
    writer = factories.user("staff")
    department = _db.session.scalar(_db.select(Unit).where(Unit.code == "BV03K0003"))
    subs = [submitted(writer, department if i % 2 else hospitals[i % 30], vn(2026, 3, 2, 9) - timedelta(hours=i),
                      rating="good" if i % 4 else None) for i in range(60)]
    _db.session.commit()
    login_as("staff")
    few_statements, html = count_statements(app, client, "/nominations/queue")
    assert len(ids_of(html)) == 50
    # ~34 KB of it are the 50 rows themselves, ~5 KB their priority badges (each of these people is a woman)
    assert len(html.encode()) < 54_000, len(html.encode())
    unit_filter = re.search(r'<datalist.*?</datalist>', html, re.S).group(0)
    assert len(unit_filter.encode()) < 3_000 and unit_filter.count("<option") == 31
    assert 'value="BV03"' in html and 'value="TINH"' in html and "BV03K0003" not in html  # two levels offered
    # the helper moved each submission's time after submit(): the first read refreshed those 60 stale outcomes in
    # one batch (the checklists' set queries) and committed them; every later read computes no checklist
    fresh, html = count_statements(app, client, "/nominations/queue")
    assert len(ids_of(html)) == 50
    statements, html = count_statements(app, client, "/nominations/queue?page=2")
    assert len(ids_of(html)) == 10
    # one of them reads the announced calendar days for the processing clock (once per transaction)
    assert few_statements <= 34 and fresh <= 17 and statements <= 17, (few_statements, fresh, statements)
    statements, html = count_statements(app, client, "/nominations/queue?unit=BV03K0003")
    assert ids_of(html) == [n.id for n in sorted(subs, key=lambda n: (n.submitted_at, n.id))
                            if n.unit_id == department.id]
    assert 'value="BV03K0003"' in html  # the chosen unit stays in the field
    statements, html = count_statements(app, client, "/nominations/queue?waiting=overdue&status=submitted")
    assert statements <= 30, statements


# --- workdays: memoized, same answers ----------------------------------------------------------------------

def reference_working(day, entries=()):
    """A plain reading of the rule: the library's holidays and swapped Saturdays, then the announced entries."""
    import holidays as holiday_library

    entries = dict(entries)
    if day in entries:
        return entries[day] == "working_day"
    library = holiday_library.country_holidays("VN", years=day.year)
    if day.weekday() >= 5:
        return day in getattr(library, "weekend_workdays", ())
    return day not in library


ENTRIES = [(date(2026, 11, 25), "day_off"), (date(2026, 12, 31), "day_off"), (date(2025, 3, 3), "day_off"),
           (date(2026, 1, 10), "working_day"), (date(2026, 11, 24), "working_day")]


@pytest.mark.parametrize("entries", [[], ENTRIES])
def test_workdays_unchanged_for_a_year_of_dates(app, db, entries):
    from awards.calendar.models import CalendarDay

    for day, kind in entries:
        db.session.add(CalendarDay(day=day, kind=kind, reason="Thử", source="Thử"))
    db.session.flush()
    workdays.forget()
    start = date(2025, 12, 1)
    for n in range(400):
        day = start + timedelta(days=n)
        assert workdays.is_working_day(day) == reference_working(day, entries), day
    for n in range(0, 400, 7):
        begin = start + timedelta(days=n)
        for length in (0, 1, 5, 20, 45):
            end = begin + timedelta(days=length)
            expected = sum(1 for k in range(1, length + 1) if reference_working(begin + timedelta(days=k), entries))
            assert workdays.working_days_between(begin, end) == expected
            due, left = begin, length
            while left > 0:
                due += timedelta(days=1)
                left -= reference_working(due, entries)
            assert workdays.add_working_days(begin, length) == due


def test_workdays_follow_a_changed_calendar(app, db):
    from awards.calendar import services as calendar

    assert workdays.is_working_day(date(2026, 11, 25))
    calendar.add_day(day=date(2026, 11, 25), kind="day_off", reason="Thử", source="Thử", by=None)
    assert not workdays.is_working_day(date(2026, 11, 25))
    assert date(2026, 11, 25) in workdays.holidays(2026)
    workdays.holidays(2026).add(date(2026, 11, 26))  # a caller changing the result changes nothing
    assert workdays.is_working_day(date(2026, 11, 26))
    calendar.remove_day(date(2026, 11, 25), by=None)
    assert workdays.is_working_day(date(2026, 11, 25))
    db.session.rollback()
    assert workdays.is_working_day(date(2026, 11, 25))


def test_workdays_without_an_app_read_the_law_only():
    assert workdays.is_working_day(date(2026, 1, 2))  # no app context: no announced entries
    assert not workdays.is_working_day(date(2026, 9, 2))
