"""The sign-in blueprint: pages of views.py, recovery_views.py, twofactor_views.py and session_views.py."""

from flask import Blueprint

from awards.auth import sessions, signin
from awards.extensions import login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
login_manager.login_message_category = "warning"
login_manager.user_loader(sessions.load_user)
bp.before_app_request(signin.hold_until_enrolled)
