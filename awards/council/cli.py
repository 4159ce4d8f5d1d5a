"""`flask council …`: the council's periodic commands; Huey's scheduler runs the same functions (PERIODIC)."""

import click
from flask.cli import AppGroup

from awards.council import notices
from awards.extensions import db

cli = AppGroup("council", help="Hội đồng thi đua, khen thưởng: các việc chạy định kỳ.")


# every quarter of an hour: a member hears "24 giờ còn lại" within 15 minutes of the window opening, once
PERIODIC = ("remind_ballots", {"minute": "*/15"}, notices.remind_ballots)


@cli.command("remind-ballots")
def remind_ballots():
    """Nhắc thành viên chưa bỏ phiếu khi phiên họp còn dưới 24 giờ (mỗi người một lần mỗi phiên); in số đã nhắc."""
    notes = notices.remind_ballots()
    db.session.commit()
    click.echo(f"reminded {len(notes)}")
