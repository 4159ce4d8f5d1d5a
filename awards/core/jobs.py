"""Background work that belongs to the system, not to the instance that started it (docs/DEPLOY.md §Jobs).

A job is a row (report exports, archive imports): queued → running → done | failed. Whoever runs it first
*claims* it with one conditional UPDATE (queued → running), so two instances, or a web thread and a worker,
never run the same job twice; the claim's time is its token, and a report's result is kept only while the row
still carries that token.

Where jobs run is BACKGROUND_JOBS: "thread" (default) runs one in a daemon thread of the web process that took
the request — right on one machine; "worker" only queues it, and `flask jobs run` (systemd unit
deploy/awards-worker.service, one or more on any machine) takes the queued jobs in order. Either way the row and
the files (UPLOAD_DIR) are shared, so any instance shows the progress and serves the result.

A worker can die (its process killed, its machine restarted, gunicorn recycling a web worker that ran a thread):
a job still running JOB_TIMEOUT seconds after its claim is presumed dead. `reap()` marks it failed with a message
saying so — never run again on its own, as a job that kills its worker would otherwise kill the next one too;
the user asks again. The worker reaps before each job, and the status pages reap the job they show.

The rows have no heartbeat column (a schema change, not made here), so the timeout counts from the claim (an
export's started_at) or, for an import, from its upload (created_at): keep JOB_TIMEOUT above the longest
import or report plus the queue's wait.
"""

import signal
import threading
from contextlib import contextmanager
from datetime import timedelta

import click
from flask import current_app, g
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select, update

from awards.core.db import utcnow
from awards.core.states import JobStatus
from awards.extensions import db

cli = AppGroup("jobs", help="Việc chạy nền: lập báo cáo Excel, nhập dữ liệu khen thưởng từ Excel.")


def in_worker() -> bool:
    """True when the web process only queues jobs and `flask jobs run` runs them."""
    return current_app.config.get("BACKGROUND_JOBS") == "worker"


@contextmanager
def context(app):
    """An app context (and database session) of the job's own; when a request runs the job inline it still reads
    and writes as a worker would (core.db: not as the request's writer)."""
    with app.app_context():
        g.background_job = True
        yield


def claim(model, job_id: int, **values):
    """Take a queued job for this process: its claim time (the token), or None if someone else has it."""
    now = utcnow()
    if hasattr(model, "started_at"):
        values["started_at"] = now
    result = db.session.execute(update(model).where(model.id == job_id, model.status == JobStatus.queued)
                                .values(status=JobStatus.running, **values))
    db.session.commit()
    return now if result.rowcount == 1 else None


def still_ours(model, job_id: int, token) -> bool:
    """The job is still running under our claim (not reaped, not claimed again): lock it until commit."""
    stmt = select(model.id).where(model.id == job_id, model.status == JobStatus.running)
    if hasattr(model, "started_at"):
        stmt = stmt.where(model.started_at == token)
    return db.session.scalar(stmt.with_for_update()) is not None


def _since(model):
    return model.started_at if hasattr(model, "started_at") else model.created_at


def reap(model, job_id: int | None = None) -> int:
    """Mark failed the running jobs (or this one) whose worker has not finished within JOB_TIMEOUT.
    Writes only when there is one: a status page polled during a long SQLite import must not wait for its lock."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["JOB_TIMEOUT"])
    stale = [model.status == JobStatus.running, _since(model) < cutoff]
    if job_id is not None:
        stale.append(model.id == job_id)
    if not db.session.scalars(select(model.id).where(*stale).limit(1)).first():
        return 0
    message = _("Tiến trình chạy việc này đã dừng giữa chừng (máy chủ khởi động lại hoặc quá thời gian), "
                "không có kết quả nào được lưu. Hãy yêu cầu lại.")
    count = db.session.execute(update(model).where(*stale)
                               .values(status=JobStatus.failed, message=message, finished_at=utcnow())).rowcount
    db.session.commit()
    if count:
        current_app.logger.warning("jobs: %s stale %s job(s) marked failed", count, model.__tablename__)
    return count


_KINDS: dict[str, tuple] = {}  # kind -> (model, run(app, job_id)), filled by the features that own the jobs


def register(kind: str, model, run) -> None:
    """Let the worker run this feature's queued jobs: `model` is the job row (id, status, created_at, message,
    finished_at), `run(app, job_id)` claims one and runs it. Called once by the feature's module, at import."""
    _KINDS[kind] = (model, run)


def kinds() -> list[tuple]:
    """What the worker runs: (model, run(app, job_id)) for each registered kind of job."""
    return list(_KINDS.values())


def run_next(app) -> bool:
    """Reap the dead, then run the oldest queued job of any kind here; False when none was queued."""
    queued = []
    for model, run in kinds():
        reap(model)
        row = db.session.execute(select(model.id, model.created_at).where(model.status == JobStatus.queued)
                                 .order_by(model.created_at, model.id).limit(1)).first()
        if row is not None:
            queued.append((row.created_at, row.id, run))
    db.session.rollback()
    if not queued:
        return False
    _created, job_id, run = min(queued, key=lambda q: (q[0], q[1]))
    run(app, job_id)  # claims it, or returns at once if another worker was faster
    return True


@cli.command("run")
@click.option("--once", is_flag=True, help="Chạy các việc đang chờ rồi dừng.")
@click.option("--poll", default=2.0, show_default=True, help="Số giây giữa hai lần xem hàng đợi khi không có việc.")
def run_command(once: bool, poll: float):
    """Chạy các việc nền đang chờ (báo cáo, nhập dữ liệu) của mọi máy chủ, đến khi được dừng (SIGTERM: xong việc
    đang chạy rồi dừng)."""
    app = current_app._get_current_object()
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    done = 0
    click.echo(f"jobs: worker started (poll {poll}s, timeout {app.config['JOB_TIMEOUT']}s)", err=True)
    while not stop.is_set():
        ran = run_next(app)
        db.session.remove()
        done += ran
        if not ran:
            if once:
                break
            stop.wait(poll)
    click.echo(f"jobs: {done} job(s) run")
