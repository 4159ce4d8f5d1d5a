"""Background jobs and schedules on Huey (docs/DEPLOY.md §Jobs).

A job is a row the user watches (report exports, archive imports: queued → running → done | failed, with its
progress); Huey carries the message "run job N of this kind" and runs it, and runs the periodic work the features
register (reminders, mail, the reaper) on its scheduler. Where: the consumer `flask jobs run`
(deploy/awards-jobs.service; `make run` starts one beside the development server) on Redis when REDIS_URL is set
(any number of machines), else on a SQLite file under instance/ (JOBS_DB: one machine); or in the caller itself
(Huey's immediate mode) with BACKGROUND_JOBS=immediate, the tests' setting: the same task, without the consumer.

In the consumer each job runs in a child process of its own that the Huey task waits for, so a job killed under it
(the kernel's OOM killer, kill -9) is an error Huey sees: Huey runs it again JOB_RETRY_DELAY seconds later, at most
JOB_RETRIES times, and when the last try dies too the row is marked failed with a message saying so (the row is
given back to "queued" before each retry). A consumer stopped in the middle (SIGINT, or SIGTERM past its grace
period) is told by Huey which tasks it interrupted: those go back to the queue the same way. A job's own failure
(a bad year, a broken file, a bug) is not retried: the job marks its row failed with its message.

What Huey cannot see is a whole machine lost mid-job (its Redis message was handed out once): the reaper, a periodic
task, marks failed a job still running JOB_TIMEOUT after its claim — a backstop far above any real job, not the way
a dead worker is found.

A job row is claimed with one conditional UPDATE (queued → running) whose time is its token: a result is kept only
while the row still carries it, so a message delivered twice, or a late result after the reaper, changes nothing.

Huey itself is imported when the queue is first used (`queue()`: a job queued, its progress read, the consumer
started), not when the app starts: its import also loads every storage's client and multiprocessing (~18 MB),
which a web worker that only shows pages does not need (issue 21).
"""

import logging
import multiprocessing
import signal
from contextlib import contextmanager
from datetime import timedelta

import click
from flask import current_app, g
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from awards.core import filemodes
from awards.core.db import utcnow
from awards.core.states import JobStatus
from awards.extensions import db

cli = AppGroup("jobs", help="Việc chạy nền (Huey): lập báo cáo Excel, nhập dữ liệu khen thưởng, nhắc việc định kỳ.")
log = logging.getLogger(__name__)

_KINDS: dict[str, tuple] = {}  # kind -> (model, run(app, job_id)), filled by the features that own the jobs
_PERIODIC: dict[str, tuple] = {}  # name -> (crontab fields in UTC, fn()), filled by the features (and the reaper)


class JobDied(Exception):
    """The child process that ran a job ended without finishing it (killed, or crashed before it could say)."""


def register(kind: str, model, run) -> None:
    """Let Huey run this feature's jobs: `model` is the job row (id, status, created_at, message, finished_at),
    `run(app, job_id)` claims one and runs it, ending the row done or failed. Called by create_app."""
    _KINDS[kind] = (model, run)


def every(name: str, when: dict, fn) -> None:
    """Run `fn()` on Huey's scheduler at `when` (crontab fields, UTC: Vietnam is UTC+7) in an app context of its
    own; `fn` flushes, the task commits (the CLI command that calls the same function commits too)."""
    _PERIODIC[name] = (when, fn)


@contextmanager
def context(app):
    """An app context (and database session) of the job's own; when a request runs the job inline it still reads
    and writes as a worker would (core.db: not as the request's writer)."""
    with app.app_context():
        g.background_job = True
        yield


# --- the job rows ------------------------------------------------------------------------------------------------

def claim(model, job_id: int, **values):
    """Take a queued job for this run: its claim time (the token), or None if it is not queued any more."""
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


DIED = _l("Tiến trình chạy việc này đã dừng giữa chừng (máy chủ khởi động lại hoặc tiến trình bị dừng), "
         "không có kết quả nào được lưu. Hãy yêu cầu lại.")


def _fail(model, *where) -> int:
    count = db.session.execute(update(model).where(*where).values(
        status=JobStatus.failed, message=str(DIED), finished_at=utcnow())).rowcount
    db.session.commit()
    return count


def reap(model, job_id: int | None = None) -> int:
    """The backstop for a machine lost mid-job: mark failed the running jobs (or this one) claimed more than
    JOB_TIMEOUT ago. Writes only when there is one (a long SQLite import holds the lock)."""
    since = model.started_at if hasattr(model, "started_at") else model.created_at
    stale = [model.status == JobStatus.running, since < utcnow() - timedelta(seconds=current_app.config["JOB_TIMEOUT"])]
    if job_id is not None:
        stale.append(model.id == job_id)
    if not db.session.scalars(select(model.id).where(*stale).limit(1)).first():
        return 0
    count = _fail(model, *stale)
    current_app.logger.warning("jobs: %s %s job(s) running past JOB_TIMEOUT marked failed", count,
                               model.__tablename__)
    return count


def reap_all() -> int:
    return sum(reap(model) for model, _run in _KINDS.values())


every("reap_jobs", {"minute": "*/10"}, reap_all)


# --- Huey --------------------------------------------------------------------------------------------------------

class Queue:
    """The app's Huey (app.extensions["jobs"]): its storage, the task that runs a job, the periodic tasks, and
    what Huey's signals change on the job rows."""

    def __init__(self, app, huey=None):
        from huey import crontab  # Huey on first use (the module's docstring)
        from huey import signals as huey_signals

        self.app = app
        self.huey = huey or _storage(app)
        config = app.config
        self.run_job = self.huey.task(retries=config["JOB_RETRIES"], retry_delay=config["JOB_RETRY_DELAY"],
                                      context=True, name="run_job")(self._run_job)
        for name, (when, fn) in _PERIODIC.items():
            self.huey.periodic_task(crontab(**when), name=f"periodic_{name}")(self._periodic(name, fn))
        self.huey.signal(huey_signals.SIGNAL_RETRYING)(self._retrying)
        self.huey.signal(huey_signals.SIGNAL_ERROR)(self._error)
        self.huey.signal(huey_signals.SIGNAL_INTERRUPTED)(self._interrupted)

    def _run_job(self, kind: str, job_id: int, task=None) -> None:
        _model, run = _KINDS[kind]
        if self.huey.immediate:
            run(self.app, job_id)
            return
        process = multiprocessing.get_context("fork").Process(
            target=self._child, args=(run, job_id), name=f"{kind}-{job_id}", daemon=True)
        process.start()
        process.join()
        if process.exitcode != 0:
            raise JobDied(f"{kind} {job_id}: its process ended with {process.exitcode}")

    def _child(self, run, job_id: int) -> None:
        """A job's own process: no connection of the parent's is used, and the consumer's signals are its own
        (SIGINT is the consumer's to act on; SIGTERM ends this process)."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with self.app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
            if "replica_engine" in self.app.extensions:
                self.app.extensions["replica_engine"].dispose(close=False)
        self.huey.storage = self.huey.create_storage()
        run(self.app, job_id)

    def _periodic(self, name: str, fn):
        def periodic():
            with context(self.app):
                try:
                    result = fn()
                    db.session.commit()
                finally:
                    db.session.remove()
            log.info("jobs: %s: %s", name, result)
        periodic.__name__ = f"periodic_{name}"
        return periodic

    def _job_row(self, task):
        if task.name != "run_job":
            return None
        kind, job_id = task.args
        return _KINDS[kind][0], job_id

    def _retrying(self, signal_name, task, *args) -> None:
        """Huey will run the job again: the row goes back to "queued" (the next try claims it anew)."""
        row = self._job_row(task)
        if row:
            with context(self.app):
                model, job_id = row
                db.session.execute(update(model).where(model.id == job_id, model.status == JobStatus.running)
                                   .values(status=JobStatus.queued))
                db.session.commit()

    def _error(self, signal_name, task, exc=None) -> None:
        """The last try died too: Huey gives up, the row says so."""
        row = self._job_row(task)
        if row and not task.retries:
            with context(self.app):
                model, job_id = row
                _fail(model, model.id == job_id, model.status.in_([JobStatus.queued, JobStatus.running]))

    def _interrupted(self, signal_name, task, *args) -> None:
        """The consumer stopped in the middle of this job: back to the queue while tries remain, else failed."""
        row = self._job_row(task)
        if not row:
            return
        if task.retries:
            task.retries -= 1
            self._retrying(signal_name, task)
            self.huey.enqueue(task)
        else:
            self._error(signal_name, task)


def _storage(app):
    """Huey on Redis (REDIS_URL), on a SQLite file (JOBS_DB), or immediate (in the caller, in memory)."""
    from huey import MemoryHuey, RedisHuey, SqliteHuey  # Huey on first use (the module's docstring)

    if app.config["BACKGROUND_JOBS"] == "immediate":
        return MemoryHuey("awards", immediate=True, results=False)
    if app.config.get("REDIS_URL"):
        return RedisHuey("awards", url=app.config["REDIS_URL"], results=False)
    huey = SqliteHuey("awards", filename=app.config["JOBS_DB"], results=False)
    for path in filemodes.sqlite_files(app.config["JOBS_DB"]):  # like the database: the app's user only
        filemodes.restrict(path, filemodes.PRIVATE)
    return huey


def queue(app=None) -> Queue:
    app = app or current_app._get_current_object()
    found = app.extensions.get("jobs")
    if found is None:
        found = app.extensions["jobs"] = Queue(app)
    return found


UNQUEUED = _l("Không đưa được việc này vào hàng đợi (máy chủ hàng đợi không trả lời). Hãy thử lại sau.")


def enqueue(kind: str, job_id: int) -> None:
    """Hand a committed, queued job to Huey: the consumer runs it, or (immediate) it runs here and now. A queue
    that refuses it (Redis down, the queue file unwritable) fails the row with a message, not the request."""
    jobs = queue()
    if jobs.huey.immediate:
        db.session.rollback()  # the caller's read ends: on SQLite a writing request reads as the writer (core/db.py)
        jobs.run_job(kind, job_id)
        return
    try:
        jobs.run_job(kind, job_id)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("jobs: %s %s could not be queued", kind, job_id)
        db.session.rollback()
        model = _KINDS[kind][0]
        db.session.execute(update(model).where(model.id == job_id, model.status == JobStatus.queued).values(
            status=JobStatus.failed, message=str(UNQUEUED), finished_at=utcnow()))
        db.session.commit()


def _progress_key(kind: str, job_id: int) -> str:
    return f"progress:{kind}:{job_id}"


def put_progress(kind: str, job_id: int, values: dict | None) -> None:
    """A running job's live progress, kept in Huey's storage, which every instance reads (None: forget it)."""
    huey = queue().huey
    if values is None:
        huey.delete(_progress_key(kind, job_id))
    else:
        huey.put(_progress_key(kind, job_id), values)


def progress(kind: str, job_id: int) -> dict:
    return queue().huey.get(_progress_key(kind, job_id), peek=True) or {}


def run_pending(app=None) -> int:
    """Run what is queued now, here, as a consumer's worker would (Huey's dequeue and execute); a retry with no
    delay is queued again and run too. Returns how many tasks ran."""
    huey = queue(app).huey
    done = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


@cli.command("run")
@click.option("--workers", default=2, show_default=True, help="Số việc chạy cùng lúc.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Chạy cả các việc định kỳ (nhắc hạn, gửi thư); với nhiều máy chạy hàng đợi, chỉ bật ở một máy.")
@click.option("--once", is_flag=True, help="Chạy các việc đang chờ rồi dừng (không chạy việc định kỳ).")
def run_command(workers: int, periodic: bool, once: bool):
    """Chạy hàng đợi việc nền (Huey): báo cáo, nhập dữ liệu, nhắc việc định kỳ; dừng bằng SIGTERM (chờ việc đang
    chạy tối đa JOB_SHUTDOWN_TIMEOUT giây, việc chưa xong được đưa lại hàng đợi)."""
    app = current_app._get_current_object()
    jobs = queue(app)
    if jobs.huey.immediate:
        raise click.UsageError("BACKGROUND_JOBS=immediate: việc chạy ngay khi được yêu cầu, không cần hàng đợi.")
    if once:
        click.echo(f"jobs: {run_pending(app)} job(s) run")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # max_delay: an idle worker looks at a SQLite queue at least every 2 s (Redis wakes it at once)
    jobs.huey.create_consumer(workers=workers, worker_type="thread", periodic=periodic, max_delay=2.0,
                              graceful_signal="TERM", shutdown_timeout=app.config["JOB_SHUTDOWN_TIMEOUT"]).run()
