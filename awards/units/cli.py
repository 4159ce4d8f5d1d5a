"""`flask units import KIND FILE [--dry-run]` (and `flask units import-tree FILE`): a Department's sheets from the
command line, through the same engine and guard as the pages and the API (issue 26). All rows or none; row errors
on stderr, one a line, and exit 1."""

import sys

import click
from flask.cli import AppGroup

from awards.core.db import DomainError
from awards.extensions import db
from awards.units import imports

cli = AppGroup("units", help="Đơn vị, cá nhân và dữ liệu hằng năm.")


def _run(kind_name: str, path: str, dry_run: bool) -> None:
    kind = imports.KINDS[kind_name]
    try:
        with open(path, "rb") as stream:
            result = imports.run_import(kind, stream, dry_run=dry_run, by=None)
    except DomainError as exc:
        db.session.rollback()
        click.echo(exc.message, err=True)
        sys.exit(1)
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            column = f" [{error['column']}]" if error.get("column") else ""
            click.echo(f"Dòng {error['row']}{column}: {error['message']}", err=True)
        click.echo(f"{len(result.errors)} lỗi, không có dòng nào được lưu.", err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"Tệp hợp lệ: {result.imported} dòng (chỉ kiểm tra, chưa lưu).")
        return
    db.session.commit()
    click.echo(f"Đã nhập {result.imported} dòng.")


@cli.command("import")
@click.argument("kind", type=click.Choice(list(imports.KINDS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không lưu gì.")
def import_sheet(kind, path, dry_run):
    """Nhập một tệp Excel theo mẫu: units, people, person-ratings, unit-ratings, disciplines, initiatives."""
    _run(kind, path, dry_run)


@cli.command("import-tree")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không lưu gì.")
def import_tree(path, dry_run):
    """Nhập cây đơn vị từ tệp Excel theo mẫu (như `flask units import units`)."""
    _run("units", path, dry_run)
