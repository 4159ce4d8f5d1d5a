"""Forms of the archive pages; Vietnamese labels and messages."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from awards.catalog import services as catalog
from awards.core.forms import BAD_DATE, BAD_YEAR, REQUIRED, VnDateField
from awards.core.params import int_arg


def award_choices():
    return [SelectChoice(code, award.name) for code, award in catalog.award_types().items()]


def subject_choices():
    return [SelectChoice("person", _l("Cá nhân")), SelectChoice("unit", _l("Tập thể"))]


def _period_field(label):
    return IntegerField(label, validators=[Optional(), NumberRange(1945, 2100, message=BAD_YEAR)],
                        invalid_value_message=BAD_YEAR)


PERIOD_HELP = _l("Thời gian đạt thành tích ghi trong quyết định (NĐ 98/2023, Điều 30 khoản 9). Để trống: theo "
                 "mặc định của danh hiệu (chuỗi năm kết thúc ở năm được khen).")


def kind_choices():
    return [SelectChoice("regular", _l("Thường xuyên")), SelectChoice("adhoc", _l("Đột xuất")),
            SelectChoice("thematic", _l("Theo chuyên đề"))]


class RecordForm(FlaskForm):
    """Enter an award given outside the system (by hand)."""

    subject_type = SelectField(_l("Loại đối tượng"), choices=subject_choices)
    subject_code = StringField(_l("Mã đối tượng"), validators=[DataRequired(REQUIRED), Length(max=40)],
                               description=_l("Mã cá nhân hoặc mã đơn vị."))
    award_code = SelectField(_l("Danh hiệu / hình thức khen thưởng"), choices=award_choices)
    year = IntegerField(_l("Năm"), validators=[DataRequired(BAD_YEAR)])
    kind = SelectField(_l("Loại khen thưởng"), choices=kind_choices, default="regular")
    decision_number = StringField(_l("Số quyết định"), validators=[DataRequired(REQUIRED), Length(max=60)])
    decision_date = VnDateField(_l("Ngày quyết định"), validators=[DataRequired(BAD_DATE)])
    issuer = StringField(_l("Cơ quan ban hành"), validators=[DataRequired(REQUIRED), Length(max=255)])
    gold_book_number = StringField(_l("Số sổ vàng"), validators=[Optional(), Length(max=40)])
    period_from = _period_field(_l("Thành tích từ năm"))
    period_to = _period_field(_l("Thành tích đến năm"))
    published = BooleanField(_l("Công bố trên trang tra cứu công khai"), default=True)
    submit = SubmitField(_l("Ghi vào kho lưu trữ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_to.description = PERIOD_HELP


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Lý do thu hồi (Luật TĐKT Điều 93)"), validators=[DataRequired(REQUIRED),
                                                                              Length(max=2000)])
    decision_number = StringField(_l("Số quyết định thu hồi"), validators=[DataRequired(REQUIRED), Length(max=60)])
    decision_date = VnDateField(_l("Ngày quyết định thu hồi"), validators=[DataRequired(BAD_DATE)])
    submit = SubmitField(_l("Thu hồi khen thưởng"))


class CorrectForm(FlaskForm):
    decision_number = StringField(_l("Số quyết định"), validators=[DataRequired(REQUIRED), Length(max=60)])
    decision_date = VnDateField(_l("Ngày quyết định"), validators=[DataRequired(BAD_DATE)])
    issuer = StringField(_l("Cơ quan ban hành"), validators=[DataRequired(REQUIRED), Length(max=255)])
    gold_book_number = StringField(_l("Số sổ vàng"), validators=[Optional(), Length(max=40)])
    period_from = _period_field(_l("Thành tích từ năm"))
    period_to = _period_field(_l("Thành tích đến năm"))
    reason = TextAreaField(_l("Lý do đính chính"), validators=[DataRequired(REQUIRED), Length(max=2000)])
    submit = SubmitField(_l("Đính chính"))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_submitted():  # a record from before periods shows its default
            self.period_from.data, self.period_to.data = obj.period


class EligibilityForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    subject_type = SelectField(_l("Loại đối tượng"), choices=subject_choices)
    subject_code = StringField(_l("Mã đối tượng"), validators=[DataRequired(REQUIRED), Length(max=40)])
    award_code = SelectField(_l("Danh hiệu / hình thức khen thưởng"), choices=award_choices)
    year = IntegerField(_l("Năm xét"), validators=[DataRequired(BAD_YEAR), NumberRange(1945, 2100)])
    kind = SelectField(_l("Loại khen thưởng"), choices=kind_choices, default="regular")


class OverrideForm(FlaskForm):
    rule = StringField(validators=[DataRequired(REQUIRED), Length(max=60)])
    reason = TextAreaField(_l("Lý do vượt qua dòng điều kiện này"), validators=[DataRequired(REQUIRED),
                                                                              Length(max=2000)])
    submit = SubmitField(_l("Ghi ý kiến thẩm định"))


SEARCH_FILTERS = ("q", "award_code", "year", "unit_code", "subject_type", "sort")


def search_args() -> dict:
    """The search filters of the query string, shared by the search page and its Excel export."""
    args = {name: request.args.get(name, "").strip() for name in SEARCH_FILTERS}
    args["year"] = int_arg("year")
    return {k: v for k, v in args.items() if v}
