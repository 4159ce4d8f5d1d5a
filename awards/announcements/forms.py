"""Forms of the staff pages for public review, feedback cases and award decisions; Vietnamese labels and messages.
The services check the rules (what may be published or decided, the review period, the case's state): these forms
only check that each value is there and well formed. The dossiers chosen are checkboxes named `ids`, read by the
views in the order of the page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from awards.announcements.models import CaseAction, CaseOutcome, CaseStatus
from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_DATE, REQUIRED, VnDateField
from awards.core.params import parse_int

PHASE_LABELS = {"upcoming": _l("Sắp công khai"), "open": _l("Đang lấy ý kiến"), "closed": _l("Đã kết thúc")}
CASE_STATUS = CaseStatus.labels()
OUTCOME_LABELS = CaseOutcome.labels()
ACTION_LABELS = CaseAction.labels()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def _date(label, **kw):
    return VnDateField(label, validators=[InputRequired(REQUIRED)], invalid_value_message=BAD_DATE, **kw)


class AnnouncementForm(FlaskForm):
    """A new public list: its title and period; the nominees are the ticked rows."""

    title = StringField(_l("Tiêu đề danh sách"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(300)],
                        description=_l("Ví dụ: Công khai danh sách đề nghị khen thưởng năm 2025."))
    opens_on = _date(_l("Ngày bắt đầu lấy ý kiến"), default=clock.today)
    closes_on = _date(_l("Ngày kết thúc lấy ý kiến"), description=_l("Tính cả ngày bắt đầu và ngày kết thúc."))
    submit = SubmitField(_l("Công khai danh sách"))


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Giao cho cán bộ"), choices=[], validators=[DataRequired(REQUIRED)],
                           invalid_choice_message=BAD_CHOICE)
    assign = SubmitField(_l("Giao xử lý"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Ghi chú xử lý"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(5000)],
                         render_kw={"rows": 3},
                         description=_l("Ví dụ: đã liên hệ người gửi, đã đề nghị đơn vị báo cáo giải trình."))
    note = SubmitField(_l("Thêm ghi chú"))


class ResolveForm(FlaskForm):
    outcome = SelectField(_l("Kết luận"), choices=[SelectChoice(k, v) for k, v in OUTCOME_LABELS.items()],
                          default="dismissed", invalid_choice_message=BAD_CHOICE)
    action = SelectField(_l("Xử lý hồ sơ"), choices=[SelectChoice(k, v) for k, v in ACTION_LABELS.items()],
                         default="none", invalid_choice_message=BAD_CHOICE,
                         description=_l("Chỉ ý kiến có cơ sở mới trả lại hoặc loại hồ sơ; kết quả giải quyết được "
                                        "ghi vào lịch sử hồ sơ làm lý do."))
    resolution = TextAreaField(_l("Kết quả giải quyết"), filters=[_strip],
                               validators=[DataRequired(_l("Cần ghi kết quả giải quyết.")), _max(5000)],
                               render_kw={"rows": 4})
    resolve = SubmitField(_l("Kết thúc xử lý ý kiến"))


class DecisionForm(FlaskForm):
    """A new decision: its number, date, signer and issuer; the recipients are the ticked rows, numbered in the
    gold book in the order of the page."""

    number = StringField(_l("Số quyết định"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(60)],
                         description=_l("Ví dụ: 125/QĐ-SYT."))
    signed_on = _date(_l("Ngày ký"), default=clock.today)
    signer = StringField(_l("Người ký"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(200)],
                         description=_l("Ví dụ: Nguyễn Văn A — Giám đốc."))
    issuer = StringField(_l("Cơ quan ban hành"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(255)])
    # the issuing unit, for a secretariat with no unit (the view sets the choices; bound staff issue in their own)
    unit_code = SelectField(_l("Đơn vị ban hành"), choices=[], default="", invalid_choice_message=BAD_CHOICE,
                            description=_l("Để trống: đơn vị có thẩm quyền đang xử lý các hồ sơ đã chọn."))
    submit = SubmitField(_l("Ban hành quyết định"))




def picked_ids(form_data) -> list[int] | None:
    """The ticked dossiers in page order, once each; None when a value is not a number."""
    ids = []
    for value in form_data.getlist("ids"):
        number = parse_int(value, 1)
        if number is None:
            return None
        if number not in ids:
            ids.append(number)
    return ids
