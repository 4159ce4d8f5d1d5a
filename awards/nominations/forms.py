"""Forms of the dossier pages; Vietnamese labels and messages. The services check the rules (the subject's
unit, the award's subject, duplicates, the file's content): these forms only check each value is there."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from awards.catalog import services as catalog
from awards.catalog.types import ATTACHMENT_LABELS
from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_YEAR, REQUIRED, MultiCheckboxField, VnDateField
from awards.nominations.models import NominationKind, NominationRoute, OutsideResult, SubjectType
from awards.units.picker import UnitCodeField

SUBJECT_LABELS = SubjectType.labels()
KIND_LABELS = NominationKind.labels()
ROUTE_LABELS = NominationRoute.labels()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def current_year() -> int:
    """The year whose awards are being considered now: the current year in Vietnam's clock (the year-end review
    of 2026 runs in December 2026)."""
    return clock.today().year


def award_choices():
    return [SelectChoice(code, award.name) for code, award in catalog.award_types().items()]


def individual_award_choices():
    return [SelectChoice(code, award.name) for code, award in catalog.award_types().items()
            if award.for_subject_type("person")]


class NominationForm(FlaskForm):
    """A new draft dossier. One way to pick the subject: the search box `subject_q` (search as you type,
    static/js/subject-search.js) sets `pick` ("person:CODE" or "unit:CODE"); without the script the text typed
    (a code, or "Name (CODE)") is resolved by the view. `subject_type` and `subject_code` are still read when posted
    (older links, scripts)."""

    subject_q = StringField(_l("Cá nhân, tập thể được đề nghị"), filters=[_strip], validators=[_max(300)],
                            description=_l("Gõ vài chữ của họ tên, tên đơn vị hoặc mã, rồi chọn trong danh sách."),
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    pick = HiddenField(filters=[_strip])
    subject_type = HiddenField(default="person", filters=[_strip])
    subject_code = HiddenField(filters=[_strip], validators=[Optional(), _max(40)])
    award_code = SelectField(_l("Danh hiệu, hình thức khen thưởng"), choices=award_choices, default="LDTT",
                             invalid_choice_message=BAD_CHOICE)
    year = IntegerField(_l("Năm xét"), default=current_year, invalid_value_message=BAD_YEAR,
                        validators=[InputRequired(REQUIRED), NumberRange(1945, 2100, BAD_YEAR)])
    kind = SelectField(_l("Loại khen thưởng"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                       default="regular", invalid_choice_message=BAD_CHOICE)
    route = SelectField(_l("Tiêu chuẩn đề nghị theo"), invalid_choice_message=BAD_CHOICE, default="",
                        choices=[SelectChoice("", _l("— Theo loại khen thưởng —")),
                                 *(SelectChoice(k, v) for k, v in ROUTE_LABELS.items())],
                        description=_l("Một trong các tiêu chuẩn của điều luật (Luật TĐKT 2022, Điều 44, 73, 74, "
                                       "75). Để trống: thường xuyên → thành tích liên tục, chuyên đề → phong trào, "
                                       "đột xuất → thành tích đột xuất."))
    campaign_id = SelectField(_l("Phong trào thi đua"), choices=[], invalid_choice_message=BAD_CHOICE,
                              description=_l("Không bắt buộc: chọn nếu đề nghị theo kết quả một phong trào."))
    summary = TextAreaField(_l("Tóm tắt thành tích"), filters=[_strip], validators=[Optional(), _max(20_000)],
                            render_kw={"rows": 5})
    submit = SubmitField(_l("Lập hồ sơ"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        subject_type, _sep, code = (self.pick.data or "").partition(":")
        if self.pick.data and (subject_type not in SUBJECT_LABELS or not code):
            self.subject_q.errors = [*self.subject_q.errors, BAD_CHOICE]
            valid = False
        if self.subject_type.data not in SUBJECT_LABELS:
            self.subject_q.errors = [*self.subject_q.errors, BAD_CHOICE]
            valid = False
        if not self.pick.data and not self.subject_code.data:
            self.subject_q.errors = [*self.subject_q.errors, REQUIRED]
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
                "route": self.route.data or None,
                "campaign_id": int(self.campaign_id.data) if self.campaign_id.data else None}


class AttachmentForm(FlaskForm):
    """One kind, one or several files (each stored on its own through the same upload service)."""

    kind = SelectField(_l("Loại tài liệu"), choices=[SelectChoice(k, v) for k, v in ATTACHMENT_LABELS.items()],
                       invalid_choice_message=BAD_CHOICE)
    file = MultipleFileField(_l("Tệp (PDF, Word, Excel, ảnh)"),
                             description=_l("Chọn được nhiều tệp cùng lúc. Loại tệp được kiểm tra theo nội dung, "
                                            "không theo tên tệp."))
    MAX_FILES = 20

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.files():
            self.file.errors = [*self.file.errors, REQUIRED]
            valid = False
        elif len(self.files()) > self.MAX_FILES:
            self.file.errors = [*self.file.errors, _l("Tối đa %(n)s tệp mỗi lần.", n=self.MAX_FILES)]
            valid = False
        return valid

    def files(self) -> list:
        """The chosen files (a browser sends one empty part when none is chosen)."""
        return [f for f in (self.file.data or []) if getattr(f, "filename", None)]
    upload = SubmitField(_l("Tải lên"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Lý do rút hồ sơ"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(5000)],
                           render_kw={"rows": 2})
    withdraw = SubmitField(_l("Rút hồ sơ"))


class BulkChooseForm(FlaskForm):
    """The GET form of the bulk page: which campaign (choices set by the view), unit (typed: the unit picker, among
    the units the user acts for) and award."""

    class Meta:
        csrf = False

    campaign_id = SelectField(_l("Phong trào thi đua"), choices=[], invalid_choice_message=BAD_CHOICE)
    unit_code = UnitCodeField(_l("Đơn vị"), scope="writable", active_only=False, validators=[DataRequired(REQUIRED)],
                              description=_l("Gõ vài chữ của tên hoặc mã đơn vị rồi chọn trong danh sách."))
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


class ForwardForm(FlaskForm):
    """"Trình cấp trên": the ticked dossiers (`ids`, read by the view) and the note each one's history keeps."""

    note = TextAreaField(_l("Ghi chú (số, ngày tờ trình…)"), filters=[_strip], validators=[Optional(), _max(5000)],
                         render_kw={"rows": 2},
                         description=_l("Để trống: hệ thống ghi “Trình” và tên cấp nhận hồ sơ."))
    forward = SubmitField(_l("Trình cấp trên"))


class OutcomeForm(FlaskForm):
    """The answer from outside for one dossier or the ticked ones: the service checks what each result needs (an
    award: number, date, issuer; a refusal: its reason) and the file's content."""

    result = RadioField(_l("Kết quả"), choices=[SelectChoice(k, v) for k, v in OutsideResult.labels().items()],
                        default="awarded", validators=[InputRequired(REQUIRED)], invalid_choice_message=BAD_CHOICE)
    decision_number = StringField(_l("Số quyết định (hoặc số văn bản trả lời)"), filters=[_strip],
                                  validators=[Optional(), _max(60)])
    decision_date = VnDateField(_l("Ngày quyết định"), validators=[Optional()])
    issuer = StringField(_l("Cơ quan, người ban hành"), filters=[_strip], validators=[Optional(), _max(255)],
                         description=_l("Ví dụ: Chủ tịch UBND tỉnh. Được ghi vào kho lưu trữ và kết quả công khai."))
    reason = TextAreaField(_l("Lý do không khen thưởng"), filters=[_strip], validators=[Optional(), _max(5000)],
                           render_kw={"rows": 2}, description=_l("Bắt buộc khi cấp trên không khen thưởng."))
    file = FileField(_l("Tệp quyết định (PDF hoặc ảnh)"),
                     description=_l("Bản chụp hoặc bản PDF của quyết định; lưu một lần, gắn vào mọi hồ sơ được "
                                    "trả lời. Loại tệp được kiểm tra theo nội dung."))
    record = SubmitField(_l("Ghi kết quả"))

    def upload(self) -> tuple[bytes | None, str]:
        """(bytes, name) of the chosen file, or (None, "") when none was chosen."""
        chosen = self.file.data
        if chosen is None or not getattr(chosen, "filename", None):
            return None, ""
        return chosen.read(), chosen.filename

    def values(self) -> dict:
        data, name = self.upload()
        return {"result": self.result.data, "decision_number": self.decision_number.data or "",
                "decision_date": self.decision_date.data, "issuer": self.issuer.data or "",
                "reason": self.reason.data or "", "file": data, "filename": name}
