"""The yearly statistical forms of the emulation and commendation field (biểu 0601.N–0605.N/BNV-TĐKT, chế độ báo
cáo thống kê ngành Nội vụ, Thông tư 02/2023/TT-BNV ngày 23/3/2023), one sheet per form laid out as the form is,
filled from the archive and the campaigns (reads only). docs/STATISTICS.md says which source the layout matches
and why each cell it cannot fill says so.

    0601.N  Số phong trào thi đua — by launching level (columns), scope, duration and method (rows).
    0602.N  Số lượng khen thưởng cấp Nhà nước — per kind of state award, collectives and individuals (columns),
            by who proposed it, by recipient group and by method (rows).
    0603.N  Số lượng khen thưởng cấp bộ, ban, ngành, đoàn thể Trung ương và tỉnh — Bằng khen, Chiến sĩ thi đua,
            Cờ thi đua, Huy hiệu / Kỷ niệm chương (columns), the same rows.
    0604.N  Số lượng tổ chức làm công tác thi đua, khen thưởng — and
    0605.N  Số lượng công chức làm công tác thi đua, khen thưởng: the personnel records of the Sở Nội vụ / Ban
            Thi đua – Khen thưởng, which this system does not keep: laid out, every cell "Chưa có dữ liệu".

The reporting period of the field is 01/12 of the year before to 30/11 of the year (awards by decision date,
campaigns by start date); the forms are received on 15 December of the year.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

from sqlalchemy import func, select

from awards.archive.models import AwardRecord, Entry
from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.clusters.models import Cluster, ClusterStatus
from awards.core.replica import read_session
from awards.core.xlsx import new_workbook
from awards.reports import figures
from awards.reports.statistics_layout import NO_DATA, Column, Form, Line, formats, write_form
from awards.reports.workbook import check_period
from awards.units.models import OccupationGroup, Person, Unit

try:  # the prize-money helper (issue 25) may not be installed yet: the annex then says so
    from awards.prizes.queries import prize_totals
except ImportError:  # pragma: no cover - depends on which features are installed
    prize_totals = None

__all__ = ["NO_DATA", "statistics_workbook", "reporting_period"]

TEXT = "Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
RECEIVER = "Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)"
HONORARY = ("Bà mẹ Việt Nam", "Anh hùng", "Nhà giáo", "Thầy thuốc", "Nghệ sĩ", "Nghệ nhân")  # danh hiệu vinh dự
KIND_ROWS = (("regular", "- Thường xuyên"), ("thematic", "- Chuyên đề"), ("adhoc", "- Đột xuất"))


def reporting_period(year: int) -> tuple[date, date]:
    """01/12 of the year before to 30/11 of the year: the field's statistical year (TT 02/2023/TT-BNV)."""
    return date(year - 1, 12, 1), date(year, 11, 30)


# --- the data -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Awarded:
    """Live awards of the period that share these facts, and how many there are."""

    award_code: str
    individual: bool
    kind: str
    group: str | None
    frontline: bool
    foreign: bool  # a foreign person, or a foreign organisation
    enterprise: bool  # a collective that is an enterprise
    count: int

    @property
    def direct(self) -> bool:
        """Row "người trực tiếp…": the recorded group, or the frontline flag where no group is recorded."""
        return self.group == OccupationGroup.direct_worker or (self.group is None and self.frontline)


def awarded(year: int) -> list[Awarded]:
    """The period's live awards, grouped by what the forms tell apart (a collective's unit is the record's)."""
    first, last = reporting_period(year)
    facts = (AwardRecord.award_code, AwardRecord.subject_type, AwardRecord.kind, Person.occupation_group,
             Person.frontline, Person.foreign_national, Unit.enterprise, Unit.foreign_organisation)
    rows = read_session().execute(
        select(*facts, func.count())
        .select_from(AwardRecord).outerjoin(Person, Person.id == AwardRecord.person_id)
        .join(Unit, Unit.id == AwardRecord.unit_id)
        .where(AwardRecord.entry != Entry.revocation.value, ~AwardRecord.revoked, ~AwardRecord.superseded,
               AwardRecord.decision_date.between(first, last))
        .group_by(*facts))
    result = []
    for code, subject, kind, group, frontline, foreign, enterprise, foreign_org, n in rows:
        person = subject == "person"
        result.append(Awarded(code, person, kind, group.value if group else None, bool(frontline),
                              bool(foreign) if person else bool(foreign_org), not person and bool(enterprise), n))
    return result


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def duration_row(starts_on: date, ends_on: date) -> str:
    """The campaign's duration class: "1 năm" is exactly one year (01/01–31/12), shorter is "dưới 1 năm"."""
    after = ends_on + timedelta(days=1)
    if after < _add_years(starts_on, 1):
        return "under_1"
    if after == _add_years(starts_on, 1):
        return "1"
    if after < _add_years(starts_on, 3):
        return "1_3"
    return "3_5" if after < _add_years(starts_on, 5) else "5_plus"


def launched_campaigns(year: int) -> list[tuple[str, str, str]]:
    """(kind, duration class, scope) of every campaign (not a draft) that starts in the period, and of every cụm,
    khối of the year whose pledge is past its draft: a cluster's yearly emulation under its pledge (giao ước) is
    one regular movement of one year, organised by the cluster (Law 06/2022 Art 16.2.c, "cụm, khối thi đua")."""
    first, last = reporting_period(year)
    rows = read_session().execute(
        select(Campaign.kind, Campaign.starts_on, Campaign.ends_on)
        .where(Campaign.status != "draft", Campaign.starts_on.between(first, last))).all()
    result = [(kind, duration_row(starts_on, ends_on), "unit") for kind, starts_on, ends_on in rows]
    clusters = read_session().scalar(
        select(func.count(Cluster.id)).where(Cluster.year == year, Cluster.status != ClusterStatus.draft.value))
    return result + [("regular", "1", "cluster")] * (clusters or 0)


def reporting_unit() -> str:
    """The top of the unit tree when there is one top unit (the agency that reports)."""
    roots = read_session().scalars(
        select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(2)).all()
    return roots[0] if len(roots) == 1 else ""


# --- which column an award type counts in ---------------------------------------------------------------------

def state_class(award) -> str | None:
    """The column group of biểu 0602.N a state award counts in; None: not a state award."""
    if award.level != "national":
        return None
    name = award.name
    if name.startswith(("Huân chương", "Huy chương")):
        return "orders"
    if name.startswith("Giải thưởng Hồ Chí Minh"):
        return "prize_hcm"
    if name.startswith("Giải thưởng Nhà nước"):
        return "prize_state"
    if name.startswith(HONORARY):
        return "honorary"
    if award.code == "CO_CP" or name.startswith("Cờ thi đua của Chính phủ"):
        return "flag"
    if award.code == "BK_TTG" or name.startswith("Bằng khen của Thủ tướng"):
        return "pm"
    if award.code == "CSTD_TQ" or name.startswith("Chiến sĩ thi đua toàn quốc"):
        return "cstd"
    return "other"


def provincial_class(award) -> str | None:
    """The column of biểu 0603.N a minister's or the province's award counts in; None: the form has none for it
    (e.g. Tập thể lao động xuất sắc, a title the form does not list)."""
    if award.level not in ("provincial", "ministerial"):
        return None
    name = award.name
    for prefix, column in (("Bằng khen", "bk"), ("Chiến sĩ thi đua", "cstd"), ("Cờ thi đua", "flag"),
                           ("Kỷ niệm chương", "badge"), ("Huy hiệu", "badge")):
        if name.startswith(prefix):
            return column
    return None


# --- the rows shared by 0602.N and 0603.N -------------------------------------------------------------------------

def subject_rows(first_code: int, section: int) -> list[Line]:
    """"Chia theo đối tượng khen thưởng" and "Chia theo phương thức khen thưởng": sections `section` and the next,
    rows coded from `first_code` on."""
    group = lambda value: lambda a: a.individual and a.group == value  # noqa: E731
    rows = [
        ("- Tập thể", "Tập thể", lambda a: not a.individual),
        ("Trong đó: Doanh nghiệp", "Doanh nghiệp", lambda a: a.enterprise),
        ("- Hộ gia đình", "Hộ", lambda a: False),  # the archive's collectives are units of the tree
        ("- Cá nhân", "Người", lambda a: a.individual),
        ("+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "Người", group("leader_central")),
        ("+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "Người", group("leader_department")),
        ("+ Doanh nhân", "Người", group("businessperson")),
        ("+ Các cấp lãnh đạo khác từ phó phòng trở lên", "Người", group("leader_other")),
        ("+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,...)",
         "Người", lambda a: a.individual and a.direct),
    ]
    methods = [*((label, "", lambda a, k=kind: a.kind == k and not a.foreign) for kind, label in KIND_ROWS),
               ("- Đối ngoại", "", lambda a: a.foreign),
               ("- Cống hiến", "", None), ("- Niên hạn", "", None), ("- Kháng chiến", "", None)]
    lines = [Line(f"{section}. Chia theo đối tượng khen thưởng", heading=True)]
    code = first_code
    for label, unit, keep in rows:
        lines.append(Line(label, f"{code:02d}", unit, keep))
        code += 1
    lines.append(Line(f"{section + 1}. Chia theo phương thức khen thưởng", heading=True))
    for label, unit, keep in methods:
        lines.append(Line(label, f"{code:02d}", unit, keep))
        code += 1
    return lines


# --- the forms --------------------------------------------------------------------------------------------------

SPLIT_0601 = "Số phong trào thi đua chia theo cấp chủ trì phát động thi đua"


def form_0601(campaigns: list[tuple[str, str]]) -> Form:
    columns = [Column("Tổng số", "1=(2+3+4)", total=True),
               Column("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)", "2", group=SPLIT_0601,
                      keep=lambda c: False),
               Column("Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương", "3",
                      group=SPLIT_0601, keep=lambda c: False),
               Column("Cơ quan, tổ chức, đơn vị", "4", group=SPLIT_0601, keep=lambda c: True)]
    lines = [Line("Tổng số", "01", keep=lambda c: True, bold=True),
             Line("1. Chia theo phạm vi tổ chức thi đua", heading=True),
             Line("- Toàn quốc", "02", keep=lambda c: False),
             Line("- Bộ, ban, ngành đoàn thể, địa phương", "03", keep=lambda c: False),
             Line("- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", "04",
                  keep=lambda c: c[2] == "cluster"),
             Line("- Cơ quan, tổ chức, đơn vị", "05", keep=lambda c: c[2] == "unit"),
             Line("2. Chia theo thời hạn thi đua", heading=True)]
    for code, (duration, label) in enumerate((("under_1", "- Dưới 1 năm"), ("1", "- 1 năm"),
                                              ("1_3", "- Từ 1 năm đến dưới 3 năm"),
                                              ("3_5", "- Từ 3 năm đến dưới 5 năm"),
                                              ("5_plus", "- Từ 5 năm trở lên")), start=6):
        lines.append(Line(label, f"{code:02d}", keep=lambda c, d=duration: c[1] == d))
    lines += [Line("3. Chia theo phương thức tổ chức phong trào thi đua", heading=True),
              Line("- Thi đua theo chuyên đề", "11", keep=lambda c: c[0] == "thematic"),
              Line("- Thi đua thường xuyên hàng năm", "12", keep=lambda c: c[0] == "regular")]
    return Form("0601.N", "SỐ PHONG TRÀO THI ĐUA", columns, lines, [(c, 1) for c in campaigns],
                unit_of_measure="Phong trào", unit_column=False)


def form_0602(awards: list[Awarded], types: dict) -> Form:
    classes = {code: state_class(award) for code, award in types.items()}
    named = lambda cls: [award for code, award in types.items() if classes[code] == cls]  # noqa: E731

    def pair(group_title, number, award, sub_title):
        both = []
        for label, individual in (("Tập thể", False), ("Cá nhân", True)):
            code = award.code if award else None
            both.append(Column(label, number, group=group_title, sub=sub_title,
                               keep=lambda a, c=code, i=individual: a.award_code == c and a.individual == i))
        return both

    def dynamic(group_title, number, cls):
        awards_ = named(cls)
        if not awards_:
            return pair(group_title, number, None, "")
        return [col for award in awards_ for col in pair(group_title, number, award, award.name)]

    def single(title, number, cls, label):
        codes = {award.code for award in named(cls)}
        return [Column(label, number, group=title, keep=lambda a, c=frozenset(codes): a.award_code in c)]

    pm = {award.code for award in named("pm")}
    columns = [Column("Tổng số", "1", total=True),
               *dynamic("Các loại huân chương, huy chương", "2", "orders"),
               *single("Giải thưởng Hồ Chí Minh", "3", "prize_hcm", "Cá nhân"),
               *single("Giải thưởng Nhà nước", "4", "prize_state", "Cá nhân"),
               *dynamic("Danh hiệu vinh dự nhà nước", "5", "honorary"),
               *single("Cờ thi đua của Chính phủ", "6", "flag", "Tập thể"),
               Column("Tập thể", "7", group="Bằng khen của Thủ tướng Chính phủ",
                      keep=lambda a: a.award_code in pm and not a.individual),
               Column("Cá nhân", "7", group="Bằng khen của Thủ tướng Chính phủ",
                      keep=lambda a: a.award_code in pm and a.individual),
               *single("Chiến sĩ thi đua Toàn quốc", "8", "cstd", "Cá nhân"),
               *dynamic("Các hình thức khen thưởng khác", "9", "other")]
    lines = [Line("Tổng số", "01", keep=lambda a: True, bold=True),
             Line("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng", heading=True),
             Line("- Bộ, ban, ngành, đoàn thể Trung ương", "02", "Bộ, ngành", keep=lambda a: False),
             Line("- Tỉnh, thành phố trực thuộc Trung ương", "03", "Tỉnh, TP", keep=lambda a: True),
             *subject_rows(6, 2)]
    counted = [(a, a.count) for a in awards if classes.get(a.award_code)]
    return Form("0602.N", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC", columns, lines, counted,
                split_title="Chia ra", header_rows=4)


def form_0603(awards: list[Awarded], types: dict) -> Form:
    classes = {code: provincial_class(award) for code, award in types.items()}
    column = lambda title, number, cls: Column(  # noqa: E731
        title, number, group="Chia ra", keep=lambda a: classes.get(a.award_code) == cls)
    columns = [Column("Tổng số", "1", total=True),
               column("Bằng khen", "2", "bk"),
               column("Chiến sĩ thi đua cấp bộ, cấp tỉnh", "3", "cstd"),
               column("Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
                      "4", "flag"),
               column("Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực "
                      "thuộc Trung ương", "5", "badge")]
    lines = [Line("Tổng số", "01", keep=lambda a: True, bold=True), *subject_rows(2, 1)]
    counted = [(a, a.count) for a in awards if classes.get(a.award_code)]
    return Form("0603.N", "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ "
                "TRỰC THUỘC TRUNG ƯƠNG", columns, lines, counted)


def form_0604() -> Form:
    lines = [Line("Tổng số", "01", "Tổ chức", bold=True),
             Line("Chia theo cơ cấu tổ chức bộ máy", heading=True),
             Line("- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "02", "Vụ"),
             Line("- Cấp phòng, ban hoặc bộ phận thuộc Vụ", "03", "Phòng"),
             Line("- Cấp ban thuộc Sở Nội vụ", "04", "Ban"),
             Line("- Cấp phòng thuộc Sở Nội vụ", "05", "Phòng")]
    return Form("0604.N", "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG "
                "ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG", [Column("Số lượng", "1")], lines, [])


def form_0605() -> Form:
    split = "Số lượng (Người)"
    lines = [Line("Tổng số", "01", bold=True), Line("1. Chia theo độ tuổi", heading=True)]
    groups = (("- Từ 30 trở xuống", "- Từ 31 đến 40", "- Từ 41 đến 50", "- Từ 51 đến 55", "- Từ 56 đến 60",
               "- Trên 60 tuổi"),
              ("- Sơ cấp", "- Trung cấp", "- Cao đẳng", "- Đại học", "- Trên đại học"),
              ("- Dưới 5 năm", "- Từ 5 đến 10 năm", "- Từ 10 năm trở lên"))
    headings = ("2. Chia theo trình độ đào tạo",
                "3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng")
    code = 2
    for number, labels in enumerate(groups):
        if number:
            lines.append(Line(headings[number - 1], heading=True))
        for label in labels:
            lines.append(Line(label, f"{code:02d}"))
            code += 1
    return Form("0605.N", "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH ĐOÀN THỂ TRUNG "
                "ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
                [Column("Tổng số", "1", group=split), Column("Trong đó: Nữ", "2", group=split)], lines, [],
                unit_column=False)


def _prize_sheet(book, f, year: int, types: dict) -> None:
    """An annex, not one of the forms: the prize money of the year's awards per award type, from issue 25's
    prize-money feature (the forms of TT 02/2023 have no money column)."""
    sheet = book.add_worksheet("Tiền thưởng")
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 2, 20)
    sheet.write_string(0, 0, f"TIỀN THƯỞNG THEO DANH HIỆU, HÌNH THỨC KHEN THƯỞNG NĂM {year}", f["title_left"])
    sheet.write_string(1, 0, "Phụ lục của hệ thống, không thuộc các biểu của " + TEXT, f["italic"])
    sheet.write_string(2, 0, f"Theo ngày ký quyết định khen thưởng từ 01/01/{year} đến 31/12/{year} (không theo kỳ "
                             "báo cáo của các biểu)", f["italic"])
    if prize_totals is None:
        sheet.write_string(4, 0, NO_DATA + ": chức năng tiền thưởng chưa được cài đặt.", f["no_data_left"])
        return
    for col, title in enumerate(("Mã", "Danh hiệu / hình thức khen thưởng", "Tiền thưởng (đồng)")):
        sheet.write_string(4, col, title, f["header"])
    totals = prize_totals(year)
    row = 5
    for code, amount in totals.items():
        sheet.write_string(row, 0, code, f["cell"])
        sheet.write_string(row, 1, types[code].name if code in types else code, f["cell"])
        sheet.write_number(row, 2, amount, f["int"])
        row += 1
    sheet.write_string(row, 1, "Tổng cộng", f["bold_cell"])
    sheet.write_number(row, 2, sum(totals.values()), f["bold_int"])


def statistics_workbook(year: int) -> bytes:
    """The five forms for `year` (01/12 of the year before to 30/11), and the prize-money annex."""
    check_period(figures.Period(year))
    types = catalog.award_types(inactive=True)  # a type deactivated since still names the year's awards
    awards = awarded(year)
    first, last = reporting_period(year)
    header = {"unit": reporting_unit(), "receiver": RECEIVER, "text": TEXT,
              "period": f"Kỳ báo cáo: từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"}
    buffer = BytesIO()
    book = new_workbook(buffer, {"in_memory": True})
    try:
        f = formats(book)
        for form in (form_0601(launched_campaigns(year)), form_0602(awards, types), form_0603(awards, types),
                     form_0604(), form_0605()):
            write_form(book, f, form, header)
        _prize_sheet(book, f, year, types)
    finally:
        book.close()
    return buffer.getvalue()
