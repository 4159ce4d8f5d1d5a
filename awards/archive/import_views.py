"""The xlsx side of the archive: import award records in the background with a progress bar, the template,
and the export of search results.

An import is a job (archive/import_jobs.py): the upload is kept under its SHA-256, an ImportJob row is written
when it is queued, starts and ends; the page polls its status URL for the progress bar.
"""

import tempfile

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField

from awards.archive import import_jobs, imports
from awards.archive import xlsx as archive_xlsx
from awards.archive.blueprint import bp
from awards.archive.forms import search_args
from awards.archive.models import ImportJob
from awards.archive.permissions import unpublished_scope
from awards.archive.queries import SORTS, search_stmt
from awards.core import audit, jobs
from awards.core.db import DomainError
from awards.core.forms import ListPage
from awards.core.params import page_arg
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.units.forms import ImportForm
from awards.units.models import Person, Unit

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOBS_PER_PAGE = 20
ERRORS_PER_PAGE = 100


class ArchiveImportForm(ImportForm):
    published = BooleanField(_l("Công bố trên trang tra cứu công khai"), default=True)


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
    return page_arg()


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
    import_jobs.start(job.id)
    return redirect(url_for("archive.import_job", job_id=job.id))


@bp.get("/import/<int:job_id>")
@roles_required(*MANAGERS)
def import_job(job_id):
    job = _job(job_id)
    state = import_jobs.job_state(job)
    errors = [e for e in (job.errors or []) if e.get("row") is not None]
    page = ListPage(errors, _page_arg(), ERRORS_PER_PAGE)
    more = next((e["message"] for e in (job.errors or []) if e.get("row") is None), None)
    phases = {"validate": _("Đang kiểm tra các dòng"), "write": _("Đang ghi vào kho lưu trữ")}
    return render_template("archive/import_job.html", job=job, state=state, errors=page, more=more, phases=phases)


@bp.get("/import/<int:job_id>/status.json")
@roles_required(*MANAGERS)
def import_status(job_id):
    return jsonify(import_jobs.job_state(_job(job_id)))


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
    count = archive_xlsx.write_export(search_stmt(**filters, unpublished_of=unpublished_scope(current_user)), output)
    audit.record("archive.export", by=current_user, object_type="AwardRecord", object_id="",
                 after={**filters, "count": count})
    db.session.commit()
    output.seek(0)
    return send_file(output, mimetype=XLSX_MIME, as_attachment=True, download_name="luu-tru-khen-thuong.xlsx",
                     max_age=0)

