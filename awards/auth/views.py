"""Sign in and out, one's own account and tokens; admins manage users and read the audit log."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from awards.auth import email_change, queries, services, sessions, signin, throttle, twofactor
from awards.auth.blueprint import bp
from awards.auth.forms import ConfirmForm, EmailForm, LoginForm, PasswordChangeForm, TokenForm, UserForm
from awards.auth.models import ApiToken, User
from awards.core.db import DomainError
from awards.core.params import page_arg
from awards.core.permissions import Role, roles_required
from awards.core.web import safe_next
from awards.extensions import db, limiter


def _address_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit():
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=throttle.account_key, exempt_when=throttle.known_device,
               deduct_when=throttle.failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username = throttle.username_of_request()
        wait = throttle.wait_seconds(username)
        if wait:
            flash(_("Quá nhiều lần nhập sai mật khẩu: vui lòng đợi %(s)s giây rồi thử lại.", s=wait), "danger")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(wait)}
        user = services.authenticate(form.username.data, form.password.data)
        db.session.commit()
        if user is not None:
            throttle.record_success(username)
            response = signin.after_password(user, remember=form.remember.data,
                                             next_url=safe_next(request.args.get("next")))
            throttle.remember_device(response, username)
            return response
        throttle.record_failure(username)
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign this browser out, on the server too: its session record goes, so its session and "remember me" cookies
    stop working, copies included; the account's other sessions stay ("sign out everywhere" is on the sessions
    page)."""
    if ConfirmForm().validate_on_submit():
        sessions.end_current(current_user)
        db.session.commit()
        logout_user()
        flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return _account_page(PasswordChangeForm())


def _account_page(password_form, email_form=None):
    return render_template("auth/account.html", password_form=password_form, token_form=TokenForm(),
                           email_form=email_form or EmailForm(email=current_user.email),
                           tokens=queries.tokens_of(current_user), confirm=ConfirmForm(),
                           two_factor_required=twofactor.is_required_for(current_user))


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data,
                                     revoke_tokens=form.revoke_tokens.data)
        except DomainError as exc:
            form[exc.field or "new_password"].errors.append(exc.message)
        else:
            db.session.commit()
            login_user(current_user)  # this session goes on with the new session token; others end
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất."), "success")
            if form.revoke_tokens.data:
                flash(_("Mọi mã truy cập API của bạn đã bị thu hồi."), "info")
            return redirect(url_for("auth.account"))
    return _account_page(form), 400


@bp.post("/account/email")
@login_required
def change_email():
    """The user's own e-mail address: notifications and password-reset links go there. A new address is mailed a
    confirmation link and becomes the account's only when it is opened (auth/email_change.py); an empty one
    removes the address at once."""
    form = EmailForm()
    if form.validate_on_submit():
        wanted = (form.email.data or "").strip()
        try:
            if wanted:
                email_change.request_change(current_user, wanted)
            else:
                services.set_email(current_user, "", by=current_user)
        except DomainError as exc:
            db.session.rollback()
            form.email.errors.append(exc.message)
        else:
            db.session.commit()
            if wanted:
                flash(_("Đã gửi thư xác nhận tới %(e)s. Địa chỉ của tài khoản chỉ đổi khi bạn mở liên kết trong thư "
                        "(trong %(h)s giờ).", e=wanted, h=email_change.hours()), "info")
            else:
                flash(_("Đã xóa địa chỉ thư điện tử."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(PasswordChangeForm(), form), 400


@bp.get("/account/email/confirm/<token>")
def confirm_email(token):
    """The link mailed to a new address: opening it makes it the account's address (no sign-in needed)."""
    try:
        user = email_change.confirm(token)
    except DomainError as exc:
        db.session.rollback()
        return render_template("auth/email_confirmed.html", problem=exc.message, user=None), exc.status
    db.session.commit()
    return render_template("auth/email_confirmed.html", problem=None, user=user)


@bp.post("/account/tokens")
@login_required
def issue_own_token():
    return _issue_token(current_user, url_for("auth.account"))


def _issue_token(user: User, back: str):
    form = TokenForm()
    if not form.validate_on_submit():
        abort(400)
    _token, raw = services.issue_token(user, label=form.label.data, by=current_user)
    db.session.commit()
    return render_template("auth/token_created.html", user=user, raw=raw, back=back)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id and not current_user.has_role(Role.admin):
        abort(403)
    if ConfirmForm().validate_on_submit():
        services.revoke_token(token, by=current_user)
        db.session.commit()
        flash(_("Đã thu hồi mã truy cập %(p)s…", p=token.prefix), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("auth.account"))


@bp.get("/admin/users")
@roles_required(Role.admin)
def users():
    page = queries.search_users(request.args.get("q", ""), page_arg())
    return render_template("auth/users.html", page=page, q=request.args.get("q", ""))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@roles_required(Role.admin)
def create_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data or "", form.roles.data,
                                        full_name=form.full_name.data, email=form.email.data, by=current_user,
                                        **queries.links_from_codes(form.unit_code.data, form.person_code.data))
        except DomainError as exc:
            form[exc.field if exc.field in form else "username"].errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Đã tạo tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.admin)
def edit_user(user_id):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, unit_code=user.unit.code if user.unit else "",
                    person_code=user.person.code if user.person else "")
    if form.validate_on_submit():
        try:
            links = queries.links_from_codes(form.unit_code.data, form.person_code.data)
            services.update_user(user, full_name=form.full_name.data, roles=form.roles.data, email=form.email.data,
                                 active=form.active.data, by=current_user, **links)
            if form.password.data:
                services.reset_password(user, form.password.data, by=current_user)
        except DomainError as exc:
            db.session.rollback()
            form[exc.field if exc.field in form else "roles"].errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Đã lưu tài khoản %(u)s.", u=user.username), "success")
            return redirect(url_for("auth.edit_user", user_id=user.id))
    return render_template("auth/user_form.html", form=form, user=user, token_form=TokenForm(),
                           tokens=queries.tokens_of(user), confirm=ConfirmForm())


@bp.post("/admin/users/<int:user_id>/sessions/end")
@roles_required(Role.admin)
def end_user_sessions(user_id):
    """Sign the user out of every browser (a lost laptop, a shared computer, an account being taken over)."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        services.end_sessions(user, by=current_user)
        if user.id == current_user.id:  # the admin's own session goes on, as a new one
            sessions.start(current_user)
        db.session.commit()
        if user.id == current_user.id:
            login_user(current_user)
        flash(_("Đã đăng xuất %(u)s khỏi mọi phiên đăng nhập.", u=user.username), "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/tokens")
@roles_required(Role.admin)
def issue_user_token(user_id):
    user = db.get_or_404(User, user_id)
    return _issue_token(user, url_for("auth.edit_user", user_id=user.id))


@bp.get("/admin/audit")
@roles_required(Role.admin)
def audit_log():
    page = queries.audit_entries(request.args.get("action", ""), request.args.get("actor", ""),
                                 page_arg())
    actions = db.session.scalars(select(queries.AuditEntry.action).distinct().order_by("action")).all()
    return render_template("auth/audit.html", page=page, actions=actions, args=request.args)
