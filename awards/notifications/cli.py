"""`flask notifications send`: mail the pending notifications; Huey's scheduler runs the same function every
5 minutes (PERIODIC, core/jobs.py)."""

import click
from flask.cli import AppGroup

from awards.notifications.mail import deliver_pending

cli = AppGroup("notifications", help="Thông báo: gửi thư điện tử các thông báo đang chờ.")


PERIODIC = ("send_notifications", {"minute": "*/5"}, deliver_pending)


@cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Số thông báo tối đa gửi trong lần chạy này.")
def send(limit):
    """Gửi thư điện tử các thông báo đang chờ (cần MAIL_SERVER); in số đã gửi, lỗi, bỏ qua."""
    result = deliver_pending(limit=limit)
    click.echo(f"sent {result['sent']} failed {result['failed']} skipped {result['skipped']}")
    if result.get("error"):
        click.echo(result["error"], err=True)
