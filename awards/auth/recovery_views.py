"""Forgotten password: ask for a link by e-mail, then set a new password from it."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from awards.auth import reset, services
from awards.auth.blueprint import bp
from awards.auth.forms import ForgotPasswordForm, ResetPasswordForm
from awards.core.db import DomainError
from awards.extensions import db, limiter


def _address_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_limit():
    return current_app.config["PASSWORD_RESET_EMAIL_LIMIT"]  # config.py: nobody fills a colleague's mailbox


def _email_key() -> str:
    return "reset-email:" + (request.form.get("email") or "").strip().casefold()


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_email_limit, methods=["POST"], key_func=_email_key)
def forgot_password():
    """The same answer whether or not the address belongs to an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if not services.EMAIL.match(form.email.data.strip()):
            form.email.errors.append(_("Địa chỉ thư điện tử không hợp lệ, ví dụ ten@syt.gov.vn."))
            return render_template("auth/forgot_password.html", form=form, sent=False), 400
        reset.request_reset(form.email.data)
        db.session.commit()
        return render_template("auth/forgot_password.html", form=ForgotPasswordForm(formdata=None), sent=True)
    return render_template("auth/forgot_password.html", form=form, sent=False), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def reset_password(token):
    try:
        user = reset.user_for_token(token)
    except DomainError as exc:
        return render_template("auth/reset_password.html", form=None, problem=exc.message), exc.status
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.complete_reset(token, form.new_password.data)
        except DomainError as exc:
            db.session.rollback()
            if exc.field is None:
                return render_template("auth/reset_password.html", form=None, problem=exc.message), exc.status
            form.new_password.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Đã đặt mật khẩu mới cho tài khoản %(u)s. Mọi phiên đăng nhập cũ đã kết thúc: vui lòng đăng nhập "
                    "lại.", u=user.username), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user, problem=None), 400 if form.errors else 200
