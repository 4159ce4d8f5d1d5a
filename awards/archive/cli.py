"""`flask archive verify` (CONTRACT §1)."""

import sys

import click
from flask.cli import AppGroup

from awards.archive.services import verify_chain

cli = AppGroup("archive", help="Kho lưu trữ khen thưởng.")


@cli.command("verify")
def verify():
    """Kiểm tra chuỗi băm của kho lưu trữ: `OK <n> records` hoặc thoát 1 và nêu bản ghi hỏng đầu tiên."""
    count, broken_id, problem = verify_chain()
    if broken_id is not None:
        click.echo(f"BROKEN at record {broken_id}: {problem} ({count} records verified before it)")
        sys.exit(1)
    click.echo(f"OK {count} records")
