"""A cluster year's scoring table as an Excel workbook (core/xlsx.new_workbook): one row per member with its own
and the cluster's points per criterion, the weighted totals and the rank; the vote below when recorded."""

from io import BytesIO

from flask_babel import gettext as _

from awards.clusters.queries import scoring_table
from awards.core.xlsx import new_workbook, write_rows

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers(cluster) -> list[str]:
    columns = [_("Xếp hạng"), _("Mã đơn vị"), _("Đơn vị")]
    for index, criterion in enumerate(cluster.criteria, start=1):
        label = f"{index}. {criterion.text} (×{criterion.weight:g}, ≤{criterion.max_points:g})"
        columns += [_("%(c)s – tự chấm", c=label), _("%(c)s – cụm, khối chấm", c=label)]
    return columns + [_("Tổng điểm tự chấm"), _("Tổng điểm cụm, khối chấm")]


def rows(cluster) -> list[list]:
    result = []
    for row in scoring_table(cluster):
        line = [row.rank, row.member.unit.code, row.member.unit.name]
        for criterion in cluster.criteria:
            line += [row.own.get(criterion.id), row.cluster.get(criterion.id)]
        result.append(line + [row.own_total, row.total])
    return result


def scoring_workbook(cluster) -> bytes:
    buffer = BytesIO()
    book = new_workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    sheet = book.add_worksheet(_("Bảng điểm")[:31])
    sheet.write_string(0, 0, f"{cluster.name} – {_('năm')} {cluster.year}", bold)
    for col, title in enumerate(headers(cluster)):
        sheet.write_string(2, col, title, header)
        sheet.set_column(col, col, 14 if col != 2 else 32)
    sheet.freeze_panes(3, 3)
    row = write_rows(sheet, 3, rows(cluster))
    vote = cluster.vote
    if vote is not None:
        row = write_rows(sheet, row + 1, [
            [_("Bình bầu ngày"), vote.voted_on.strftime("%d/%m/%Y")], [_("Số đơn vị (người) bỏ phiếu"), vote.voters],
            [_("Đơn vị dẫn đầu"), vote.leading_unit.name]])
        write_rows(sheet, row, [[c.unit.name, _("Đồng ý"), c.votes_for, _("Không đồng ý"), c.votes_against]
                                for c in vote.counts])
    book.close()
    return buffer.getvalue()
