"""One's own sessions: where the account is signed in, ending one of them, the others, or all."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from awards.auth import services, sessions
from awards.auth.blueprint import bp
from awards.auth.forms import ConfirmForm
from awards.extensions import db


@bp.get("/account/sessions")
@login_required
def my_sessions():
    return render_template("auth/sessions.html", sessions=sessions.active_of(current_user),
                           current=sessions.current_id(current_user), describe=sessions.describe)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_my_session(session_id):
    """The browser of that session is signed out on its next request (a phone left signed in somewhere)."""
    if ConfirmForm().validate_on_submit():
        if session_id == sessions.current_id(current_user):
            return redirect(url_for("auth.my_sessions"))  # this browser signs out with the menu's "Đăng xuất"
        if sessions.end(current_user, session_id, by=current_user):
            db.session.commit()
            flash(_("Đã kết thúc phiên đăng nhập đó."), "success")
        else:
            flash(_("Không còn phiên đăng nhập này."), "warning")
    return redirect(url_for("auth.my_sessions"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    if ConfirmForm().validate_on_submit():
        ended = sessions.end_others(current_user, by=current_user)
        db.session.commit()
        flash(_("Đã đăng xuất %(n)s phiên đăng nhập khác.", n=ended), "success")
    return redirect(url_for("auth.my_sessions"))


@bp.post("/account/sessions/end-all")
@login_required
def sign_out_everywhere():
    """Every session of the account ends, this one too, and every "remember me" cookie with them."""
    if ConfirmForm().validate_on_submit():
        services.end_sessions(current_user, by=current_user, action="logout.everywhere")
        db.session.commit()
        logout_user()
        flash(_("Bạn đã đăng xuất khỏi mọi nơi."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.my_sessions"))
