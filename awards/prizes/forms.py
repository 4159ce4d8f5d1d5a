"""Forms of the prize pages: a new base salary, an allocation to a unit's fund, an adjustment. Amounts are typed
as Vietnamese write them (2.340.000 or 2340000)."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from awards.core.forms import REQUIRED, VnDateField

BAD_AMOUNT = _l("Số tiền phải là số nguyên đồng, ví dụ 2.340.000.")
_AMOUNT = re.compile(r"^-?\d{1,16}$")


class MoneyField(IntegerField):
    """Whole đồng, with or without the dots/spaces between thousands; a minus sign for adjustments."""

    message = BAD_AMOUNT

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = re.sub(r"[\s.,]", "", valuelist[0] or "")
        if not text:
            self.data = None
            return
        if not _AMOUNT.match(text):
            self.data = None
            raise ValueError(self.message)
        self.data = int(text)


class EntryNumberField(MoneyField):
    message = _l("Số bút toán phải là số nguyên, ví dụ 12.")


class BaseSalaryForm(FlaskForm):
    effective_from = VnDateField(_l("Áp dụng từ ngày"), validators=[InputRequired(REQUIRED)])
    amount = MoneyField(_l("Mức lương cơ sở (đồng/tháng)"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric", "placeholder": "2.340.000"})
    source = StringField(_l("Văn bản quy định"), validators=[DataRequired(REQUIRED), Length(max=255)],
                         render_kw={"placeholder": _l("Ví dụ: Nghị định 73/2024/NĐ-CP")})
    submit = SubmitField(_l("Ghi mức lương cơ sở"))


class AllocationForm(FlaskForm):
    entry_date = VnDateField(_l("Ngày"), validators=[InputRequired(REQUIRED)])
    amount = MoneyField(_l("Số tiền (đồng)"), validators=[InputRequired(REQUIRED)],
                        render_kw={"inputmode": "numeric"})
    source = StringField(_l("Chứng từ, nguồn kinh phí"), validators=[DataRequired(REQUIRED), Length(max=255)],
                         render_kw={"placeholder": _l("Ví dụ: Quyết định giao dự toán số 15/QĐ-SYT")})
    note = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Ghi khoản trích lập"))


class AdjustmentForm(FlaskForm):
    entry_date = VnDateField(_l("Ngày"), validators=[InputRequired(REQUIRED)])
    amount = MoneyField(_l("Số tiền điều chỉnh (đồng, ghi dấu trừ để giảm)"), validators=[InputRequired(REQUIRED)],
                        render_kw={"placeholder": "-500.000"})
    corrects_id = EntryNumberField(_l("Điều chỉnh cho bút toán số (nếu có)"), validators=[Optional()])
    note = TextAreaField(_l("Lý do điều chỉnh"), validators=[DataRequired(REQUIRED), Length(max=2000)],
                         render_kw={"rows": 2})
    submit = SubmitField(_l("Ghi điều chỉnh"))
