"""`flask campaigns remind-deadlines`: tell the officers of units that have not registered that the
registration deadline is near. Huey's scheduler runs the same function every morning (PERIODIC, core/jobs.py)."""

from datetime import UTC, datetime, time, timedelta

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select

from awards.campaigns import queries
from awards.campaigns.models import Campaign
from awards.core import clock
from awards.extensions import db
from awards.notifications import queries as recipients
from awards.notifications.models import Notification
from awards.notifications.services import notify

cli = AppGroup("campaigns", help="Phong trào thi đua: nhắc hạn đăng ký.")
KIND = "deadline_approaching"


def _start_of_today_utc() -> datetime:
    return datetime.combine(clock.today(), time.min, tzinfo=clock.VIETNAM).astimezone(UTC)


def _told_today(user_id: int, link: str) -> bool:
    return db.session.scalar(select(Notification.id).where(
        Notification.kind == KIND, Notification.user_id == user_id, Notification.link == link,
        Notification.created_at >= _start_of_today_utc()).limit(1)) is not None


def remind_deadlines(days: int = 3) -> dict:
    """For launched campaigns whose registration deadline falls from today to `days` days ahead (Vietnam's
    date), notify the officers of each expected unit that has not registered, once a day per officer and unit.
    Flushes; the caller commits. Returns {"notified", "campaigns", "units", "without_officer"}."""
    today = clock.today()
    campaigns = db.session.scalars(select(Campaign).where(
        Campaign.status == "launched", Campaign.registration_deadline >= today,
        Campaign.registration_deadline <= today + timedelta(days=days)).order_by(Campaign.id)).all()
    counts = {"notified": 0, "campaigns": len(campaigns), "units": 0, "without_officer": 0}
    for campaign in campaigns:
        left = (campaign.registration_deadline - today).days
        deadline = campaign.registration_deadline.strftime("%d/%m/%Y")
        for unit in queries.unregistered_units(campaign):
            counts["units"] += 1
            officers = recipients.unit_officers(unit)
            if not officers:
                counts["without_officer"] += 1
                continue
            link = f"/campaigns/{campaign.id}/register?unit={unit.code}"
            due = [o for o in officers if not _told_today(o.id, link)]
            if not due:
                continue
            when = _("hôm nay là ngày cuối") if left == 0 else _("còn %(n)s ngày", n=left)
            notes = notify(due, KIND, _("Sắp hết hạn đăng ký thi đua: %(t)s", t=campaign.title),
                           _("%(u)s chưa đăng ký thi đua. Hạn đăng ký: hết ngày %(d)s (%(w)s).",
                             u=unit.name, d=deadline, w=when), link, about=("campaign", campaign.id))
            for note in notes:  # "today" is the app's clock, which tests move
                note.created_at = clock.now().astimezone(UTC)
            counts["notified"] += len(notes)
    db.session.flush()
    return counts


# every day at 07:00 in Vietnam (00:00 UTC): the officers read it when their day starts
PERIODIC = ("remind_deadlines", {"minute": "0", "hour": "0"}, remind_deadlines)


@cli.command("remind-deadlines")
@click.option("--days", default=3, show_default=True, type=click.IntRange(0, 60),
              help="Nhắc các phong trào có hạn đăng ký trong số ngày tới (kể cả hôm nay).")
def remind_deadlines_command(days):
    """Nhắc cán bộ các đơn vị chưa đăng ký thi đua khi sắp hết hạn (mỗi ngày một lần)."""
    counts = remind_deadlines(days)
    db.session.commit()
    click.echo(f"notified {counts['notified']} (campaigns {counts['campaigns']}, unregistered units "
               f"{counts['units']}, without officer {counts['without_officer']})")
