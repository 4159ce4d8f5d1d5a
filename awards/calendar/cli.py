"""`flask calendar list|add|remove`: the announced days of the working calendar, through the same services."""

import sys
from datetime import date

import click
from flask.cli import AppGroup

from awards.calendar import queries, services
from awards.calendar.models import DayKind
from awards.core import workdays
from awards.core.db import DomainError
from awards.extensions import db

cli = AppGroup("calendar", help="Lịch ngày nghỉ, ngày làm việc của đồng hồ xử lý hồ sơ.")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter("ngày viết dạng năm-tháng-ngày, ví dụ 2026-01-02") from None


@cli.command("list")
@click.argument("year", type=int)
def list_days(year):
    """Các ngày lễ theo luật (thư viện holidays) và các ngày đã ghi của năm YEAR."""
    off = workdays.holidays(year)
    for day, name in workdays.law_holidays(year):
        click.echo(f"{day.isoformat()}  luật   {'nghỉ' if day in off else '-   '}  {name}")
    for row in queries.entries(year):
        click.echo(f"{row.day.isoformat()}  ghi    {DayKind(row.kind).label}  {row.reason} ({row.source})")


@cli.command("add")
@click.argument("day")
@click.argument("kind", type=click.Choice([k.value for k in DayKind]))
@click.option("--reason", required=True, help="Lý do, ví dụ: hoán đổi với thứ Bảy 10/01/2026.")
@click.option("--source", required=True, help="Văn bản thông báo: số, ngày, cơ quan.")
def add(day, kind, reason, source):
    """Thêm ngày DAY (năm-tháng-ngày) là day_off hoặc working_day."""
    try:
        services.add_day(day=_date(day), kind=kind, reason=reason, source=source, by=None)
    except DomainError as exc:
        db.session.rollback()
        click.echo(exc.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"OK {day} {kind}")


@cli.command("remove")
@click.argument("day")
def remove(day):
    """Xóa ngày DAY khỏi lịch đã ghi."""
    try:
        services.remove_day(_date(day), by=None)
    except DomainError as exc:
        db.session.rollback()
        click.echo(exc.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"OK {day} removed")
