"""`flask users create` and `flask users token` (CONTRACT §1)."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from awards.auth import queries, services
from awards.auth.models import User
from awards.core.db import DomainError
from awards.extensions import db

cli = AppGroup("users", help="Quản lý tài khoản người dùng.")


@cli.command("create")
@click.argument("username")
@click.option("--password", required=True, help="Mật khẩu (ít nhất 8 ký tự).")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "staff", "unit_officer", "council_member"]))
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị (bắt buộc với unit_officer).")
@click.option("--person", "person_code", default=None, help="Mã cá nhân gắn với tài khoản.")
@click.option("--name", "full_name", default="", help="Họ và tên.")
def create(username, password, roles, unit_code, person_code, full_name):
    """Tạo tài khoản; báo lỗi và thoát khác 0 nếu đã tồn tại hoặc tham số sai."""
    try:
        links = queries.links_from_codes(unit_code, person_code)
        user = services.create_user(username, password, roles, full_name=full_name, **links)
    except DomainError as exc:
        db.session.rollback()
        click.echo(f"Lỗi: {exc.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(user.roles)}).", err=True)


@cli.command("token")
@click.argument("username")
@click.option("--label", default="cli", help="Ghi chú cho mã truy cập.")
def token(username, label):
    """In một mã truy cập API mới (chỉ một dòng trên stdout)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        click.echo(f"Lỗi: không có tài khoản “{username}”.", err=True)
        sys.exit(1)
    if not user.active:
        click.echo(f"Lỗi: tài khoản “{username}” đang bị khóa.", err=True)
        sys.exit(1)
    _token, raw = services.issue_token(user, label=label)
    db.session.commit()
    click.echo(raw)
