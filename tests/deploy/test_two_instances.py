"""Two instances, one system (docs/DEPLOY.md §Several instances): two gunicorn processes on loopback, on free
ports, with the repository's gunicorn.conf.py and AWARDS_ENV=production, against one PostgreSQL database and one
Redis database. Through one and then the other: a signed-in session, a council ballot counted when the session is
closed on the other, a decision that invalidates the public page the other has cached, a file uploaded on one and
downloaded on the other, a report export started on one, built by the job consumer (`flask jobs run`, Huey on the
same Redis) and polled and downloaded on the other, login throttling and rate limits counted across both.

Needs PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg://…, the CI database) and Redis (REDIS_URL, default
redis://127.0.0.1:6379): skipped, saying which is missing, otherwise. It uses a database of its own,
`awards_two_instances` (created, migrated with the real `flask db upgrade`, dropped), and Redis db
TWO_INSTANCES_REDIS_DB (default 13, emptied before and after). Its figures go to the test report's summary.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.deploy.conftest import FIGURES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE = "awards_two_instances"
REDIS_DB = int(os.environ.get("TWO_INSTANCES_REDIS_DB", "13"))
VIETNAM_OFFSET = timedelta(hours=7)
PASSWORD = "mat-khau-2026"
LOGIN_LIMIT = 10  # config.py LOGIN_RATE_LIMIT: "10 per minute;50 per hour"

requests = pytest.importorskip("requests")


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("two instances need PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://… (SQLite: skipped)")
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"two instances need PostgreSQL, unreachable at {make_url(url)!r}: {exc}")
    return url


def _redis_url() -> str:
    import redis

    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379").rsplit("/", 1)
    url = f"{base[0]}/{REDIS_DB}" if base[-1].isdigit() else f"{'/'.join(base)}/{REDIS_DB}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"two instances need Redis (REDIS_URL), unreachable at {url}: {exc}")
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    """One gunicorn (1 worker, 2 threads) serving wsgi:app on its own port; counts what this test sent it."""

    def __init__(self, name: str, env: dict, logs: Path):
        self.name, self.port = name, _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = logs / f"{name}-access.log"
        self.sent = 0
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2",
                 "GUNICORN_ACCESS_LOG": str(self.access_log), "GUNICORN_ERROR_LOG": str(logs / f"{name}-error.log")},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"instance {self.name} exited: {self.process.returncode}")
            try:
                if requests.get(self.base + "/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        log = self.access_log.with_name(f"{self.name}-error.log")
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise RuntimeError(f"instance {self.name} not ready in {seconds}s: {tail}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def served(self) -> int:
        """Requests this instance logged (the Combined Log Format of gunicorn.conf.py, one line each)."""
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0


class Browser:
    """Cookies kept by hand: the instances run in production mode (Secure cookies) over plain loopback HTTP."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, instance: Instance, method: str, path: str, **kwargs):
        instance.sent += 1
        response = requests.request(method, instance.base + path, cookies=self.cookies, allow_redirects=False,
                                    timeout=30, **kwargs)
        self.cookies.update({c.name: c.value for c in response.cookies})
        return response

    def csrf(self, instance: Instance, path: str) -> str:
        html = self.request(instance, "GET", path).text
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pg_url, redis_url = _postgres_url(), _redis_url()
    import redis

    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    admin = create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    url = make_url(pg_url).set(database=DATABASE).render_as_string(hide_password=False)
    logs = tmp_path_factory.mktemp("instances")
    env = {**os.environ, "AWARDS_ENV": "production", "SECRET_KEY": "two-instances-" + "x" * 40,
           "DATABASE_URL": url, "REDIS_URL": redis_url, "UPLOAD_DIR": str(logs / "uploads"),
           "DB_POOL_SIZE": "2", "DB_MAX_OVERFLOW": "2"}
    env.pop("TEST_DATABASE_URL", None)
    upgrade = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr[-2000:]
    world = _seed(url, logs / "uploads")
    instances = [Instance("A", env, logs), Instance("B", env, logs)]
    with (logs / "jobs.log").open("w") as jobs_log:
        consumer = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "run", "--workers", "1"], cwd=ROOT,
                                    env=env, stdout=jobs_log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for instance in instances:
            instance.wait_ready()
        yield world, *instances
    finally:
        for instance in instances:
            instance.stop()
        consumer.terminate()
        consumer.wait(30)
        store.flushdb()
        store.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()


def _seed(url: str, upload_dir: Path) -> dict:
    """The province the test works in, written through the real services into the migrated database."""
    from awards import create_app
    from awards.council import services as council_services
    from awards.extensions import db

    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(upload_dir)})
    with app.app_context():
        province = factories.unit(code="SYT", name="Sở Y tế")
        hospital = factories.unit(code="BVA", name="Bệnh viện Đa khoa A", parent=province)
        staff = factories.user("staff", username="thuky", password=PASSWORD)
        members = [factories.user("council_member", username=f"tv{n}",
                                  person=factories.person(code=f"TV{n}", unit=province)) for n in range(3)]
        council_services.save_council(code="HD", name="Hội đồng Thi đua – Khen thưởng Sở Y tế", unit_code="SYT",
                                      chair_username="tv0", members=[("tv1", "member"), ("tv2", "member")], by=staff)
        dossiers = [factories.nomination(factories.person(unit=hospital, full_name=name), "CSTDCS", by=staff)
                    for name in ("Trần Thị Hai Quy", "Lê Văn Một Phiếu")]
        draft = factories.nomination(factories.person(unit=hospital), "LDTT", by=staff, status="draft")
        world = {"staff": factories.token(staff), "members": [factories.token(m) for m in members],
                 "dossiers": [d.id for d in dossiers], "draft": draft.id}
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def test_two_instances_behave_as_one_system(cluster):
    world, a, b = cluster
    staff = bearer(world["staff"])
    now_vn = datetime.utcnow() + VIETNAM_OFFSET

    # ready on both, at the migrations' head
    heads = [browser_get(a, "/readyz").json(), browser_get(b, "/readyz").json()]
    assert heads[0] == heads[1] and heads[0]["status"] == "ok"

    # a session signed in on A is valid on B
    web = Browser()
    token = web.csrf(a, "/login")
    login = web.request(a, "POST", "/login", data={"username": "thuky", "password": PASSWORD, "csrf_token": token})
    logins = 1
    assert login.status_code == 302 and "/login" not in login.headers["Location"]
    assert web.request(b, "GET", "/").status_code == 200
    assert web.request(a, "GET", "/").status_code == 200

    # ballots cast through both, counted when the session is closed through the other
    closes = (now_vn + timedelta(days=1)).strftime("%Y-%m-%dT17:00:00+07:00")
    created = api(a, "POST", "/api/v1/council-sessions", staff, json={
        "council_code": "HD", "title": "Phiên xét hai máy chủ", "nomination_ids": world["dossiers"],
        "closes_at": closes})
    assert created.status_code == 201, created.text
    session = created.json()["id"]
    assert api(b, "POST", f"/api/v1/council-sessions/{session}/open", staff).status_code == 200
    first, second = world["dossiers"]
    receipts = []
    for member, instance, votes in ((0, a, ("yes", "yes")), (1, b, ("yes", "yes")), (2, a, ("yes", "no"))):
        cast = api(instance, "POST", f"/api/v1/council-sessions/{session}/ballots", bearer(world["members"][member]),
                   json={"votes": [{"nomination_id": n, "choice": c} for n, c in zip(world["dossiers"], votes,
                                                                                    strict=True)]})
        assert cast.status_code == 201, cast.text
        receipts.append(cast.json()["receipt"])
    again = api(b, "POST", f"/api/v1/council-sessions/{session}/ballots", bearer(world["members"][0]),
                json={"votes": [{"nomination_id": first, "choice": "no"}]})
    assert again.status_code == 409  # cast on A, refused on B
    assert api(b, "POST", f"/api/v1/council-sessions/{session}/close", staff).status_code == 200
    results = api(a, "GET", f"/api/v1/council-sessions/{session}/results", staff).json()
    items = {i["nomination_id"]: (i["yes"], i["no"], i["passed"]) for i in results["items"]}
    assert results["ballots_cast"] == 3 and results["members"] == 3
    assert items == {first: (3, 0, True), second: (2, 1, False)}  # CSTĐCS: 80 % of the whole membership

    # the public results page cached on B is invalidated by a decision issued on A
    before = browser_get(b, "/public/results")
    assert before.status_code == 200 and "QĐ-2INST" not in before.text
    assert main(browser_get(b, "/public/results").text) == main(before.text)
    import redis

    cached_keys = len(list(redis.Redis.from_url(_redis_url()).scan_iter("awards:page:*")))
    assert cached_keys >= 1  # the page is in the shared cache
    decision = api(a, "POST", "/api/v1/decisions", staff, json={
        "number": "15/QĐ-2INST", "signed_on": (now_vn - timedelta(days=1)).date().isoformat(),  # never "future"
        "signer": "Nguyễn Văn Giám Đốc", "issuer": "Sở Y tế", "nomination_ids": [first]})
    assert decision.status_code == 201, decision.text
    issued, seen_after = time.monotonic(), None
    while time.monotonic() - issued < 10:
        if "15/QĐ-2INST" in browser_get(b, "/public/results").text:
            seen_after = time.monotonic() - issued
            break
        time.sleep(0.2)
    assert seen_after is not None, "B kept serving the page cached before the decision"

    # a file uploaded through A downloads through B (shared UPLOAD_DIR), for the session signed in on A
    pdf = b"%PDF-1.4\n% uploaded on A\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    uploaded = api(a, "POST", f"/api/v1/nominations/{world['draft']}/attachments", staff,
                   files={"file": ("minh-chung.pdf", pdf, "application/pdf")}, data={"kind": "evidence"})
    assert uploaded.status_code == 201, uploaded.text
    download = web.request(b, "GET", f"/nominations/{world['draft']}/attachments/{uploaded.json()['id']}")
    assert download.status_code == 200 and download.content == pdf

    # a report export started on A is polled and downloaded on B (the job row and the file are shared)
    year = now_vn.year
    form = {"kind": "annual", "year": str(year), "csrf_token": web.csrf(b, f"/reports/?year={year}")}
    started = web.request(a, "POST", "/reports/exports", data=form)
    assert started.status_code == 302, started.text[:500]
    job = started.headers["Location"].rsplit("/", 1)[1]
    state, polls = {}, 0
    while polls < 150 and state.get("status") not in ("done", "failed"):
        polls += 1
        state = web.request(b, "GET", f"/reports/exports/{job}.json").json()
        time.sleep(0.2)
    assert state["status"] == "done", state
    workbook = web.request(b, "GET", state["download_url"])
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")

    # rate limits are counted once for both: a public page's remaining quota, then login throttling
    remaining = [int(browser_get(x, "/public/results").headers["X-RateLimit-Remaining"]) for x in (a, b, a, b)]
    assert remaining == [remaining[0] - n for n in range(4)]
    answers, stranger = {"A": [], "B": []}, Browser()  # wrong passwords from the same address, through both
    token = stranger.csrf(b, "/login")
    for n in range(2 * LOGIN_LIMIT):
        instance = (a, b)[n % 2]
        attempt = stranger.request(instance, "POST", "/login", data={"username": "thuky", "password": "sai",
                                                                     "csrf_token": token})
        answers[instance.name].append(attempt.status_code)
    accepted = sum(code != 429 for codes in answers.values() for code in codes)
    assert accepted + logins == LOGIN_LIMIT, answers  # each instance alone would have let 10 through
    assert answers["A"][-1] == answers["B"][-1] == 429

    served = {x.name: x.served() for x in (a, b)}
    assert all(served[x.name] >= x.sent > 0 for x in (a, b)), (served, a.sent, b.sent)
    FIGURES.extend([
        f"requests sent by the test: A {a.sent}, B {b.sent}; served per access log (incl. readiness polls): "
        f"A {served['A']}, B {served['B']}",
        f"ballots: 3 cast (A 2, B 1), counted when closed on B: {sorted(items.values())} (yes, no, passed); "
        f"a second ballot on B after one on A: 409",
        f"page cache: {cached_keys} Redis entr(y/ies) before the decision; the decision issued on A showed on B "
        f"after {seen_after:.2f}s (cache.VERSION_CHECK = 1s)",
        f"rate limits: /public/results remaining {remaining} across A,B,A,B; logins: {accepted + logins} accepted of "
        f"{2 * LOGIN_LIMIT + logins} (limit {LOGIN_LIMIT}/min shared), A {answers['A']}, B {answers['B']}",
        f"upload {len(pdf)} B on A → same bytes from B; export job {job} started on A, done after {polls} polls on B, "
        f"{len(workbook.content)} B downloaded from B",
    ])


def api(instance: Instance, method: str, path: str, headers: dict, **kwargs):
    instance.sent += 1
    return requests.request(method, instance.base + path, headers=headers, timeout=30, **kwargs)


def main(html: str) -> str:
    """The page's own content (the layout around it carries a per-visitor CSRF token)."""
    return html.split('<main id="main"')[1].split("</main>")[0]


def browser_get(instance: Instance, path: str):
    instance.sent += 1
    return requests.get(instance.base + path, timeout=30)
