"""Faults: a process killed mid-transaction, a database error inside a multi-row service, a full or missing
upload disk, an app restarted during a ballot. Nothing half-written may survive any of them.

Processes are real (a child Python on the same database, SIGKILLed while its transaction is open); database
errors are real (a trigger that makes the database refuse one row); only the disk-full case patches a write.
"""

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from awards.announcements.models import Decision
from awards.archive import imports
from awards.archive import services as archive
from awards.archive.models import AwardRecord, ImportJob
from awards.core import clock
from awards.core.uploads import Upload
from awards.nominations.models import Attachment, Nomination, NominationEvent
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
WAIT = 120  # seconds a child may stay silent (the import prints its progress every 1,000 rows)

# The child: the app on the test's database, doing one job; with PAUSE_TABLE set it stops (printing PAUSED)
# right after the PAUSE_AT-th statement inserting into that table (an import: after its "pause_written"-th row), its
# transaction open, and waits to be killed.
CHILD = r'''
import json, os, sys, time
from sqlalchemy import event
from awards import create_app
from awards.extensions import db

app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": os.environ["CHILD_DB"],
                  "UPLOAD_DIR": os.environ["CHILD_UPLOADS"], "RATELIMIT_ENABLED": False})
table, at, seen = os.environ.get("PAUSE_TABLE"), int(os.environ.get("PAUSE_AT", "0")), [0]

def pause(conn, cursor, statement, parameters, context, executemany):
    # an INSERT of its own or one inside a statement's CTEs (a ballot's writes on PostgreSQL: council/voting.py)
    if table and f"INSERT INTO {table.upper()} " in statement.upper():
        seen[0] += 1
        if seen[0] == at:
            print("PAUSED", flush=True)
            time.sleep(600)

with app.app_context():
    event.listen(db.engine, "after_cursor_execute", pause)
    job = json.loads(os.environ["CHILD_JOB"])
    if job["do"] == "import":
        from awards.archive import imports
        def progress(phase, done, total):  # with "pause_written": paused once that many rows are written
            if phase == "write" and done == job.get("pause_written"):  # alone: until() reads no line after it
                print("PAUSED", flush=True)
                time.sleep(600)
            print(phase, done, flush=True)
        result = imports.import_records(job["path"], dry_run=False, progress=progress)
        db.session.commit()
        print("DONE", result.imported, flush=True)
    elif job["do"] == "decision":
        from datetime import date
        from awards.announcements.decisions import issue_decision
        from awards.auth.models import User
        issue_decision(number=job["number"], signed_on=date.today(), signer="Giám đốc", issuer="Sở Y tế",
                       nomination_ids=job["ids"], by=db.session.get(User, job["by"]))
        db.session.commit()
        print("DONE", flush=True)
    elif job["do"] == "serve":
        from werkzeug.serving import make_server
        server = make_server("127.0.0.1", 0, app, threaded=True)
        print("READY", server.server_port, flush=True)
        server.serve_forever()
'''


class Child:
    """A child process running CHILD; `until(word)` reads its output up to a line starting with `word`."""

    def __init__(self, app, job, pause=None):
        env = {**os.environ, "CHILD_DB": app.config["SQLALCHEMY_DATABASE_URI"],
               "CHILD_UPLOADS": app.config["UPLOAD_DIR"], "CHILD_JOB": json.dumps(job), "PYTHONPATH": str(ROOT)}
        if pause:
            env["PAUSE_TABLE"], env["PAUSE_AT"] = pause[0], str(pause[1])
        self.process = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)

    def until(self, word: str) -> str:
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = datetime.now() + timedelta(seconds=WAIT)
        while datetime.now() < deadline:
            if selector.select(timeout=1):
                line = self.process.stdout.readline()
                if not line:
                    break
                if line.startswith(word):
                    return line.strip()
                deadline = datetime.now() + timedelta(seconds=WAIT)  # progress: the child is alive and working
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        errors = self.process.stderr.read()[-3000:]
        self.kill()
        raise AssertionError(f"the child never printed {word}: {errors}")

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()


def _records(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(AwardRecord.id)))


def _people(db, n):
    top = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=top)
    people = [factories.person(code=f"CN{i:04d}", unit=hospital) for i in range(n)]
    db.session.commit()
    return people


_PACKAGE = {  # the least an .xlsx needs; the sheet is written as XML text, much faster than a writer library
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Khen thưởng" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


def _row(n: int, values) -> str:
    cells = "".join(f'<c t="n"><v>{v}</v></c>' if isinstance(v, int) else f'<c t="inlineStr"><is><t>{v}</t></is></c>'
                    for v in values)
    return f'<row r="{n}">{cells}</row>'


def _sheet(path: Path, rows: int, people: int, prefix="QĐ") -> Path:
    """An import file of `rows` Giấy khen rows, each with its own decision number (so all are new)."""
    lines = [_row(1, ["Loại đối tượng", "Mã đối tượng", "Danh hiệu", "Năm", "Số quyết định", "Ngày quyết định",
                      "Cơ quan ban hành"])]
    lines += [_row(n + 1, ["Cá nhân", f"CN{n % people:04d}", "GIAY_KHEN", 2024, f"{n}/{prefix}", "15/01/2025",
                           "Sở Y tế"]) for n in range(1, rows + 1)]
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>' + "".join(lines) + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in {**_PACKAGE, "xl/worksheets/sheet1.xml": sheet}.items():
            package.writestr(name, xml)
    return path


# --- processes killed mid-transaction ---------------------------------------------------------------------

def test_a_process_killed_in_the_middle_of_a_100k_row_import_leaves_nothing(app, db, tmp_path):
    _people(db, 100)
    for n in range(3):  # the chain already has records; the import would continue it
        archive.record_award(subject_type="person", subject_code=f"CN{n:04d}", award_code="LDTT", year=2023,
                             decision_number=f"{n}/QĐ-cũ", decision_date=date(2024, 1, 10), issuer="Sở Y tế")
    db.session.commit()
    before = _records(db)
    # paused with half the file written, not committed (a COPY on PostgreSQL: no INSERT statement to count)
    child = Child(app, {"do": "import", "path": str(_sheet(tmp_path / "100k.xlsx", 100_000, 100)),
                        "pause_written": 50_000})
    try:
        child.until("PAUSED")
        assert _records(db) == before, "nothing is visible before the commit"
    finally:
        child.kill()
    assert child.process.returncode == -signal.SIGKILL
    assert _records(db) == before
    assert archive.verify_chain() == (before, None, "")

    # the killed writer left no lock behind: the next import runs at once and continues the same chain
    result = imports.import_records(_sheet(tmp_path / "small.xlsx", 50, 100, prefix="QĐ-mới"), dry_run=False)
    db.session.commit()
    assert (result.errors, result.imported) == ([], 50)
    assert archive.verify_chain() == (before + 50, None, "")


def _decidable(db, n):
    """`n` appraised LĐTT dossiers (no council vote due), ready for one decision."""
    people = _people(db, n)
    staff = factories.user("staff")
    dossiers = [factories.nomination(person, "LDTT", by=staff) for person in people]
    db.session.commit()
    return staff, [d.id for d in dossiers]


def test_a_process_killed_in_the_middle_of_a_decision_leaves_nothing(app, db):
    staff, ids = _decidable(db, 30)
    before = _records(db)
    child = Child(app, {"do": "decision", "number": "15/QĐ-SYT", "ids": ids, "by": staff.id},
                  pause=("award_records", 16))
    try:
        child.until("PAUSED")
    finally:
        child.kill()
    assert _records(db) == before and archive.verify_chain() == (before, None, "")
    assert db.session.scalar(select(func.count(Decision.id))) == 0
    statuses = set(db.session.scalars(select(Nomination.status).where(Nomination.id.in_(ids))))
    assert statuses == {"appraised"}
    assert not db.session.scalar(select(func.count(NominationEvent.id)).where(NominationEvent.status == "awarded"))

    # the same decision can be issued afterwards, whole
    from awards.announcements.decisions import issue_decision

    issue_decision(number="15/QĐ-SYT", signed_on=date.today(), signer="Giám đốc", issuer="Sở Y tế",
                   nomination_ids=ids, by=staff)
    db.session.commit()
    assert _records(db) == before + 30 and archive.verify_chain() == (before + 30, None, "")


# --- a database error inside a multi-row service ------------------------------------------------------------

@contextmanager
def refusing(db, table: str, column: str, value: str | int):
    """A trigger that makes the database itself refuse the row of `table` whose `column` is `value`."""
    dialect = db.engine.dialect.name
    literal = str(value) if isinstance(value, int) else f"'{value}'"
    with db.engine.begin() as conn:
        if dialect == "sqlite":
            conn.execute(text(f"CREATE TRIGGER fault_injected BEFORE INSERT ON {table} "
                              f"WHEN NEW.{column} = {literal} BEGIN SELECT RAISE(ABORT, 'injected fault'); END"))
        else:
            conn.execute(text(f"CREATE FUNCTION fault_injected() RETURNS trigger AS $$ BEGIN "
                              f"IF NEW.{column} = {literal} THEN RAISE EXCEPTION 'injected fault'; END IF; "
                              f"RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text(f"CREATE TRIGGER fault_injected BEFORE INSERT ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION fault_injected()"))
    try:
        yield
    finally:
        db.session.rollback()
        with db.engine.begin() as conn:
            if dialect == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS fault_injected"))
            else:
                conn.execute(text(f"DROP TRIGGER IF EXISTS fault_injected ON {table}"))
                conn.execute(text("DROP FUNCTION IF EXISTS fault_injected()"))


def test_a_database_error_on_the_nth_record_of_a_decision_rolls_it_all_back(api, db):
    staff = api.as_("staff")
    people = _people(db, 5)
    ids = [factories.nomination(p, "LDTT", by=staff.user).id for p in people]
    db.session.commit()
    before = _records(db)
    body = {"number": "7/QĐ-SYT", "signed_on": date.today().isoformat(), "signer": "Giám đốc",
            "issuer": "Sở Y tế", "nomination_ids": ids}
    with refusing(db, "award_records", "subject_code", people[3].code):  # the 4th of 5 records
        response = staff.post("/api/v1/decisions", json=body)
    assert response.status_code == 500 and response.json["error"]["code"]
    assert _records(db) == before and archive.verify_chain() == (before, None, "")
    assert db.session.scalar(select(func.count(Decision.id))) == 0
    assert set(db.session.scalars(select(Nomination.status).where(Nomination.id.in_(ids)))) == {"appraised"}
    assert staff.post("/api/v1/decisions", json=body).status_code == 201


def test_a_database_error_in_the_last_chunk_of_an_import_stores_no_row(api, db, tmp_path):
    staff = api.as_("staff")
    _people(db, 20)
    before = _records(db)
    sheet = _sheet(tmp_path / "5k.xlsx", 5000, 20)
    # in the third bulk insert of 2,000
    with refusing(db, "award_records", "decision_number", "4500/QĐ"), sheet.open("rb") as handle:
        response = staff.post("/api/v1/archive/imports", data={"file": (handle, "5k.xlsx")},
                                  content_type="multipart/form-data")
    assert response.status_code == 500
    assert _records(db) == before and archive.verify_chain() == (before, None, "")


def test_a_database_error_while_closing_a_session_keeps_it_open_with_every_ballot(api, db):
    from tests.council.conftest import Council

    council = Council(api, db, 5)
    dossiers = council.dossiers("CSTDCS", "CSTDCS", "CSTDCS")
    session_id = council.session(dossiers, closes_at=clock.now() + timedelta(days=5))
    for member in council.members:
        assert council.vote(session_id, member, [(d, "yes") for d in dossiers]).status_code in (200, 201)
    with refusing(db, "nomination_events", "nomination_id", dossiers[2].id):
        assert council.close(session_id).status_code == 500
    assert council.staff.get(f"/api/v1/council-sessions/{session_id}/results").status_code == 409
    db.session.expire_all()
    assert {d.status for d in db.session.scalars(select(Nomination).where(
        Nomination.id.in_([d.id for d in dossiers])))} == {"in_council"}
    closed = council.close(session_id)
    assert closed.status_code == 200, closed.json
    results = council.staff.get(f"/api/v1/council-sessions/{session_id}/results").json
    assert results["ballots_cast"] == 5 and [i["yes"] for i in results["items"]] == [5, 5, 5]


# --- the upload disk fails ----------------------------------------------------------------------------------

def _no_rows(db):
    db.session.rollback()
    return (db.session.scalar(select(func.count(Upload.id))), db.session.scalar(select(func.count(Attachment.id))))


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


@pytest.fixture
def dossier(api, db):
    officer = api.as_("unit_officer")
    person = factories.person(unit=officer.user.unit)
    nomination = factories.nomination(person, "LDTT", status="draft", by=officer.user)
    db.session.commit()
    return officer, nomination


def _attach(officer, nomination, content=b""):
    return officer.post(f"/api/v1/nominations/{nomination.id}/attachments",
                        data={"kind": "report", "file": (io.BytesIO(factories.PDF + content), "bc.pdf")},
                        content_type="multipart/form-data")


def test_an_upload_folder_under_a_regular_file_is_a_clear_error_and_keeps_nothing(app, db, dossier, tmp_path,
                                                                                  monkeypatch):
    """Fails for root too: no one can make a directory inside a regular file."""
    officer, nomination = dossier
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "not-a-folder" / "uploads"))
    response = _attach(officer, nomination)
    assert response.status_code == 503, response.json
    assert response.json["error"]["code"] == "storage_unavailable"
    assert "Không lưu được tệp" in response.json["error"]["message"]
    assert _no_rows(db) == (0, 0) and _files(tmp_path) == ["not-a-folder"]


def test_a_full_disk_leaves_no_half_file_and_no_row(app, db, dossier, tmp_path, monkeypatch, login_as, client,
                                                    csrf_token):
    officer, nomination = dossier
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(root))
    real_write = Path.write_bytes

    def disk_full(self, data):  # half the bytes reach the disk, then the device is full
        real_write(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    response = _attach(officer, nomination, b"1")
    assert response.status_code == 503 and "ổ đĩa đầy" in response.json["error"]["message"]
    assert _no_rows(db) == (0, 0) and _files(root) == []

    # the page says the same, in Vietnamese, and the archive import page too
    login_as("staff")
    page = client.post(f"/nominations/{nomination.id}/attachments", data={
        "kind": "report", "file": (io.BytesIO(factories.PDF + b"2"), "bc.pdf"),
        "csrf_token": csrf_token(f"/nominations/{nomination.id}")}, content_type="multipart/form-data")
    assert page.status_code == 503 and "ổ đĩa đầy" in page.get_data(as_text=True)
    from tests.archive.test_import import GOOD_ROWS, HEADERS, workbook

    job = client.post("/archive/import", data={"file": (workbook(HEADERS, GOOD_ROWS), "kt.xlsx"),
                                               "csrf_token": csrf_token("/archive/import")},
                      content_type="multipart/form-data")
    assert job.status_code == 503 and "ổ đĩa đầy" in job.get_data(as_text=True)
    assert _no_rows(db) == (0, 0) and _files(root) == []
    assert db.session.scalar(select(func.count(ImportJob.id))) == 0


# --- the app restarts during an open ballot -----------------------------------------------------------------

def _post(port, path, token, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_restart_during_an_open_ballot_loses_no_cast_ballot(app, api, db):
    from tests.council.conftest import Council

    council = Council(api, db, 6)
    dossiers = council.dossiers("CSTDCS", "CSTDCS")
    session_id = council.session(dossiers, closes_at=clock.now() + timedelta(days=5))
    path = f"/api/v1/council-sessions/{session_id}/ballots"
    votes = {"votes": [{"nomination_id": d.id, "choice": "yes"} for d in dossiers]}
    members = council.members

    # the first app process: three ballots counted, the fourth killed half way (its rows flushed, not committed)
    first = Child(app, {"do": "serve"}, pause=("sealed_ballots", 4))
    try:
        port = int(first.until("READY").split()[1])
        receipts = [_post(port, path, m.token, votes) for m in members[:3]]
        assert [status for status, _body in receipts] == [201, 201, 201], receipts
        import threading

        hung = threading.Thread(target=lambda: _swallow(_post, port, path, members[3].token, votes), daemon=True)
        hung.start()
        first.until("PAUSED")
    finally:
        first.kill()

    second = Child(app, {"do": "serve"})
    try:
        port = int(second.until("READY").split()[1])
        assert _post(port, path, members[0].token, votes)[0] == 409, "a ballot cast before the restart stays cast"
        assert _post(port, path, members[3].token, votes)[0] == 201, "the killed ballot left nothing: vote again"
        assert _post(port, path, members[4].token, votes)[0] == 201
        status, results = _post(port, f"/api/v1/council-sessions/{session_id}/close", council.staff.token, {})
        assert status == 200, results
    finally:
        second.kill()
    results = council.staff.get(f"/api/v1/council-sessions/{session_id}/results").json
    assert results["ballots_cast"] == 5
    assert [item["yes"] for item in results["items"]] == [5, 5]


def _swallow(call, *args):
    with contextlib.suppress(OSError):  # the server was killed under the request
        call(*args)
