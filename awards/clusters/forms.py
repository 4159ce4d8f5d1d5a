"""Forms of the cluster pages; Vietnamese labels and messages. They check that each value is there and well
formed; the services check the rules (members, maximum points, states)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from awards.clusters.models import ClusterKind, ProposedAward
from awards.core import clock
from awards.core.forms import BAD_CHOICE, BAD_DATE, BAD_YEAR, REQUIRED, VnDateField
from awards.units.picker import UnitCodeField, UnitCodesField

KIND_LABELS = ClusterKind.labels()
BAD_NUMBER = _l("Phải là một số, ví dụ 10 hoặc 7,5.")
CRITERIA_HELP = _l("Mỗi dòng một tiêu chí: Nhóm | Nội dung tiêu chí | Trọng số | Điểm tối đa. Ví dụ: "
                   "“Chuyên môn | Hoàn thành chỉ tiêu khám chữa bệnh | 2 | 10”. Số thập phân viết 7,5 hoặc 7.5.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def parse_number(text) -> float | None:
    """A number as typed in Vietnamese (7,5) or not (7.5); None when it is not one."""
    text = (text or "").strip().replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # NaN and ∞ are not points


class ClusterForm(FlaskForm):
    """Create or edit a draft cụm, khối; its units are typed (the unit picker: codes, or chosen as the user types),
    the service checks the rest (at least two members, the leader among them)."""

    name = StringField(_l("Tên cụm, khối thi đua"), filters=[_strip],
                       validators=[DataRequired(REQUIRED), Length(max=300)])
    kind = SelectField(_l("Loại"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="cluster",
                       invalid_choice_message=BAD_CHOICE)
    year = IntegerField(_l("Năm"), default=lambda: clock.today().year, validators=[InputRequired(REQUIRED)],
                        invalid_value_message=BAD_YEAR)
    member_codes = UnitCodesField(_l("Đơn vị thành viên"))
    leader_code = UnitCodeField(_l("Trưởng cụm, khối (luân phiên hằng năm)"), filters=[_strip],
                                description=_l("Một trong các đơn vị thành viên; có thể chọn sau."))
    submit = SubmitField(_l("Lưu"))


class CriteriaForm(FlaskForm):
    """The pledge's scored criteria, one per line."""

    criteria = TextAreaField(_l("Tiêu chí chấm điểm của giao ước"), description=CRITERIA_HELP,
                             validators=[DataRequired(REQUIRED), Length(max=50_000)], render_kw={"rows": 10})
    submit = SubmitField(_l("Lưu tiêu chí"))
    items: list[dict] = []

    def validate_criteria(self, field) -> None:
        items = []
        for number, line in enumerate(field.data.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 4:
                raise ValidationError(_l("Dòng %(n)s: cần đủ 4 phần ngăn cách bằng “|”.", n=number))
            weight, most = parse_number(parts[2]), parse_number(parts[3])
            if weight is None or most is None:
                raise ValidationError(_l("Dòng %(n)s: trọng số và điểm tối đa phải là số.", n=number))
            items.append({"group": parts[0], "text": parts[1], "weight": weight, "max_points": most})
        self.items = items

    @staticmethod
    def text_of(criteria) -> str:
        return "\n".join(f"{c.group} | {c.text} | {c.weight:g} | {c.max_points:g}" for c in criteria)


class SignForm(FlaskForm):
    signer_name = StringField(_l("Người ký (họ tên, chức vụ)"), filters=[_strip], validators=[Length(max=200)])
    submit = SubmitField(_l("Ký giao ước"))


def score_form(criteria, points: dict[int, float]):
    """A form with one points field per criterion (named c<id>), filled with the points already given."""

    class ScoreForm(FlaskForm):
        submit = SubmitField(_l("Lưu điểm"))

        def points(self) -> dict[int, float]:
            return {c.id: self[f"c{c.id}"].number for c in criteria if self[f"c{c.id}"].number is not None}

    for criterion in criteria:
        value = points.get(criterion.id)
        setattr(ScoreForm, f"c{criterion.id}", PointsField(
            criterion.text, default=f"{value:g}".replace(".", ",") if value is not None else "",
            description=_l("Tối đa %(m)s điểm, trọng số %(w)s", m=f"{criterion.max_points:g}",
                           w=f"{criterion.weight:g}")))
    return ScoreForm()


class PointsField(StringField):
    """Points typed as 7,5 or 7.5; empty leaves the criterion unscored."""

    number: float | None = None

    def pre_validate(self, form) -> None:
        self.number = None
        if (self.data or "").strip():
            self.number = parse_number(self.data)
            if self.number is None:
                raise ValidationError(BAD_NUMBER)


def vote_form(members, proposal_choices):
    """The vote record: date, voters, for/against per member (blank: not proposed), the proposal, the minutes."""

    class VoteForm(FlaskForm):
        voted_on = VnDateField(_l("Ngày bình bầu"), validators=[InputRequired(REQUIRED)],
                               invalid_value_message=BAD_DATE)
        voters = IntegerField(_l("Số đơn vị (người) bỏ phiếu"),
                              validators=[InputRequired(REQUIRED), NumberRange(min=1)],
                              invalid_value_message=_l("Phải là số nguyên."))
        proposed_award_code = SelectField(_l("Đề nghị khen thưởng"), choices=proposal_choices,
                                          invalid_choice_message=BAD_CHOICE)
        proposed_unit_code = SelectField(_l("Đơn vị được đề nghị (mặc định: đơn vị dẫn đầu)"),
                                         choices=[SelectChoice("", _l("— Đơn vị dẫn đầu —"))] + [
                                             SelectChoice(m.unit.code, m.unit.name) for m in members],
                                         invalid_choice_message=BAD_CHOICE)
        minutes = FileField(_l("Biên bản bình bầu (PDF, Word, ảnh)"), description=_l("Không bắt buộc."))
        note = TextAreaField(_l("Ghi chú"), filters=[_strip], validators=[Optional(), Length(max=2000)],
                             render_kw={"rows": 2})
        submit = SubmitField(_l("Ghi nhận kết quả bình bầu"))

        def counts(self) -> dict[str, tuple[int, int]]:
            result = {}
            for m in members:
                yes, no = self[f"for_{m.unit.code}"].data, self[f"against_{m.unit.code}"].data
                if yes is not None or no is not None:
                    result[m.unit.code] = (yes or 0, no or 0)
            return result

    for m in members:
        for prefix, label in (("for", _l("Đồng ý")), ("against", _l("Không đồng ý"))):
            setattr(VoteForm, f"{prefix}_{m.unit.code}", IntegerField(
                label, validators=[Optional(), NumberRange(min=0)], invalid_value_message=_l("Phải là số nguyên.")))
    return VoteForm()


def proposal_choices():
    return [SelectChoice("", _l("— Không đề nghị —"))] + [SelectChoice(k, v) for k, v in ProposedAward.labels().items()]
