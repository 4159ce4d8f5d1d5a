"""gunicorn.conf.py's memory settings (docs/DEPLOY.md §2, issue 21): workers load the app after the fork unless
GUNICORN_PRELOAD=1, which loads it once in the master; its hooks (the collector frozen before the first fork, the
inherited database pool dropped in each worker) then let the forked workers serve pages. Every worker, preloaded or
not, freezes what survived a collection every GUNICORN_GC_FREEZE_EVERY requests (its full collections walked the
whole loaded app again: 33-52 ms each)."""

import gc
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from awards import create_app
from awards.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
requests = pytest.importorskip("requests")


def test_workers_load_the_app_after_the_fork_unless_asked(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["preload_app"] is False  # `systemctl reload` (HUP) then starts workers on the new code
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0  # a slow leak is bounded
    monkeypatch.setenv("GUNICORN_PRELOAD", "1")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["preload_app"] is True


class _Node:
    """A container the collector tracks, to make a reference cycle of."""


def test_every_nth_request_collects_then_freezes_the_survivors(monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_FREEZE_EVERY", "3")
    hook = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_request"]
    worker = SimpleNamespace(nr=0)
    gc.disable()  # no automatic collection in between: the hook's is the one asserted
    kept = [_Node() for _ in range(50)]  # the app's caches: alive across requests
    cycle = _Node()
    cycle.me = cycle  # a request's garbage in a cycle: only the collector reclaims it
    gone = weakref.ref(cycle)
    del cycle
    try:
        before = gc.get_freeze_count()
        for worker.nr in (1, 2):
            hook(worker, None, {}, None)
        assert gc.get_freeze_count() == before and gone() is not None  # not yet
        worker.nr = 3
        hook(worker, None, {}, None)
        assert gc.get_freeze_count() >= before + len(kept)  # the survivors are out of the collector's walk
        assert gone() is None  # collected first: garbage is never frozen (it would stay until the worker's recycled)
    finally:
        gc.unfreeze()
        gc.enable()


def test_freezing_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_FREEZE_EVERY", "0")
    hook = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_request"]
    before = gc.get_freeze_count()
    for nr in (1, 100, 250):
        hook(SimpleNamespace(nr=nr), None, {}, None)
    assert gc.get_freeze_count() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preloaded_workers_serve_pages_each_with_its_own_connections(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path)})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    env = {**os.environ, "AWARDS_ENV": "testing", "DATABASE_URL": url, "UPLOAD_DIR": str(tmp_path),
           "GUNICORN_PRELOAD": "1", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
           "GUNICORN_THREADS": "1", "GUNICORN_GC_FREEZE_EVERY": "4",  # each worker's hook runs a few times
           "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
           "GUNICORN_ERROR_LOG": str(tmp_path / "error.log")}
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, answers = time.monotonic() + 90, []
        while time.monotonic() < deadline and len(answers) < 20:
            assert server.poll() is None, (tmp_path / "error.log").read_text()[-2000:]
            try:
                answers.append(requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code)
            except requests.ConnectionError:
                time.sleep(0.2)
        assert answers == [200] * 20, (tmp_path / "error.log").read_text()[-2000:]
        log = (tmp_path / "error.log").read_text()
        assert log.count("Booting worker") == 2 and "Exception" not in log, log[-2000:]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
