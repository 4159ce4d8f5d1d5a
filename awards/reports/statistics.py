"""The yearly statistical forms on emulation and commendation for the Ministry of Home Affairs (chế độ báo cáo
thống kê ngành Nội vụ, Thông tư 02/2023/TT-BNV), as one workbook: one sheet per form, filled from the archive,
the campaigns and the dossiers of the year (reads only).

The official text of the forms was not at hand when this was written: the sheets follow the forms' usual
layout (form code and title, reporting and receiving units, column letters A, B, 1, 2, … under the headers)
and the indicators their titles name, and must be checked against the Thông tư's appendix before filing.

    0601.N  Số phong trào thi đua: campaigns launched in the year (regular, thematic), units expected and
            registered, mid-term and final reviews, advanced examples found.
    0602.N  Số danh hiệu thi đua được tặng: per title of the catalog, individuals and collectives, of whom women,
            ethnic minorities and people working directly (trực tiếp lao động, công tác).
    0603.N  Số hình thức khen thưởng: the same per commendation (form) of the catalog.
    0604.N  Khen thưởng theo loại: regular, ad-hoc and thematic awards (record.kind), individuals and collectives.
    0605.N  Hồ sơ đề nghị khen thưởng: dossiers submitted in the year, their appraisal results, the decisions,
            the steps past the processing norm (reports.processing), and the public's feedback on nominees.

Columns the data cannot fill are written "Chưa có dữ liệu" (NO_DATA):
    0601.N  Kinh phí tổ chức phong trào (triệu đồng) — budgets are not recorded.
    0602.N  Trong đó công nhân, nông dân — people's occupation group is not recorded.
    0603.N  Trong đó công nhân, nông dân; Tiền thưởng (triệu đồng) — neither occupation nor prize money is recorded.
    0604.N  Theo thủ tục đơn giản; Khen thưởng đối ngoại (cá nhân, tổ chức nước ngoài) — the archive does not mark
            the simplified procedure nor foreign recipients.
    0605.N  Hồ sơ nộp qua dịch vụ công trực tuyến — the channel a dossier came through is not recorded.
Awards outside this system's catalog (other orders, state honorary titles) have no rows: the archive holds
only the catalog's award types.
"""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from sqlalchemy import case, func, select

from awards.announcements.models import Feedback
from awards.archive.models import AwardRecord
from awards.campaigns.models import AdvancedExample, Campaign, CampaignReview
from awards.catalog.types import COMMENDATION, DEFAULTS, TITLE
from awards.core import clock
from awards.core.xlsx import new_workbook
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.reports import figures, processing
from awards.reports.workbook import campaign_rows, check_period
from awards.units.models import Person, Unit

NO_DATA = "Chưa có dữ liệu"
RECEIVER = "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)"
FORMS = {
    "0601.N": "SỐ PHONG TRÀO THI ĐUA",
    "0602.N": "SỐ DANH HIỆU THI ĐUA ĐƯỢC TẶNG",
    "0603.N": "SỐ HÌNH THỨC KHEN THƯỞNG",
    "0604.N": "SỐ KHEN THƯỞNG THEO LOẠI HÌNH KHEN THƯỞNG",
    "0605.N": "SỐ HỒ SƠ ĐỀ NGHỊ KHEN THƯỞNG ĐÃ TIẾP NHẬN, GIẢI QUYẾT",
}
KINDS = {"regular": "Khen thưởng thường xuyên", "adhoc": "Khen thưởng đột xuất",
         "thematic": "Khen thưởng theo chuyên đề"}
HEADERS = {
    "0601.N": ("Chỉ tiêu", "Mã số", "Số phong trào phát động", "Số đơn vị phải đăng ký thi đua",
               "Số đơn vị đã đăng ký thi đua", "Số lần sơ kết", "Số lần tổng kết",
               "Số điển hình tiên tiến được phát hiện", "Kinh phí tổ chức phong trào (triệu đồng)"),
    "0602.N": ("Danh hiệu thi đua", "Mã số", "Tổng số", "Cá nhân", "Tập thể", "Trong đó: cá nhân nữ",
               "Trong đó: cá nhân người dân tộc thiểu số", "Trong đó: cá nhân trực tiếp lao động, công tác",
               "Trong đó: công nhân, nông dân"),
    "0603.N": ("Hình thức khen thưởng", "Mã số", "Tổng số", "Cá nhân", "Tập thể", "Trong đó: cá nhân nữ",
               "Trong đó: cá nhân người dân tộc thiểu số", "Trong đó: cá nhân trực tiếp lao động, công tác",
               "Trong đó: công nhân, nông dân", "Tiền thưởng (triệu đồng)"),
    "0604.N": ("Loại hình khen thưởng", "Mã số", "Tổng số", "Cá nhân", "Tập thể", "Theo thủ tục đơn giản",
               "Khen thưởng đối ngoại (cá nhân, tổ chức nước ngoài)"),
    "0605.N": ("Danh hiệu / hình thức khen thưởng đề nghị", "Mã số", "Số hồ sơ tiếp nhận", "Thẩm định đạt",
               "Trả lại để bổ sung", "Không đạt", "Chưa có kết quả thẩm định", "Đã có quyết định khen thưởng",
               "Số lượt giải quyết quá hạn (thẩm định, trình quyết định)", "Số ý kiến phản ánh của Nhân dân",
               "Hồ sơ nộp qua dịch vụ công trực tuyến"),
}
# the columns of each form that the data cannot fill (0-based, in HEADERS order)
EMPTY = {"0601.N": {8}, "0602.N": {8}, "0603.N": {8, 9}, "0604.N": {5, 6}, "0605.N": {10}}


@dataclass
class AwardCounts:
    individuals: int = 0
    collectives: int = 0
    female: int = 0
    ethnic_minority: int = 0
    frontline: int = 0

    @property
    def total(self) -> int:
        return self.individuals + self.collectives

    def add(self, other: "AwardCounts") -> None:
        for name in ("individuals", "collectives", "female", "ethnic_minority", "frontline"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def award_counts(year: int) -> dict[str, AwardCounts]:
    """Live awards for the year per award code: individuals and collectives, women, minorities, frontline."""
    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    person = AwardRecord.subject_type == "person"
    rows = db.session.execute(
        select(AwardRecord.award_code, count(person), count(~person), count(Person.gender == "female"),
               count(Person.ethnic_minority.is_(True)), count(Person.frontline.is_(True)))
        .select_from(AwardRecord).outerjoin(Person, Person.id == AwardRecord.person_id)
        .where(*figures.live_conditions(figures.Period(year)))
        .group_by(AwardRecord.award_code))
    return {code: AwardCounts(*(int(n) for n in numbers)) for code, *numbers in rows}


def kind_counts(year: int) -> dict[str, tuple[int, int]]:
    """(individuals, collectives) of the year's live awards per kind (regular, adhoc, thematic)."""
    rows = db.session.execute(
        select(AwardRecord.kind, AwardRecord.subject_type, func.count())
        .where(*figures.live_conditions(figures.Period(year)))
        .group_by(AwardRecord.kind, AwardRecord.subject_type))
    result: dict[str, list[int]] = {}
    for kind, subject_type, n in rows:
        result.setdefault(kind, [0, 0])[0 if subject_type == "person" else 1] += n
    return {kind: (a, b) for kind, (a, b) in result.items()}


def campaign_figures(year: int) -> dict[str, dict[str, int]]:
    """Per campaign kind (regular, thematic): campaigns launched in the year, units expected and registered
    (as the campaign pages count them), mid-term and final reviews, advanced examples found."""
    empty = {"campaigns": 0, "expected": 0, "registered": 0, "midterm": 0, "final": 0, "examples": 0}
    result = {kind: dict(empty) for kind in ("regular", "thematic")}
    for row in campaign_rows(year):
        bucket = result.setdefault(row.kind_code, dict(empty))
        bucket["campaigns"] += 1
        bucket["expected"] += row.expected
        bucket["registered"] += row.registered
    launched = (Campaign.year == year, Campaign.status != "draft")
    reviews = db.session.execute(
        select(Campaign.kind, CampaignReview.kind, func.count(CampaignReview.id))
        .join(Campaign, Campaign.id == CampaignReview.campaign_id).where(*launched)
        .group_by(Campaign.kind, CampaignReview.kind))
    for campaign_kind, review_kind, n in reviews:
        if review_kind in empty:
            result.setdefault(campaign_kind, dict(empty))[review_kind] += n
    examples = db.session.execute(
        select(Campaign.kind, func.count(AdvancedExample.id))
        .join(Campaign, Campaign.id == AdvancedExample.campaign_id).where(*launched).group_by(Campaign.kind))
    for kind, n in examples:
        result.setdefault(kind, dict(empty))["examples"] += n
    return result


def feedback_counts(year: int) -> dict[str, int]:
    """The public's feedback per award code, on dossiers submitted in the year (as reports.processing counts)."""
    first, after = processing.bounds(date(year, 1, 1), date(year, 12, 31))
    rows = db.session.execute(
        select(Nomination.award_code, func.count(Feedback.id))
        .join(Nomination, Nomination.id == Feedback.nomination_id)
        .where(Nomination.id.in_(processing.submitted_between(first, after)))
        .group_by(Nomination.award_code))
    return dict(rows.all())


def reporting_unit() -> str:
    """The top of the unit tree when there is one top unit (the agency that reports)."""
    roots = db.session.scalars(select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(2)).all()
    return roots[0] if len(roots) == 1 else ""


# --- writing ---------------------------------------------------------------------------------------------------

class _Form:
    """One form's sheet: code and title, the units, the header with its column letters, rows written in order."""

    def __init__(self, book, formats, code: str, year: int, unit: str):
        self.sheet = book.add_worksheet(code)
        self.f = formats
        self.code = code
        headers = HEADERS[code]
        sheet = self.sheet
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, 1, 8)
        sheet.set_column(2, len(headers) - 1, 16)
        sheet.write_string(0, 0, f"Biểu số {code}/BNV-TĐKT", formats["bold"])
        sheet.write_string(1, 0, f"{FORMS[code]} NĂM {year}", formats["title"])
        sheet.write_string(2, 0, "Ban hành kèm theo Thông tư số 02/2023/TT-BNV của Bộ trưởng Bộ Nội vụ",
                           formats["italic"])
        sheet.write_string(3, 0, f"Đơn vị báo cáo: {unit}" if unit else "Đơn vị báo cáo:",
                           formats["italic"])
        sheet.write_string(4, 0, f"Đơn vị nhận báo cáo: {RECEIVER}", formats["italic"])
        sheet.write_string(5, 0, f"Ngày lập: {clock.today():%d/%m/%Y}", formats["italic"])
        for col, title in enumerate(headers):
            sheet.write_string(7, col, title, formats["header"])
        letters = ["A", "B", *[str(n) for n in range(1, len(headers) - 1)]]
        for col, letter in enumerate(letters):
            sheet.write_string(8, col, letter, formats["letters"])
        sheet.freeze_panes(9, 2)
        self.row = 9
        self.number = 0

    def line(self, label: str, values: list, total: bool = False) -> None:
        """A row: label, its code (01, 02, …), then the values; the form's unfillable columns say so."""
        self.number += 1
        sheet, f = self.sheet, self.f
        sheet.write_string(self.row, 0, label, f["total"] if total else f["indent"])
        sheet.write_string(self.row, 1, f"{self.number:02d}", f["center"])
        empty = EMPTY[self.code]
        values = iter(values)
        for col in range(2, len(HEADERS[self.code])):
            if col in empty:
                sheet.write_string(self.row, col, NO_DATA, f["no_data"])
            else:
                sheet.write_number(self.row, col, next(values), f["total_int"] if total else f["int"])
        self.row += 1


def _formats(book) -> dict:
    add = book.add_format
    return {
        "bold": add({"bold": True}),
        "title": add({"bold": True, "font_size": 13}),
        "italic": add({"italic": True}),
        "header": add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter",
                       "align": "center"}),
        "letters": add({"italic": True, "border": 1, "align": "center"}),
        "indent": add({"indent": 1, "border": 1}),
        "center": add({"align": "center", "border": 1}),
        "int": add({"num_format": "#,##0", "border": 1}),
        "total": add({"bold": True, "border": 1}),
        "total_int": add({"bold": True, "num_format": "#,##0", "border": 1}),
        "no_data": add({"italic": True, "font_color": "#808080", "border": 1, "align": "center"}),
    }


def _awards_form(form: _Form, counts: dict[str, AwardCounts], kind: str) -> None:
    codes = [code for code, award in DEFAULTS.items() if award.form == kind]
    total = AwardCounts()
    for code in codes:
        total.add(counts.get(code, AwardCounts()))
    form.line("Tổng số", [total.total, total.individuals, total.collectives, total.female, total.ethnic_minority,
                          total.frontline], total=True)
    for code in codes:
        c = counts.get(code, AwardCounts())
        form.line(DEFAULTS[code].name, [c.total, c.individuals, c.collectives, c.female, c.ethnic_minority,
                                        c.frontline])


def statistics_workbook(year: int) -> bytes:
    """The five forms for `year` (awards by record year, campaigns of the year, dossiers submitted in it)."""
    check_period(figures.Period(year))
    campaigns = campaign_figures(year)
    counts = award_counts(year)
    kinds = kind_counts(year)
    times = processing.processing_times(date(year, 1, 1), date(year, 12, 31))
    feedback = feedback_counts(year)
    unit = reporting_unit()
    buffer = BytesIO()
    book = new_workbook(buffer, {"in_memory": True})
    try:
        formats = _formats(book)

        form = _Form(book, formats, "0601.N", year, unit)
        names = {"regular": "Phong trào thi đua thường xuyên", "thematic": "Phong trào thi đua theo chuyên đề"}
        keys = ("campaigns", "expected", "registered", "midterm", "final", "examples")
        form.line("Tổng số", [sum(c[k] for c in campaigns.values()) for k in keys], total=True)
        for kind, figures_ in campaigns.items():
            form.line(names.get(kind, kind), [figures_[k] for k in keys])

        _awards_form(_Form(book, formats, "0602.N", year, unit), counts, TITLE)
        _awards_form(_Form(book, formats, "0603.N", year, unit), counts, COMMENDATION)

        form = _Form(book, formats, "0604.N", year, unit)
        individuals = sum(a for a, _b in kinds.values())
        collectives = sum(b for _a, b in kinds.values())
        form.line("Tổng số", [individuals + collectives, individuals, collectives], total=True)
        for kind, label in KINDS.items():
            a, b = kinds.get(kind, (0, 0))
            form.line(label, [a + b, a, b])

        form = _Form(book, formats, "0605.N", year, unit)

        def dossier_values(t: processing.AwardTimes, n_feedback: int) -> list[int]:
            passed = t.appraisal.count - t.returned - t.rejected
            return [t.dossiers, passed, t.returned, t.rejected, t.pending, t.decision.count,
                    t.appraisal.over_norm + t.decision.over_norm, n_feedback]

        form.line("Tổng số", dossier_values(times.total, sum(feedback.values())), total=True)
        for t in times.by_award:
            form.line(DEFAULTS[t.award_code].name if t.award_code in DEFAULTS else t.award_code,
                      dossier_values(t, feedback.get(t.award_code, 0)))
    finally:
        book.close()
    return buffer.getvalue()
