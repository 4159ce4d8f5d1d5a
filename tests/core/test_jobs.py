"""Background jobs on Huey (awards/core/jobs.py): a queued job is run by Huey's worker in a process of its own and
claimed once; a job whose process is killed is run again by Huey (retries=) and, when every try dies, marked failed
by it with a clear message; a consumer stopped mid-job gives it back to the queue; the periodic tasks (reminders,
mail, the reaper) are on Huey's scheduler at their hours; the reaper is only the backstop for a lost machine."""

import os
import signal
from datetime import UTC, datetime, timedelta

import pytest
from huey import MemoryHuey, RedisHuey
from huey import signals as huey_signals
from sqlalchemy import select

from awards.archive.models import ImportJob
from awards.core import jobs
from awards.extensions import db as database
from awards.reports import exports
from awards.reports.models import ExportJob
from tests import factories

DEAD = "Tiến trình chạy việc này đã dừng giữa chừng"


def run_periodic(app, name: str):
    """Run one periodic task now, through Huey, as its scheduler would (00:00 UTC: every one of them is due). It
    runs in an app context and session of its own: the test's session commits first and reads afresh after."""
    huey = jobs.queue(app).huey
    task, = [t for t in huey.read_periodic(datetime(2026, 1, 1, 0, 0)) if t.name == f"periodic_{name}"]
    database.session.commit()
    huey.execute(task)
    database.session.commit()


@pytest.fixture
def queued(app, monkeypatch):
    """A Huey that queues in memory (not immediate): jobs wait until the test runs them as a worker would."""
    monkeypatch.setitem(app.config, "JOB_RETRY_DELAY", 0)  # a retry is queued again at once
    queue = jobs.Queue(app, huey=MemoryHuey("awards-test", results=False))
    monkeypatch.setitem(app.extensions, "jobs", queue)
    return queue


def fresh(db, model, job_id):
    db.session.commit()
    return db.session.get(model, job_id)


def queued_export(db) -> int:
    staff = factories.user("staff")
    db.session.commit()
    return exports.start_export("annual", 2025, by=staff).id


def test_a_queued_job_is_run_by_flask_jobs_run_in_a_process_of_its_own(app, db, queued, monkeypatch):
    parent = os.getpid()
    ran_in = []
    real_build = exports._build

    def build(job, progress):
        ran_in.append(os.getpid())
        assert os.getpid() != parent  # the child's list: the parent only sees the job row
        return real_build(job, progress)

    monkeypatch.setattr(exports, "_build", build)
    job_id = queued_export(db)
    assert fresh(db, ExportJob, job_id).status == "queued" and len(queued.huey.pending()) == 1
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "jobs: 1 job(s) run" and ran_in == []  # built in the child
    job = fresh(db, ExportJob, job_id)
    assert (job.status, job.progress) == ("done", 100) and job.upload.size > 0 and job.started_at
    assert app.test_cli_runner().invoke(args=["jobs", "run", "--once"]).stdout.strip() == "jobs: 0 job(s) run"


def test_immediate_mode_runs_the_job_in_the_request_and_has_no_consumer(app, db):
    assert jobs.queue(app).huey.immediate  # the tests' setting
    assert fresh(db, ExportJob, queued_export(db)).status == "done"
    result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code != 0 and "BACKGROUND_JOBS=immediate" in result.output


def test_a_job_is_claimed_once(app, db):
    job = ExportJob(kind="annual", year=2025, status="queued")
    db.session.add(job)
    db.session.commit()
    token = jobs.claim(ExportJob, job.id)
    assert token is not None and jobs.claim(ExportJob, job.id) is None
    assert jobs.still_ours(ExportJob, job.id, token)
    assert not jobs.still_ours(ExportJob, job.id, token - timedelta(seconds=1))
    db.session.rollback()
    exports.run_export(job.id, app)  # a second runner (a message delivered twice) finds it taken
    assert fresh(db, ExportJob, job.id).status == "running"


def killing_build(tmp_path, times: int):
    """A build whose process is killed (SIGKILL, as the OOM killer does) the first `times` tries."""
    tries = tmp_path / "tries"
    real_build = exports._build

    def build(job, progress):
        count = len(tries.read_text()) if tries.exists() else 0
        tries.write_text("x" * (count + 1))
        if count < times:
            progress(40, "list")
            os.kill(os.getpid(), signal.SIGKILL)
        return real_build(job, progress)

    return build, tries


def test_a_job_whose_process_is_killed_is_run_again_by_huey(app, db, queued, monkeypatch, tmp_path):
    build, tries = killing_build(tmp_path, times=1)
    monkeypatch.setattr(exports, "_build", build)
    retried = []
    queued.huey.signal(huey_signals.SIGNAL_RETRYING)(lambda signal, task, *a: retried.append(task.retries))
    job_id = queued_export(db)
    assert jobs.run_pending(app) == 2  # the killed try, then Huey's retry
    assert retried == [app.config["JOB_RETRIES"]] and tries.read_text() == "xx"
    job = fresh(db, ExportJob, job_id)
    assert (job.status, job.progress, job.message) == ("done", 100, "") and job.upload.size > 0


def test_a_job_killed_on_every_try_is_marked_failed_by_huey(app, db, queued, monkeypatch, tmp_path, client,
                                                            login_as):
    build, tries = killing_build(tmp_path, times=99)
    monkeypatch.setattr(exports, "_build", build)
    job_id = queued_export(db)
    assert jobs.run_pending(app) == 1 + app.config["JOB_RETRIES"]
    job = fresh(db, ExportJob, job_id)
    assert (job.status, job.upload_id) == ("failed", None) and job.message.startswith(DEAD) and job.finished_at
    assert len(tries.read_text()) == 1 + app.config["JOB_RETRIES"]
    login_as("staff")
    assert DEAD in client.get(f"/reports/exports/{job_id}").get_data(as_text=True)
    assert client.get(f"/reports/exports/{job_id}.json").get_json()["status"] == "failed"


def test_a_consumer_stopped_mid_job_gives_it_back_to_the_queue(app, db, queued):
    """What Huey tells us when the consumer stops during a task (SIGNAL_INTERRUPTED): while tries remain the job
    goes back to the queue, afterwards it is marked failed."""
    job_id = queued_export(db)
    task, = queued.huey.pending()
    queued.huey.dequeue()
    assert jobs.claim(ExportJob, job_id)  # the interrupted run had claimed it
    queued.huey._emit(huey_signals.SIGNAL_INTERRUPTED, task)
    again, = queued.huey.pending()
    assert again.id == task.id and again.retries == app.config["JOB_RETRIES"] - 1
    assert fresh(db, ExportJob, job_id).status == "queued"
    again.retries = 0
    queued.huey.dequeue()
    jobs.claim(ExportJob, job_id)
    queued.huey._emit(huey_signals.SIGNAL_INTERRUPTED, again)
    job = fresh(db, ExportJob, job_id)
    assert job.status == "failed" and job.message.startswith(DEAD) and queued.huey.pending() == []


def test_the_periodic_tasks_are_on_hueys_scheduler_at_their_hours(app):
    huey = jobs.queue(app).huey

    def due(hour, minute):
        return sorted(t.name.removeprefix("periodic_") for t in huey.read_periodic(datetime(2026, 3, 9, hour, minute)))

    # refresh_outcomes (the queue's stale dossiers) runs every minute
    assert due(0, 0) == ["reap_jobs", "refresh_outcomes", "remind_ballots", "remind_deadlines",
                         "send_notifications"]  # 07:00 in Vietnam
    assert due(9, 15) == ["refresh_outcomes", "remind_ballots", "send_notifications"]
    assert due(9, 10) == ["reap_jobs", "refresh_outcomes", "send_notifications"]
    assert due(9, 7) == ["refresh_outcomes"]


def test_the_reaper_is_the_backstop_for_a_job_lost_with_its_machine(app, db, client, login_as):
    old = datetime.now(UTC) - timedelta(seconds=app.config["JOB_TIMEOUT"] + 60)
    lost = ExportJob(kind="annual", year=2025, status="running", progress=40, phase="list", started_at=old)
    alive = ExportJob(kind="annual", year=2024, status="running", progress=40, phase="list",
                      started_at=datetime.now(UTC))
    lost_import = ImportJob(status="running", filename="cu.xlsx", created_at=old)
    db.session.add_all([lost, alive, lost_import])
    db.session.commit()
    run_periodic(app, "reap_jobs")
    assert fresh(db, ExportJob, lost.id).status == "failed" and fresh(db, ImportJob, lost_import.id).status == "failed"
    assert fresh(db, ExportJob, alive.id).status == "running"
    login_as("staff")
    state = client.get(f"/reports/exports/{lost.id}.json").get_json()
    assert state["status"] == "failed" and state["message"].startswith(DEAD) and state["finished_at"]


def test_a_result_is_dropped_when_the_claim_was_lost(app, db, monkeypatch):
    """The reaper took the job while it still ran: the late result is not kept."""
    job = ExportJob(kind="annual", year=2025, status="queued")
    db.session.add(job)
    db.session.commit()
    job_id = job.id

    def slow_build(job, progress):
        with app.app_context():
            monkeypatch.setitem(app.config, "JOB_TIMEOUT", -1)  # everything running is now past the backstop
            assert jobs.reap(ExportJob) == 1
        return b"late"

    monkeypatch.setattr(exports, "_build", slow_build)
    exports.run_export(job_id, app)
    job = fresh(db, ExportJob, job_id)
    assert job.status == "failed" and job.upload_id is None and job.message.startswith(DEAD)


def test_imports_are_run_by_huey_too(app, db, queued):
    job = ImportJob(status="queued", filename="moi.xlsx", sha256="0" * 64)  # its file is missing
    db.session.add(job)
    db.session.commit()
    jobs.enqueue("archive_import", job.id)
    assert jobs.run_pending(app) == 1
    job = fresh(db, ImportJob, job.id)
    assert job.status == "failed" and job.message  # run (and failed: no file), not retried: its own failure


def test_a_queue_that_refuses_the_job_fails_its_row_not_the_request(app, db, client, login_as, csrf_token,
                                                                    monkeypatch):
    down = RedisHuey("awards-test", url="redis://127.0.0.1:1/0", results=False)  # nothing listens on port 1
    monkeypatch.setitem(app.extensions, "jobs", jobs.Queue(app, huey=down))
    login_as("staff")
    response = client.post("/reports/exports", data={"kind": "annual", "year": "2025",
                                                      "csrf_token": csrf_token("/reports/?year=2025")})
    assert response.status_code == 302
    job = db.session.scalars(select(ExportJob)).one()
    assert job.status == "failed" and job.message.startswith("Không đưa được việc này vào hàng đợi")
