"""`flask archive gold-book-duplicates`: the gold-book numbers given more than once in one book (RULES §8), for the
secretariat to correct by decision. Exit 0 when there are none, 1 when it lists some."""

import sys

import click
from flask.cli import AppGroup

from awards.announcements import goldbook, retention
from awards.archive.cli import cli
from awards.extensions import db

announcements = AppGroup("announcements", help="Niêm yết: dữ liệu cá nhân của người gửi ý kiến.")

# daily at 20:30 UTC (03:30 in Vietnam): the senders' data past its retention period is erased
PERIODIC = ("erase_feedback_contacts", {"minute": "30", "hour": "20"}, retention.erase_expired_contacts)


@announcements.command("erase-contacts")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Số ngày lưu giữ sau khi giải quyết (mặc định: FEEDBACK_CONTACT_RETENTION_DAYS).")
def erase_contacts(days):
    """Xoá họ tên và liên hệ của người gửi ý kiến đã giải quyết quá thời hạn lưu giữ (NĐ 13/2023)."""
    result = retention.erase_expired_contacts(days)
    db.session.commit()
    click.echo(f"erased {result['erased']} feedback senders' contacts")


@cli.command("gold-book-duplicates")
def gold_book_duplicates():
    """Liệt kê số sổ vàng bị trùng trong cùng một sổ (cùng cơ quan ban hành) để chỉnh lại bằng quyết định."""
    found = goldbook.duplicates()
    for group in found:
        click.echo(f"DUPLICATE book=\"{group['issuer']}\" number={group['number']}: {len(group['records'])} records")
        for record in group["records"]:
            revoked = " (revoked)" if record["revoked"] else ""
            click.echo(f"  record {record['id']}: decision {record['decision_number']} of "
                       f"{record['decision_date'].isoformat()}, {record['subject_name']}{revoked}")
    if found:
        click.echo(f"{len(found)} duplicated numbers")
        sys.exit(1)
    click.echo("OK no duplicated gold-book numbers")
