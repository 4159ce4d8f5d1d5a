"""The catalog settings form: only what RULES.md marks as settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from awards.auth.forms import MultiCheckboxField
from awards.catalog.types import ATTACHMENT_LABELS, VOTING_LABELS
from awards.core.forms import BAD_CHOICE


class AwardSettingsForm(FlaskForm):
    ballot = SelectField(_l("Cách xét"), choices=[SelectChoice(k, v) for k, v in VOTING_LABELS.items()],
                         invalid_choice_message=BAD_CHOICE,
                         description=_l("Bỏ phiếu kín, biểu quyết công khai tại phiên họp, hoặc Thường trực Hội đồng "
                                        "thẩm định rồi trình Chủ tịch Hội đồng."))
    threshold = DecimalField(_l("Tỷ lệ phiếu đồng ý trên tổng số thành viên Hội đồng (phần trăm)"), places=1,
                             validators=[Optional(), NumberRange(1, 100, _l("Từ 1 đến 100."))])
    review_days = IntegerField(_l("Số ngày làm việc công khai lấy ý kiến"),
                               validators=[NumberRange(1, 60, _l("Từ 1 đến 60 ngày."))])
    required_attachments = MultiCheckboxField(_l("Tài liệu bắt buộc trong hồ sơ"),
                                              choices=[SelectChoice(k, v) for k, v in ATTACHMENT_LABELS.items()])
    submit = SubmitField(_l("Lưu thiết lập"))


class GlobalSettingsForm(FlaskForm):
    quorum = DecimalField(_l("Số thành viên tham gia bỏ phiếu tối thiểu (phần trăm tổng số thành viên)"), places=1,
                          validators=[NumberRange(1, 100, _l("Từ 1 đến 100."))])
    max_rounds = IntegerField(_l("Số vòng bỏ phiếu tối đa cho một hồ sơ"),
                              validators=[NumberRange(1, 5, _l("Từ 1 đến 5."))])
    cstdcs_quota_percent = DecimalField(
        _l("Giới hạn CSTĐCS theo phần trăm số LĐTT của đơn vị (để trống: không áp dụng)"), places=1,
        validators=[Optional(), NumberRange(1, 100, _l("Từ 1 đến 100."))])
    return_days = IntegerField(_l("Trả hồ sơ không hợp lệ trong (ngày làm việc)"), validators=[NumberRange(1, 60)])
    appraisal_days = IntegerField(_l("Thẩm định trong (ngày làm việc)"), validators=[NumberRange(1, 60)])
    forward_days = IntegerField(_l("Gửi quyết định, kết quả trong (ngày làm việc kể từ ngày ký quyết định)"),
                                validators=[NumberRange(1, 60)])
    submit = SubmitField(_l("Lưu thiết lập chung"))
