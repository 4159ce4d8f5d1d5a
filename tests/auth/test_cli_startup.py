"""Starting with a setting that cannot work ends in one clear line, not a traceback (issue 26): the example file's
SECRET_KEY in production, an unreadable DATABASE_URL, a database that is unreachable, missing or not migrated."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from awards import create_app
from config import PLACEHOLDER_SECRET_KEY, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_files_key_is_the_placeholder_refused():
    example = (ROOT / "deploy" / "awards.env.example").read_text(encoding="utf-8")
    assert f"SECRET_KEY={PLACEHOLDER_SECRET_KEY}\n" in example


@pytest.mark.parametrize(("key", "message"), [
    (PLACEHOLDER_SECRET_KEY, "giá trị mẫu"),
    ("change-me-please-with-something-long-enough", "giá trị mẫu"),
    ("ngan-qua", "quá ngắn"),
    (None, "phải được đặt"),
])
def test_production_refuses_a_placeholder_short_or_missing_key(monkeypatch, key, message):
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError) as refused:
        load_config("production")
    line = str(refused.value.code)
    assert line.startswith("Lỗi cấu hình: SECRET_KEY") and message in line and "\n" not in line


def test_a_real_key_starts_and_development_keeps_any(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "3f" * 32)
    assert load_config("production")["SECRET_KEY"] == "3f" * 32
    monkeypatch.setenv("SECRET_KEY", "ngan")
    assert load_config("development")["SECRET_KEY"] == "ngan"


def _cli(url: str):
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    return app, app.test_cli_runner()


@pytest.mark.parametrize("args", [("users", "token", "admin"), ("archive", "verify"), ("demo", "load"),
                                  ("users", "password", "admin", "--password", "mat-khau-moi-2026")])
def test_a_missing_or_unmigrated_database_is_one_line(tmp_path, args):
    _app, runner = _cli(f"sqlite:///{tmp_path / 'khong-co' / 'awards.db'}")  # its folder does not exist
    result = runner.invoke(args=list(args))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "không dùng được cơ sở dữ liệu" in result.stderr
    _app, runner = _cli(f"sqlite:///{tmp_path / 'trong.db'}")  # exists, no tables
    result = runner.invoke(args=list(args))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "chưa có bảng" in result.stderr and "db upgrade" in result.stderr


def test_flask_db_says_it_too(tmp_path):
    _app, runner = _cli(f"sqlite:///{tmp_path / 'khong-co' / 'awards.db'}")
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 1 and "không dùng được cơ sở dữ liệu" in result.stderr
    assert "Traceback" not in result.output


def test_an_unreachable_server_hides_the_password():
    _app, runner = _cli("postgresql+psycopg://awards:bi-mat@127.0.0.1:9/awards")  # port 9: nothing listens
    result = runner.invoke(args=["users", "token", "admin"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "awards:***@127.0.0.1:9/awards" in result.stderr and "bi-mat" not in result.stderr


@pytest.mark.parametrize("url", ["khong-phai-url", "postgres://awards@db/awards"])
def test_an_unreadable_database_url_is_one_line(url):
    with pytest.raises(ConfigError) as refused:
        create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    assert str(refused.value.code).startswith("Lỗi cấu hình: DATABASE_URL=") and "\n" not in str(refused.value.code)


@pytest.mark.slow
@pytest.mark.parametrize(("env", "expected"), [
    ({"AWARDS_ENV": "production", "SECRET_KEY": PLACEHOLDER_SECRET_KEY}, "SECRET_KEY vẫn là giá trị mẫu"),
    ({"DATABASE_URL": "postgresql+psycopg://awards:bi-mat@127.0.0.1:9/awards"}, "không dùng được cơ sở dữ liệu"),
])
def test_the_real_command_prints_one_line_and_no_traceback(env, expected):
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run([str(flask), "--app", "wsgi", "users", "token", "admin"], cwd=ROOT, text=True,
                            capture_output=True, timeout=60,
                            env={**os.environ, "AWARDS_ENV": "development", **env})
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr and "Traceback" not in result.stderr
