"""Forms for units, people, their yearly facts and the Excel import; messages in Vietnamese."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from awards.core.db import utcnow
from awards.core.forms import BAD_CHOICE, BAD_DATE, BAD_YEAR, REQUIRED, VnDateField
from awards.units.models import (
    DISCIPLINE_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
    PROCEEDING_LABELS,
    RATING_LABELS,
    SCOPE_LABELS,
    SUCCESSION_LABELS,
    UNIT_KIND_LABELS,
)
from awards.units.picker import UnitCodeField

CODE_PATTERN = r"^[A-Za-z0-9._-]+$"
CODE_MESSAGE = _l("Chỉ dùng chữ cái không dấu, chữ số, dấu gạch ngang, gạch dưới hoặc dấu chấm.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def _labels(labels: dict) -> list[tuple[str, str]]:
    return [SelectChoice(str(key), label) for key, label in labels.items()]


def _code_field(label):
    return StringField(label, filters=[_strip], validators=[
        DataRequired(REQUIRED), _max(40),
        Regexp(CODE_PATTERN, message=CODE_MESSAGE)])


def _year_field():
    return IntegerField(_l("Năm"), default=lambda: utcnow().year, validators=[InputRequired(REQUIRED)],
                        invalid_value_message=BAD_YEAR)


def _select(label, labels: dict, **kw):
    return SelectField(label, choices=_labels(labels), invalid_choice_message=BAD_CHOICE, **kw)


class UnitForm(FlaskForm):
    """Fields shared by creating and editing a unit; the parent is typed (the unit picker), the service refuses a
    parent below the unit itself."""

    name = StringField(_l("Tên đơn vị"), filters=[_strip],
                       validators=[DataRequired(REQUIRED), _max(255)])
    parent_code = UnitCodeField(_l("Đơn vị cấp trên"), default="", filters=[_strip],
                                description=_l("Gõ vài chữ của tên hoặc mã đơn vị cấp trên rồi chọn trong danh sách; "
                                               "để trống nếu là đơn vị cao nhất."))
    kind = _select(_l("Loại đơn vị"), UNIT_KIND_LABELS, default="other")
    grassroots = BooleanField(_l("Là đơn vị cơ sở (được bình xét danh hiệu cấp cơ sở)"))
    # the statistics forms (biểu 0602.N, 0603.N of TT 02/2023/TT-BNV) count these collectives apart
    enterprise = BooleanField(_l("Là doanh nghiệp (bệnh viện, phòng khám tư nhân, công ty…)"))
    foreign_organisation = BooleanField(_l("Là tổ chức nước ngoài (khen thưởng đối ngoại)"))
    # shown to the admin only (the view): who decides awards is the admin's setting (issue 18)
    decides_awards = BooleanField(
        _l("Có thẩm quyền khen thưởng (có tư cách pháp nhân, có Hội đồng Thi đua – Khen thưởng riêng)"),
        description=_l("Hồ sơ của đơn vị này và các đơn vị trực thuộc do bộ phận thường trực của đơn vị này xét. "
                       "Đơn vị cao nhất luôn được đánh dấu khi tạo."))
    submit = SubmitField(_l("Lưu"))


class UnitCreateForm(UnitForm):
    code = _code_field(_l("Mã đơn vị"))


class UnitEditForm(UnitForm):
    active = BooleanField(_l("Đang hoạt động"), default=True)


class PersonForm(FlaskForm):
    """Fields shared by creating and editing a person; the unit is typed (the unit picker) among those the user
    acts for."""

    full_name = StringField(_l("Họ và tên"), filters=[_strip],
                            validators=[DataRequired(REQUIRED), _max(200)])
    gender = _select(_l("Giới tính"), GENDER_LABELS, validators=[DataRequired(REQUIRED)])
    birth_date = VnDateField(_l("Ngày sinh"), validators=[Optional()], invalid_value_message=BAD_DATE)
    sector_start_date = VnDateField(_l("Ngày vào ngành"), validators=[Optional()], invalid_value_message=BAD_DATE,
                                    description=_l("Tính thời gian công tác cho khen thưởng theo số năm công tác "
                                                   "(ví dụ Kỷ niệm chương)."))
    ethnicity = StringField(_l("Dân tộc"), default="Kinh", filters=[_strip],
                            validators=[Optional(), _max(60)])
    ethnic_minority = BooleanField(_l("Người dân tộc thiểu số"))
    # the units the user may write to; one outside them is refused on the field with a 403
    unit_code = UnitCodeField(_l("Đơn vị"), scope="writable", validators=[DataRequired(REQUIRED)])
    position = StringField(_l("Chức vụ"), filters=[_strip],
                           validators=[Optional(), _max(200)])
    frontline = BooleanField(_l("Trực tiếp công tác tuyến đầu (chống dịch, cấp cứu…)"))
    # the rows of the statistics forms (biểu 0602.N, 0603.N of TT 02/2023/TT-BNV)
    occupation_group = SelectField(_l("Nhóm đối tượng (biểu thống kê)"),
                                   choices=[SelectChoice("", _l("— Chưa xác định —")),
                                            *_labels(OCCUPATION_LABELS)],
                                   invalid_choice_message=BAD_CHOICE, validators=[Optional()])
    foreign_national = BooleanField(_l("Người nước ngoài (khen thưởng đối ngoại)"))
    submit = SubmitField(_l("Lưu"))


class PersonCreateForm(PersonForm):
    code = _code_field(_l("Mã cá nhân"))


class PersonEditForm(PersonForm):
    active = BooleanField(_l("Đang công tác"), default=True)


class EvaluationForm(FlaskForm):
    """A yearly rating, for a person or a unit."""

    year = _year_field()
    rating = _select(_l("Mức độ hoàn thành nhiệm vụ"), RATING_LABELS, validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Thêm xếp loại"))


class DisciplineForm(FlaskForm):
    """A disciplinary decision on a person or a collective."""

    year = _year_field()
    level = _select(_l("Hình thức kỷ luật"), DISCIPLINE_LABELS, validators=[DataRequired(REQUIRED)])
    decided_on = VnDateField(_l("Ngày quyết định"), validators=[InputRequired(REQUIRED)],
                           invalid_value_message=BAD_DATE)
    ends_on = VnDateField(_l("Hết thời hạn thi hành kỷ luật"), validators=[Optional()], invalid_value_message=BAD_DATE,
                        description=_l("Để trống: 12 tháng (khiển trách, cảnh cáo) hoặc 24 tháng (giáng chức, cách "
                                       "chức) kể từ ngày quyết định; buộc thôi việc không có thời hạn."))
    note = TextAreaField(_l("Ghi chú"), filters=[_strip],
                         validators=[Optional(), _max(2000)])
    submit = SubmitField(_l("Thêm kỷ luật"))


class InitiativeForm(FlaskForm):
    year = _year_field()
    title = StringField(_l("Tên sáng kiến / đề tài"), filters=[_strip],
                        validators=[DataRequired(REQUIRED), _max(500)])
    scope = _select(_l("Phạm vi công nhận"), SCOPE_LABELS, validators=[DataRequired(REQUIRED)])
    recognised_on = VnDateField(_l("Ngày công nhận"), validators=[Optional()], invalid_value_message=BAD_DATE)
    submit = SubmitField(_l("Thêm sáng kiến"))


class RaiseScopeForm(FlaskForm):
    """A wider recognition of an initiative already recorded: a new row, the earlier one kept."""

    scope = _select(_l("Phạm vi công nhận mới"), SCOPE_LABELS, validators=[DataRequired(REQUIRED)])
    recognised_on = VnDateField(_l("Ngày công nhận"), validators=[InputRequired(REQUIRED)],
                              invalid_value_message=BAD_DATE)
    submit = SubmitField(_l("Ghi nhận phạm vi mới"))


class ProceedingForm(FlaskForm):
    """Open a discipline review, an inspection or a complaint being verified: awards freeze while it is open."""

    kind = _select(_l("Loại việc"), PROCEEDING_LABELS, validators=[DataRequired(REQUIRED)])
    opened_on = VnDateField(_l("Từ ngày"), validators=[InputRequired(REQUIRED)], invalid_value_message=BAD_DATE)
    note = TextAreaField(_l("Nội dung, căn cứ"), filters=[_strip], validators=[Optional(), _max(2000)])
    submit = SubmitField(_l("Ghi nhận"))


class SuccessionForm(FlaskForm):
    """A reorganisation of this unit: who took over from it, how and from when (issue 18)."""

    kind = _select(_l("Hình thức sắp xếp"), SUCCESSION_LABELS, validators=[DataRequired(REQUIRED)])
    successor_code = StringField(_l("Mã đơn vị kế thừa"), filters=[_strip], validators=[
        DataRequired(REQUIRED), _max(40), Regexp(CODE_PATTERN, message=CODE_MESSAGE)],
        description=_l("Đổi tên hoặc chuyển cơ quan quản lý mà giữ nguyên mã: nhập mã của chính đơn vị này."))
    effective_on = VnDateField(_l("Có hiệu lực từ ngày"), validators=[InputRequired(REQUIRED)],
                               invalid_value_message=BAD_DATE)
    decision = StringField(_l("Số quyết định"), filters=[_strip], validators=[Optional(), _max(200)])
    note = TextAreaField(_l("Ghi chú"), filters=[_strip], validators=[Optional(), _max(2000)])
    submit = SubmitField(_l("Ghi nhận sắp xếp"))


class CloseProceedingForm(FlaskForm):
    closed_on = VnDateField(_l("Kết thúc ngày"), validators=[InputRequired(REQUIRED)], invalid_value_message=BAD_DATE)
    closing_note = TextAreaField(_l("Kết quả"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(2000)])
    submit = SubmitField(_l("Kết thúc"))


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp bảng tính (.xlsx, .xls, .ods)"), validators=[
        FileRequired(_l("Hãy chọn một tệp bảng tính (.xlsx, .xls hoặc .ods).")),
        FileAllowed(["xlsx", "xls", "ods"], _l("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc LibreOffice Calc (.ods)."))])
    dry_run = BooleanField(_l("Chỉ kiểm tra, chưa lưu"))
    submit = SubmitField(_l("Nhập dữ liệu"))


class CompetenceForm(FlaskForm):
    """A unit's competence table: the ticked award codes are read by the view (checkboxes named award_codes)."""

    submit = SubmitField(_l("Lưu thẩm quyền"))
    restore = SubmitField(_l("Khôi phục mặc định"))
