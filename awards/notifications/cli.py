"""`flask notifications send`: mail the pending notifications; Huey's scheduler runs the same function every
5 minutes (PERIODIC, core/jobs.py)."""

import sys

import click
from flask.cli import AppGroup

from awards.notifications.mail import deliver_pending, setting

cli = AppGroup("notifications", help="Thông báo: gửi thư điện tử các thông báo đang chờ.")


PERIODIC = ("send_notifications", {"minute": "*/5"}, deliver_pending)


@cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Số thông báo tối đa gửi trong lần chạy này.")
def send(limit):
    """Gửi thư điện tử các thông báo đang chờ (cần MAIL_SERVER); in số đã gửi, lỗi, bỏ qua."""
    if not setting("MAIL_SERVER"):  # said in one line, non-zero: whoever runs it by hand or from cron must know;
        # the scheduler's task calls deliver_pending itself, which keeps them pending quietly
        click.echo("mail is not configured (MAIL_SERVER is unset): nothing mailed, notifications stay in the "
                   "app's inbox; see docs/DEPLOY.md", err=True)
        sys.exit(1)
    result = deliver_pending(limit=limit)
    click.echo(f"sent {result['sent']} failed {result['failed']} skipped {result['skipped']}")
    if result.get("error"):
        click.echo(result["error"], err=True)
