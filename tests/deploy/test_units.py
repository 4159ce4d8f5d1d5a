"""The systemd units in deploy/ pass `systemd-analyze verify` (issue 26), with the checkout's .venv standing in for
/srv/awards/app/.venv (verify checks that each command exists). Skipped where systemd-analyze is missing."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = ("awards-web.service", "awards-jobs.service", "awards-backup.service", "awards-backup.timer")
ANALYZE = shutil.which("systemd-analyze")


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed here")
def test_the_units_verify_without_a_warning(tmp_path):
    venv = ROOT / ".venv" / "bin"
    for unit in UNITS:
        text = (DEPLOY / unit).read_text(encoding="utf-8").replace("/srv/awards/app/.venv/bin/", f"{venv}/")
        (tmp_path / unit).write_text(text, encoding="utf-8")
    result = subprocess.run([ANALYZE, "verify", "--man=no", *(str(tmp_path / u) for u in UNITS)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


def test_each_machine_sets_its_own_bind_address_and_the_units_create_their_folders():
    shared = (DEPLOY / "awards.env.example").read_text(encoding="utf-8")
    assert not re.search(r"^GUNICORN_BIND=", shared, re.M)  # one shared file for two machines: not the bind
    assert re.search(r"^GUNICORN_BIND=127\.0\.0\.1:8000$", (DEPLOY / "host.env.example").read_text(), re.M)
    for unit in ("awards-web.service", "awards-jobs.service"):
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        shared_at, host_at = text.index("EnvironmentFile=/etc/awards/awards.env"), \
            text.index("EnvironmentFile=-/etc/awards/host.env")
        assert shared_at < host_at  # the machine's file read last: it wins
        assert "LogsDirectory=awards" in text
    guide = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert "/srv/awards/app/instance" in guide and "/var/www/letsencrypt" in guide
