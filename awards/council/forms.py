"""Forms of the council pages; Vietnamese labels and messages. The services check the rules (accounts that may
sit on a council, the voting window, the agenda): these forms only check that each value is there and well formed.

Times are typed in Vietnam time (datetime-local inputs carry no zone) and come back aware."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_DATE, REQUIRED, VnDateField
from awards.core.params import parse_int
from awards.core.text import fold
from awards.council.models import BallotKind, MemberRole, RecusalScope, SessionStatus
from awards.units.picker import UnitCodeField

ROLE_LABELS = MemberRole.labels()
SESSION_STATUS = SessionStatus.labels()
BALLOT_LABELS = BallotKind.labels()
RECUSAL_LABELS = RecusalScope.labels()
# what a seat line may say for its role, folded: the codes and the Vietnamese names (with common variants)
ROLE_WORDS = {"chair": "chair", "vice_chair": "vice_chair", "member": "member", "secretary": "secretary",
              "chu tich": "chair", "pho chu tich": "vice_chair", "uy vien": "member", "thanh vien": "member",
              "uy vien thu ky": "secretary", "thu ky": "secretary"}
BAD_TIME = _l("Thời điểm không hợp lệ: chọn ngày và giờ.")
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
USERNAME = re.compile(r"^\S{1,80}$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


def _moment(label, required=True, **kw):
    """A datetime-local input read as Vietnam time."""
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return DateTimeLocalField(label, validators=validators, format=TIME_FORMATS, tz=clock.VIETNAM,
                              invalid_value_message=BAD_TIME, **kw)


def role_of(word: str) -> str | None:
    """The role a seat line names, in Vietnamese (with or without diacritics), English or as a code."""
    folded = fold(word).replace("_", " ")
    for key, role in ROLE_WORDS.items():
        if folded == key.replace("_", " "):
            return role
    for role, label in ROLE_LABELS.items():
        if folded == fold(str(label)):
            return role
    return None


def parse_seats(text: str) -> list[tuple[str, str]]:
    """'username role' lines (role optional: Ủy viên) → [(username, role)]; ValueError names the bad line."""
    seats = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().strip(",;")
        if not line:
            continue
        parts = line.split(None, 1)
        username, word = parts[0], parts[1] if len(parts) > 1 else ""
        role = role_of(word) if word else "member"
        if role is None:
            raise ValueError(_l("Dòng %(n)s: vai trò “%(r)s” không hợp lệ (ghi Phó Chủ tịch, Ủy viên hoặc "
                                "Ủy viên thư ký).", n=number, r=word))
        if role == "chair":
            raise ValueError(_l("Dòng %(n)s: Chủ tịch Hội đồng ghi ở ô “Chủ tịch Hội đồng”.", n=number))
        seats.append((username, role))
    return seats


class CouncilForm(FlaskForm):
    """Create or edit a council: its unit is typed (the unit picker), an inactive one refused unless it is already
    the council's; its chair and seats are usernames, typed or found with the account picker
    (templates/_macros/account_picker.html), which only fills these fields: parse_seats and the service judge them."""

    code = StringField(_l("Mã hội đồng"), filters=[_strip], description=_l("Ví dụ: HD-SYT-2026."),
                       validators=[DataRequired(REQUIRED), _max(40), Regexp(
                           r"^[A-Za-z0-9._-]+$", message=_l("Mã chỉ gồm chữ không dấu, chữ số và các dấu - _ ."))])
    name = StringField(_l("Tên hội đồng"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(300)])
    unit_code = UnitCodeField(_l("Cấp tư vấn (đơn vị)"), filters=[_strip], validators=[DataRequired(REQUIRED)])
    term_from = VnDateField(_l("Nhiệm kỳ từ ngày"), validators=[Optional()], invalid_value_message=BAD_DATE)
    term_to = VnDateField(_l("Nhiệm kỳ đến ngày"), validators=[Optional()], invalid_value_message=BAD_DATE)
    chair_username = StringField(_l("Chủ tịch Hội đồng (tên đăng nhập)"), filters=[_strip],
                                 validators=[DataRequired(REQUIRED), _max(80)], render_kw={"autocomplete": "off"})
    seats = TextAreaField(_l("Các thành viên khác"), filters=[_strip], validators=[Optional(), _max(20_000)],
                          render_kw={"rows": 8, "spellcheck": "false"},
                          description=_l("Mỗi dòng một người: tên đăng nhập, dấu cách, rồi vai trò (Phó Chủ tịch, "
                                         "Ủy viên, Ủy viên thư ký). Bỏ trống vai trò là Ủy viên."))
    recusal_scope = SelectField(_l("Tự động tránh xung đột lợi ích"), default="unit",
                                choices=[SelectChoice(k, v) for k, v in RECUSAL_LABELS.items()],
                                invalid_choice_message=BAD_CHOICE,
                                description=_l("Ai không tham gia biểu quyết một hồ sơ: luật không quy định, Hội đồng "
                                               "tự chọn. Thành viên tự khai thêm lý do khác khi bỏ phiếu."))
    recused_count = BooleanField(_l("Thành viên tránh xung đột lợi ích vẫn tính vào tổng số thành viên khi tính tỷ "
                                    "lệ 90%, 80%"), default=True,
                                 description=_l("Mặc định theo lời văn của luật: “tổng số thành viên Hội đồng”."))
    submit = SubmitField(_l("Lưu"))

    def validate_chair_username(self, field):
        if field.data and not USERNAME.match(field.data):
            raise ValidationError(_l("Tên đăng nhập không có dấu cách."))

    def validate_seats(self, field):
        try:
            parse_seats(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc.args[0])) from None


class SessionForm(FlaskForm):
    """A new session (its council chosen here) or the title and voting window of one."""

    council_id = SelectField(_l("Hội đồng"), choices=[], validators=[DataRequired(REQUIRED)],
                             invalid_choice_message=BAD_CHOICE)
    title = StringField(_l("Tên phiên họp"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(300)],
                        description=_l("Ví dụ: Phiên xét danh hiệu thi đua năm 2025."))
    opens_at = _moment(_l("Bắt đầu bỏ phiếu"), required=False,
                       description=_l("Giờ Việt Nam. Để trống: từ lúc bấm “Mở bỏ phiếu”."))
    closes_at = _moment(_l("Hạn bỏ phiếu"), description=_l("Giờ Việt Nam."))
    submit = SubmitField(_l("Lưu"))


class WindowForm(FlaskForm):
    """The title and voting window of an existing session."""

    title = StringField(_l("Tên phiên họp"), filters=[_strip], validators=[DataRequired(REQUIRED), _max(300)])
    opens_at = _moment(_l("Bắt đầu bỏ phiếu"), required=False,
                       description=_l("Giờ Việt Nam. Để trống: từ lúc bấm “Mở bỏ phiếu”."))
    closes_at = _moment(_l("Hạn bỏ phiếu"), description=_l("Giờ Việt Nam."))
    submit = SubmitField(_l("Lưu thời gian"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class CloseForm(FlaskForm):
    confirm = BooleanField(_l("Tôi xác nhận kết thúc bỏ phiếu: sau khi kết thúc, không thành viên nào bỏ phiếu "
                              "được nữa và kết quả được kiểm ngay."),
                           validators=[DataRequired(_l("Hãy đánh dấu ô xác nhận trước khi kết thúc bỏ phiếu."))])
    submit = SubmitField(_l("Kết thúc bỏ phiếu"))


class BallotForm(FlaskForm):
    """The ballot: the choices are radio buttons named vote-<dossier id>, read by the view."""

    confirm = BooleanField(_l("Tôi đã xem lại lựa chọn của mình và hiểu rằng phiếu đã bỏ không sửa được."),
                           validators=[DataRequired(_l("Hãy đánh dấu ô xác nhận trước khi gửi phiếu."))])
    submit = SubmitField(_l("Gửi phiếu"))


class RecusalForm(FlaskForm):
    nomination_id = HiddenField(validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(_l("Lý do không tham gia biểu quyết"), filters=[_strip],
                           validators=[DataRequired(_l("Cần ghi lý do.")), _max(2000)], render_kw={"rows": 2},
                           description=_l("Ví dụ: người được đề nghị là người thân của tôi."))
    submit = SubmitField(_l("Tránh xung đột lợi ích"))

    def validate_nomination_id(self, field):
        if parse_int(field.data, 1) is None:
            raise ValidationError(BAD_CHOICE)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Ý kiến của bạn"), filters=[_strip],
                         validators=[DataRequired(REQUIRED), _max(5000)], render_kw={"rows": 3})
    submit = SubmitField(_l("Gửi ý kiến"))


class SecondRoundForm(FlaskForm):
    """The dossiers to vote on again are checkboxes named ids, read by the view."""

    closes_at = _moment(_l("Hạn bỏ phiếu vòng sau"), description=_l("Giờ Việt Nam. Vòng sau mở ngay khi lập."))
    submit = SubmitField(_l("Mở vòng bỏ phiếu tiếp theo"))



