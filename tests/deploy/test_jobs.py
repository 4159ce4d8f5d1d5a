"""Background jobs any instance can take (awards/core/jobs.py): queued only in worker mode and run by
`flask jobs run`, claimed once, a dead worker's job reaped as failed with a clear message (not "running"
forever), a result dropped when its claim was lost; and imports the same."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from awards.archive.models import ImportJob
from awards.core import jobs
from awards.reports import exports
from awards.reports.models import ExportJob
from tests import factories

DEAD = "Tiến trình chạy việc này đã dừng giữa chừng"


@pytest.fixture
def worker_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "BACKGROUND_JOBS", "worker")


def fresh(db, model, job_id):
    db.session.commit()
    return db.session.get(model, job_id)


def test_in_worker_mode_the_web_only_queues_and_flask_jobs_run_builds(app, db, worker_mode):
    staff = factories.user("staff")
    db.session.commit()
    job_id = exports.start_export("annual", 2025, by=staff).id
    assert fresh(db, ExportJob, job_id).status == "queued"  # no thread was started
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 job(s) run" in result.stdout
    job = fresh(db, ExportJob, job_id)
    assert (job.status, job.progress) == ("done", 100) and job.upload.size > 0 and job.started_at
    assert app.test_cli_runner().invoke(args=["jobs", "run", "--once"]).stdout.strip() == "jobs: 0 job(s) run"


def test_a_job_is_claimed_once(app, db):
    job = ExportJob(kind="annual", year=2025, status="queued")
    db.session.add(job)
    db.session.commit()
    token = jobs.claim(ExportJob, job.id)
    assert token is not None and jobs.claim(ExportJob, job.id) is None
    assert jobs.still_ours(ExportJob, job.id, token)
    assert not jobs.still_ours(ExportJob, job.id, token - timedelta(seconds=1))
    db.session.rollback()
    exports.run_export(job.id, app)  # a second runner finds it taken and leaves it alone
    assert fresh(db, ExportJob, job.id).status == "running"


def test_a_dead_workers_export_is_reaped_with_a_clear_message(app, db, client, login_as):
    login_as("staff")
    old = datetime.now(UTC) - timedelta(seconds=app.config["JOB_TIMEOUT"] + 60)
    dead = ExportJob(kind="annual", year=2025, status="running", progress=40, phase="list", started_at=old)
    alive = ExportJob(kind="annual", year=2024, status="running", progress=40, phase="list",
                      started_at=datetime.now(UTC))
    db.session.add_all([dead, alive])
    db.session.commit()
    state = client.get(f"/reports/exports/{dead.id}.json").get_json()
    assert state["status"] == "failed" and state["message"].startswith(DEAD) and state["finished_at"]
    assert client.get(f"/reports/exports/{alive.id}.json").get_json()["status"] == "running"
    page = client.get(f"/reports/exports/{dead.id}").get_data(as_text=True)
    assert DEAD in page


def test_a_result_is_dropped_when_the_claim_was_lost(app, db, monkeypatch):
    """The worker was presumed dead and its job reaped while it still ran: the late result is not kept."""
    job = ExportJob(kind="annual", year=2025, status="queued")
    db.session.add(job)
    db.session.commit()
    job_id = job.id

    def slow_build(job, progress):
        with app.app_context():
            monkeypatch.setitem(app.config, "JOB_TIMEOUT", -1)  # everything running is now "stale"
            assert jobs.reap(ExportJob) == 1
        return b"late"

    monkeypatch.setattr(exports, "_build", slow_build)
    exports.run_export(job_id, app)
    job = fresh(db, ExportJob, job_id)
    assert job.status == "failed" and job.upload_id is None and job.message.startswith(DEAD)


def test_the_worker_reaps_and_runs_imports_too(app, db, worker_mode, monkeypatch):
    old = datetime.now(UTC) - timedelta(seconds=app.config["JOB_TIMEOUT"] + 60)
    dead = ImportJob(status="running", filename="cu.xlsx", created_at=old)
    queued = ImportJob(status="queued", filename="moi.xlsx", sha256="0" * 64)  # its file is missing
    db.session.add_all([dead, queued])
    db.session.commit()
    dead_id, queued_id = dead.id, queued.id
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    dead, queued = fresh(db, ImportJob, dead_id), db.session.get(ImportJob, queued_id)
    assert dead.status == "failed" and dead.message.startswith(DEAD)
    assert queued.status == "failed" and queued.message  # run (and failed: no file), not left queued
    assert db.session.scalars(select(ImportJob.status)).all().count("running") == 0
