"""The templates page (Mẫu văn bản): per awarding unit (or the default of every unit), each kind's version in
force, its versions, upload, preview with sample data (.docx and PDF), activate; and the unit's signing details."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awards.core.forms import perform
from awards.core.pdf import PDF_MIME, available, to_pdf
from awards.documents import queries, services
from awards.documents.blueprint import bp
from awards.documents.forms import ProfileForm, UploadForm
from awards.documents.kinds import KINDS
from awards.documents.permissions import may_manage, may_open
from awards.documents.rendering import builtin_bytes
from awards.units.queries import scope_unit, unit_by_code

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _unit():
    """The unit of ?unit= (404 when unknown); none given: the user's own scope, or the default (None)."""
    if not may_open(current_user):
        abort(403)
    code = (request.args.get("unit") or "").strip()
    if not code:
        return scope_unit(current_user)
    return unit_by_code(code) or abort(404)


def _kind(kind: str) -> str:
    return kind if kind in KINDS else abort(404)


def _file(data: bytes, name: str, mime: str = DOCX_MIME) -> Response:
    return Response(data, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}",
                                                  "Cache-Control": "no-store"})


def _args(unit) -> dict:
    return {"unit": unit.code} if unit is not None else {}


@bp.get("/templates")
@login_required
def templates():
    unit = _unit()
    form = ProfileForm(obj=queries.profile_of(unit)) if unit is not None else None
    return _index(unit, form)


def _index(unit, form, status: int = 200):
    return render_template("documents/templates.html", unit=unit, kinds=KINDS, own=queries.active_versions(unit),
                           used={k: queries.template_for(k, unit) if unit else queries.active_versions(None).get(k)
                                 for k in KINDS}, form=form, may_manage=may_manage(current_user, unit),
                           signing=queries.signing(unit), pdf=available()), status


@bp.post("/templates/profile")
@login_required
def save_profile():
    unit = _unit() or abort(404)
    form = ProfileForm()
    if not form.validate_on_submit():
        return _index(unit, form, 400)
    outcome = perform(lambda: services.save_profile(unit, place=form.place.data, head_title=form.head_title.data,
                                                    head_name=form.head_name.data, by=current_user), form,
                      success=_("Đã lưu thông tin người ký của đơn vị."))
    if not outcome:
        return _index(unit, form, outcome.status)
    return redirect(url_for("documents.templates", **_args(unit)))


@bp.get("/templates/<kind>")
@login_required
def kind(kind):
    return _kind_page(_unit(), _kind(kind), UploadForm())


def _kind_page(unit, kind, form, status: int = 200):
    return render_template("documents/kind.html", unit=unit, kind=KINDS[kind], versions=queries.versions(kind, unit),
                           used=queries.template_for(kind, unit) if unit else queries.active_versions(None).get(kind),
                           form=form, may_manage=may_manage(current_user, unit), pdf=available()), status


@bp.post("/templates/<kind>")
@login_required
def upload(kind):
    unit, kind = _unit(), _kind(kind)
    form = UploadForm()
    if not form.validate_on_submit():
        return _kind_page(unit, kind, form, 400)
    data = form.file.data.read()
    outcome = perform(lambda: services.upload_template(kind, unit, data, form.file.data.filename,
                                                       note=form.note.data, by=current_user), form,
                      success=lambda v: _("Đã tải lên phiên bản %(n)s. Xem thử rồi bấm “Áp dụng”.", n=v.version),
                      file_field="file")
    if not outcome:
        return _kind_page(unit, kind, form, outcome.status)
    return redirect(url_for("documents.kind", kind=kind, **_args(unit)))


@bp.post("/templates/versions/<int:version_id>/activate")
@login_required
def activate(version_id):
    if not may_open(current_user):
        abort(403)
    version = queries.version_by_id(version_id) or abort(404)
    perform(lambda: services.activate_version(version, by=current_user),
            success=_("Đã áp dụng phiên bản %(n)s.", n=version.version))
    return redirect(url_for("documents.kind", kind=version.kind, **_args(version.unit)))


@bp.post("/templates/<kind>/builtin")
@login_required
def use_builtin(kind):
    unit, kind = _unit(), _kind(kind)
    perform(lambda: services.use_builtin(kind, unit, by=current_user),
            success=_("Đơn vị dùng lại mẫu chung (mẫu mặc định hoặc mẫu dựng sẵn)."))
    return redirect(url_for("documents.kind", kind=kind, **_args(unit)))


@bp.get("/templates/<kind>/template.docx")
@login_required
def download(kind):
    """The template in force for the unit (to edit in Word), or version ?version=, or the built-in one."""
    unit, kind = _unit(), _kind(kind)
    version = _version_arg(kind)
    if version is None and request.args.get("version") != "builtin":
        version = queries.template_for(kind, unit) if unit else queries.active_versions(None).get(kind)
    data = services.template_bytes(version, kind) if version else builtin_bytes(kind)
    suffix = f"-v{version.version}" if version else ""
    return _file(data, KINDS[kind].filename.replace(".docx", f"{suffix}.docx"))


def _version_arg(kind: str):
    raw = request.args.get("version", "")
    if not raw.isdigit():
        return None
    version = queries.version_by_id(int(raw))
    if version is None or version.kind != kind:
        abort(404)
    if not may_manage(current_user, version.unit) and not version.active:
        abort(403)
    return version


@bp.get("/templates/<kind>/preview.<fmt>")
@login_required
def preview(kind, fmt):
    """A version (?version=id; none: the built-in template) rendered with the kind's sample data."""
    _unit()
    kind = _kind(kind)
    if fmt not in ("docx", "pdf"):
        abort(404)
    version = _version_arg(kind)
    data = services.preview(kind, version, by=current_user)
    name = f"xem-thu-{kind}{f'-v{version.version}' if version else ''}"
    if fmt == "pdf":
        return _file(to_pdf(data), f"{name}.pdf", PDF_MIME)
    return _file(data, f"{name}.docx")
