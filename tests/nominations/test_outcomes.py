"""The appraisal queue's stored outcomes (issue 21, bench F3/F7; nominations/outcomes.py): each input of a checklist,
changed through its own service, makes the queue show the new outcome; the queue and the dossier page agree on
every dossier; the overdue filter, now a stored due date, keeps exactly the dossiers the old computation kept; a
queue page computes no checklist and takes a fixed number of statements."""

import re
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, func, or_, select, text, update

from awards.archive.eligibility import override_check
from awards.archive.services import record_award
from awards.calendar import services as calendar
from awards.catalog import services as catalog
from awards.catalog.services import change_setting
from awards.core import clock
from awards.extensions import db as _db
from awards.nominations import appraisal, eligibility, outcomes, services
from awards.nominations.models import Nomination
from awards.units.services import add_discipline, add_person_evaluation, update_person
from tests import factories
from tests.web import count_statements

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ROW = re.compile(r'appraise">#(\d+)<')


def vn(*args):
    return datetime(*args, 9, 0, tzinfo=clock.VIETNAM)


@pytest.fixture
def writer(db):
    user = factories.user("staff")
    db.session.commit()
    return user


def dossier(writer, *, unit=None, person=None, subject_type="person", award="LDTT", rating="good", year=2025,
            submitted=None):
    """A submitted dossier (a new person rated `rating`, unless a person or a unit is given)."""
    if subject_type == "person" and person is None:
        person = factories.person(unit=unit)
        if rating:
            add_person_evaluation(person, year=year, rating=rating, by=None)
    code = person.code if subject_type == "person" else unit.code
    nomination = services.create_nomination(subject_type=subject_type, subject_code=code, award_code=award,
                                            year=year, by=writer)
    for kind in sorted(services.required_attachments(nomination)):
        services.add_attachment(nomination, data=PDF, filename=f"{kind}.pdf", kind=kind, by=writer)
    services.submit(nomination, by=writer)
    if submitted:
        nomination.submitted_at = submitted
    _db.session.commit()
    return nomination


def stale(nomination) -> bool:
    return _db.session.scalar(select(Nomination.outcome_stale).where(Nomination.id == nomination.id))


def queue_row(user, nomination, **filters):
    """The row the queue shows for the dossier (the queue's own path: statement, page, rows)."""
    stmt = appraisal.queue_stmt(user, **filters)
    _page, page = appraisal.paginate_queue(stmt, 1, 500)
    rows = {row.nomination.id: row for row in appraisal.queue_rows(page)}
    return rows.get(nomination.id)


# --- each input, changed through its service, changes the queue's outcome -----------------------------------

def test_a_rating_added_makes_a_failing_dossier_pass(db, writer):
    failing = dossier(writer, rating=None)
    assert not stale(failing)  # submit() stored its outcome at once
    assert queue_row(writer, failing).summary.green is False
    add_person_evaluation(failing.person, year=2025, rating="good", by=None)
    db.session.flush()
    assert stale(failing)
    row = queue_row(writer, failing)
    assert row.summary.green is True and not stale(failing)
    assert eligibility.checklist_of(failing).eligible is True


def test_a_discipline_makes_a_passing_dossier_fail(db, writer):
    passing = dossier(writer)
    assert queue_row(writer, passing).summary.green is True
    add_discipline(passing.person, year=2025, level="warning", decided_on=date(2025, 6, 2), by=None)
    db.session.commit()
    assert stale(passing)
    row = queue_row(writer, passing)
    assert row.summary.green is False and row.summary.failing >= 1 and row.blockers
    assert row.blockers[0] in {line.detail[:outcomes.BLOCKER_TEXT] for line in
                               eligibility.checklist_of(passing).blockers}


def test_a_members_rating_changes_the_collective_above_it(db, writer):
    root = factories.unit(code="SYTO")
    hospital = factories.unit(code="BVO", parent=root)
    ward = factories.unit(code="BVOK1", parent=hospital)
    member = factories.person(unit=ward)  # unrated: not every member 'done or better'
    collective = dossier(writer, unit=hospital, subject_type="unit", award="TTLDXS")
    elsewhere = dossier(writer, unit=factories.unit(code="UBO"), subject_type="unit", award="TTLDXS")
    before = queue_row(writer, collective).summary.failing
    add_person_evaluation(member, year=2025, rating="good", by=None)
    db.session.commit()
    assert stale(collective) and not stale(elsewhere)  # the units above the person only
    after = queue_row(writer, collective).summary.failing
    assert after == before - 1
    assert after == len(eligibility.checklist_of(collective).blockers)


def test_a_person_moving_unit_changes_both_collectives(db, writer):
    left, joined = factories.unit(code="KHA"), factories.unit(code="KHB")
    factories.person(unit=left)  # an unrated member stays in `left`
    mover = factories.person(unit=left)
    add_person_evaluation(mover, year=2025, rating="good", by=None)
    old = dossier(writer, unit=left, subject_type="unit", award="TTLDXS")
    new = dossier(writer, unit=joined, subject_type="unit", award="TTLDXS")
    before = {n.id: queue_row(writer, n).blockers for n in (old, new)}
    update_person(mover, unit_code="KHB", by=None)
    db.session.commit()
    assert stale(old) and stale(new)
    for nomination in (old, new):
        row = queue_row(writer, nomination)
        assert row.summary.failing == len(eligibility.checklist_of(nomination).blockers)
    # `left` counts one member instead of two, `joined` one instead of none: both member lines changed
    assert any("/2 thành viên" in text for text in before[old.id])
    assert any("/1 thành viên" in text for text in queue_row(writer, old).blockers)
    assert queue_row(writer, new).blockers != before[new.id]


def test_an_override_and_an_archive_record_change_the_subjects_outcome(db, writer):
    failing = dossier(writer, rating=None)
    override_check("person", failing.subject_code, "LDTT", 2025, "rating_good_or_better",
                   "Đã có biên bản đánh giá bổ sung của đơn vị.", by=writer)
    db.session.commit()
    assert stale(failing)
    row = queue_row(writer, failing)
    assert row.summary.green is True and row.summary.overridden == 1
    # an archive record of the same subject: a CSTĐCS dossier needs LĐTT held in the year
    cstdcs = dossier(writer, person=failing.person, award="CSTDCS", year=2024)
    add_person_evaluation(failing.person, year=2024, rating="excellent", by=None)
    db.session.commit()
    checked = queue_row(writer, cstdcs).nomination.outcome_checked_at
    record_award(subject_type="person", subject_code=failing.subject_code, award_code="LDTT", year=2024,
                 decision_number="12/QĐ-SYT", decision_date=date(2025, 1, 10), issuer="Sở Y tế", by=writer)
    db.session.commit()
    assert stale(cstdcs)
    row = queue_row(writer, cstdcs)
    assert row.summary.failing == len(eligibility.checklist_of(cstdcs).blockers)
    assert row.nomination.outcome_checked_at >= checked and not stale(cstdcs)


def test_an_archive_import_marks_the_subjects_it_writes(db, writer):
    """The import inserts records in bulk (no ORM objects): its statements mark their subjects' dossiers, and the
    person's collective above, not the others."""
    from io import BytesIO

    from openpyxl import Workbook

    from awards.archive import imports

    unit = factories.unit(code="BVI")
    person = factories.person(code="CNI1", unit=unit)
    add_person_evaluation(person, year=2024, rating="excellent", by=None)
    concerned = dossier(writer, person=person, award="CSTDCS", year=2024)
    collective = dossier(writer, unit=unit, subject_type="unit", award="TTLDTT", year=2024)
    other = dossier(writer)
    book = Workbook()
    book.active.append(["Năm", "Số quyết định", "Mã đối tượng", "Loại đối tượng", "Danh hiệu", "Ngày quyết định",
                        "Cơ quan ban hành"])
    book.active.append([2024, "12/QĐ-SYT", "CNI1", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế"])
    stream = BytesIO()
    book.save(stream)
    stream.seek(0)
    result = imports.import_records(stream, dry_run=False, by=writer)
    db.session.commit()
    assert result.ok, result
    assert stale(concerned) and stale(collective) and not stale(other)
    row = queue_row(writer, concerned)
    assert row.summary.failing == len(eligibility.checklist_of(concerned).blockers) and not stale(concerned)


IMPORT_HEADERS = ["Năm", "Số quyết định", "Mã đối tượng", "Loại đối tượng", "Danh hiệu", "Ngày quyết định",
                  "Cơ quan ban hành"]
# six rows: three insert statements of two (INSERT_CHUNK 2); the person's, then a collective's in the last
IMPORT_ROWS = [[2024, "12/QĐ-SYT", "CNJ1", "Cá nhân", "LDTT", "15/01/2025", "Sở Y tế"],
               [2024, "13/QĐ-SYT", "CNJ1", "Cá nhân", "GIAY_KHEN", "15/01/2025", "Sở Y tế"],
               [2023, "14/QĐ-SYT", "CNJ1", "Cá nhân", "GIAY_KHEN", "15/01/2024", "Sở Y tế"],
               [2022, "15/QĐ-SYT", "CNJ1", "Cá nhân", "GIAY_KHEN", "15/01/2023", "Sở Y tế"],
               [2021, "16/QĐ-SYT", "CNJ1", "Cá nhân", "GIAY_KHEN", "15/01/2022", "Sở Y tế"],
               [2024, "17/QĐ-SYT", "TTJ", "Tập thể", "GIAY_KHEN", "15/01/2025", "Sở Y tế"]]


def import_sheet(rows=IMPORT_ROWS):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(IMPORT_HEADERS)
    for row in rows:
        book.active.append(row)
    stream = BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


@pytest.fixture
def imported(db, writer, monkeypatch):
    """Open dossiers the sheet concerns (the person's, the collective of the person's unit, the collective the
    sheet names) and one it does not; the import writes two rows a statement."""
    from awards.archive import imports

    monkeypatch.setattr(imports, "INSERT_CHUNK", 2)
    monkeypatch.setattr(imports, "BATCH", 2)
    parent = factories.unit(code="SYTJ")
    unit = factories.unit(code="BVJ", parent=parent)
    named = factories.unit(code="TTJ", parent=parent)
    person = factories.person(code="CNJ1", unit=unit)
    add_person_evaluation(person, year=2024, rating="excellent", by=None)
    return {"person": dossier(writer, person=person, award="CSTDCS", year=2024),
            "above": dossier(writer, unit=unit, subject_type="unit", award="TTLDTT", year=2024),
            "named": dossier(writer, unit=named, subject_type="unit", award="TTLDTT", year=2024),
            "other": dossier(writer)}


def records() -> int:
    from awards.archive.models import AwardRecord

    return _db.session.scalar(select(func.count(AwardRecord.id)))


@contextmanager
def nomination_updates():
    """The UPDATE statements on nominations sent meanwhile (the stale marks)."""
    found = []

    def listen(conn, cursor, statement, *args):
        if re.search(r"\bUPDATE nominations\b", statement, re.IGNORECASE):  # after the WITH of its CTE, if any
            found.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listen)
    try:
        yield found
    finally:
        event.remove(_db.engine, "before_cursor_execute", listen)


@pytest.mark.parametrize("many", [outcomes.MANY, 1])
def test_an_import_of_three_statements_marks_its_subjects_once_when_it_commits(db, writer, imported, many,
                                                                               monkeypatch):
    """The records go in 3 statements; their subjects' dossiers are marked by one UPDATE, in the import's
    transaction, before it commits: the person's, the collectives above the person, the collective named. (An
    import of 60,000 people passes its codes as one array or JSON parameter: `many` 1 takes that path here.)"""
    from awards.archive import imports

    monkeypatch.setattr(outcomes, "MANY", many)

    with nomination_updates() as updates:
        result = imports.import_records(import_sheet(), dry_run=False, by=writer)
        assert result.ok and result.imported == 6, result
        db.session.commit()
    assert len(updates) == 1
    assert [stale(imported[k]) for k in ("person", "above", "named", "other")] == [True, True, True, False]
    for key in ("person", "above", "named"):  # the queue refreshes them to what the dossier page computes
        row = queue_row(writer, imported[key])
        assert row.summary.failing == len(eligibility.checklist_of(imported[key]).blockers)
        assert not stale(imported[key])


def test_an_import_whose_records_are_refused_half_way_marks_nothing(db, writer, imported):
    """A bad row after a valid batch: nothing written, and the rollback leaves no mark behind for the next
    commit of the same session."""
    from awards.archive import imports

    rows = [*IMPORT_ROWS[:2], [2024, "18/QĐ-SYT", "CNJ1", "Cá nhân", "LDTT", "31/02/2025", "Sở Y tế"]]
    result = imports.import_records(import_sheet(rows), dry_run=False, by=writer)
    assert [e["row"] for e in result.errors] == [4]
    db.session.rollback()
    factories.unit(code="SAUJ")
    db.session.commit()
    assert records() == 0 and not any(stale(n) for n in imported.values())


def test_an_import_failing_while_it_writes_marks_nothing(db, writer, imported):
    """The database refuses the fifth row (the third statement), after two statements went in: the caller
    rolls back; no record stays, no dossier is marked, not even by the session's next commit."""
    from awards.archive import imports
    from tests.security.test_faults import refusing

    with refusing(db, "award_records", "decision_number", "16/QĐ-SYT"):
        with nomination_updates() as updates, pytest.raises(Exception, match="injected fault"):
            imports.import_records(import_sheet(), dry_run=False, by=writer)
        db.session.rollback()
        factories.unit(code="SAUJ")
        db.session.commit()
    assert updates == [] and records() == 0
    assert not any(stale(n) for n in imported.values())


def test_an_import_job_failing_while_it_writes_marks_nothing(client, db, writer, imported, login_as, csrf_token):
    """The same fault through the page: the job rolls the import back and commits its failed row; that commit
    marks no dossier."""
    from tests.security.test_faults import refusing

    login_as("staff")
    with refusing(db, "award_records", "decision_number", "16/QĐ-SYT"):
        response = client.post("/archive/import", content_type="multipart/form-data", data={
            "csrf_token": csrf_token("/archive/import"), "file": (import_sheet(), "khen-thuong.xlsx"),
            "published": "y"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lỗi hệ thống khi nhập, không có bản ghi nào được lưu." in page
    db.session.rollback()
    assert records() == 0 and not any(stale(n) for n in imported.values())
    response = client.post("/archive/import", content_type="multipart/form-data", data={  # and without the fault
        "csrf_token": csrf_token("/archive/import"), "file": (import_sheet(), "khen-thuong.xlsx"), "published": "y"})
    db.session.rollback()
    assert records() == 6
    assert [stale(imported[k]) for k in ("person", "above", "named", "other")] == [True, True, True, False]


def test_the_queue_asks_the_stale_index_whatever_the_statistics_say(db, writer):
    """PostgreSQL: with statistics saying half the dossiers are stale (40,000 closed ones a bulk load left stale,
    as in the generated full-scale province), the queue's "anything stale?" probe still reads the partial index
    of the stale rows, not every dossier (a sequential scan: 50-75 ms at each queue page at full scale)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's")
    nomination = dossier(writer)
    columns = [c.name for c in Nomination.__table__.columns if c.name not in ("id", "status", "outcome_stale")]
    listed = ", ".join(columns)
    with db.engine.begin() as conn:
        for status, stale_ in (("awarded", True), ("submitted", False)):
            conn.execute(text(f"INSERT INTO nominations ({listed}, status, outcome_stale) SELECT {listed}, "
                              f"'{status}', {stale_} FROM nominations, generate_series(1, 20000) WHERE id = :id"),
                         {"id": nomination.id})
        conn.execute(text("ANALYZE nominations"))
    probe = outcomes.stale_probe().compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.session.execute(text(f"EXPLAIN {probe}")).scalars())
    assert "ix_nominations_stale" in plan, plan
    assert db.session.scalar(outcomes.stale_probe()) is None  # none of the stale ones is on the queue


def test_a_holiday_added_moves_the_due_date(db, writer, at):
    nomination = dossier(writer, submitted=vn(2026, 3, 2))  # Monday; 20 working days → Monday 30/3
    at(vn(2026, 3, 10))
    assert queue_row(writer, nomination).clock["due_on"] == date(2026, 3, 30)
    calendar.add_day(day=date(2026, 3, 11), kind="day_off", reason="Nghỉ bù", source="Thông báo thử", by=writer)
    db.session.commit()
    assert stale(nomination)
    row = queue_row(writer, nomination)
    assert row.clock["due_on"] == date(2026, 3, 31) == appraisal.clock_of(
        nomination, eligibility.checklist_of(nomination))["due_on"]


def test_a_settings_change_of_the_norms_moves_every_open_due_date(db, writer, at):
    green = dossier(writer, submitted=vn(2026, 3, 2))
    failing = dossier(writer, rating=None, submitted=vn(2026, 3, 2))
    at(vn(2026, 3, 10))
    assert queue_row(writer, green).clock["norm"] == 20 and queue_row(writer, failing).clock["norm"] == 5
    change_setting("appraisal_days", 3, by=None)
    change_setting("return_days", 10, by=None)
    db.session.commit()
    assert stale(green) and stale(failing)
    assert (queue_row(writer, green).clock["norm"], queue_row(writer, failing).clock["norm"]) == (3, 10)
    assert queue_row(writer, green).clock["due_on"] == date(2026, 3, 5)
    overdue = {n.id for n in _db.session.scalars(appraisal.queue_stmt(writer, overdue_only=True))}
    assert overdue == {green.id}


def test_the_quota_line_follows_the_units_other_dossiers(db, writer):
    change_setting("cstdcs_quota_percent", 15, by=None)
    unit = factories.unit(code="BVQ")
    people = [factories.person(unit=unit) for _ in range(2)]
    for person in people:
        add_person_evaluation(person, year=2025, rating="excellent", by=None)
    first = dossier(writer, person=people[0], award="CSTDCS")
    assert queue_row(writer, first).quota  # one CSTĐCS and no LĐTT: over 15 %
    for _ in range(7):
        dossier(writer, unit=unit)  # seven LĐTT dossiers of the same unit: 15 % of 7 allows one
    assert stale(first)
    assert queue_row(writer, first).quota is None


@pytest.mark.parametrize("few", [outcomes.FEW, 0])
def test_a_dossier_moved_by_another_feature_is_refreshed_by_the_queue(db, writer, at, few, monkeypatch):
    """A move outside the nominations services (here a direct change of status) marks the dossier and restarts its
    clock's start: the queue shows it in its new status in the right place (the stale ones looked up by id, or,
    more than FEW of them, through the page's set)."""
    monkeypatch.setattr(outcomes, "FEW", few)
    nomination = dossier(writer, submitted=vn(2026, 3, 2))
    nomination.status = "appraised"
    db.session.commit()
    assert stale(nomination)
    at(vn(2026, 3, 10))
    row = queue_row(writer, nomination, status="appraised")
    assert row.clock["norm"] is None and row.clock["elapsed"] == 6
    assert not stale(nomination)


def test_the_periodic_job_refreshes_what_the_queue_did_not(db, writer):
    nominations = [dossier(writer, rating=None) for _ in range(3)]
    change_setting("return_days", 7, by=None)
    db.session.commit()
    assert all(stale(n) for n in nominations)
    assert outcomes.refresh_stale_job() == 3
    db.session.commit()
    assert not any(stale(n) for n in nominations)
    assert {_db.session.scalar(select(Nomination.clock_norm).where(Nomination.id == n.id)) for n in nominations} == {7}


def test_a_refresh_does_not_clear_a_marking_made_while_it_ran(db, writer, monkeypatch):
    """A refresh reads the version first: a marking committed in between (another request's new rating) moves it
    on, and the refresh's write leaves the row stale for the next read."""
    nomination = dossier(writer, rating=None)
    add_person_evaluation(nomination.person, year=2025, rating="good", by=None)
    db.session.commit()
    real = eligibility.checklists_of

    def meanwhile(nominations, settings=None):
        result = real(nominations, settings)
        _db.session.execute(update(Nomination).where(Nomination.id == nomination.id).values(
            outcome_version=Nomination.outcome_version + 1))  # what the other request's marking does
        return result

    monkeypatch.setattr(eligibility, "checklists_of", meanwhile)
    assert outcomes.refresh_outcomes([nomination]) == 0
    assert stale(nomination)


# --- the queue and the dossier page agree; the overdue filter equals the old computation -------------------

@pytest.fixture
def seeded(db, writer):
    """Dossiers of both norms' outcomes on every weekday of four weeks, two statuses, units two levels deep."""
    root = factories.unit(code="SYTS", name="Sở Y tế")
    hospital = factories.unit(code="BVS", name="Bệnh viện S", parent=root)
    made = []
    for n in range(24):
        day = vn(2026, 2, 9) + timedelta(days=n)
        made.append(dossier(writer, unit=hospital if n % 2 else root, rating=None if n % 3 == 0 else "good",
                            submitted=day))
    services.appraise(made[1], result="pass", note="", by=writer)
    services.appraise(made[0], result="fail", note="Không đạt", by=writer)
    services.appraise(made[2], result="pass", note="", by=writer)
    _db.session.commit()
    return made


def old_overdue_ids(user, settings: dict) -> set[int]:
    """The overdue filter as it was before the stored due dates (issue 21's oracle): dossiers submitted before
    the longer norm's cutoff, and those between the two norms whose checklist picks the shorter norm."""
    stmt = appraisal.queue_stmt(user, refresh=False)

    def before(day):
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=clock.VIETNAM)

    returning, appraising = settings["return_days"], settings["appraisal_days"]
    surely = Nomination.submitted_at < before(appraisal.overdue_cutoff(max(returning, appraising)))
    if returning == appraising:
        return set(_db.session.scalars(stmt.where(surely)))
    band = stmt.where(~surely, Nomination.submitted_at < before(appraisal.overdue_cutoff(min(returning,
                                                                                              appraising))))
    candidates = list(_db.session.scalars(band).unique())
    lists = eligibility.checklists_of(candidates, settings)
    late = [n.id for n in candidates if (not lists[n.id].eligible) == (returning < appraising)]
    return {n.id for n in _db.session.scalars(stmt.where(or_(surely, Nomination.id.in_(late)) if late
                                                          else surely))}


@pytest.mark.parametrize("today", [vn(2026, 3, 2), vn(2026, 3, 9), vn(2026, 3, 16), vn(2026, 3, 21),
                                   vn(2026, 4, 6)])
def test_overdue_filter_equals_the_old_computation(db, writer, seeded, at, today):
    at(today)
    settings = catalog.global_settings()
    new = {n.id for n in _db.session.scalars(appraisal.queue_stmt(writer, overdue_only=True))}
    assert new == old_overdue_ids(writer, settings)
    shown = {row.nomination.id for row in appraisal.queue_rows(list(_db.session.scalars(
        appraisal.queue_stmt(writer)))) if row.clock["overdue"]}
    assert shown == new  # the rows' badge and the filter agree
    for nomination in seeded:  # and the stored clock is the dossier page's
        if nomination.status == "submitted":
            live = appraisal.clock_of(nomination, eligibility.checklist_of(nomination), settings)
            row = queue_row(writer, nomination)
            assert (row.clock["elapsed"], row.clock["norm"], row.clock["due_on"], row.clock["overdue"]) == (
                live["elapsed"], live["norm"], live["due_on"], live["overdue"])


def test_queue_and_dossier_page_agree_on_every_seeded_dossier(client, login_as, db, writer, seeded):
    login_as("staff")
    html = client.get("/nominations/queue").get_data(as_text=True)
    for status in ("submitted", "appraised", "rejected"):
        page = client.get(f"/nominations/queue?status={status}").get_data(as_text=True)
        for nomination in seeded:
            if nomination.status != status:
                continue
            row = re.search(rf'#{nomination.id}<.*?</tr>', page, re.S).group(0)
            detail = client.get(f"/nominations/{nomination.id}/appraise").get_data(as_text=True)
            live = eligibility.checklist_of(nomination)
            assert ("✔" in row or "⚑" in row) == live.eligible, nomination.id
            assert (f"{len(live.blockers)} dòng chưa đạt" in row) == (not live.eligible), nomination.id
            assert (f"#{nomination.id}" in detail) and (len(live.blockers) == 0) == live.eligible
    assert ROW.findall(html)


# --- what a queue page costs -------------------------------------------------------------------------------

def test_a_queue_page_computes_no_checklist_and_takes_a_fixed_number_of_statements(app, client, login_as, db,
                                                                                    writer, seeded, monkeypatch):
    login_as("staff")
    client.get("/nominations/queue")  # refreshes what the fixture's direct changes left stale, and commits
    client.get("/nominations/queue?waiting=overdue")
    computed = []
    real = eligibility.checklists_of
    monkeypatch.setattr(eligibility, "checklists_of", lambda n, s=None: computed.append(len(n)) or real(n, s))
    plain, html = count_statements(app, client, "/nominations/queue")
    overdue, _html = count_statements(app, client, "/nominations/queue?waiting=overdue")
    assert computed == [] and len(ROW.findall(html)) == 21  # 24 seeded, 3 appraised or rejected
    # 15 each: user and session, settings, stale check (none), count, page ids, the page's dossiers with their
    # people and units, campaigns, priority flags, the announced calendar days, the filters' campaigns and units
    assert plain <= 16 and overdue <= 16, (plain, overdue)


def test_the_stale_probe_reads_the_partial_index_on_sqlite_whatever_index_came_last(db, writer):
    """SQLite takes a partial index only for the very term of its WHERE (`outcome_stale`; written `outcome_stale = 1`
    the probe walked every open dossier by status: 33 ms a queue page at full scale, 419 ms p95 at scale 5), and
    without statistics it took whichever index on (status, …) was created last: a migration adding one made the
    probe walk the open dossiers again (85-120 ms a queue page at scale 5). The probe names its index (`INDEXED
    BY`: "no query solution" if that index could not answer it), so an index created after it changes nothing;
    and it finds a stale open dossier when there is one."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the partial-index rule is SQLite's")
    nomination = dossier(writer)
    probe = str(outcomes.stale_probe().compile(db.engine, compile_kwargs={"literal_binds": True}))
    assert "FROM nominations INDEXED BY ix_nominations_stale" in probe
    db.session.execute(text("CREATE INDEX ix_test_newest ON nominations (status, year)"))
    try:
        plan = " ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {probe}")))
        assert "ix_nominations_stale" in plan and "ix_test_newest" not in plan, plan
        db.session.execute(update(Nomination).where(Nomination.id == nomination.id).values(outcome_stale=True))
        assert db.session.scalar(outcomes.stale_probe()) == nomination.id
        db.session.execute(update(Nomination).where(Nomination.id == nomination.id).values(outcome_stale=False))
        assert db.session.scalar(outcomes.stale_probe()) is None
    finally:
        db.session.execute(text("DROP INDEX ix_test_newest"))


def test_the_overdue_filter_is_counted_from_the_index_alone_on_sqlite(client, login_as, db, writer, at):
    """The queue's overdue filter keeps the dossiers whose stored due date is past. Its count read each submitted
    dossier's row for the date (70-80 ms for the province-wide desk over 74,000 submitted dossiers at scale 5);
    the queue's index now holds the date, so the count reads the index alone, and the page still walks it longest
    waiting first, without a sort."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan (PostgreSQL chooses by its statistics)")
    for day in (2, 3, 4):
        dossier(writer, submitted=vn(2026, 3, day))
    db.session.commit()
    at(vn(2026, 5, 4))
    login_as("staff")
    seen: list[tuple[str, tuple]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "clock_due_on <" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        response = client.get("/nominations/queue?waiting=overdue")
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert response.status_code == 200 and len(ROW.findall(response.get_data(as_text=True))) == 3
    plans = {statement.split()[1]: " ".join(row[-1] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", parameters)) for statement, parameters in seen}
    assert "COVERING INDEX ix_nominations_status_started_due" in plans["count(*)"], plans
    page = next(plan for first, plan in plans.items() if first != "count(*)")
    assert "ix_nominations_status_started_due" in page and "TEMP B-TREE FOR ORDER BY" not in page, plans


def test_one_flush_marking_a_collective_above_and_two_years_quotas_at_once(db, writer):
    """A person's rating, a unit's CSTĐCS quota for two years and a member moving: each asks for its units and every
    unit above them, one recursive CTE each; named alike they made the UPDATE fail to compile ("Multiple, unrelated
    CTEs found with the same name"), so one flush that changed a dossier's year and a member failed."""
    hospital = factories.unit(code="BVQ")
    ward = factories.unit(code="BVQ-NOI", parent=hospital)
    person = factories.person(code="Q01", unit=ward)
    collective = factories.nomination(hospital, award_code="TTLDTT")
    db.session.commit()
    db.session.execute(update(Nomination).values(outcome_stale=False))
    marks = outcomes.Marks()
    marks.people.add(person.id)
    marks.units_up.add(ward.id)
    marks.quota |= {(hospital.id, 2024), (hospital.id, 2025)}
    outcomes.mark_stale(marks, db.session.connection())
    db.session.commit()
    assert db.session.get(Nomination, collective.id).outcome_stale  # the collective above the rated member
