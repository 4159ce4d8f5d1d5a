"""`flask users create` and `flask users token` exactly as CONTRACT §1."""

from sqlalchemy import select

from awards.auth.models import ApiToken, User
from tests import factories


def run(app, *args):
    """The command as a shell runs it; stdout and stderr stay apart (click ≥ 8.2)."""
    return app.test_cli_runner().invoke(args=list(args))


def test_create_user_with_roles_unit_person_and_name(app, db):
    unit = factories.unit(code="BVDK")
    person = factories.person(code="CB001", unit=unit)
    db.session.commit()
    result = run(app, "users", "create", "hoa.nt", "--password", "mat-khau-manh", "--role", "unit_officer",
                 "--role", "council_member", "--unit", "BVDK", "--person", "CB001", "--name", "Nguyễn Thị Hoa")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "hoa.nt"))
    assert user.roles == ["council_member", "unit_officer"]
    assert user.unit.code == "BVDK" and user.person.id == person.id and user.full_name == "Nguyễn Thị Hoa"
    assert user.check_password("mat-khau-manh")


def test_create_refuses_existing_user_and_bad_arguments(app, db):
    factories.user("staff", username="trung")
    db.session.commit()
    duplicate = run(app, "users", "create", "trung", "--password", "mat-khau-manh", "--role", "staff")
    assert duplicate.exit_code != 0 and "đã tồn tại" in duplicate.stderr
    bad_role = run(app, "users", "create", "moi", "--password", "mat-khau-manh", "--role", "king")
    assert bad_role.exit_code != 0
    no_unit = run(app, "users", "create", "moi", "--password", "mat-khau-manh", "--role", "unit_officer")
    assert no_unit.exit_code != 0 and "đơn vị" in no_unit.stderr
    unknown_unit = run(app, "users", "create", "moi", "--password", "mat-khau-manh", "--role", "unit_officer",
                       "--unit", "NOPE")
    assert unknown_unit.exit_code != 0 and "NOPE" in unknown_unit.stderr
    weak = run(app, "users", "create", "moi", "--password", "123", "--role", "staff")
    assert weak.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "moi")) is None


def test_token_prints_exactly_one_working_line(app, db, client):
    factories.user("staff", username="api.bot")
    db.session.commit()
    result = run(app, "users", "token", "api.bot")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("aw_")
    response = client.get("/api/v1/units", headers={"Authorization": f"Bearer {lines[0]}"})
    assert response.status_code == 200
    assert db.session.scalar(select(ApiToken.token_hash)) != lines[0]


def test_token_for_unknown_user_fails(app, db):
    result = run(app, "users", "token", "khong-co")
    assert result.exit_code != 0 and result.stdout == ""
