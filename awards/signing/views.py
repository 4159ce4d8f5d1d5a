"""The secretariat's signing and certificate pages: a decision's signed files (upload, sign here, download),
its certificates printed on the calibrated blanks, and each award type's calibration with a test print."""

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from awards.announcements import queries as decision_queries
from awards.catalog import services as catalog
from awards.core import clock, uploads
from awards.core.forms import perform
from awards.core.permissions import MANAGERS, roles_required
from awards.core.text import fold
from awards.extensions import db
from awards.signing import queries, services
from awards.signing.blueprint import bp
from awards.signing.forms import LayoutForm, SignedFileForm, SignForm
from awards.signing.permissions import can_calibrate, can_print, can_sign

_SLUG = re.compile(r"[^a-z0-9]+")


def _decision(decision_id: int):
    return decision_queries.decision_by_id(decision_id) or abort(404)


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox"})


def _slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-") or "quyet-dinh"


def _after_signing(outcome, decision):
    if outcome and not outcome.value.valid:
        flash(_("Tệp đã được lưu nhưng KHÔNG được công bố: %(r)s", r=outcome.value.reason), "danger")
    elif outcome:
        flash(_("Bản ký số hợp lệ (ký bởi %(who)s) đã được lưu và công bố; mã SHA-256 đã ghi vào kho lưu trữ.",
                who=outcome.value.signer), "success")
    return redirect(url_for("announcements.decision", decision_id=decision.id) + "#ky-so")


@bp.post("/decisions/<int:decision_id>/signed-files")
@roles_required(*MANAGERS)
def upload_signed_file(decision_id):
    decision = _decision(decision_id)
    if not can_sign(current_user, decision):
        abort(403)
    form = SignedFileForm()
    if not form.validate_on_submit():
        for error in form.file.errors or [_("Phiên làm việc đã hết hạn, hãy tải lại trang.")]:
            flash(error, "danger")
        return redirect(url_for("announcements.decision", decision_id=decision.id) + "#ky-so")
    upload = form.file.data
    outcome = perform(lambda: services.receive_signed_file(decision, data=upload.read(), filename=upload.filename,
                                                           by=current_user))
    return _after_signing(outcome, decision)


@bp.post("/decisions/<int:decision_id>/sign")
@roles_required(*MANAGERS)
def sign_decision(decision_id):
    decision = _decision(decision_id)
    if not can_sign(current_user, decision):
        abort(403)
    if not SignForm().validate_on_submit():
        abort(400)
    return _after_signing(perform(lambda: services.sign_decision(decision, by=current_user)), decision)


@bp.get("/signed-files/<int:signed_file_id>.pdf")
@roles_required(*MANAGERS)
def signed_file(signed_file_id):
    found = queries.signed_file_by_id(signed_file_id) or abort(404)
    return uploads.download(found.upload, name=f"quyet-dinh-{_slug(found.decision.number)}-ky-so-{found.id}")


@bp.get("/decisions/<int:decision_id>/blank-certificates.pdf")
@roles_required(*MANAGERS)
def print_certificates(decision_id):
    decision = _decision(decision_id)
    if not can_print(current_user, decision):
        abort(403)
    outcome = perform(lambda: services.print_certificates(decision, by=current_user))
    if not outcome:
        return redirect(url_for("announcements.decision", decision_id=decision.id))
    return _pdf(outcome.value, f"giay-chung-nhan-{_slug(decision.number)}.pdf")


# --- calibration of the blanks -----------------------------------------------------------------------------------

@bp.get("/certificates/layouts")
@roles_required(*MANAGERS)
def layouts():
    return render_template("signing/layouts.html", awards=catalog.award_types().values(), saved=queries.layouts())


@bp.route("/certificates/layouts/<award_code>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def layout(award_code):
    if catalog.known_award(award_code) is None:
        abort(404)
    if not can_calibrate(current_user):
        abort(403)
    current = services.layout(award_code)
    form = LayoutForm()
    if request.method == "GET":
        form.fill(current)
    elif form.validate_on_submit():
        blank = form.blank.data
        outcome = perform(lambda: services.save_layout(
            award_code, page=form.page.data, landscape=form.landscape.data, place=form.place.data,
            fields=form.fields_data(), blank=blank.read() if blank else None,
            blank_name=blank.filename if blank else "", by=current_user), form,
            success=_("Đã lưu vị trí in trên phôi. Hãy in thử để so với phôi thật."), file_field="blank")
        if outcome:
            return redirect(url_for("signing.layout", award_code=award_code))
    status = 400 if form.errors else 200
    return render_template("signing/layout.html", form=form, award=catalog.award_type(award_code),
                           layout=current), status


@bp.get("/certificates/layouts/<award_code>/test.pdf")
@roles_required(*MANAGERS)
def test_print(award_code):
    if catalog.known_award(award_code) is None:
        abort(404)
    if not can_calibrate(current_user):
        abort(403)
    data = services.test_print(award_code, by=current_user, on=clock.today())
    db.session.rollback()
    return _pdf(data, f"in-thu-{_slug(catalog.award_type(award_code).name)}.pdf")
