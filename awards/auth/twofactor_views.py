"""Two-factor sign-in pages: the code after the password, enrolment and recovery codes on one's account, and the
admin's requirement per role and reset of a user's two-factor."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from awards.auth import signin, throttle, twofactor
from awards.auth.blueprint import bp
from awards.auth.forms import CodeForm, ConfirmForm, EnrolForm, PasswordCheckForm, TwoFactorRolesForm
from awards.auth.models import User
from awards.core.db import DomainError
from awards.core.forms import perform
from awards.core.permissions import Role, roles_required
from awards.extensions import db, limiter

ENROL = "awards_2fa_enrol"  # the secret shown on the enrolment page, until a code confirms the app has it


def _address_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _code_limit():
    return current_app.config["LOGIN_CODE_LIMIT"]  # config.py


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_code_limit, methods=["POST"], key_func=signin.pending_key, deduct_when=throttle.failed)
def login_code():
    """The second step: a code from the authenticator app (each good once) or a recovery code."""
    user = signin.pending_user()
    if user is None:
        flash(_("Phiên đăng nhập đã hết hạn: vui lòng nhập lại mật khẩu."), "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        kind = twofactor.verify(user, form.code.data)
        db.session.commit()
        if kind == "recovery":
            flash(_("Bạn đã dùng một mã khôi phục; còn lại %(n)s mã. Nếu đã mất điện thoại, hãy tạo mã mới hoặc "
                    "thiết lập lại ở trang Xác thực hai bước.", n=twofactor.recovery_codes_left(user)), "warning")
        if kind:
            return signin.complete(user)
        form.code.errors.append(_("Mã xác thực không đúng hoặc đã được dùng: nhập mã mới đang hiện trong ứng dụng."))
    return render_template("auth/login_code.html", form=form), 400 if form.errors else 200


def _enrol_page(form, secret):
    uri = twofactor.provisioning_uri(current_user, secret)
    return render_template("auth/two_factor.html", form=form, qr=twofactor.qr_svg(uri),
                           secret=twofactor.grouped(secret), required=twofactor.is_required_for(current_user))


@bp.get("/account/two-factor")
@login_required
def two_factor():
    if current_user.two_factor_enabled:
        return render_template("auth/two_factor.html", left=twofactor.recovery_codes_left(current_user),
                               password_form=PasswordCheckForm(), required=twofactor.is_required_for(current_user))
    session.setdefault(ENROL, twofactor.new_secret())
    return _enrol_page(EnrolForm(), session[ENROL])


def _codes_page(codes):
    return render_template("auth/recovery_codes.html", codes=codes), 200, {"Cache-Control": "no-store"}


@bp.post("/account/two-factor")
@login_required
def enable_two_factor():
    """A code from the app confirms the secret; the recovery codes are shown once, on the answer."""
    secret = session.get(ENROL)
    if secret is None or current_user.two_factor_enabled:
        return redirect(url_for("auth.two_factor"))
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.enable(current_user, secret, form.code.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            form.code.errors.append(exc.message)
        else:
            db.session.commit()
            session.pop(ENROL, None)
            flash(_("Đã bật xác thực hai bước. Từ lần đăng nhập sau, hệ thống sẽ hỏi mã sau mật khẩu."), "success")
            return _codes_page(codes)
    return _enrol_page(form, secret), 400


@bp.post("/account/two-factor/recovery-codes")
@login_required
def regenerate_recovery_codes():
    form = PasswordCheckForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.regenerate_recovery_codes(current_user, form.password.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(_("Đã tạo 10 mã khôi phục mới; các mã cũ không còn dùng được."), "success")
            return _codes_page(codes)
    return redirect(url_for("auth.two_factor"))


@bp.post("/account/two-factor/disable")
@login_required
def disable_two_factor():
    form = PasswordCheckForm()
    if form.validate_on_submit():
        perform(lambda: twofactor.disable(current_user, form.password.data, by=current_user), form,
                success=_("Đã tắt xác thực hai bước."))
        for error in form.password.errors:
            flash(error, "danger")
    return redirect(url_for("auth.two_factor"))


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@roles_required(Role.admin)
def reset_user_two_factor(user_id):
    """A user who lost both the phone and the recovery codes signs in with the password again (then enrols)."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            twofactor.reset(user, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "warning")
        else:
            db.session.commit()
            flash(_("Đã đặt lại xác thực hai bước của %(u)s.", u=user.username), "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))


@bp.route("/admin/sign-in", methods=["GET", "POST"])
@roles_required(Role.admin)
def sign_in_settings():
    """Which roles must sign in with two-factor, and how many of their users have not enrolled yet."""
    form = TwoFactorRolesForm(data={"roles": twofactor.required_roles()})
    if form.validate_on_submit() and perform(lambda: twofactor.set_required_roles(form.roles.data, by=current_user),
                                             form, success=_("Đã lưu thiết lập đăng nhập.")):
        return redirect(url_for("auth.sign_in_settings"))
    return render_template("auth/sign_in_settings.html", form=form,
                           not_enrolled=twofactor.not_enrolled_counts()), 400 if form.errors else 200
