"""Archive imports as background jobs (awards/core/jobs.py): Huey runs one in its own app context and transaction.

Live progress goes to the job queue's storage (jobs.put_progress: Redis or the queue's SQLite file, not the
database, where SQLite has one writer and the import's transaction is long), read by the status URL the page polls
on any instance; the ImportJob row says how the job ended.
"""

from flask_babel import gettext as _

from awards.archive import imports
from awards.archive.models import ImportJob
from awards.auth.models import User
from awards.core import jobs
from awards.core.db import DomainError, utcnow
from awards.core.states import JobStatus, finish_job
from awards.extensions import db

STATUS_ERRORS = 200  # row errors the status URL sends; the page lists them all
KIND = "archive_import"


def set_progress(job_id: int, **values) -> None:
    """{"status", "phase", "done", "total"} while the job runs, for the status URL of any instance."""
    jobs.put_progress(KIND, job_id, {**jobs.progress(KIND, job_id), **values})


def run_job(app, job_id: int) -> None:
    """Run one queued import in its own app context and transaction; the job row says how it ended."""
    with jobs.context(app):
        if jobs.claim(ImportJob, job_id) is None:  # one conditional UPDATE: never run twice (core/jobs.py)
            return
        job = db.session.get(ImportJob, job_id)
        by = db.session.get(User, job.created_by_id) if job.created_by_id else None
        options = {"dry_run": job.dry_run, "published": job.published, "filename": job.filename}
        path = imports.job_path(app.config["UPLOAD_DIR"], job.sha256)
        db.session.commit()  # and no read stays open in this session while the rows are checked (SQLite)
        set_progress(job_id, status="running", phase="validate", done=0, total=0)
        try:
            result = imports.import_records(
                path, by=by, **options,
                progress=lambda phase, done, total: set_progress(job_id, phase=phase, done=done, total=total))
        except Exception as exc:
            db.session.rollback()
            if not isinstance(exc, DomainError):
                app.logger.exception("archive import %s failed", job_id)
            job = db.session.get(ImportJob, job_id)
            job.finished_at = utcnow()
            job.message = exc.message if isinstance(exc, DomainError) else _(
                "Lỗi hệ thống khi nhập, không có bản ghi nào được lưu. Hãy thử lại sau.")
            finish_job(job, JobStatus.failed, note=job.message)
            db.session.commit()
        else:
            if result.errors or result.dry_run:
                db.session.rollback()  # nothing is stored
            job = db.session.get(ImportJob, job_id)
            job.finished_at = utcnow()
            finish_job(job, JobStatus.done)
            job.total_rows = job.processed_rows = result.total
            job.imported, job.errors = result.imported, result.errors
            db.session.commit()  # the records, their audit entry and the finished job together
        finally:
            jobs.put_progress(KIND, job_id, None)
            db.session.remove()


def start(job_id: int) -> None:
    """Hand a committed, queued import to the job queue (the consumer runs it; immediate: here and now)."""
    jobs.enqueue(KIND, job_id)


def job_state(job: ImportJob) -> dict:
    """What the status URL answers: live progress from the job queue's storage, or the job row."""
    live = jobs.progress(KIND, job.id) if job.status in ("queued", "running") else {}
    errors = job.errors or []
    counted = [e for e in errors if e.get("row") is not None]
    state = {"status": job.status, "phase": None, "done": job.processed_rows, "total": job.total_rows,
             "imported": job.imported, "dry_run": job.dry_run, "errors": counted[:STATUS_ERRORS],
             "error_count": len(counted) + sum(e.get("more", 0) for e in errors), "message": job.message}
    if job.status in ("queued", "running") and live:
        state.update(status=live.get("status", job.status), phase=live.get("phase"), done=live.get("done", 0),
                     total=live.get("total", 0))
    state["percent"] = _percent(state)
    return state


def _percent(state: dict) -> int:
    """One bar for both phases: checking the rows fills it to 70 %, writing them to 100 %."""
    if state["status"] in ("done", "failed"):
        return 100
    share = min(state["done"] / state["total"], 1) if state["total"] else 0
    return int(70 + 30 * share) if state["phase"] == "write" else int(70 * share)


JOB = (KIND, ImportJob, run_job)  # registered with core.jobs by create_app: Huey runs it
