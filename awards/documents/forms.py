"""Forms of the templates page: upload a version, the unit's signing details."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class UploadForm(FlaskForm):
    file = FileField(_l("Tệp mẫu (.docx)"), validators=[DataRequired(_l("Chọn tệp mẫu .docx."))])
    note = StringField(_l("Ghi chú phiên bản"), validators=[Length(max=300, message=_l("Tối đa 300 ký tự."))])


class ProfileForm(FlaskForm):
    place = StringField(_l("Địa danh (ghi ở dòng ngày tháng)"),
                        validators=[Length(max=100, message=_l("Tối đa 100 ký tự."))])
    head_title = StringField(_l("Chức vụ người đứng đầu (người ký)"),
                             validators=[DataRequired(_l("Nhập chức vụ người ký, ví dụ Giám đốc.")),
                                         Length(max=100, message=_l("Tối đa 100 ký tự."))])
    head_name = StringField(_l("Họ và tên người đứng đầu"),
                            validators=[DataRequired(_l("Nhập họ và tên người ký.")),
                                        Length(max=200, message=_l("Tối đa 200 ký tự."))])
