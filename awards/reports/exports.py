"""Report workbooks built in the background, so a minute of building never holds a web worker.

`start_export` commits a queued ExportJob and hands it to Huey (awards/core/jobs.py); `run_export` (the job, run by
the consumer in a process of its own, or in the caller with BACKGROUND_JOBS=immediate) builds the workbook in its
own app context and session.
The build only reads through that session (its list is streamed), so progress is written to the job row over a
connection of its own in short transactions (SQLite runs in WAL mode: readers do not block that writer). The
finished file is kept like an upload, under its SHA-256, and the job points at its Upload row.

It is claimed first and its result kept only while the claim holds (awards/core/jobs.py), so any instance can
show it.
"""

import hashlib

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from awards.auth.models import User
from awards.core import jobs, uploads
from awards.core.db import utcnow
from awards.core.states import JobStatus, finish_job
from awards.extensions import db
from awards.notifications.services import notify
from awards.reports import figures, statistics, workbook
from awards.reports.models import KINDS, ExportJob


def filename(kind: str, year: int, half: int | None) -> str:
    """The download name: the same as the direct downloads' (reports.views)."""
    if kind == "statistics":
        return f"thong-ke-tdkt-{year}.xlsx"
    if kind == "half_year":
        return f"bao-cao-khen-thuong-{year}-{'6-thang-dau' if half == 1 else '6-thang-cuoi'}.xlsx"
    return f"bao-cao-khen-thuong-nam-{year}.xlsx"


def title(job: ExportJob) -> str:
    if job.kind == "statistics":
        return _("Biểu thống kê TT 02/2023/TT-BNV năm %(year)s", year=job.year)
    if job.kind == "half_year":
        return (_("Báo cáo 6 tháng đầu năm %(year)s", year=job.year) if job.half == 1
                else _("Báo cáo 6 tháng cuối năm %(year)s", year=job.year))
    return _("Báo cáo năm %(year)s", year=job.year)


def start_export(kind: str, year: int, half: int | None = None, *, by=None) -> ExportJob:
    """Commit a queued job and hand it to the job queue (the consumer builds it; immediate: here and now)."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    job = ExportJob(kind=kind, year=year, half=half if kind == "half_year" else None, status=JobStatus.queued,
                    progress=0, phase="", created_by_id=getattr(by, "id", None))
    db.session.add(job)
    db.session.commit()
    jobs.enqueue("report_export", job.id)
    return job


def _set(job_id: int, **values) -> None:
    """Write to the job row now, over a connection of its own (the worker's session may be mid-stream)."""
    with db.engine.begin() as conn:
        conn.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == "running").values(**values))


def _build(job: ExportJob, progress) -> bytes:
    if job.kind == "statistics":
        return statistics.statistics_workbook(job.year)
    period = figures.Period(job.year, job.half if job.kind == "half_year" else None)
    if job.kind == "half_year" and job.half not in (1, 2):
        raise ValueError(_("Kỳ báo cáo không hợp lệ: 6 tháng đầu năm là 1, 6 tháng cuối năm là 2."))
    return workbook.build(period, progress=progress)


def keep_file(data: bytes, name: str, by_id: int | None = None) -> uploads.Upload:
    """The workbook kept like an upload (under its SHA-256, written atomically) and its Upload row (flushed).
    Not through uploads.store: the bytes are ours, and a million-row report is larger than MAX_UPLOAD_MB."""
    digest = hashlib.sha256(data).hexdigest()
    uploads.write_file(uploads.path_for(digest), data)  # atomic, private file modes, StorageUnavailable if it fails
    upload = uploads.Upload(sha256=digest, size=len(data), kind="xlsx", original_name=name[:255],
                            created_by_id=by_id)
    db.session.add(upload)
    db.session.flush()
    return upload


def run_export(job_id: int, app=None) -> None:
    """Build one queued job's workbook in its own app context and session; the job row says how it ended."""
    app = app or current_app._get_current_object()
    with jobs.context(app):
        try:
            token = jobs.claim(ExportJob, job_id, progress=5, phase="figures")
            if token is None:
                return
            job = db.session.get(ExportJob, job_id)
            last = [5]

            def progress(percent: int, phase: str) -> None:
                percent = max(5, min(int(percent), 99))
                if percent > last[0]:
                    last[0] = percent
                    _set(job_id, progress=percent, phase=phase)

            try:
                data = _build(job, progress)
                db.session.rollback()  # end the read snapshot before writing (SQLite: a stale reader cannot write)
                if not jobs.still_ours(ExportJob, job_id, token):
                    app.logger.warning("report export %s: taken over while running, result dropped", job_id)
                    return
                job = db.session.get(ExportJob, job_id)
                job.upload = keep_file(data, filename(job.kind, job.year, job.half), job.created_by_id)
                job.progress, job.phase, job.finished_at = 100, "", utcnow()
                finish_job(job, JobStatus.done)
                tell_owner(job)
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                if isinstance(exc, ValueError):
                    message = str(exc)
                else:
                    app.logger.exception("report export %s failed", job_id)
                    message = _("Lỗi hệ thống khi lập báo cáo. Hãy thử lại sau.")
                if not jobs.still_ours(ExportJob, job_id, token):
                    return
                job = db.session.get(ExportJob, job_id)
                job.message, job.finished_at = message, utcnow()
                finish_job(job, JobStatus.failed, note=message)
                tell_owner(job)
                db.session.commit()
        finally:
            db.session.remove()


def tell_owner(job: ExportJob) -> None:
    """Whoever asked for the report is told it is ready (or why it failed), with the link to its page."""
    owner = db.session.get(User, job.created_by_id) if job.created_by_id else None
    if owner is None or not owner.active:
        return
    link, about = f"/reports/exports/{job.id}", ("report_export", job.id)
    if job.status == JobStatus.done:
        notify([owner], "report_ready", _("Báo cáo đã lập xong: %(t)s", t=title(job)),
               _("Mở trang báo cáo để tải tệp Excel."), link, about=about)
    else:
        notify([owner], "report_failed", _("Không lập được báo cáo: %(t)s", t=title(job)), job.message, link,
               about=about)


def recent(limit: int = 10) -> list[dict]:
    """The latest reports asked for (newest first), for the reports page: each with its title, who asked for it
    (their name) and when, its state."""
    rows = db.session.execute(select(ExportJob, User.full_name, User.username)
                              .outerjoin(User, User.id == ExportJob.created_by_id)
                              .order_by(ExportJob.created_at.desc(), ExportJob.id.desc()).limit(limit)).all()
    return [{"job": job, "title": title(job), "by": full_name or username or ""}
            for job, full_name, username in rows]


def job_state(job: ExportJob) -> dict:
    """What the status URL answers."""
    return {"id": job.id, "kind": job.kind, "year": job.year, "half": job.half, "status": job.status,
            "progress": job.progress, "phase": job.phase, "message": job.message,
            "created_at": job.created_at.isoformat() if job.created_at else None,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            "size": job.upload.size if job.upload else None}


def _run(app, job_id: int) -> None:
    run_export(job_id, app)


JOB = ("report_export", ExportJob, _run)  # registered with core.jobs by create_app: Huey runs it
