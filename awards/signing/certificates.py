"""Certificates printed on pre-printed blanks (phôi bằng khen, giấy khen) with fpdf2: each field's text at its
calibrated place in millimetres, one page per recipient, nothing else on the page (the blank carries the rest).

Why fpdf2: pure Python (no system library, nothing downloaded), millimetre units, TrueType fonts embedded as
Unicode subsets, and `text(x, y)` puts a text's baseline exactly where the calibration says — what a blank needs.
The font is Liberation Serif (Times New Roman's metrics, full Vietnamese), shipped in awards/static/fonts with its
SIL OFL licence, so the output never depends on the fonts of the machine.

fpdf2 (~34 MB with fontTools) is imported when certificates are printed, not when the app starts: the calibration
forms import this module's field names, and a web worker that never prints never loads it (issue 21)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from awards.core.docx import date_line

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_REGULAR = FONTS / "LiberationSerif-Regular.ttf"
FONT_BOLD = FONTS / "LiberationSerif-Bold.ttf"
PT_MM = 25.4 / 72
MIN_SHRINK = 0.6  # a text too wide shrinks down to 60 % of its size, then wraps onto more lines
LINE_GAP = 1.15  # a wrapped text's next baseline, in font sizes

FIELDS = {  # field → its label on the calibration page
    "name": _l("Họ tên người, tên tập thể được khen thưởng"),
    "unit": _l("Đơn vị"),
    "award": _l("Danh hiệu, hình thức khen thưởng"),
    "decision": _l("Số và ngày quyết định"),
    "gold_book": _l("Số sổ vàng"),
    "place_date": _l("Địa danh, ngày tháng"),
}
ALIGNS = {"left": _l("Trái"), "center": _l("Giữa"), "right": _l("Phải")}
PAGES = {"A4": (297.0, 210.0), "A3": (420.0, 297.0), "A5": (210.0, 148.0)}  # landscape: width, height (mm)

# An A4 landscape blank as most Vietnamese bằng khen / giấy khen are laid out: the text block centred
DEFAULT_FIELDS = {
    "name": {"x": 48.5, "y": 98.0, "size": 22, "width": 200.0, "align": "center", "bold": True},
    "unit": {"x": 48.5, "y": 110.0, "size": 15, "width": 200.0, "align": "center", "bold": False},
    "award": {"x": 48.5, "y": 124.0, "size": 16, "width": 200.0, "align": "center", "bold": True},
    "decision": {"x": 30.0, "y": 182.0, "size": 12, "width": 110.0, "align": "left", "bold": False},
    "gold_book": {"x": 30.0, "y": 190.0, "size": 12, "width": 60.0, "align": "left", "bold": False},
    "place_date": {"x": 170.0, "y": 160.0, "size": 13, "width": 110.0, "align": "center", "bold": False},
}


@dataclass
class Sheet:
    """The texts of one certificate, by field."""

    name: str
    unit: str
    award: str
    decision: str
    gold_book: str
    place_date: str

    def text(self, field: str) -> str:
        return getattr(self, field)


def sample_sheet(place: str, on: date) -> Sheet:
    """Test-print data: a long Vietnamese name (80 characters) to see how it fits."""
    name = "Tôn Nữ Hoàng Thị Phương Thảo Nguyễn Huỳnh Đức Trọng Nghĩa Lê Phạm Quỳnh Anh Khuê"
    name = (name + " Xuân Hạnh Yến")[:80]
    return Sheet(name=name, unit="Khoa Hồi sức tích cực — Bệnh viện Đa khoa tỉnh",
                 award="Chiến sĩ thi đua cơ sở năm 2025", decision="Quyết định số 125/QĐ-SYT ngày 15/01/2026",
                 gold_book="Số sổ vàng: 1234", place_date=date_line(place, on))


def _document() -> FPDF:
    from fpdf import FPDF  # when certificates are printed (the module's docstring)

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("serif", "", str(FONT_REGULAR))
    pdf.add_font("serif", "B", str(FONT_BOLD))
    pdf.set_creator("awards")
    return pdf


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """The text cut at spaces into lines no wider than `width` (a single longer word stays whole)."""
    lines, current = [], ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and pdf.get_string_width(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def place_text(pdf: FPDF, text: str, spec: dict) -> None:
    """Draw `text` with its baseline at (x, y), aligned within `width`: shrunk to fit, down to MIN_SHRINK of its
    size, then wrapped onto the lines below."""
    size = float(spec["size"])
    pdf.set_font("serif", "B" if spec.get("bold") else "", size)
    width = float(spec["width"])
    while pdf.get_string_width(text) > width and size > spec["size"] * MIN_SHRINK:
        size = max(size - 0.5, spec["size"] * MIN_SHRINK)
        pdf.set_font_size(size)
    lines = [text] if pdf.get_string_width(text) <= width else _lines(pdf, text, width)
    for i, line in enumerate(lines):
        used = pdf.get_string_width(line)
        x = float(spec["x"]) + {"center": (width - used) / 2, "right": width - used}.get(spec.get("align"), 0)
        pdf.text(x, float(spec["y"]) + i * size * PT_MM * LINE_GAP, line)


def render(pages: list, *, blank: bytes | None = None) -> bytes:
    """One page per (sheet, layout) — a layout has `width`, `height` (mm) and `fields` — each page of its blank's
    size; `blank` (the scanned blank, test print only) drawn under the text over the whole page."""
    pdf = _document()
    for sheet, layout in pages:
        landscape = layout.width >= layout.height
        pdf.add_page(orientation="L" if landscape else "P",
                     format=(min(layout.width, layout.height), max(layout.width, layout.height)))
        if blank is not None:
            pdf.image(io.BytesIO(blank), x=0, y=0, w=layout.width, h=layout.height)
        for field, spec in layout.fields.items():
            text = sheet.text(field).strip()
            if text:
                place_text(pdf, text, spec)
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()
