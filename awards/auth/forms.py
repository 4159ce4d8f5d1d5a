"""Login, password and account forms; messages in Vietnamese."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from awards.auth.twofactor import REQUIRABLE
from awards.core.forms import REQUIRED, MultiCheckboxField
from awards.core.permissions import ROLE_LABELS

EMAIL_LONG = _l("Địa chỉ thư điện tử dài quá 255 ký tự.")


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))
    submit = SubmitField(_l("Đăng nhập"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", _l("Hai mật khẩu không khớp."))])
    revoke_tokens = BooleanField(_l("Thu hồi luôn mọi mã truy cập API của tôi"),
                                 description=_l("Nên chọn nếu mật khẩu cũ có thể đã lộ: phần mềm đang dùng các mã này "
                                                "sẽ cần mã mới."))
    submit = SubmitField(_l("Đổi mật khẩu"))


def _role_choices():
    return [SelectChoice(role.value, str(label)) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    """Create or edit an account (admin)."""

    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=80)])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Length(max=255, message=EMAIL_LONG)],
                        description=_l("Nhận thông báo và liên kết đặt lại mật khẩu."))
    password = PasswordField(_l("Mật khẩu"), validators=[Optional(), Length(max=200)],
                             description=_l("Để trống khi sửa nếu không đổi mật khẩu."))
    roles = MultiCheckboxField(_l("Vai trò"), choices=_role_choices)
    unit_code = StringField(_l("Mã đơn vị"), validators=[Optional(), Length(max=40)],
                            description=_l("Bắt buộc với cán bộ đơn vị."))
    person_code = StringField(_l("Mã cá nhân"), validators=[Optional(), Length(max=40)],
                              description=_l("Gắn thành viên Hội đồng với hồ sơ cá nhân để phát hiện xung đột "
                                             "lợi ích."))
    active = BooleanField(_l("Được phép đăng nhập"), default=True)
    submit = SubmitField(_l("Lưu"))


class TokenForm(FlaskForm):
    label = StringField(_l("Ghi chú (dùng cho hệ thống nào)"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Tạo mã truy cập"))


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF-protected button (revoke, delete…)."""

    submit = SubmitField(_l("Xác nhận"))


class EmailForm(FlaskForm):
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Length(max=255, message=EMAIL_LONG)],
                        render_kw={"autocomplete": "email", "inputmode": "email"},
                        description=_l("Nhận thông báo và liên kết đặt lại mật khẩu khi bạn quên mật khẩu. Để trống "
                                       "để xóa."))
    submit = SubmitField(_l("Lưu địa chỉ"))


class ForgotPasswordForm(FlaskForm):
    email = StringField(_l("Thư điện tử của tài khoản"), validators=[DataRequired(REQUIRED),
                                                                     Length(max=255, message=EMAIL_LONG)],
                        render_kw={"autocomplete": "email", "inputmode": "email"})
    submit = SubmitField(_l("Gửi liên kết đặt lại mật khẩu"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(REQUIRED), Length(max=200)],
                                 render_kw={"autocomplete": "new-password"},
                                 description=_l("Ít nhất 8 ký tự, không chỉ gồm chữ số, khác tên đăng nhập."))
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"), render_kw={"autocomplete": "new-password"}, validators=[
        DataRequired(REQUIRED), EqualTo("new_password", _l("Hai mật khẩu không khớp."))])
    submit = SubmitField(_l("Đặt mật khẩu mới"))


class CodeForm(FlaskForm):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""

    code = StringField(_l("Mã xác thực"), validators=[DataRequired(REQUIRED), Length(max=40)],
                       render_kw={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "off"},
                       description=_l("Mã 6 số trong ứng dụng xác thực, hoặc một mã khôi phục (dạng xxxxx-xxxxx)."))
    submit = SubmitField(_l("Xác nhận"))


class EnrolForm(FlaskForm):
    code = StringField(_l("Mã 6 số đang hiện trong ứng dụng"), validators=[DataRequired(REQUIRED), Length(max=10)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField(_l("Bật xác thực hai bước"))


class PasswordCheckForm(FlaskForm):
    """A sensitive change on one's own account: the password again."""

    password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Xác nhận"))


def _requirable_choices():
    return [SelectChoice(role.value, str(ROLE_LABELS[role])) for role in REQUIRABLE]


class TwoFactorRolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Bắt buộc xác thực hai bước với các vai trò"), choices=_requirable_choices)
    submit = SubmitField(_l("Lưu thiết lập"))
