"""The catalog settings form: only what RULES.md marks as settings; the form of an award type an admin adds."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from awards.auth.forms import MultiCheckboxField
from awards.catalog.types import ATTACHMENT_LABELS, VOTING_LABELS
from awards.core.forms import BAD_CHOICE, REQUIRED


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


SUBJECT_CHOICES = [SelectChoice("individual", _l("Cá nhân")), SelectChoice("collective", _l("Tập thể")),
                   SelectChoice("both", _l("Cá nhân và tập thể"))]
FORM_CHOICES = [SelectChoice("commendation", _l("Hình thức khen thưởng")),
                SelectChoice("title", _l("Danh hiệu thi đua"))]
LEVEL_CHOICES = [SelectChoice("grassroots", _l("Cơ sở")), SelectChoice("provincial", _l("Cấp tỉnh")),
                 SelectChoice("ministerial", _l("Cấp bộ (Bộ trưởng)")), SelectChoice("national", _l("Cấp nhà nước"))]


class AwardTypeForm(FlaskForm):
    """An award type an admin adds (issue 25); its conditions are the rows under it (catalog.blocks), read by the
    view from the posted cond-<n>-… fields."""

    code = StringField(_l("Mã (A–Z, 0–9, _)"), validators=[DataRequired(REQUIRED), Length(2, 40)],
                       description=_l("Ví dụ BK_BYT. Không dùng lại mã có sẵn; không đổi được sau khi lưu."))
    name = StringField(_l("Tên loại khen thưởng"), validators=[DataRequired(REQUIRED), Length(3, 200)])
    subject = SelectField(_l("Đối tượng"), choices=SUBJECT_CHOICES, invalid_choice_message=BAD_CHOICE)
    award_form = SelectField(_l("Loại"), choices=FORM_CHOICES, invalid_choice_message=BAD_CHOICE)
    level = SelectField(_l("Cấp"), choices=LEVEL_CHOICES, invalid_choice_message=BAD_CHOICE)
    decided_by = StringField(_l("Người quyết định (ký)"), validators=[Optional(), Length(max=200)],
                             description=_l("Để trống: theo cấp (ví dụ Bộ trưởng)."))
    ballot = SelectField(_l("Cách xét"), choices=[SelectChoice(k, v) for k, v in VOTING_LABELS.items()],
                         invalid_choice_message=BAD_CHOICE, default="none")
    threshold = DecimalField(_l("Tỷ lệ phiếu đồng ý trên tổng số thành viên Hội đồng (phần trăm)"), places=1,
                             validators=[Optional(), NumberRange(1, 100, _l("Từ 1 đến 100."))],
                             description=_l("Chỉ khi Hội đồng bỏ phiếu; để trống: quá nửa."))
    review_days = IntegerField(_l("Số ngày làm việc công khai lấy ý kiến"), default=5,
                               validators=[NumberRange(1, 60, _l("Từ 1 đến 60 ngày."))])
    required_attachments = MultiCheckboxField(_l("Tài liệu bắt buộc trong hồ sơ"), default=["proposal", "report"],
                                              choices=[SelectChoice(k, v) for k, v in ATTACHMENT_LABELS.items()])
    period_years = IntegerField(_l("Thời gian tính thành tích (năm)"), default=1,
                                validators=[NumberRange(1, 10, _l("Từ 1 đến 10 năm."))],
                                description=_l("Một thành tích chỉ khen một lần: lần sau tính từ sau thời gian này."))
    prize_coefficient = DecimalField(_l("Hệ số tiền thưởng (lần mức lương cơ sở)"), places=2,
                                     validators=[Optional(), NumberRange(0.01, 100, _l("Từ 0,01 đến 100."))])
    basis = TextAreaField(_l("Căn cứ (văn bản, điều, khoản)"), validators=[Optional(), Length(max=2000)])
    notes = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Lưu loại khen thưởng"))


class ActiveForm(FlaskForm):
    """Deactivate (or offer again) a stored award type."""

    submit = SubmitField(_l("Lưu"))
