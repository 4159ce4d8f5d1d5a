"""A web worker does not load the libraries only a file needs (issue 21: each worker ≤ 200 MB after the page crawl).

pyHanko, fpdf2, python-docx, docxtpl, xlsxwriter, python-calamine, openpyxl and Huey take ~90 MB together; they are
imported by the function that signs, prints, writes or reads a file, or queues a job. Checked in a fresh interpreter
(a subprocess): in this one, other tests have imported them long ago."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pyhanko", "pyhanko_certvalidator", "fpdf", "fontTools", "docx", "docxtpl", "openpyxl", "xlsxwriter",
         "python_calamine", "huey")

# The worker's life in short: the app built, the public home page, a staff member signed in, their home page and
# the pages that offer an import, an export or a certificate layout without making one; then a .docx and an .xlsx
# made, which must load their libraries (the check sees an import when there is one).
SCRIPT = r"""
import json, sys
from awards import create_app
from awards.extensions import db
from tests import factories

heavy = {heavy!r}
loaded = lambda: sorted(m for m in heavy if m in sys.modules)
app = create_app({{"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite:///{db}", "UPLOAD_DIR": "{uploads}",
                  "WTF_CSRF_ENABLED": False, "SERVER_NAME": "localhost"}})
seen = {{"create_app": loaded()}}
with app.app_context():
    db.create_all()
    factories.user("staff", username="ktv", password="mat-khau-2026")
    db.session.commit()
client = app.test_client()
statuses = {{"/ (visitor)": client.get("/").status_code}}
statuses["login"] = client.post("/login", data={{"username": "ktv", "password": "mat-khau-2026"}}).status_code
from flask import url_for
with app.app_context():
    paths = [url_for("home.index"), url_for("archive.import_form"), url_for("signing.layouts"),
             url_for("reports.dashboard", year=2025)]
for path in paths:
    statuses[path] = client.get(path).status_code
seen["pages"] = loaded()
from awards.core import docx, xlsx
docx.to_bytes(docx.new_document())
xlsx.workbook_bytes({{"Sheet": (["A"], [["x"]])}})
seen["files"] = loaded()
print(json.dumps({{"seen": seen, "statuses": statuses}}))
"""


def test_a_web_worker_showing_pages_loads_no_file_library(tmp_path):
    with_paths = {"db": tmp_path / "app.db", "uploads": tmp_path / "uploads"}
    code = SCRIPT.format(heavy=HEAVY, **{k: str(v) for k, v in with_paths.items()})
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    statuses, seen = result["statuses"], result["seen"]
    assert statuses["login"] == 302, statuses
    assert all(status == 200 for path, status in statuses.items() if path != "login"), statuses
    assert seen["create_app"] == [], "create_app() imports " + ", ".join(seen["create_app"])
    assert seen["pages"] == [], "the pages import " + ", ".join(seen["pages"])
    assert {"docx", "xlsxwriter"} <= set(seen["files"])  # made on use, so the check above can see them
