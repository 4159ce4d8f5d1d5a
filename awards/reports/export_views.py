"""The dashboard's Excel reports as background jobs (reports.exports): start one, watch it, download the file.

A job belongs to the managers in general: any of them may watch it and download its file.
"""

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from awards.core import jobs, uploads
from awards.core.forms import BAD_YEAR
from awards.core.permissions import MANAGERS, roles_required
from awards.extensions import db
from awards.reports import exports
from awards.reports.blueprint import bp
from awards.reports.models import KINDS, ExportJob

PHASES = {
    "figures": _l("Đang tính các số liệu tổng hợp"),
    "sheets": _l("Đang ghi các trang tổng hợp"),
    "list": _l("Đang ghi danh sách khen thưởng"),
    "file": _l("Đang hoàn tất tệp Excel"),
}


class ExportForm(FlaskForm):
    """The dashboard's buttons: hidden fields, the CSRF token included."""

    kind = SelectField(_l("Loại báo cáo"), choices=[SelectChoice(k, k) for k in KINDS], validators=[DataRequired()])
    year = IntegerField(_l("Năm"), validators=[InputRequired(), NumberRange(1945, 2100, message=BAD_YEAR)])
    half = IntegerField(_l("Kỳ báo cáo"), validators=[Optional()])

    def validate_half(self, field):
        if self.kind.data == "half_year" and field.data not in (1, 2):
            raise ValidationError(_("Chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."))


def _job(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id) or abort(404)
    if job.status == "running" and jobs.reap(ExportJob, job_id):  # its worker died: say so, not "running" forever
        job = db.session.get(ExportJob, job_id)
    return job


@bp.post("/exports")
@roles_required(*MANAGERS)
def start_export():
    form = ExportForm()
    if not form.validate_on_submit():
        for field in form:
            for error in field.errors:
                flash(f"{field.label.text}: {error}", "danger")
        year = form.year.data if not form.year.errors else None
        return redirect(url_for("reports.dashboard", year=year))
    job = exports.start_export(form.kind.data, form.year.data, form.half.data, by=current_user)
    return redirect(url_for("reports.export_job", job_id=job.id))


@bp.get("/exports/<int:job_id>")
@roles_required(*MANAGERS)
def export_job(job_id):
    job = _job(job_id)
    return render_template("reports/export_job.html", job=job, title=exports.title(job),
                           phase=PHASES.get(job.phase), size=job.upload.size if job.upload else 0)


@bp.get("/exports/<int:job_id>.json")
@roles_required(*MANAGERS)
def export_status(job_id):
    job = _job(job_id)
    state = exports.job_state(job)
    state["phase_label"] = str(PHASES[job.phase]) if job.phase in PHASES else ""
    state["download_url"] = url_for("reports.export_download", job_id=job.id) if job.status == "done" else None
    return jsonify(state)


@bp.get("/exports/<int:job_id>/download")
@roles_required(*MANAGERS)
def export_download(job_id):
    job = _job(job_id)
    if job.status != "done" or job.upload is None or not uploads.path_for(job.upload.sha256).exists():
        abort(404)
    return uploads.download(job.upload, exports.filename(job.kind, job.year, job.half))
