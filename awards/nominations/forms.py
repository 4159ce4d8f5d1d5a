"""Forms of the dossier pages; Vietnamese labels and messages. The services check the rules (the subject's
unit, the award's subject, duplicates, the file's content): these forms only check each value is there."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from awards.catalog.types import ATTACHMENT_LABELS, DEFAULTS, INDIVIDUAL
from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_YEAR, REQUIRED, MultiCheckboxField
from awards.nominations.models import NominationKind, SubjectType

SUBJECT_LABELS = SubjectType.labels()
KIND_LABELS = NominationKind.labels()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def last_year() -> int:
    return clock.today().year - 1


def award_choices():
    return [SelectChoice(code, award.name) for code, award in DEFAULTS.items()]


def individual_award_choices():
    return [SelectChoice(code, award.name) for code, award in DEFAULTS.items() if award.subject == INDIVIDUAL]


class NominationForm(FlaskForm):
    """A new draft dossier. `pick` (people and units the officer acts for, set by the view) fills the subject
    in one choice; otherwise the subject type and code are typed."""

    pick = SelectField(_l("Chọn cá nhân, tập thể của đơn vị"), choices=[], validate_choice=False,
                       description=_l("Hoặc để trống và nhập mã đối tượng bên dưới."))
    subject_type = SelectField(_l("Loại đối tượng"), choices=[SelectChoice(k, v) for k, v in SUBJECT_LABELS.items()],
                               default="person", invalid_choice_message=BAD_CHOICE)
    subject_code = StringField(_l("Mã đối tượng"), filters=[_strip], validators=[Optional(), _max(40)],
                               description=_l("Mã cá nhân (ví dụ CB001) hoặc mã đơn vị."))
    award_code = SelectField(_l("Danh hiệu, hình thức khen thưởng"), choices=award_choices, default="LDTT",
                             invalid_choice_message=BAD_CHOICE)
    year = IntegerField(_l("Năm xét"), default=last_year, invalid_value_message=BAD_YEAR,
                        validators=[InputRequired(REQUIRED), NumberRange(1945, 2100, BAD_YEAR)])
    kind = SelectField(_l("Loại khen thưởng"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                       default="regular", invalid_choice_message=BAD_CHOICE)
    campaign_id = SelectField(_l("Phong trào thi đua"), choices=[], invalid_choice_message=BAD_CHOICE,
                              description=_l("Không bắt buộc: chọn nếu đề nghị theo kết quả một phong trào."))
    summary = TextAreaField(_l("Tóm tắt thành tích"), filters=[_strip], validators=[Optional(), _max(20_000)],
                            render_kw={"rows": 5})
    submit = SubmitField(_l("Lập hồ sơ"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.pick.data and self.pick.data not in {c[0] for c in self.pick.choices}:
            self.pick.errors = [*self.pick.errors, BAD_CHOICE]
            valid = False
        if not self.pick.data and not self.subject_code.data:
            self.subject_code.errors = [*self.subject_code.errors, REQUIRED]
            valid = False
        return valid

    def subject(self) -> tuple[str, str]:
        """(subject_type, subject_code): the picked one, or the typed one."""
        if self.pick.data:
            subject_type, _sep, code = self.pick.data.partition(":")
            return subject_type, code
        return self.subject_type.data, self.subject_code.data

    def values(self) -> dict:
        subject_type, subject_code = self.subject()
        return {"subject_type": subject_type, "subject_code": subject_code, "award_code": self.award_code.data,
                "year": self.year.data, "kind": self.kind.data, "summary": self.summary.data or "",
                "campaign_id": int(self.campaign_id.data) if self.campaign_id.data else None}


class AttachmentForm(FlaskForm):
    kind = SelectField(_l("Loại tài liệu"), choices=[SelectChoice(k, v) for k, v in ATTACHMENT_LABELS.items()],
                       invalid_choice_message=BAD_CHOICE)
    file = FileField(_l("Tệp (PDF, Word, Excel, ảnh)"), validators=[DataRequired(REQUIRED)],
                     description=_l("Loại tệp được kiểm tra theo nội dung, không theo tên tệp."))
    upload = SubmitField(_l("Tải lên"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Lý do rút hồ sơ"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(5000)],
                           render_kw={"rows": 2})
    withdraw = SubmitField(_l("Rút hồ sơ"))


class BulkChooseForm(FlaskForm):
    """The GET form of the bulk page: which campaign, unit and award (choices set by the view)."""

    class Meta:
        csrf = False

    campaign_id = SelectField(_l("Phong trào thi đua"), choices=[], invalid_choice_message=BAD_CHOICE)
    unit_code = SelectField(_l("Đơn vị"), choices=[], invalid_choice_message=BAD_CHOICE)
    award_code = SelectField(_l("Danh hiệu"), choices=individual_award_choices, default="LDTT",
                             invalid_choice_message=BAD_CHOICE)


class BulkCreateForm(FlaskForm):
    """The POST form: the ticked people of the registration (choices set by the view)."""

    campaign_id = HiddenField(validators=[DataRequired(REQUIRED)])
    unit_code = HiddenField(validators=[DataRequired(REQUIRED)])
    award_code = HiddenField(validators=[DataRequired(REQUIRED)])
    people = MultiCheckboxField(_l("Người được lập hồ sơ"), choices=[],
                                validators=[DataRequired(_l("Chọn ít nhất một người."))])
    create = SubmitField(_l("Lập hồ sơ cho những người đã chọn"))
