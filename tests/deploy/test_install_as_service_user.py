"""DEPLOY.md §1 step 3 as written: a fresh clone owned by an unprivileged user, `make install` run as that user
(`runuser -u …`), then the schema and the first administrator with the checkout's own `.venv`. Root is needed to
switch user (`nobody`, with a throwaway home); elsewhere skipped. Slow: a whole virtualenv is built."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
USER = "nobody"


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None or shutil.which("git") is None,
                    reason="needs root and runuser to act as the service user")
def test_make_install_as_the_service_user_in_a_fresh_clone():
    import pwd

    account = pwd.getpwnam(USER)
    base = Path(tempfile.mkdtemp(prefix="awards-install-", dir="/tmp"))
    try:
        app, home = base / "app", base / "home"
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(app)], check=True,
                       timeout=120)
        home.mkdir()
        for path in (base, home):
            os.chown(path, account.pw_uid, account.pw_gid)
        subprocess.run(["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(app)], check=True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
               **{k: v for k, v in os.environ.items() if k.startswith("PIP_")}}

        def as_user(*command, timeout=900):
            return subprocess.run(["runuser", "-u", USER, "--", *command], cwd=app, env=env, text=True,
                                  capture_output=True, timeout=timeout)

        installed = as_user("make", "install")
        assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
        assert (app / ".venv" / ".installed").is_file() and (app / ".venv").stat().st_uid == account.pw_uid
        again = as_user("make", "install")  # idempotent (CONTRACT §1)
        assert again.returncode == 0, again.stderr[-2000:]
        flask = [str(app / ".venv" / "bin" / "flask"), "--app", "wsgi"]
        upgraded = as_user(*flask, "db", "upgrade", timeout=300)
        assert upgraded.returncode == 0, upgraded.stderr[-2000:]
        created = as_user(*flask, "users", "create", "admin", "--role", "admin", "--name", "Quản trị hệ thống",
                          "--password", "mat-khau-quan-tri-2026", timeout=120)
        assert created.returncode == 0 and "Đã tạo tài khoản admin" in created.stdout, created.stderr[-2000:]
        assert (app / "instance" / "awards.db").stat().st_uid == account.pw_uid
    finally:
        shutil.rmtree(base, ignore_errors=True)
