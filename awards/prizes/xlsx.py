"""The reward-fund ledger as an Excel workbook: one row per line with its running balance, then the totals, which
balance (allocated − spent = balance) as the page shows them. "Thu" holds allocations and adjustments (an
adjustment may be negative), "Chi" each decision's prize money."""

from io import BytesIO

from flask_babel import gettext as _

from awards.core.xlsx import new_workbook, write_rows
from awards.prizes.models import EntryKind
from awards.prizes.queries import OPENING, SPENDING, Ledger

MONEY = "#,##0"


def kind_label(kind: str) -> str:
    if kind == SPENDING:
        return _("Chi tiền thưởng")
    return _("Số dư chuyển sang") if kind == OPENING else str(EntryKind(kind).label)


def ledger_workbook(ledger: Ledger) -> bytes:
    buffer = BytesIO()
    book = new_workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money, total = book.add_format({"num_format": MONEY}), book.add_format({"num_format": MONEY, "bold": True})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet(_("Sổ quỹ"))
    title = _("SỔ QUỸ THI ĐUA, KHEN THƯỞNG — %(u)s", u=ledger.unit.name)
    sheet.write_string(0, 0, f"{title} — {_('NĂM %(y)s', y=ledger.year)}" if ledger.year else title, bold)
    titles = (_("Ngày"), _("Loại"), _("Nội dung"), _("Chứng từ, quyết định"), _("Thu (đồng)"), _("Chi (đồng)"),
              _("Số dư (đồng)"))
    for col, (title, width) in enumerate(zip(titles, (12, 22, 48, 28, 16, 16, 16), strict=True)):
        sheet.write_string(2, col, title, header)
        sheet.set_column(col, col, width, money if col >= 4 else None)
    sheet.freeze_panes(3, 0)
    rows = [(line.day, kind_label(line.kind), line.description, line.source,
             None if line.kind == SPENDING else line.amount, -line.amount if line.kind == SPENDING else None,
             line.balance)
            for line in ledger.lines]
    row = write_rows(sheet, 3, rows, dates)
    sheet.write_string(row, 2, _("Tổng cộng"), bold)
    sheet.write_number(row, 4, ledger.allocated, total)
    sheet.write_number(row, 5, ledger.spent, total)
    sheet.write_number(row, 6, ledger.balance, total)
    book.close()
    return buffer.getvalue()
