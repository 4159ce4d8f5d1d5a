"""The benchmark harness as a smoke test: the whole machinery (migrate, generate, every benchmark in its own
process, results.json) at 1/1000 of a province on a temporary SQLite database. Never asserts times."""

import json

import pytest

from awards.extensions import limiter
from bench import run, server
from bench.benchmarks import ROW_NAMES

FIELDS = ("name", "db", "scale", "app_s", "floor_s", "ratio", "p50_ms", "p95_ms", "peak_rss_mb")
# the page crawl on a few pages: public, signed-in staff, admin-only, the unit officer's registration form, a
# dossier that came up from a hospital, and one the province has no object for in the matrix's terms
CRAWLED = ("home.index", "nominations.queue", "nominations.detail", "auth.users", "campaigns.register",
           "reports.annual_xlsx")


@pytest.fixture(autouse=True)
def _limits_back_on():
    """The benchmark app turns the (process-wide) limiter off; the rest of the suite needs it on."""
    enabled = limiter.enabled
    yield
    limiter.enabled = enabled


def test_the_harness_runs_every_benchmark_and_writes_its_rows(tmp_path, capsys):
    out = tmp_path / "results.json"
    status = run.main(["--scale", "0.001", "--db-dir", str(tmp_path), "--out", str(out), "--no-postgres",
                       "--pages", ",".join(CRAWLED)])
    printed = capsys.readouterr().out
    rows = json.loads(out.read_text())
    assert status == 0, [r.get("error") for r in rows if "error" in r]
    assert [r["name"] for r in rows] == ROW_NAMES
    assert "| archive_search | sqlite |" in printed and "| pages | sqlite |" in printed
    measured = [r for r in rows if not r.get("skipped")]
    may_skip = {"council_ballots"} | (set() if server.gunicorn_available() else
                                      {"public_results", "pages", "worker_memory"})
    assert {r["name"] for r in rows if r.get("skipped")} <= may_skip  # PostgreSQL only; gunicorn from .[bench]
    for r in measured:
        assert set(FIELDS) <= set(r), r
        assert (r["db"], r["scale"]) == ("sqlite", 0.001)
        for name in ("app_s", "p50_ms", "p95_ms", "peak_rss_mb"):
            assert isinstance(r[name], (int, float)) and r[name] > 0, (r["name"], name, r[name])
        if r["floor_s"] is not None:
            assert r["floor_s"] > 0 and r["ratio"] > 0, r
        assert isinstance(r["met"], bool)
    by_name = {r["name"]: r for r in rows}
    # the queue as the Sở's secretariat and as a hospital's, every filter; the overdue filter as three of them
    assert set(by_name["appraisal_queue"]["p95_ms_by_viewer"]) == {"so", "hospital"}
    assert set(by_name["appraisal_queue_overdue"]["p95_ms_by_viewer"]) == {"so", "hospital", "province"}
    if server.gunicorn_available():
        _check_crawl(by_name["pages"], by_name["worker_memory"])
    _check_province(tmp_path)


def _check_crawl(pages, worker):
    """Each crawled page signed in as a role the route matrix allows, with its figures; a file left out."""
    found = {p["name"]: p for p in pages["pages"]}
    assert set(found) == set(CRAWLED)
    assert found["reports.annual_xlsx"]["skipped"] == "answers a file"
    roles = {name: found[name]["role"] for name in CRAWLED}
    assert roles == {"home.index": "anonymous", "nominations.queue": "staff", "nominations.detail": "staff",
                     "auth.users": "admin", "campaigns.register": "unit_officer", "reports.annual_xlsx": "staff"}
    for name in CRAWLED[:-1]:
        page = found[name]
        assert "skipped" not in page, page
        assert page["p95_ms"] >= page["p50_ms"] > 0 and page["queries"] >= 0 and page["kb"] > 0, page
    assert found["nominations.queue"]["queries"] > 0 and pages["measured"] == len(CRAWLED) - 1
    assert worker["rss_mb"] > 0 and worker["peak_mb"] >= worker["rss_mb"] and isinstance(worker["met"], bool)


def _check_province(tmp_path):
    """The province is kept for the next run, every level is there, and its hash chain verifies like any archive."""
    from sqlalchemy import func, select

    from awards.archive.services import verify_chain
    from awards.council.models import Council
    from awards.extensions import db
    from awards.nominations.models import Nomination, NominationEvent
    from awards.units.models import Unit, UnitCompetence
    from bench import province
    from bench.app import make_app

    url = run.databases(0.001, tmp_path, postgres=False)[0][1]
    info = province.ensure(url, 0.001, log=lambda line: None)
    assert info["reused"] and info["records"] > 500 and info["people"] == 100
    assert info["extras"]["not_made"] == {}, info["extras"]
    app = make_app(url)
    with app.app_context():
        checked = verify_chain()
        deciding = db.session.scalars(select(Unit.code).where(Unit.decides_awards)).all()
        assert "SYT" in deciding and info["accounts"]["hospital"] in deciding
        assert db.session.scalar(select(func.count(UnitCompetence.id))) == 4 * len(deciding)
        assert db.session.scalar(select(func.count(Council.id))) == len(deciding)
        root = db.session.scalar(select(Unit.id).where(Unit.code == "SYT"))
        # dossiers the hospitals and centres passed and sent up, now at the Sở: their history crossed two levels
        sent_up = db.session.scalars(select(Nomination).where(
            Nomination.handling_unit_id == root, Nomination.id.in_(
                select(NominationEvent.nomination_id).where(NominationEvent.handling_unit_id != root)))).all()
        assert sent_up and all(n.award_code not in ("LDTT", "CSTDCS", "GIAY_KHEN", "TTLDTT") for n in sent_up)
        assert db.session.scalar(select(func.count(Nomination.id)).where(Nomination.handling_unit_id.is_(None))) == 0
        db.engine.dispose()
    assert checked == (info["records"], None, "")


@pytest.mark.parametrize(("points", "kind"), [
    ([(100_000, 20), (1_000_000, 21), (5_000_000, 22)], "flat"),  # an index lookup
    ([(100_000, 30), (1_000_000, 12), (5_000_000, 25)], "flat"),  # noise, no trend
    ([(100_000, 10), (1_000_000, 20), (5_000_000, 30)], "logarithmic"),  # a step per decade
    ([(100_000, 5), (1_000_000, 50), (5_000_000, 250)], "linear"),  # a scan
    ([(100_000, 5), (1_000_000, 30), (5_000_000, 120)], "linear"),  # nearly a scan
])
def test_the_growth_slope_says_how_a_figure_grows_with_the_archive(points, kind):
    assert run.slope(points)[0] == kind


def test_the_growth_slope_needs_two_sizes():
    assert run.slope([(1_000_000, 20)]) == ("–", None)
    assert run.slope([(1_000_000, 20), (1_000_000, 25)]) == ("–", None)
    assert run.slope([]) == ("–", None)
    assert run.slope([(100_000, 10), (1_000_000, 100)]) == ("linear", 1.0)


def test_the_growth_table_has_a_line_per_row_and_database():
    def result(name, db, scale, records, p95, **extra):
        return {"name": name, "db": db, "scale": scale, "archive_records": records, "p95_ms": p95, **extra}

    rows = [result("archive_search", "sqlite", 0.1, 98_000, 20), result("archive_search", "sqlite", 1, 985_000, 21),
            result("archive_search", "postgresql", 0.1, 98_000, 10),
            result("archive_search", "postgresql", 1, 985_000, 100),
            # the import's sheet grows with the scale: compared per 100,000 rows
            result("archive_import", "sqlite", 0.1, 98_000, 3000, app_s=3.0, rows=10_000),
            result("archive_import", "sqlite", 1, 985_000, 30000, app_s=30.0, rows=100_000),
            result("public_results", "sqlite", 1, 985_000, 50)]
    lines = run.growth_table(rows).splitlines()
    assert lines[0] == "| name | db | scale 0.1 | scale 1 | slope | b |"
    assert [line.split(" | ")[:2] for line in lines[2:]] == [
        ["| archive_search", "postgresql"], ["| archive_search", "sqlite"], ["| archive_import", "sqlite"]]
    assert lines[2].endswith("| linear | 1 |") and lines[3].endswith("| flat | 0.02 |")
    assert "30 s/100k rows" in lines[4] and lines[4].endswith("| flat | 0 |")
