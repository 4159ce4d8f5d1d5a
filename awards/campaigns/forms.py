"""Forms of the campaign pages; Vietnamese labels and messages. Services check the rules (dates in order,
known award codes, the organizer): these forms only check that each value is there and well formed."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from awards.campaigns.models import CampaignKind, ReviewKind
from awards.campaigns.rules import DATE_RULES
from awards.catalog import services as catalog
from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_DATE, BAD_YEAR, REQUIRED, MultiCheckboxField, VnDateField
from awards.units.picker import UnitCodeField

RICH_TEXT_HELP = _l("Giữ lại định dạng cơ bản: đoạn văn, danh sách, chữ đậm, chữ nghiêng, bảng và liên kết; "
                    "mọi thứ khác (mã lệnh, màu sắc, kiểu chữ) sẽ bị loại bỏ khi lưu.")
KIND_LABELS = CampaignKind.labels()
REVIEW_KIND_LABELS = ReviewKind.labels()
MAX_FIGURES = 6
THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def _date(label, required=True, **kw):
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return VnDateField(label, validators=validators, invalid_value_message=BAD_DATE, **kw)


def award_choices():
    return [SelectChoice(code, f"{award.name}") for code, award in catalog.award_types().items()]


class CampaignForm(FlaskForm):
    """Create or edit a campaign; the organizer is typed (the unit picker), an inactive unit refused unless it is
    already the campaign's."""

    title = StringField(_l("Tên phong trào"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(300)])
    kind = SelectField(_l("Loại phong trào"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                       default="regular", invalid_choice_message=BAD_CHOICE)
    year = IntegerField(_l("Năm"), default=lambda: clock.today().year, validators=[InputRequired(REQUIRED)],
                        invalid_value_message=BAD_YEAR)
    organizer_unit_code = UnitCodeField(_l("Đơn vị phát động"), filters=[_strip], validators=[DataRequired(REQUIRED)],
                                        description=_l("Các đơn vị trực thuộc đơn vị này được mời đăng ký. Gõ vài chữ "
                                                       "của tên hoặc mã đơn vị rồi chọn trong danh sách."))
    starts_on = _date(_l("Ngày bắt đầu"), description=DATE_RULES["starts_on"])
    ends_on = _date(_l("Ngày kết thúc"), description=DATE_RULES["ends_on"])
    registration_deadline = _date(_l("Hạn đăng ký thi đua"), description=DATE_RULES["registration_deadline"])
    nominations_open_on = _date(_l("Ngày mở nhận hồ sơ đề nghị khen thưởng"), required=False,
                                description=DATE_RULES["nominations_open_on"])
    nomination_deadline = _date(_l("Hạn đề nghị khen thưởng"), description=DATE_RULES["nomination_deadline"])
    award_codes = MultiCheckboxField(_l("Danh hiệu, hình thức khen thưởng của phong trào"), choices=award_choices)
    registration_required = BooleanField(_l("Bắt buộc đăng ký mới được đề nghị khen thưởng"))
    theme = TextAreaField(_l("Chủ đề, mục đích"), filters=[_strip], validators=[Optional(), _max(5000)],
                          render_kw={"rows": 3})
    targets_html = TextAreaField(_l("Chỉ tiêu"), validators=[Optional(), _max(50_000)], description=RICH_TEXT_HELP,
                                 render_kw={"rows": 6})
    criteria_html = TextAreaField(_l("Tiêu chí thi đua"), validators=[Optional(), _max(50_000)],
                                  description=RICH_TEXT_HELP, render_kw={"rows": 6})
    document = FileField(_l("Văn bản phát động (PDF, Word, Excel, ảnh)"),
                         description=_l("Không bắt buộc. Chọn tệp mới để thay văn bản đã tải lên."))
    submit = SubmitField(_l("Lưu"))


class ReopenForm(FlaskForm):
    """Let one unit register after the deadline, until a date, for a reason."""

    unit_code = HiddenField(validators=[DataRequired(REQUIRED), _max(40)])
    until = _date(_l("Mở đến hết ngày"))
    reason = TextAreaField(_l("Lý do mở lại"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(2000)])
    submit = SubmitField(_l("Mở lại đăng ký"))


class VnNumberField(DecimalField):
    """A number as Vietnamese write it: 1.200 (thousands) or 12,5 (decimal comma); 12.5 is read too."""

    widget = widgets.TextInput()

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            text = valuelist[0].strip().replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif THOUSANDS.match(text):
                text = text.replace(".", "")
            valuelist = [text]
        super().process_formdata(valuelist)


class FigureForm(Form):
    """One figure of a review: what is counted, and how many."""

    label = StringField(_l("Chỉ số"), filters=[_strip], validators=[Optional(), _max(200)])
    number = VnNumberField(_l("Số liệu"), validators=[Optional()], places=None,
                           invalid_value_message=_l("Số liệu phải là một số, ví dụ 25, 1.200 hoặc 12,5."))


class ReviewForm(FlaskForm):
    kind = SelectField(_l("Loại hội nghị"), choices=[SelectChoice(k, v) for k, v in REVIEW_KIND_LABELS.items()],
                       invalid_choice_message=BAD_CHOICE)
    held_on = _date(_l("Ngày tổ chức"))
    summary = TextAreaField(_l("Tóm tắt kết quả"), validators=[Optional(), _max(50_000)], description=RICH_TEXT_HELP,
                            render_kw={"rows": 6})
    figures = FieldList(FormField(FigureForm), min_entries=MAX_FIGURES, max_entries=MAX_FIGURES)
    report = FileField(_l("Báo cáo sơ kết, tổng kết (PDF, Word, Excel, ảnh)"), description=_l("Không bắt buộc."))
    submit = SubmitField(_l("Lưu"))

    def validate(self, extra_validators=None) -> bool:
        """Each figure needs both its label and its number (a row may also be left empty)."""
        valid = super().validate(extra_validators)
        for entry in self.figures.entries:
            row = entry.form
            if not row.number.errors and bool(row.label.data) != (row.number.data is not None):
                row.number.errors.append(_l("Cần ghi cả tên chỉ số và số liệu."))
                valid = False
        return valid

    def figures_dict(self) -> dict:
        """The filled pairs as label → number (whole numbers stay whole)."""
        result = {}
        for entry in self.figures.entries:
            label, number = entry.form.label.data, entry.form.number.data
            if label and number is not None:
                result[label] = int(number) if number == number.to_integral_value() else float(number)
        return result
