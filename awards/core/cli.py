"""`flask backup create PATH` and `flask backup restore PATH [--yes]`: the database and the uploads in one file."""

import sys

import click
from flask.cli import AppGroup

from awards.core import backup

cli = AppGroup("backup", help="Sao lưu và khôi phục cơ sở dữ liệu cùng các tệp đã tải lên.")


def _fail(message: str) -> None:
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(1)


@cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
def create(path):
    """Ghi bản sao lưu (.tar.gz) vào PATH; in `OK <PATH>` khi xong, chạy được khi ứng dụng đang hoạt động."""
    try:
        summary = backup.create_backup(path)
    except backup.BackupError as exc:
        _fail(exc.message)
    size = f"{summary.size:,}".replace(",", ".")
    click.echo(f"Đã sao lưu cơ sở dữ liệu (phiên bản {summary.revision or 'không rõ'}) và {summary.files} tệp, "
               f"{size} byte.", err=True)
    click.echo(f"OK {summary.path}")


@cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Đồng ý ghi đè dữ liệu đang có.")
def restore(path, yes):
    """Khôi phục từ PATH sau khi kiểm tra mã băm và phiên bản; cần --yes khi đang có dữ liệu."""
    try:
        manifest = backup.check_backup(path)
        if not yes and backup.has_data():
            _fail("cơ sở dữ liệu hoặc thư mục tệp đang có dữ liệu; khôi phục sẽ ghi đè tất cả. "
                  "Chạy lại với --yes nếu chắc chắn.")
        backup.restore_backup(path)
    except backup.BackupError as exc:
        _fail(exc.message)
    click.echo(f"Đã khôi phục bản sao lưu ngày {manifest['created_at']} ({len(manifest['files'])} tệp). "
               "Chạy `flask db upgrade` nếu phần mềm mới hơn bản sao lưu.", err=True)
    click.echo(f"OK {path}")
