"""The public side of signed decisions (no login): each decision's published signed PDF, and the check page
where anyone compares a decision's number or a copy of its file with what was published."""

from flask import abort, render_template, request

from awards.core import uploads
from awards.core.db import DomainError
from awards.core.forms import refuse
from awards.extensions import limiter
from awards.signing import queries, services
from awards.signing.api import VERIFY_LIMIT, VERIFY_SCOPE
from awards.signing.blueprint import public_bp as bp
from awards.signing.forms import VerifyForm

PAGE_LIMIT = "120 per minute"


@bp.get("/decisions/<int:decision_id>/signed.pdf")
@limiter.limit(PAGE_LIMIT)
def signed_pdf(decision_id):
    published = queries.published(decision_id) or abort(404)
    return uploads.download(published.upload, name=f"quyet-dinh-{decision_id}-ky-so")


@bp.get("/verify")
@limiter.limit(PAGE_LIMIT)
def verify_form():
    form = VerifyForm(number=request.args.get("number", "")[:60])
    return render_template("signing/public_verify.html", form=form, check=None)


@bp.post("/verify")
@limiter.shared_limit(VERIFY_LIMIT, scope=VERIFY_SCOPE)  # one count with the JSON endpoint, every attempt
def verify():
    form = VerifyForm()
    if not form.validate_on_submit():
        return render_template("signing/public_verify.html", form=form, check=None), 400
    upload = form.file.data
    try:
        check = services.check_copy(form.number.data or "", upload.read() if upload else None)
    except DomainError as exc:
        status = refuse(form, exc, file_field="file")
        return render_template("signing/public_verify.html", form=form, check=None), status
    return render_template("signing/public_verify.html", form=form, check=check)
