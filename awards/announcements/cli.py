"""`flask archive gold-book-duplicates`: the gold-book numbers given more than once in one book (RULES §8), for the
secretariat to correct by decision. Exit 0 when there are none, 1 when it lists some."""

import sys

import click

from awards.announcements import goldbook
from awards.archive.cli import cli


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
