"""`flask users create` and `flask users token` (CONTRACT §1), and the administrator's other doors when no admin can
sign in: `password`, `set`, `deactivate`, `activate`. The same services as the pages (guards, audit); success on
stdout, errors on stderr with a non-zero exit."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from awards.auth import queries, services
from awards.auth.models import User
from awards.core.db import DomainError
from awards.extensions import db

cli = AppGroup("users", help="Quản lý tài khoản người dùng.")
ROLES = ["admin", "staff", "unit_officer", "council_member"]


def _fail(message: str):
    db.session.rollback()
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(1)


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _fail(f"không có tài khoản “{username}”.")
    return user


@cli.command("create")
@click.argument("username")
@click.option("--password", required=True, help="Mật khẩu (ít nhất 8 ký tự).")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(ROLES))
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
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(user.roles)}).")


@cli.command("token")
@click.argument("username")
@click.option("--label", default="cli", help="Ghi chú cho mã truy cập.")
def token(username, label):
    """In một mã truy cập API mới (chỉ một dòng trên stdout)."""
    user = _user(username)
    if not user.active:
        click.echo(f"Lỗi: tài khoản “{username}” đang bị khóa.", err=True)
        sys.exit(1)
    _token, raw = services.issue_token(user, label=label)
    db.session.commit()
    click.echo(raw)


@cli.command("password")
@click.argument("username")
@click.option("--password", default=None, help="Mật khẩu mới; không ghi thì được hỏi hai lần (không hiện chữ).")
def password(username, password):
    """Đặt mật khẩu mới cho tài khoản và đăng xuất tài khoản đó khỏi mọi phiên."""
    user = _user(username)
    if password is None:
        password = click.prompt("Mật khẩu mới", hide_input=True, confirmation_prompt="Nhập lại mật khẩu mới",
                                err=True)
    try:
        services.reset_password(user, password, by=None)
    except DomainError as exc:
        _fail(exc.message)
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho {user.username}; mọi phiên đăng nhập của tài khoản đã kết thúc.")


@cli.command("set")
@click.argument("username")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="Vai trò (lặp lại cho nhiều vai trò); thay toàn bộ vai trò đang có.")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị; chuỗi rỗng \"\" để bỏ gắn đơn vị.")
@click.option("--person", "person_code", default=None, help="Mã cá nhân; chuỗi rỗng \"\" để bỏ gắn.")
@click.option("--email", default=None, help="Địa chỉ thư điện tử; chuỗi rỗng \"\" để xóa.")
@click.option("--name", "full_name", default=None, help="Họ và tên.")
def set_(username, roles, unit_code, person_code, email, full_name):
    """Đổi vai trò, đơn vị, cá nhân, thư điện tử hoặc họ tên của tài khoản; điều không ghi thì giữ nguyên."""
    user = _user(username)
    if not roles and unit_code is None and person_code is None and email is None and full_name is None:
        _fail("không có gì để đổi: ghi ít nhất một trong --role, --unit, --person, --email, --name.")
    try:
        links = queries.links_from_codes(unit_code, person_code)
        services.update_user(
            user, full_name=user.full_name if full_name is None else full_name,
            roles=list(roles) or user.roles,
            unit=user.unit if unit_code is None else links["unit"],
            person=user.person if person_code is None else links["person"],
            active=user.active, email=email, by=None)
    except DomainError as exc:
        _fail(exc.message)
    db.session.commit()
    parts = [", ".join(user.roles), f"đơn vị {user.unit.code}" if user.unit else "không gắn đơn vị"]
    if user.email:
        parts.append(user.email)
    click.echo(f"Đã cập nhật tài khoản {user.username} ({'; '.join(parts)}).")


@cli.command("deactivate")
@click.argument("username")
def deactivate(username):
    """Khóa tài khoản: không đăng nhập được, mọi phiên kết thúc, mã truy cập API hết hiệu lực."""
    user = _user(username)
    if not user.active:
        _fail(f"tài khoản “{username}” đã bị khóa từ trước.")
    services.update_user(user, full_name=user.full_name, roles=user.roles, unit=user.unit, person=user.person,
                         active=False, by=None)
    services.end_sessions(user, by=None)
    tokens = services.revoke_tokens_of(user, by=None)
    db.session.commit()
    click.echo(f"Đã khóa tài khoản {user.username} (thu hồi {tokens} mã truy cập API).")


@cli.command("activate")
@click.argument("username")
def activate(username):
    """Mở lại tài khoản đã khóa (mã truy cập API đã thu hồi không có hiệu lực lại)."""
    user = _user(username)
    if user.active:
        _fail(f"tài khoản “{username}” đang hoạt động.")
    services.update_user(user, full_name=user.full_name, roles=user.roles, unit=user.unit, person=user.person,
                         active=True, by=None)
    db.session.commit()
    click.echo(f"Đã mở lại tài khoản {user.username}.")
