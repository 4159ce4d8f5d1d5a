"""The benchmark harness as a smoke test: the whole machinery (migrate, generate, every benchmark in its own
process, results.json) at 1/1000 of a province on a temporary SQLite database. Never asserts times."""

import json

import pytest

from awards.extensions import limiter
from bench import run, server
from bench.benchmarks import BENCHMARKS

FIELDS = ("name", "db", "scale", "app_s", "floor_s", "ratio", "p50_ms", "p95_ms", "peak_rss_mb")


@pytest.fixture(autouse=True)
def _limits_back_on():
    """The benchmark app turns the (process-wide) limiter off; the rest of the suite needs it on."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


def test_the_harness_runs_every_benchmark_and_writes_its_rows(tmp_path, capsys):
    out = tmp_path / "results.json"
    status = run.main(["--scale", "0.001", "--db-dir", str(tmp_path), "--out", str(out), "--no-postgres"])
    printed = capsys.readouterr().out
    rows = json.loads(out.read_text())
    assert status == 0, [r.get("error") for r in rows if "error" in r]
    assert [r["name"] for r in rows] == list(BENCHMARKS)
    assert "| archive_search | sqlite |" in printed
    measured = [r for r in rows if not r.get("skipped")]
    may_skip = {"council_ballots"} | (set() if server.gunicorn_available() else {"public_results"})
    assert {r["name"] for r in rows if r.get("skipped")} <= may_skip  # PostgreSQL only; gunicorn from .[bench]
    for r in measured:
        assert set(FIELDS) <= set(r), r
        assert (r["db"], r["scale"]) == ("sqlite", 0.001)
        for name in ("app_s", "p50_ms", "p95_ms", "peak_rss_mb"):
            assert isinstance(r[name], (int, float)) and r[name] > 0, (r["name"], name, r[name])
        if r["floor_s"] is not None:
            assert r["floor_s"] > 0 and r["ratio"] > 0, r
        assert isinstance(r["met"], bool)
    # the province is kept for the next run, and its hash chain verifies like any archive
    from awards.archive.services import verify_chain
    from awards.extensions import db
    from bench import province
    from bench.app import make_app

    url = run.databases(0.001, tmp_path, postgres=False)[0][1]
    info = province.ensure(url, 0.001, log=lambda line: None)
    assert info["reused"] and info["records"] > 500 and info["people"] == 100
    app = make_app(url)
    with app.app_context():
        checked = verify_chain()
        db.engine.dispose()
    assert checked == (info["records"], None, "")
