"""The xlsx side of the archive: import award records in the background with a progress bar, the template,
and the export of search results.

An import is a job: the upload is kept under its SHA-256, an ImportJob row is written when it is queued,
starts and ends, and a worker thread (its own app context, its own transaction) runs
`imports.import_records`. Live progress stays in a process-level dict (SQLite has one writer and the
import's transaction is long), read by the status URL the page polls.
"""

import tempfile
import threading

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField

from awards.archive import imports
from awards.archive import xlsx as archive_xlsx
from awards.archive.models import ImportJob
from awards.archive.queries import SORTS, search_stmt
from awards.archive.views import bp, search_args
from awards.auth.models import User
from awards.core import audit, jobs
from awards.core.db import DomainError, utcnow
from awards.core.forms import ListPage
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units.forms import ImportForm
from awards.units.models import Person, Unit

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOBS_PER_PAGE = 20
ERRORS_PER_PAGE = 100
STATUS_ERRORS = 200

# job id -> {"status", "phase", "done", "total"} while a worker of this process runs it
PROGRESS: dict[int, dict] = {}
_progress_lock = threading.Lock()


class ArchiveImportForm(ImportForm):
    published = BooleanField(_l("Công bố trên trang tra cứu công khai"), default=True)


# --- the worker ------------------------------------------------------------------------------------

def _set_progress(job_id: int, **values) -> None:
    with _progress_lock:
        PROGRESS[job_id] = {**PROGRESS.get(job_id, {}), **values}


def run_job(app, job_id: int) -> None:
    """Run one queued import in its own app context and transaction; the job row says how it ended."""
    with app.app_context():
        if jobs.claim(ImportJob, job_id) is None:  # one conditional UPDATE: never run twice (core/jobs.py)
            return
        job = db.session.get(ImportJob, job_id)
        by = db.session.get(User, job.created_by_id) if job.created_by_id else None
        options = {"dry_run": job.dry_run, "published": job.published, "filename": job.filename}
        path = imports.job_path(app.config["UPLOAD_DIR"], job.sha256)
        db.session.commit()  # and no read stays open in this session while the rows are checked (SQLite)
        _set_progress(job_id, status="running", phase="validate", done=0, total=0)
        try:
            result = imports.import_records(
                path, by=by, **options,
                progress=lambda phase, done, total: _set_progress(job_id, phase=phase, done=done, total=total))
        except Exception as exc:
            db.session.rollback()
            if not isinstance(exc, DomainError):
                app.logger.exception("archive import %s failed", job_id)
            job = db.session.get(ImportJob, job_id)
            job.status, job.finished_at = "failed", utcnow()
            job.message = exc.message if isinstance(exc, DomainError) else _(
                "Lỗi hệ thống khi nhập, không có bản ghi nào được lưu. Hãy thử lại sau.")
            db.session.commit()
        else:
            if result.errors or result.dry_run:
                db.session.rollback()  # nothing is stored
            job = db.session.get(ImportJob, job_id)
            job.status, job.finished_at = "done", utcnow()
            job.total_rows = job.processed_rows = result.total
            job.imported, job.errors = result.imported, result.errors
            db.session.commit()  # the records, their audit entry and the finished job together
        finally:
            with _progress_lock:
                PROGRESS.pop(job_id, None)
            db.session.remove()


def _start(job_id: int) -> None:
    app = current_app._get_current_object()
    if jobs.in_worker():
        return  # `flask jobs run` takes it
    if app.config.get("ARCHIVE_IMPORT_INLINE"):
        run_job(app, job_id)
    else:
        threading.Thread(target=run_job, args=(app, job_id), name=f"archive-import-{job_id}", daemon=True).start()


def job_state(job: ImportJob) -> dict:
    """What the status URL answers: live progress from this process, or the job row."""
    with _progress_lock:
        live = dict(PROGRESS.get(job.id, {}))
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


def _job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id) or abort(404)
    if job.status == "running" and jobs.reap(ImportJob, job_id):  # its worker died: say so (core/jobs.py)
        job = db.session.get(ImportJob, job_id)
    return job


def _import_page(form, status: int = 200):
    jobs = db.paginate(select(ImportJob).order_by(ImportJob.id.desc()), page=_page_arg(), per_page=JOBS_PER_PAGE,
                       error_out=False)
    return render_template("archive/import.html", form=form, jobs=jobs, headers=imports.HEADERS,
                           required=imports.REQUIRED_COLUMNS, max_rows=imports.MAX_ROWS), status


def _page_arg() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


# --- pages -----------------------------------------------------------------------------------------

@bp.get("/import")
@roles_required(*MANAGERS)
def import_form():
    return _import_page(ArchiveImportForm())


@bp.post("/import")
@roles_required(*MANAGERS)
def start_import():
    form = ArchiveImportForm()
    if not form.validate_on_submit():
        return _import_page(form, 400)
    upload = form.file.data
    try:
        job = imports.create_job(upload.read(), filename=upload.filename or "", dry_run=form.dry_run.data,
                                 published=form.published.data, upload_dir=current_app.config["UPLOAD_DIR"],
                                 by=current_user)
    except DomainError as exc:
        db.session.rollback()
        form.file.errors = [*form.file.errors, exc.message]
        return _import_page(form, exc.status)
    db.session.commit()
    _start(job.id)
    return redirect(url_for("archive.import_job", job_id=job.id))


@bp.get("/import/<int:job_id>")
@roles_required(*MANAGERS)
def import_job(job_id):
    job = _job(job_id)
    state = job_state(job)
    errors = [e for e in (job.errors or []) if e.get("row") is not None]
    page = ListPage(errors, _page_arg(), ERRORS_PER_PAGE)
    more = next((e["message"] for e in (job.errors or []) if e.get("row") is None), None)
    phases = {"validate": _("Đang kiểm tra các dòng"), "write": _("Đang ghi vào kho lưu trữ")}
    return render_template("archive/import_job.html", job=job, state=state, errors=page, more=more, phases=phases)


@bp.get("/import/<int:job_id>/status.json")
@roles_required(*MANAGERS)
def import_status(job_id):
    return jsonify(job_state(_job(job_id)))


@bp.get("/import-template.xlsx")
@roles_required(*MANAGERS)
def import_template():
    person = db.session.scalar(select(Person.code).order_by(Person.code).limit(1))
    unit = db.session.scalar(select(Unit.code).order_by(Unit.code).limit(1))
    data = imports.template_bytes(person or "CN0001", unit or "DV01")
    return Response(data, mimetype=XLSX_MIME,
                    headers={"Content-Disposition": "attachment; filename=mau-nhap-khen-thuong.xlsx"})


# --- export ----------------------------------------------------------------------------------------

def export_filters() -> dict:
    """The archive search page's filters (views.search_args) and a subject code, checked: what search_stmt takes."""
    args = {**search_args(), "subject_code": request.args.get("subject_code", "").strip()}
    return {"q": args.get("q", ""), "award_code": args.get("award_code") or None, "year": args.get("year"),
            "unit_code": args.get("unit_code") or None, "subject_code": args.get("subject_code") or None,
            "subject_type": args.get("subject_type") if args.get("subject_type") in ("person", "unit") else None,
            "sort": args.get("sort") if args.get("sort") in SORTS else "year_desc"}


@bp.get("/export.xlsx")
@roles_required()
def export():
    filters = export_filters()
    output = tempfile.TemporaryFile()  # noqa: SIM115  (send_file streams it, then closes it: it is gone)
    count = archive_xlsx.write_export(search_stmt(**filters), output)
    audit.record("archive.export", by=current_user, object_type="AwardRecord", object_id="",
                 after={**filters, "count": count})
    db.session.commit()
    output.seek(0)
    return send_file(output, mimetype=XLSX_MIME, as_attachment=True, download_name="luu-tru-khen-thuong.xlsx",
                     max_age=0)

