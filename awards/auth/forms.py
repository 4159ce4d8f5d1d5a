"""Login, password and account forms; messages in Vietnamese."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from awards.core.forms import REQUIRED, MultiCheckboxField
from awards.core.permissions import ROLE_LABELS


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
