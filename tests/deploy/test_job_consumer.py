"""The real consumer, `flask --app wsgi jobs run`, in a process of its own on SqliteHuey (the file under instance/
that `make run` uses): it runs what the web queued; a job whose process is killed (kill -9, as the OOM killer does)
is run again by Huey and finishes; a consumer stopped mid-job (SIGTERM, past JOB_SHUTDOWN_TIMEOUT) gives the job
back to the queue, and the next consumer finishes it. Slow: it starts processes."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey import SqliteHuey

from awards.archive import import_jobs, imports
from awards.archive.models import ImportJob
from awards.core import jobs
from tests import factories
from tests.archive.test_import import GOOD_ROWS, HEADERS, subjects, workbook  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ROWS = GOOD_ROWS * 4000  # 20,000 rows to check: seconds of work, still running when the signal comes (1,500 took
# 0.5 s once the reader was calamine, and a CI run saw the job done before its consumer was stopped)


@pytest.fixture
def queue_file(app, tmp_path, monkeypatch):
    """The web side hands jobs to a SQLite Huey in this file (not the tests' immediate one)."""
    path = tmp_path / "jobs.db"
    monkeypatch.setitem(app.config, "JOB_RETRY_DELAY", 1)  # a task carries its retries and delay from the web side
    monkeypatch.setitem(app.extensions, "jobs", jobs.Queue(app, huey=SqliteHuey("awards", filename=str(path),
                                                                               results=False)))
    return path


class Consumer:
    """`flask --app wsgi jobs run --workers 1` on the test database and the queue file."""

    def __init__(self, app, queue_file, tmp_path):
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FLASK_APP")}
        env.update(AWARDS_ENV="testing", BACKGROUND_JOBS="queue", JOBS_DB=str(queue_file),
                   DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], UPLOAD_DIR=app.config["UPLOAD_DIR"],
                   JOB_SHUTDOWN_TIMEOUT="0")
        self.log = (tmp_path / f"consumer-{time.monotonic_ns()}.log").open("w+")
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "run", "--workers",
                                         "1"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def job_process(self, timeout=30) -> int:
        """The pid of the process running a job: the consumer's child."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for task in Path(f"/proc/{self.process.pid}/task").iterdir():
                children = (task / "children").read_text().split()
                if children:
                    return int(children[0])
            time.sleep(0.005)
        raise AssertionError(f"no job process appeared:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(30)


@pytest.fixture
def consumers(app, queue_file, tmp_path):
    started = []

    def start():
        started.append(Consumer(app, queue_file, tmp_path))
        return started[-1]

    yield start
    for consumer in started:
        if consumer.process.poll() is None:
            consumer.process.kill()
            consumer.process.wait(10)


def queued_import(app, db, staff) -> int:
    job = imports.create_job(workbook(HEADERS, ROWS).getvalue(), filename="lon.xlsx", dry_run=True,
                             published=True, upload_dir=app.config["UPLOAD_DIR"], by=staff)
    db.session.commit()
    import_jobs.start(job.id)
    return job.id


def wait_for(db, job_id, statuses, consumer, timeout=60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.commit()
        job = db.session.get(ImportJob, job_id)
        if job.status in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status}:\n{consumer.output()}")


def test_the_consumer_runs_a_queued_import_and_a_killed_one_again(app, db, subjects, queue_file, consumers):  # noqa: F811
    staff = factories.user("staff")
    db.session.commit()
    consumer = consumers()
    job_id = queued_import(app, db, staff)
    victim = consumer.job_process()
    os.kill(victim, signal.SIGKILL)  # the job's own process dies; the consumer lives on
    job = wait_for(db, job_id, ("done", "failed"), consumer)
    assert job.status == "done" and job.total_rows == len(ROWS), consumer.output()
    assert consumer.process.poll() is None
    output = consumer.output()
    assert "JobDied" in output and "Requeueing" in output  # Huey's retry, in its own log
    assert output.count("Executing awards.core.jobs.run_job") == 2
    assert consumer.stop() == 0


def test_a_consumer_stopped_mid_job_hands_it_to_the_next(app, db, subjects, queue_file, consumers):  # noqa: F811
    staff = factories.user("staff")
    db.session.commit()
    first = consumers()
    job_id = queued_import(app, db, staff)
    first.job_process()
    wait_for(db, job_id, ("running",), first)
    assert first.stop(signal.SIGTERM) == 0  # JOB_SHUTDOWN_TIMEOUT=0: no grace, the job is interrupted
    db.session.commit()
    assert db.session.get(ImportJob, job_id).status == "queued", first.output()
    second = consumers()
    job = wait_for(db, job_id, ("done", "failed"), second)
    assert job.status == "done" and job.total_rows == len(ROWS), second.output()
    assert second.stop() == 0
