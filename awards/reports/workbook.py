"""The annual and six-monthly report as one Excel workbook (CONTRACT §4), built with flat memory.

Sheets: Tổng hợp (cover), Theo danh hiệu (with a column chart), Theo đơn vị (tree order, indented, own and
rolled-up counts), Tỷ lệ (equity shares, with a bar chart), Phong trào (the year's campaigns and their
registration coverage), Thời gian xử lý (working days against the norms), Danh sách (every live award of the
period; more sheets "Danh sách (2)", … past Excel's row limit).

The figures come from a few set queries (one grouped scan of the period's awards, reports.processing); the list
is streamed from the database in batches and xlsxwriter's constant_memory mode flushes each row to a temporary
file, so a million records take about the memory of ten. Text is always written as text, never as a formula
(core.xlsx)."""

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import and_, case, func, select, true

from awards.archive.models import AwardRecord
from awards.campaigns.models import Campaign, Registration
from awards.catalog import services as catalog
from awards.catalog.types import COMMENDATION, TITLE
from awards.core import clock
from awards.core.replica import read_session
from awards.core.xlsx import new_workbook
from awards.reports import figures, processing
from awards.units.models import Gender, Person, Unit
from awards.units.queries import unit_tree

if TYPE_CHECKING:
    import xlsxwriter  # imported by core.xlsx when a workbook is written, not when a web worker starts (issue 21)

SHEETS = ("Tổng hợp", "Theo danh hiệu", "Theo đơn vị", "Tỷ lệ", "Phong trào", "Thời gian xử lý", "Danh sách")
LEVEL_LABELS = {"grassroots": "Cơ sở", "provincial": "Cấp tỉnh", "ministerial": "Cấp bộ", "national": "Cấp Nhà nước"}
FORM_LABELS = {"title": "Danh hiệu thi đua", "commendation": "Hình thức khen thưởng"}
SUBJECT_LABELS = {"individual": "Cá nhân", "collective": "Tập thể", "both": "Cá nhân, tập thể"}
CAMPAIGN_KINDS = {"regular": "Thường xuyên", "thematic": "Chuyên đề"}
CAMPAIGN_STATUSES = {"launched": "Đang triển khai", "closed": "Đã kết thúc"}
TOTAL = "Tổng cộng"
MAX_LIST_ROWS = 1_000_000  # per "Danh sách" sheet; Excel holds 1,048,576 rows
BATCH = 5000
PROGRESS_ROWS = 50_000  # the list reports its progress every so many rows
MAX_INDENT = 15  # Excel's largest indent level
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()

HEADERS = {
    "cover": ("Chỉ tiêu", "Số lượng", "Tỷ lệ"),
    "awards": ("STT", "Mã", "Danh hiệu / hình thức khen thưởng", "Cấp", "Loại", "Đối tượng", "Số lượt khen thưởng"),
    "units": ("STT", "Mã đơn vị", "Tên đơn vị", "Cấp trong cây", "Đơn vị cơ sở", "Khen thưởng của đơn vị",
              "Kể cả đơn vị trực thuộc"),
    "shares": ("Nhóm", "Số lượt khen thưởng cá nhân", "Tỷ lệ"),
    "campaigns": ("STT", "Tên phong trào", "Loại", "Đơn vị phát động", "Bắt đầu", "Kết thúc", "Trạng thái",
                  "Số đơn vị phải đăng ký", "Đã đăng ký", "Tỷ lệ đăng ký"),
    "times": ("Danh hiệu / hình thức khen thưởng", "Hồ sơ nộp trong kỳ", "Chờ kết quả thẩm định",
              "Đã có kết quả thẩm định", "Trong đó trả lại bổ sung", "Thẩm định: trung vị (ngày làm việc)",
              "Thẩm định: tối đa (ngày làm việc)", "Thẩm định: số hồ sơ quá hạn", "Đã có quyết định khen thưởng",
              "Đến quyết định: trung vị (ngày làm việc)", "Đến quyết định: tối đa (ngày làm việc)",
              "Đến quyết định: số hồ sơ quá hạn"),
    "list": ("STT", "Họ tên / Tên tập thể", "Đơn vị", "Danh hiệu / Hình thức", "Năm", "Số quyết định",
             "Ngày quyết định", "Số sổ vàng"),
}
WIDTHS = {
    "cover": (60, 14, 12),
    "awards": (6, 12, 38, 14, 22, 11, 14),
    "units": (7, 14, 50, 10, 10, 14, 16),
    "shares": (52, 16, 12),
    "campaigns": (6, 50, 14, 30, 12, 12, 16, 14, 12, 12),
    "times": (38, 12, 12, 12, 12, 14, 14, 14, 14, 14, 14, 14),
    "list": (9, 32, 36, 32, 7, 18, 13, 11),
}
SHARE_LABELS = {
    "female": "Nữ",
    "young": "Người trẻ (dưới {age} tuổi tính đến 31/12/{year})",
    "ethnic_minority": "Người dân tộc thiểu số",
    "frontline": "Người trực tiếp lao động, công tác",
    "grassroots": "Người thuộc đơn vị cơ sở",
}


def check_period(period: figures.Period) -> None:
    """A report's period: a year 1945–2100 and, for the six-monthly report, half 1 or 2."""
    year, half = getattr(period, "year", None), getattr(period, "half", None)
    if not isinstance(year, int) or isinstance(year, bool) or not 1945 <= year <= 2100:
        raise ValueError("Kỳ báo cáo không hợp lệ: năm phải là số từ 1945 đến 2100.")
    if half is not None and half not in (1, 2):
        raise ValueError("Kỳ báo cáo không hợp lệ: 6 tháng đầu năm là 1, 6 tháng cuối năm là 2.")


# --- the figures (set queries only) ----------------------------------------------------------------------------

@dataclass
class AwardRow:
    code: str
    name: str
    level: str
    form: str
    subject: str
    count: int


@dataclass
class Counts:
    """The period's live awards counted for the summary sheets: by award code, by subject type ("person", "unit"),
    by unit id (figures.by_unit_id: the unit's collective and its people), and figures.equity_counts' individual
    awards and groups."""

    by_award: dict[str, int]
    by_subject: dict[str, int]
    by_unit: dict[int, int]
    individuals: int
    groups: dict[str, int]


def period_counts(period: figures.Period, scope: figures.Scope | None = None) -> Counts:
    """figures.by_award, figures.by_unit_id, figures.equity_counts and the count by subject type from one scan of
    the period's live awards, grouped by (award, subject type, unit): ~7,000 groups for the 65,000 awards of a
    full-scale year. Each of the four queries read those awards (with their revocation and correction probes) on
    its own (issue 21). The equity conditions are equity_counts' (tests/reports hold the two equal), counted over
    the individual awards whose person and unit are found, as its inner joins count them."""
    young_after = date(period.year - figures.YOUNG_BELOW, 12, 31)
    found = and_(Person.id.is_not(None), Unit.id.is_not(None))  # equity_counts joins both

    def count(condition):
        return func.sum(case((and_(found, condition), 1), else_=0))

    stmt = (select(AwardRecord.award_code, AwardRecord.subject_type, AwardRecord.unit_id, func.count(),
                   count(true()), count(Person.gender == Gender.female),
                   count(and_(Person.birth_date.is_not(None), Person.birth_date > young_after)),
                   count(Person.ethnic_minority.is_(True)), count(Person.frontline.is_(True)),
                   count(Unit.grassroots.is_(True)))
            .select_from(AwardRecord).outerjoin(Person, Person.id == AwardRecord.person_id)
            .outerjoin(Unit, Unit.id == AwardRecord.unit_id)
            .where(*figures.live_conditions(period, scope))
            .group_by(AwardRecord.award_code, AwardRecord.subject_type, AwardRecord.unit_id))
    by_award: dict[str, int] = {}
    by_subject: dict[str, int] = {}
    by_unit: dict[int, int] = {}
    individuals, groups = 0, [0] * len(figures.SHARES)
    for code, subject_type, unit_id, n, people, *shares in read_session().execute(stmt):
        by_award[code] = by_award.get(code, 0) + n
        by_subject[subject_type] = by_subject.get(subject_type, 0) + n
        by_unit[unit_id] = by_unit.get(unit_id, 0) + n
        if subject_type == "person":
            individuals += int(people)
            groups = [total + int(k) for total, k in zip(groups, shares, strict=True)]
    return Counts(by_award, by_subject, by_unit, individuals, dict(zip(figures.SHARES, groups, strict=True)))


def award_rows(counts: dict[str, int]) -> list[AwardRow]:
    """Every award type of the catalog, the stored ones too (zero counts too), then any other code found in the
    archive (`counts`: the period's awards by code)."""
    rows, types = [], catalog.known_types()
    for code in [*types, *sorted(set(counts) - set(types))]:
        award = types.get(code)
        rows.append(AwardRow(code, award.name if award else code, LEVEL_LABELS.get(award.level, "") if award else "",
                             FORM_LABELS.get(award.form, "") if award else "",
                             SUBJECT_LABELS.get(award.subject, "") if award else "", counts.get(code, 0)))
    return rows


@dataclass
class UnitRow:
    code: str
    name: str
    depth: int
    grassroots: bool
    own: int
    with_descendants: int


def unit_rows(own: dict[int, int], scope: figures.Scope | None = None) -> list[UnitRow]:
    """Every unit (of the scope) in tree order with its own awards (`own`: its collective's and its people's, by
    unit id) and its subtree's. In a scope, a unit's depth counts only its ancestors within the scope: its top
    units are level 1."""
    tree = unit_tree()
    if scope is not None:
        depths: dict[int, int] = {}
        kept = []
        for unit, _depth in tree:  # parents come before their children
            if unit.id in scope.unit_ids:
                depths[unit.id] = depths[unit.parent_id] + 1 if unit.parent_id in depths else 0
                kept.append((unit, depths[unit.id]))
        tree = kept
    rolled = figures.roll_up(own, {unit.id: unit.parent_id for unit, _depth in tree})
    return [UnitRow(unit.code, unit.name, depth, bool(unit.grassroots), own.get(unit.id, 0), rolled.get(unit.id, 0))
            for unit, depth in tree]


@dataclass
class CampaignRow:
    id: int
    kind_code: str
    title: str
    kind: str
    organizer: str
    starts_on: date
    ends_on: date
    status: str
    expected: int
    registered: int


def campaign_rows(year: int, scope: figures.Scope | None = None) -> list[CampaignRow]:
    """The year's launched and closed campaigns (those a unit of the scope organised) with
    campaigns.queries.coverage's numbers (the organizer's active direct children expected; those of them
    registered), in three queries whatever their number."""
    organised = [Campaign.organizer_unit_id.in_(scope.ids())] if scope is not None else []
    campaigns = read_session().execute(
        select(Campaign.id, Campaign.title, Campaign.kind, Unit.name, Campaign.starts_on, Campaign.ends_on,
               Campaign.status, Campaign.organizer_unit_id)
        .join(Unit, Unit.id == Campaign.organizer_unit_id)
        .where(Campaign.year == year, Campaign.status != "draft", *organised)
        .order_by(Campaign.starts_on, Campaign.id)).all()
    organizers = {row.organizer_unit_id for row in campaigns}
    expected = dict(read_session().execute(
        select(Unit.parent_id, func.count(Unit.id)).where(Unit.parent_id.in_(organizers), Unit.active)
        .group_by(Unit.parent_id)).all()) if organizers else {}
    registered = dict(read_session().execute(
        select(Registration.campaign_id, func.count(Registration.id))
        .join(Campaign, Campaign.id == Registration.campaign_id)
        .join(Unit, Unit.id == Registration.unit_id)
        .where(Campaign.year == year, Campaign.status != "draft", Unit.parent_id == Campaign.organizer_unit_id,
               Unit.active, *organised)
        .group_by(Registration.campaign_id)).all())
    return [CampaignRow(row.id, row.kind, row.title, CAMPAIGN_KINDS.get(row.kind, row.kind), row.name,
                        row.starts_on, row.ends_on, CAMPAIGN_STATUSES.get(row.status, row.status),
                        expected.get(row.organizer_unit_id, 0), registered.get(row.id, 0)) for row in campaigns]


def list_rows(period: figures.Period, scope: figures.Scope | None = None):
    """(name, unit, award code, year, decision number, decision date, gold-book number) of every live award
    of the period, by decision date: streamed in batches, only these columns, through the session's connection
    (Core rows: the ORM's step per row cost 0.2 s of the 0.42 s that fetching a full-scale year's 65,000 rows took
    on SQLite; issue 21)."""
    stmt = (select(AwardRecord.subject_name, Unit.name, AwardRecord.award_code, AwardRecord.year,
                   AwardRecord.decision_number, AwardRecord.decision_date, AwardRecord.gold_book_number)
            .join(Unit, Unit.id == AwardRecord.unit_id)
            .where(*figures.live_conditions(period, scope))
            .order_by(AwardRecord.decision_date, AwardRecord.id)
            .execution_options(yield_per=BATCH, stream_results=True))
    connection = read_session().connection()
    if connection.dialect.name == "postgresql":
        # every row is read: plan for all of them, not for a cursor's first tenth (cursor_tuple_fraction), which
        # walked the whole archive in the decision-date index's order rather than sort the year's 65,000 rows
        # (0.17 -> 0.71 s at full scale once that index existed; issue 21). SET LOCAL: this transaction only
        connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    return connection.execute(stmt)


# --- writing ---------------------------------------------------------------------------------------------------

def _cell(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name  # a workbook is being written: xlsxwriter is loaded already

    return xl_col_to_name(col)


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


class Writer:
    """The workbook's formats and the table conventions: header row 0 bold and frozen, set widths (public: the
    consolidated report adds its own sheet with it)."""

    def __init__(self, book: "xlsxwriter.Workbook"):
        self.book = book
        add = book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.italic = add({"italic": True})
        self.header = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"})
        self.bold = add({"bold": True})
        self.int = add({"num_format": "#,##0"})
        self.decimal = add({"num_format": "0.0"})
        self.percent = add({"num_format": "0.0%"})
        self.date = add({"num_format": "dd/mm/yyyy"})
        self.total = add({"bold": True, "top": 1})
        self.total_int = add({"bold": True, "top": 1, "num_format": "#,##0"})
        self.total_decimal = add({"bold": True, "top": 1, "num_format": "0.0"})
        self.total_percent = add({"bold": True, "top": 1, "num_format": "0.0%"})
        self._indents: dict[int, object] = {}

    def indent(self, depth: int):
        depth = min(depth, MAX_INDENT)
        if depth not in self._indents:
            self._indents[depth] = self.book.add_format({"indent": depth}) if depth else None
        return self._indents[depth]

    def table(self, name: str, kind: str, header_row: int = 0, headers=None, widths=None):
        """A sheet with its header row; `headers` and `widths` for a table not in HEADERS."""
        sheet = self.book.add_worksheet(name)
        for col, width in enumerate(widths or WIDTHS[kind]):
            sheet.set_column(col, col, width)
        self.headers(sheet, header_row, kind, headers)
        sheet.freeze_panes(header_row + 1, 0)
        return sheet

    def headers(self, sheet, row: int, kind: str, headers=None) -> None:
        for col, title in enumerate(headers or HEADERS[kind]):
            sheet.write_string(row, col, title, self.header)

    @staticmethod
    def text(sheet, row: int, col: int, value: str | None, fmt=None) -> None:
        """Text as text: never a formula, whatever it starts with."""
        if value:
            sheet.write_string(row, col, value, fmt)

    @staticmethod
    def number(sheet, row: int, col: int, value, fmt=None) -> None:
        if value is not None:
            sheet.write_number(row, col, value, fmt)

    def day(self, sheet, row: int, col: int, value: date | None) -> None:
        if value is not None:
            sheet.write_number(row, col, value.toordinal() - _EXCEL_EPOCH, self.date)

    def sum_row(self, sheet, row: int, col: int, first: int, last: int, value: int) -> None:
        """A SUM over rows first..last (0-based) of a column, with its value computed here too."""
        if last < first:
            sheet.write_number(row, col, 0, self.total_int)
            return
        sheet.write_formula(row, col, f"=SUM({_cell(col)}{first + 1}:{_cell(col)}{last + 1})", self.total_int, value)


def _cover(w: Writer, period: figures.Period, awards: list[AwardRow], subjects: dict[str, int],
           units: list[UnitRow], individuals: int, groups: dict[str, int], campaigns: list[CampaignRow],
           times: processing.Times, scope: figures.Scope | None = None) -> None:
    sheet = w.book.add_worksheet(SHEETS[0])
    for col, width in enumerate(WIDTHS["cover"]):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, f"BÁO CÁO CÔNG TÁC THI ĐUA, KHEN THƯỞNG {period.label.upper()}", w.title)
    basis = ("theo năm khen thưởng" if period.half is None
             else f"theo ngày quyết định, từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}")
    sheet.write_string(1, 0, f"Kỳ báo cáo: {period.label} ({basis})", w.italic)
    sheet.write_string(2, 0, f"Ngày lập: {clock.today():%d/%m/%Y}", w.italic)
    if scope is not None:
        w.text(sheet, 3, 0, f"Phạm vi: {scope.label}", w.italic)
    sheet.freeze_panes(1, 0)
    w.headers(sheet, 4, "cover")
    total = sum(a.count for a in awards)
    types = catalog.known_types()
    titles = sum(a.count for a in awards if a.code in types and types[a.code].form == TITLE)
    commendations = sum(a.count for a in awards if a.code in types and types[a.code].form == COMMENDATION)
    lines = [
        ("Tổng số lượt khen thưởng", total, None),
        ("  Khen thưởng cá nhân", subjects.get("person", 0), _ratio(subjects.get("person", 0), total)),
        ("  Khen thưởng tập thể", subjects.get("unit", 0), _ratio(subjects.get("unit", 0), total)),
        ("  Danh hiệu thi đua", titles, _ratio(titles, total)),
        ("  Hình thức khen thưởng", commendations, _ratio(commendations, total)),
        ("Số đơn vị có khen thưởng (của đơn vị hoặc cá nhân thuộc đơn vị)", sum(1 for u in units if u.own), None),
        ("Số phong trào thi đua trong năm", len(campaigns), None),
        ("Số hồ sơ đề nghị khen thưởng nộp trong kỳ", times.total.dossiers, None),
        ("  Trong đó thẩm định quá hạn", times.total.appraisal.over_norm, None),
    ]
    row = 5
    for label, count, share in lines:
        w.text(sheet, row, 0, label.strip(), w.indent(1) if label.startswith(" ") else w.bold)
        sheet.write_number(row, 1, count, w.int)
        w.number(sheet, row, 2, share, w.percent)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Tỷ lệ trong các lượt khen thưởng cá nhân", w.bold)
    row += 1
    w.headers(sheet, row, "shares")
    row += 1
    for name in figures.SHARES:
        w.text(sheet, row, 0, _share_label(name, period))
        sheet.write_number(row, 1, groups.get(name, 0), w.int)
        sheet.write_number(row, 2, _ratio(groups.get(name, 0), individuals), w.percent)
        row += 1
    sheet.write_string(row, 0, "Tổng số lượt khen thưởng cá nhân", w.total)
    sheet.write_number(row, 1, individuals, w.total_int)


def _share_label(name: str, period: figures.Period) -> str:
    return SHARE_LABELS[name].format(age=figures.YOUNG_BELOW, year=period.year)


def _by_award(w: Writer, awards: list[AwardRow]) -> None:
    sheet = w.table(SHEETS[1], "awards")
    for i, award in enumerate(awards, start=1):
        sheet.write_number(i, 0, i)
        w.text(sheet, i, 1, award.code)
        w.text(sheet, i, 2, award.name)
        w.text(sheet, i, 3, award.level)
        w.text(sheet, i, 4, award.form)
        w.text(sheet, i, 5, award.subject)
        sheet.write_number(i, 6, award.count, w.int)
    last = len(awards)
    total_row = last + 1
    sheet.write_string(total_row, 2, TOTAL, w.total)
    for col in (0, 1, 3, 4, 5):
        sheet.write_blank(total_row, col, None, w.total)
    w.sum_row(sheet, total_row, 6, 1, last, sum(a.count for a in awards))
    # subtotals by level and by form, as SUMIF over the table (values computed here too)
    row = total_row + 2
    sheet.write_string(row, 2, "Theo cấp và loại", w.bold)
    row += 1
    span = f"{{col}}2:{{col}}{last + 1}"
    for col, labels in ((3, LEVEL_LABELS.values()), (4, FORM_LABELS.values())):
        for label in labels:
            value = sum(a.count for a in awards if (a.level if col == 3 else a.form) == label)
            w.text(sheet, row, 2, label)
            criteria = span.format(col=_cell(col))
            counts = span.format(col=_cell(6))
            sheet.write_formula(row, 6, f'=SUMIF({criteria},"{label}",{counts})', w.int, value)
            row += 1
    chart = w.book.add_chart({"type": "column"})
    chart.add_series({"name": "Số lượt khen thưởng", "categories": [SHEETS[1], 1, 2, last, 2],
                      "values": [SHEETS[1], 1, 6, last, 6], "data_labels": {"value": True}})
    chart.set_title({"name": "Số lượt khen thưởng theo danh hiệu, hình thức"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_size({"width": 820, "height": 420})
    sheet.insert_chart(1, 8, chart)


def _by_unit(w: Writer, units: list[UnitRow]) -> None:
    sheet = w.table(SHEETS[2], "units")
    for i, unit in enumerate(units, start=1):
        sheet.write_number(i, 0, i)
        w.text(sheet, i, 1, unit.code)
        w.text(sheet, i, 2, unit.name, w.indent(unit.depth))
        sheet.write_number(i, 3, unit.depth + 1)
        w.text(sheet, i, 4, "x" if unit.grassroots else None)
        sheet.write_number(i, 5, unit.own, w.int)
        sheet.write_number(i, 6, unit.with_descendants, w.int)
    last = len(units)
    total_row = last + 1
    sheet.write_string(total_row, 2, TOTAL, w.total)
    for col in (0, 1, 3, 4):
        sheet.write_blank(total_row, col, None, w.total)
    w.sum_row(sheet, total_row, 5, 1, last, sum(u.own for u in units))
    roots = sum(u.with_descendants for u in units if u.depth == 0)  # each award counted once, at its root
    if last:
        sheet.write_formula(total_row, 6, f"=SUMIF(D2:D{last + 1},1,G2:G{last + 1})", w.total_int, roots)
    else:
        sheet.write_number(total_row, 6, 0, w.total_int)
    sheet.autofilter(0, 0, max(last, 1), len(HEADERS["units"]) - 1)


def _shares(w: Writer, period: figures.Period, individuals: int, groups: dict[str, int]) -> None:
    sheet = w.table(SHEETS[3], "shares")
    for i, name in enumerate(figures.SHARES, start=1):
        w.text(sheet, i, 0, _share_label(name, period))
        sheet.write_number(i, 1, groups.get(name, 0), w.int)
        sheet.write_number(i, 2, _ratio(groups.get(name, 0), individuals), w.percent)
    row = len(figures.SHARES) + 1
    sheet.write_string(row, 0, "Tổng số lượt khen thưởng cá nhân", w.total)
    sheet.write_number(row, 1, individuals, w.total_int)
    sheet.write_blank(row, 2, None, w.total)
    sheet.write_string(row + 2, 0, "Tỷ lệ = số lượt khen thưởng cá nhân của nhóm / tổng số lượt khen thưởng cá nhân "
                                    "trong kỳ (một người có thể thuộc nhiều nhóm).", w.italic)
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series({"name": "Tỷ lệ", "categories": [SHEETS[3], 1, 0, row - 1, 0],
                      "values": [SHEETS[3], 1, 2, row - 1, 2], "data_labels": {"value": True, "num_format": "0.0%"}})
    chart.set_title({"name": "Tỷ lệ trong các lượt khen thưởng cá nhân"})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_y_axis({"reverse": True})
    chart.set_size({"width": 720, "height": 360})
    sheet.insert_chart(1, 4, chart)


def _campaigns(w: Writer, campaigns: list[CampaignRow]) -> None:
    sheet = w.table(SHEETS[4], "campaigns")
    for i, campaign in enumerate(campaigns, start=1):
        sheet.write_number(i, 0, i)
        w.text(sheet, i, 1, campaign.title)
        w.text(sheet, i, 2, campaign.kind)
        w.text(sheet, i, 3, campaign.organizer)
        w.day(sheet, i, 4, campaign.starts_on)
        w.day(sheet, i, 5, campaign.ends_on)
        w.text(sheet, i, 6, campaign.status)
        sheet.write_number(i, 7, campaign.expected, w.int)
        sheet.write_number(i, 8, campaign.registered, w.int)
        sheet.write_number(i, 9, _ratio(campaign.registered, campaign.expected), w.percent)
    last = len(campaigns)
    total_row = last + 1
    sheet.write_string(total_row, 1, TOTAL, w.total)
    for col in (0, 2, 3, 4, 5, 6):
        sheet.write_blank(total_row, col, None, w.total)
    expected, registered = sum(c.expected for c in campaigns), sum(c.registered for c in campaigns)
    w.sum_row(sheet, total_row, 7, 1, last, expected)
    w.sum_row(sheet, total_row, 8, 1, last, registered)
    r = total_row + 1
    sheet.write_formula(total_row, 9, f"=IF(H{r}=0,0,I{r}/H{r})", w.total_percent, _ratio(registered, expected))
    if not campaigns:
        sheet.write_string(total_row + 2, 1, "Không có phong trào thi đua nào được phát động trong năm.", w.italic)


def _times(w: Writer, times: processing.Times) -> None:
    sheet = w.table(SHEETS[5], "times")

    def write(row: int, label: str, t: processing.AwardTimes, total: bool) -> None:
        integer, decimal = (w.total_int, w.total_decimal) if total else (w.int, w.decimal)
        w.text(sheet, row, 0, label, w.total if total else None)
        values = (t.dossiers, t.pending, t.appraisal.count, t.returned, t.appraisal.median, t.appraisal.maximum,
                  t.appraisal.over_norm, t.decision.count, t.decision.median, t.decision.maximum, t.decision.over_norm)
        for col, value in enumerate(values, start=1):
            fmt = decimal if col in (5, 9) else integer
            if value is None:
                sheet.write_blank(row, col, None, fmt)
            else:
                sheet.write_number(row, col, value, fmt)

    for i, award in enumerate(times.by_award, start=1):
        write(i, catalog.award_name(award.award_code), award, False)
    row = len(times.by_award) + 1
    write(row, TOTAL, times.total, True)
    norms = times.norms
    notes = (
        "Số ngày làm việc (không kể thứ Bảy, Chủ nhật, ngày lễ) tính từ lần nộp hồ sơ gần nhất trong kỳ.",
        f"Định mức: trả lại hồ sơ chưa đủ điều kiện trong {norms['return_days']} ngày làm việc; thẩm định trong "
        f"{norms['appraisal_days']} ngày làm việc; từ thẩm định đạt đến quyết định khen thưởng trong "
        f"{norms['forward_days']} ngày làm việc.",
    )
    for n, note in enumerate(notes, start=row + 2):
        sheet.write_string(n, 0, note, w.italic)


def _list(w: Writer, period: figures.Period, tick=None, scope: figures.Scope | None = None) -> int:
    """The list sheet(s), streamed: never more than one batch of rows in memory. Returns the row count.
    `tick(rows written)` is called every PROGRESS_ROWS rows."""
    names: dict[str, str] = {}
    count, part, sheet, row = 0, 1, None, 0
    write_string, write_number = None, None
    date_format = w.date
    for name, unit, code, year, number, decided, gold in list_rows(period, scope):
        if sheet is None or row > MAX_LIST_ROWS:
            sheet = w.table(SHEETS[6] if part == 1 else f"{SHEETS[6]} ({part})", "list")
            write_string, write_number = sheet.write_string, sheet.write_number
            part, row = part + 1, 1
        count += 1
        write_number(row, 0, count)
        write_string(row, 1, name)
        if unit:
            write_string(row, 2, unit)
        award = names.get(code)
        if award is None:
            award = names[code] = catalog.award_name(code)
        write_string(row, 3, award)
        write_number(row, 4, year)
        write_string(row, 5, number)
        write_number(row, 6, decided.toordinal() - _EXCEL_EPOCH, date_format)
        if gold:
            write_string(row, 7, gold)
        row += 1
        if tick is not None and count % PROGRESS_ROWS == 0:
            tick(count)
    if sheet is None:
        sheet = w.table(SHEETS[6], "list")
        sheet.write_string(1, 1, "Không có khen thưởng nào trong kỳ.", w.italic)
    return count


def build(period: figures.Period, progress: Callable[[int, str], None] | None = None, *,
          scope: figures.Scope | None = None, extra_sheets: Sequence[Callable[[Writer], None]] = ()) -> bytes:
    """The period's report workbook as .xlsx bytes; ValueError (Vietnamese message) for an invalid period.

    With `scope`, every figure, campaign, dossier and listed award is that scope's units' only (a unit's report
    upward, the Sở's consolidated report); `extra_sheets` write their sheets after the cover.

    `progress(percent, phase)`, if given, hears how far it got: "figures" (5), "sheets" (30), "list" (40 to 95,
    as the rows are written, against the period's award count), "file" (95). It must not touch the session:
    the list is streamed from it."""
    check_period(period)
    step = progress or (lambda percent, phase: None)
    step(5, "figures")
    counts = period_counts(period, scope)
    awards, subjects, units = award_rows(counts.by_award), counts.by_subject, unit_rows(counts.by_unit, scope)
    individuals, groups = counts.individuals, counts.groups
    campaigns = campaign_rows(period.year, scope)
    times = processing.processing_times(period.start, period.end,
                                        unit_ids=scope.ids() if scope is not None else None)
    step(30, "sheets")
    expected = sum(subjects.values())
    with tempfile.TemporaryDirectory(prefix="awards-report-") as tmp:
        path = os.path.join(tmp, "report.xlsx")
        book = new_workbook(path, {"constant_memory": True, "in_memory": False, "tmpdir": tmp})
        try:
            writer = Writer(book)
            _cover(writer, period, awards, subjects, units, individuals, groups, campaigns, times, scope)
            for sheet in extra_sheets:
                sheet(writer)
            _by_award(writer, awards)
            _by_unit(writer, units)
            _shares(writer, period, individuals, groups)
            _campaigns(writer, campaigns)
            _times(writer, times)
            step(40, "list")
            _list(writer, period, lambda rows: step(40 + 55 * min(rows, expected) // max(expected, 1), "list"),
                  scope)
        finally:
            book.close()
        step(95, "file")
        with open(path, "rb") as handle:
            return handle.read()
