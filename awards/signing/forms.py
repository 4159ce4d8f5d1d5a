"""The signing and certificate forms, with Vietnamese messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DecimalField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from awards.core.forms import REQUIRED
from awards.signing.certificates import ALIGNS, FIELDS, PAGES

NUMBER = _l("Phải là số (dùng dấu chấm cho phần lẻ, ví dụ 98.5).")


class SignedFileForm(FlaskForm):
    file = FileField(_l("Tệp PDF đã ký số"), validators=[FileRequired(REQUIRED)],
                     description=_l("Bản quyết định đã được người có thẩm quyền ký số bằng phần mềm ký số của đơn vị."))


class SignForm(FlaskForm):
    """Only the CSRF token: signing takes the decision's own PDF."""


class VerifyForm(FlaskForm):
    number = StringField(_l("Số quyết định"), validators=[Optional(), Length(max=60)],
                         description=_l("Ví dụ: 125/QĐ-SYT (gõ có dấu hoặc không dấu đều được)."))
    file = FileField(_l("Bản quyết định bạn có (tệp PDF)"),
                     description=_l("Không bắt buộc. Tệp chỉ được đối chiếu, không lưu lại."))


def _field_inputs(form_class):
    """x, y, width, size, align and bold inputs for each certificate field, named `<field>-<part>`."""
    for name, label in FIELDS.items():
        for part, text, low, high in (("x", _l("Lề trái x (mm)"), 0, 1000), ("y", _l("Chân chữ y (mm)"), 0, 1000),
                                      ("width", _l("Độ rộng (mm)"), 5, 1000), ("size", _l("Cỡ chữ (pt)"), 6, 72)):
            setattr(form_class, f"{name}-{part}", DecimalField(
                text, places=1, validators=[InputRequired(REQUIRED), NumberRange(low, high)],
                render_kw={"data-group": name}, description=label))
        setattr(form_class, f"{name}-align", SelectField(_l("Căn lề"),
                                                         choices=[SelectChoice(k, v) for k, v in ALIGNS.items()]))
        setattr(form_class, f"{name}-bold", BooleanField(_l("Chữ đậm")))
    return form_class


@_field_inputs
class LayoutForm(FlaskForm):
    page = SelectField(_l("Khổ giấy của phôi"), choices=[SelectChoice(k, k) for k in PAGES])
    landscape = BooleanField(_l("Khổ ngang"))
    place = StringField(_l("Địa danh ghi ở dòng ngày tháng"), validators=[Length(max=100)],
                        description=_l("Ví dụ: Hà Giang → “Hà Giang, ngày 05 tháng 01 năm 2026”."))
    blank = FileField(_l("Ảnh quét phôi (PNG, JPEG)"),
                      description=_l("Chỉ dùng cho bản in thử: in chữ đè lên ảnh phôi để so vị trí; bản in thật "
                                     "không in ảnh."))

    def fields_data(self) -> dict:
        return {name: {"x": self[f"{name}-x"].data, "y": self[f"{name}-y"].data,
                       "width": self[f"{name}-width"].data, "size": self[f"{name}-size"].data,
                       "align": self[f"{name}-align"].data, "bold": self[f"{name}-bold"].data} for name in FIELDS}

    def fill(self, layout) -> None:
        """The form's values from a saved (or default) layout, on GET."""
        long_side = max(layout.width, layout.height)
        self.page.data = next((k for k, (w, _h) in PAGES.items() if abs(w - long_side) < 0.5), "A4")
        self.landscape.data = layout.width >= layout.height
        self.place.data = layout.place
        for name, spec in layout.fields.items():
            for part in ("x", "y", "width", "size", "align", "bold"):
                self[f"{name}-{part}"].data = spec.get(part)
