"""docs/CONFIGURATION.md names every environment variable the code reads (issue 26: one complete reference), and the
example settings files name nothing the code does not read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# os.environ, gunicorn.conf.py's _int(), and mail.setting() (the app config, else the environment)
READS = re.compile(r"""(?:environ(?:\.get)?\(|environ\[|getenv\(|_int\(|setting\()\s*["']([A-Z][A-Z0-9_]+)["']""")


def _read_by_code() -> set[str]:
    files = [ROOT / "config.py", ROOT / "gunicorn.conf.py", ROOT / "wsgi.py", *(ROOT / "awards").rglob("*.py")]
    return {name for path in files for name in READS.findall(path.read_text(encoding="utf-8"))}


def test_every_variable_the_code_reads_is_in_the_reference():
    reference = (ROOT / "docs" / "CONFIGURATION.md").read_text(encoding="utf-8")
    names = _read_by_code()
    assert {"DATABASE_URL", "SECRET_KEY", "GUNICORN_BIND", "FORWARDED_ALLOW_IPS", "MAIL_SERVER", "SOFFICE"} <= names
    missing = sorted(name for name in names if f"`{name}`" not in reference)
    assert not missing, f"read by the code but not in docs/CONFIGURATION.md: {missing}"


def test_the_example_files_set_only_variables_the_code_reads():
    names = _read_by_code()
    for example in ("awards.env.example", "host.env.example"):
        text = (ROOT / "deploy" / example).read_text(encoding="utf-8")
        set_there = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", text, re.M))
        assert set_there and set_there <= names, (example, sorted(set_there - names))
