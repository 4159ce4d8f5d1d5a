"""`flask council …`: the council's periodic commands (cron or a systemd timer runs them)."""

import click
from flask.cli import AppGroup

from awards.council import notices
from awards.extensions import db

cli = AppGroup("council", help="Hội đồng thi đua, khen thưởng: các việc chạy định kỳ.")


@cli.command("remind-ballots")
def remind_ballots():
    """Nhắc thành viên chưa bỏ phiếu khi phiên họp còn dưới 24 giờ (mỗi người một lần mỗi phiên); in số đã nhắc."""
    notes = notices.remind_ballots()
    db.session.commit()
    click.echo(f"reminded {len(notes)}")
