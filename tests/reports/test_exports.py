"""Report workbooks built in the background: started from the dashboard's forms, watched on the job page and its
status URL, downloaded when done; a failed build says why in Vietnamese; only managers, and only with CSRF."""

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from huey import MemoryHuey
from openpyxl import load_workbook
from sqlalchemy import func, select

from awards.core import jobs
from awards.reports import exports, workbook
from awards.reports.models import ExportJob

BAD_YEAR = "Kỳ báo cáo không hợp lệ: năm phải là số từ 1945 đến 2100."


@pytest.fixture
def dashboard_form(client, csrf_token):
    """POST one of the dashboard's export forms, with the CSRF token read from the dashboard itself."""

    def post(kind, year=2025, half=None, token=True):
        data = {"kind": kind, "year": str(year)}
        if half is not None:
            data["half"] = str(half)
        if token:
            data["csrf_token"] = csrf_token(f"/reports/?year={year}")
        return client.post("/reports/exports", data=data)

    return post


@pytest.fixture
def held(app, monkeypatch):
    """Jobs handed to a Huey that is not immediate (its queue in memory) and not run until the test says so; the
    job ids queued."""
    queue = jobs.Queue(app, huey=MemoryHuey("awards-test", results=False))
    monkeypatch.setitem(app.extensions, "jobs", queue)

    class Held:
        def __eq__(self, job_ids):
            return [task.args[1] for task in queue.huey.pending()] == job_ids

    return Held()


@pytest.fixture
def inline():
    """The tests' setting already (BACKGROUND_JOBS=immediate): Huey runs the job in the request that asks for it."""


def job_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    match = re.fullmatch(r".*/reports/exports/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def fresh(db, job_id) -> ExportJob:
    db.session.commit()  # end the test's snapshot: see what the worker wrote
    return db.session.get(ExportJob, job_id)


def test_the_dashboard_offers_forms_that_start_jobs(province, client, login_as):
    login_as("staff")
    html = client.get("/reports/?year=2025").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/reports/exports".*?</form>', html, re.S)
    assert len(forms) == 4  # the year, both halves, the statistics forms
    assert all('name="csrf_token"' in form and 'name="year" value="2025"' in form for form in forms)
    assert "Tạo báo cáo năm 2025" in html and "Tạo biểu thống kê TT 02/2023/TT-BNV năm 2025" in html


def test_a_queued_job_shows_progress_then_done_with_a_download(province, at, app, db, client, login_as,
                                                               dashboard_form, held, monkeypatch):
    login_as("staff")
    job_id = job_id_of(dashboard_form("annual"))
    assert held == [job_id]
    page = client.get(f"/reports/exports/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "Đang chờ bắt đầu…" in page and "Báo cáo năm 2025" in page
    assert re.search(r'<progress [^>]*max="100" value="0"', page) and "style=" not in page.split("<main", 1)[-1]
    assert f"/reports/exports/{job_id}/download" not in page
    status = client.get(f"/reports/exports/{job_id}.json").get_json()
    assert (status["status"], status["progress"], status["download_url"]) == ("queued", 0, None)
    assert client.get(f"/reports/exports/{job_id}/download").status_code == 404

    # the worker, as the thread would run it: progress is written to the row while the workbook is built
    seen = []
    real_build = workbook.build

    def watched(period, progress=None):
        def spy(percent, phase):
            progress(percent, phase)
            with db.engine.connect() as conn:  # another connection, as the status page would read it
                seen.append(tuple(conn.execute(select(ExportJob.status, ExportJob.progress, ExportJob.phase)
                                               .where(ExportJob.id == job_id)).one()))
        return real_build(period, progress=spy)

    monkeypatch.setattr(workbook, "build", watched)
    exports.run_export(job_id, app)  # what the queued task runs, here so that the spy sees it
    monkeypatch.undo()
    assert seen and all(status == "running" for status, _, _ in seen)
    assert [p for _, p, _ in seen] == sorted(p for _, p, _ in seen) and seen[-1][1] >= 40
    assert {phase for _, _, phase in seen} >= {"sheets", "list"}

    job = fresh(db, job_id)
    assert (job.status, job.progress, job.message) == ("done", 100, "")
    assert job.started_at and job.finished_at and job.upload.kind == "xlsx"
    page = client.get(f"/reports/exports/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "Báo cáo đã lập xong." in page
    assert f'href="/reports/exports/{job_id}/download"' in page
    response = client.get(f"/reports/exports/{job_id}/download")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    assert "bao-cao-khen-thuong-nam-2025.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == list(workbook.SHEETS)
    assert book["Tổng hợp"]["A1"].value == "BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM 2025"


def test_a_queued_job_finishes_the_half_year_report_in_a_process_of_its_own(province, at, app, db, client, login_as,
                                                                           dashboard_form, held):
    login_as("admin")
    job_id = job_id_of(dashboard_form("half_year", year=2026, half=1))
    assert held == [job_id]
    assert jobs.run_pending(app) == 1  # as a consumer's worker: Huey's dequeue and execute, the job in a child
    status = client.get(f"/reports/exports/{job_id}.json").get_json()
    assert (status["status"], status["progress"], status["kind"], status["year"], status["half"]) == (
        "done", 100, "half_year", 2026, 1)
    assert status["download_url"] == f"/reports/exports/{job_id}/download" and status["size"] > 0
    response = client.get(status["download_url"])
    assert "6-thang-dau" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == list(workbook.SHEETS)
    assert "6 THÁNG ĐẦU NĂM 2026" in book["Tổng hợp"]["A1"].value


def test_the_statistics_forms_are_built_too(province, at, app, db, client, login_as, dashboard_form, inline):
    login_as("staff")
    job_id = job_id_of(dashboard_form("statistics"))
    response = client.get(f"/reports/exports/{job_id}/download")
    assert "thong-ke-tdkt-2025.xlsx" in response.headers["Content-Disposition"]
    assert load_workbook(BytesIO(response.data)).sheetnames[0] == "0601.N"


def test_the_list_reports_its_progress_as_rows_are_written(province, at, db, monkeypatch):
    monkeypatch.setattr(workbook, "PROGRESS_ROWS", 2)
    calls = []
    workbook.build(workbook.figures.Period(2025), progress=lambda percent, phase: calls.append((percent, phase)))
    assert calls[:3] == [(5, "figures"), (30, "sheets"), (40, "list")] and calls[-1] == (95, "file")
    listed = [percent for percent, phase in calls[3:-1]]
    assert {phase for _, phase in calls[3:-1]} == {"list"}
    assert listed == sorted(listed) and all(40 < p <= 95 for p in listed) and len(listed) == 3


def test_a_bad_year_marks_the_job_failed_with_the_vietnamese_message(app, db, client, login_as, inline):
    user = login_as("staff")
    with app.test_request_context():
        job = exports.start_export("annual", 1900, by=user)
    job = fresh(db, job.id)
    assert (job.status, job.message, job.upload_id) == ("failed", BAD_YEAR, None)
    assert job.finished_at is not None
    page = client.get(f"/reports/exports/{job.id}").get_data(as_text=True)
    assert "Không lập được báo cáo." in page and BAD_YEAR in page and 'http-equiv="refresh"' not in page
    status = client.get(f"/reports/exports/{job.id}.json").get_json()
    assert (status["status"], status["message"], status["download_url"]) == ("failed", BAD_YEAR, None)
    assert client.get(f"/reports/exports/{job.id}/download").status_code == 404


def test_a_failing_build_started_from_the_form_is_reported(province, app, db, client, login_as, dashboard_form,
                                                           inline, monkeypatch):
    login_as("staff")

    def broken(period, progress=None):
        progress(30, "sheets")
        raise ValueError("Kỳ báo cáo không hợp lệ: 6 tháng đầu năm là 1, 6 tháng cuối năm là 2.")

    monkeypatch.setattr(workbook, "build", broken)
    job = fresh(db, job_id_of(dashboard_form("annual")))
    assert (job.status, job.progress, job.phase) == ("failed", 30, "sheets")
    assert job.message == "Kỳ báo cáo không hợp lệ: 6 tháng đầu năm là 1, 6 tháng cuối năm là 2."

    monkeypatch.setattr(workbook, "build", lambda period, progress=None: 1 / 0)
    job = fresh(db, job_id_of(dashboard_form("annual")))
    assert (job.status, job.message) == ("failed", "Lỗi hệ thống khi lập báo cáo. Hãy thử lại sau.")


def test_the_status_url_answers_the_job_fields(app, db, client, login_as):
    user = login_as("staff")
    job = ExportJob(kind="half_year", year=2025, half=2, status="running", progress=42, phase="list",
                    started_at=datetime.now(UTC),  # a live claim (an old one is reaped as dead: core/jobs.py)
                    created_by_id=user.id)
    db.session.add(job)
    db.session.commit()
    status = client.get(f"/reports/exports/{job.id}.json").get_json()
    assert {k: status[k] for k in ("id", "kind", "year", "half", "status", "progress", "phase", "message",
                                   "download_url", "size", "finished_at")} == {
        "id": job.id, "kind": "half_year", "year": 2025, "half": 2, "status": "running", "progress": 42,
        "phase": "list", "message": "", "download_url": None, "size": None, "finished_at": None}
    assert status["phase_label"] == "Đang ghi danh sách khen thưởng" and status["created_at"]
    page = client.get(f"/reports/exports/{job.id}").get_data(as_text=True)
    assert "Báo cáo 6 tháng cuối năm 2025" in page and "Đang ghi danh sách khen thưởng: 42%" in page
    assert re.search(r'<progress [^>]*value="42"', page) and 'http-equiv="refresh" content="2"' in page


@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_only_managers_start_watch_and_download(app, db, client, login_as, role, csrf_token, held):
    staff = login_as("staff")
    job = ExportJob(kind="annual", year=2025, status="queued", created_by_id=staff.id)
    db.session.add(job)
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token("/account")})
    login_as(role)
    response = client.post("/reports/exports", data={"kind": "annual", "year": "2025",
                                                      "csrf_token": csrf_token("/account")})
    assert response.status_code == 403
    for url in (f"/reports/exports/{job.id}", f"/reports/exports/{job.id}.json",
                f"/reports/exports/{job.id}/download"):
        assert client.get(url).status_code == 403, url
    assert held == [] and db.session.scalar(select(func.count(ExportJob.id))) == 1


def test_another_manager_may_watch_the_job(app, db, client, login_as, csrf_token):
    staff = login_as("staff")
    job = ExportJob(kind="annual", year=2025, status="queued", created_by_id=staff.id)
    db.session.add(job)
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token("/account")})
    login_as("admin")
    assert client.get(f"/reports/exports/{job.id}").status_code == 200
    assert client.get("/reports/exports/999999").status_code == 404


def test_without_the_csrf_token_nothing_starts(province, db, client, login_as, dashboard_form, held):
    login_as("staff")
    assert dashboard_form("annual", token=False).status_code == 400
    assert held == [] and db.session.scalar(select(func.count(ExportJob.id))) == 0


def test_a_bad_form_goes_back_to_the_dashboard(province, db, client, login_as, dashboard_form, held):
    login_as("staff")
    response = dashboard_form("half_year", half=3)
    assert response.status_code == 302 and "/reports/?year=2025" in response.headers["Location"]
    assert "Chọn 6 tháng đầu năm hoặc 6 tháng cuối năm." in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert dashboard_form("weekly").status_code == 302
    assert dashboard_form("annual", year=1800).status_code == 302
    assert held == [] and db.session.scalar(select(func.count(ExportJob.id))) == 0
