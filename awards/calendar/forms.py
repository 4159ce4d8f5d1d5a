"""The form that adds an announced day to the working calendar."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from awards.calendar.models import DayKind
from awards.core.forms import BAD_CHOICE, REQUIRED, VnDateField


class CalendarDayForm(FlaskForm):
    day = VnDateField(_l("Ngày"), validators=[InputRequired(REQUIRED)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k.value, k.label) for k in DayKind],
                       invalid_choice_message=BAD_CHOICE,
                       description=_l("Ngày nghỉ: một ngày làm việc được nghỉ (nghỉ bù, hoán đổi). "
                                      "Ngày làm việc: một thứ Bảy làm bù, hoặc một ngày lễ theo thư viện mà "
                                      "Chính phủ không cho nghỉ."))
    reason = StringField(_l("Lý do"), validators=[DataRequired(REQUIRED), Length(max=255)],
                         render_kw={"placeholder": _l("Ví dụ: hoán đổi với thứ Bảy 10/01/2026")})
    source = StringField(_l("Văn bản thông báo"), validators=[DataRequired(REQUIRED), Length(max=255)],
                         render_kw={"placeholder": _l("Ví dụ: Văn bản 12729/VPCP-KGVX ngày 25/12/2025")})
    submit = SubmitField(_l("Thêm vào lịch"))
