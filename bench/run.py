"""The harness: `python -m bench --scale 1` (make bench) or `--scale 0.1` (make bench-quick).

For SQLite, and for PostgreSQL when BENCH_DATABASE_URL is set, it makes sure the province is generated at that
scale (cached between runs), then runs every benchmark in a forked process of its own (so each one's peak memory
is its own), prints a table and writes the rows to bench/results.json."""

import argparse
import gc
import json
import math
import multiprocessing
import os
import sys
import time
import traceback
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results.json"
COLUMNS = ("name", "db", "scale", "n", "app_s", "floor_s", "ratio", "p50_ms", "p95_ms", "peak_rss_mb", "met")


def scale_tag(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def databases(scale: float, db_dir: Path, postgres: bool) -> list[tuple[str, str]]:
    """(label, url) to run on: a SQLite file per scale; PostgreSQL's database gets the scale as a suffix
    (BENCH_DATABASE_URL=…/bench → bench_1, bench_0_1), so full and quick runs each keep their own."""
    found = [("sqlite", f"sqlite:///{db_dir / f'bench-{scale:g}.db'}")]
    url = os.environ.get("BENCH_DATABASE_URL")
    if url and postgres:
        parsed = make_url(url)
        found.append(("postgresql", parsed.set(database=f"{parsed.database}_{scale_tag(scale)}")
                      .render_as_string(hide_password=False)))
    return found


def in_child(function, *args, timeout: float = 3600):
    """Run function(*args) in a forked process; its return value, or {"error": …} if it raised or died."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def target():
        try:
            send.send(function(*args))
        except BaseException:  # noqa: BLE001 - everything goes back to the parent as a row
            send.send({"error": traceback.format_exc(limit=8)})
        finally:
            send.close()
            sys.stdout.flush()

    process = context.Process(target=target)
    process.start()
    send.close()
    result = receive.recv() if receive.poll(timeout) else {"error": f"no answer within {timeout:.0f}s"}
    process.join(timeout=30)
    if process.is_alive():
        process.kill()
        process.join()
    return result


def _ensure(url: str, scale: float) -> dict:
    from bench import province

    return province.ensure(url, scale, log=lambda line: print(line, flush=True))


def _run_one(name: str, app, url: str, label: str, scale: float, workdir: Path, info: dict,
             only_pages: set[str] | None = None) -> list[dict]:
    from awards.extensions import db
    from bench import benchmarks

    with app.app_context():
        db.engine.dispose(close=False)  # connections are never shared with the parent
    # what the child inherited (the app, the province's ids) is frozen, as a production worker freezes what it has
    # loaded (gunicorn.conf.py, gc_freeze_every): a full collection walking it took 82-92 ms in the middle of a
    # timed page (the overdue queue's one slow rep, 112 ms, in a full run where its others took 28 ms)
    gc.collect()
    gc.freeze()
    ctx = benchmarks.Ctx(url=url, db=label, scale=scale, workdir=workdir, info=info, app=app, only_pages=only_pages)
    started = time.perf_counter()
    result = benchmarks.BENCHMARKS[name](ctx)
    results = result if isinstance(result, list) else [result]  # the page crawl gives two rows
    for one in results:
        one["wall_s"] = round(time.perf_counter() - started, 1)
    return results


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict]) -> str:
    """A Markdown table (it goes into bench/README.md as it is)."""
    header = [*COLUMNS, "target", "detail"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['name']} | {r['db']} | {r['scale']:g} | ERROR: {r['error'].splitlines()[-1][:90]} |")
            continue
        cells = [_cell(r.get(c)) for c in COLUMNS]
        if r.get("skipped"):
            cells[-1] = "skipped"
        cells += [r.get("target") or "", r.get("skipped") or r.get("detail") or ""]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- the growth table ----------------------------------------------------------------------------------------------

GROWTH_ROWS = ("archive_search", "appraisal_queue", "appraisal_queue_overdue", "eligibility_session", "archive_import")
# flat / logarithmic / linear by b, the slope of log(figure) against log(records) (least squares over the scales):
# b < FLAT: the figure hardly moves (×50 records → under ×1.8); b ≥ LINEAR: it grows about as the archive does
# (×50 records → ×10 or more) — a finding to fix; in between it grows, far slower than the archive: logarithmic
FLAT, LINEAR = 0.15, 0.6


def growth_figure(row: dict) -> float | None:
    """What the growth table compares across scales: a row's p95 in ms, except the import, whose sheet grows with
    the scale (100,000 rows × scale): its seconds per 100,000 rows."""
    if row.get("name") == "archive_import" and row.get("app_s") and row.get("rows"):
        return row["app_s"] * 100_000 / row["rows"]
    return row.get("p95_ms")


def slope(points: list[tuple[float, float]]) -> tuple[str, float | None]:
    """(flat | logarithmic | linear, b) for (records, figure) points of one row at several scales: b is the
    least-squares slope of ln(figure) against ln(records); fewer than two sizes or a figure ≤ 0: ("–", None)."""
    points = [(n, y) for n, y in points if n and y and n > 0 and y > 0]
    if len({n for n, _y in points}) < 2:
        return "–", None
    xs, ys = [math.log(n) for n, _y in points], [math.log(y) for _n, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    kind = "flat" if b < FLAT else "linear" if b >= LINEAR else "logarithmic"
    return kind, round(b, 2)


def growth_table(rows: list[dict]) -> str:
    """Per row and database: the figure at each scale (with the archive's size) and the slope."""
    scales = sorted({r["scale"] for r in rows})
    groups: dict[tuple[str, str], dict[float, dict]] = {}
    for r in rows:
        if r.get("name") in GROWTH_ROWS and "error" not in r and not r.get("skipped"):
            groups.setdefault((r["name"], r["db"]), {})[r["scale"]] = r
    header = ["name", "db", *[f"scale {s:g}" for s in scales], "slope", "b"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (name, db), by_scale in sorted(groups.items(), key=lambda kv: (GROWTH_ROWS.index(kv[0][0]), kv[0][1])):
        cells, points = [name, db], []
        for scale in scales:
            r = by_scale.get(scale)
            figure = growth_figure(r) if r else None
            if figure is None:
                cells.append("–")
                continue
            records = r.get("records") or r.get("archive_records")
            points.append((records, figure))
            unit = " s/100k rows" if name == "archive_import" else " ms"
            size = f"{records / 1e6:.3g} M" if (records or 0) >= 1e6 else f"{(records or 0) / 1e3:.3g} k"
            cells.append(f"{_cell(float(figure))}{unit} ({size})" if records else f"{_cell(float(figure))}{unit}")
        kind, b = slope(points)
        lines.append("| " + " | ".join([*cells, kind, "–" if b is None else f"{b:g}"]) + " |")
    return "\n".join(lines)


def pages_table(rows: list[dict]) -> str:
    """Every page of each `pages` row: the measured ones slowest first (p95 over 150 ms or a request over 300 ms
    marked), then those left out and why."""
    lines = ["| page | db | role | p50_ms | p95_ms | max_ms | queries | KB | met |", "|" + "---|" * 9]
    left_out = []
    for r in rows:
        if r.get("name") != "pages" or "pages" not in r:
            continue
        measured = sorted((p for p in r["pages"] if "skipped" not in p), key=lambda p: -p["p95_ms"])
        for p in measured:
            met = p["p95_ms"] <= 150 and p["max_ms"] <= 300
            lines.append(f"| {p['name']} | {r['db']} | {p['role']} | {p['p50_ms']:g} | {p['p95_ms']:g} | "
                         f"{p['max_ms']:g} | {p['queries']} | {p['kb']:g} | {'yes' if met else 'NO'} |")
        if not left_out:  # the same pages on every database: listed once
            left_out = [f"{p['name']} ({p['skipped']})" for p in r["pages"] if "skipped" in p]
    if left_out:
        lines.append("\nLeft out: " + "; ".join(left_out))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from bench import benchmarks  # noqa: F401 - imported before forking, so children start warm
    from bench.app import make_app

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = a province (1,000,000 records); 0.1 = quick")
    parser.add_argument("--scales", default="", help="several scales, e.g. 0.1,1,5: every row at each, then the "
                                                     "growth table (figure per scale and its slope)")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--skip", default="", help="comma-separated benchmark names")
    parser.add_argument("--pages", default="", help="the page crawl on these endpoints only (comma-separated)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp"), help="where SQLite databases are kept")
    parser.add_argument("--no-postgres", action="store_true", help="ignore BENCH_DATABASE_URL")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (needs BENCH_DATABASE_URL)")
    args = parser.parse_args(argv)
    names = [n for n in (args.only.split(",") if args.only else benchmarks.BENCHMARKS)
             if n and n not in args.skip.split(",")]
    unknown = [n for n in names if n not in benchmarks.BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(unknown)} (known: {', '.join(benchmarks.BENCHMARKS)})")
    scales = [float(s) for s in args.scales.split(",") if s.strip()] if args.scales else [args.scale]
    only_pages = {p for p in args.pages.split(",") if p} or None
    started, rows = time.perf_counter(), []
    for scale in scales:
        for label, url in databases(scale, args.db_dir, not args.no_postgres):
            if label == "sqlite" and args.no_sqlite:
                continue
            rows += _run_scale(names, label, url, scale, args.db_dir, only_pages, make_app)
    print()
    print(table(rows))
    if any(r.get("name") == "pages" and "pages" in r for r in rows):
        print("\nPages (every GET page of the route matrix, one gunicorn worker, one client)\n")
        print(pages_table(rows))
    if len(scales) > 1:
        print("\nGrowth (p95, or the import's seconds per 100,000 rows, against the archive's size; slope b of "
              f"log-log least squares: flat < {FLAT:g} ≤ logarithmic < {LINEAR:g} ≤ linear)\n")
        print(growth_table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f}s → {args.out}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return 1 if any("error" in r for r in rows) else 0


def _run_scale(names, label, url, scale, db_dir, only_pages, make_app) -> list[dict]:
    """The province at this scale on one database (generated or reused), then each benchmark in its own process."""
    print(f"== {label} at scale {scale:g}: {make_url(url).render_as_string()}", flush=True)
    info = in_child(_ensure, url, scale, timeout=6 * 3600)
    if "error" in info:
        print(info["error"], file=sys.stderr)
        return [{"name": "generate", "db": label, "scale": scale, "error": info["error"]}]
    if info.get("reused"):
        print(f"  reusing the generated province ({info['records']:,} records, {info['people']:,} people)")
    workdir = db_dir / f"bench-{scale:g}-files"
    workdir.mkdir(parents=True, exist_ok=True)
    app = make_app(url)
    rows = []
    for name in names:
        results = in_child(_run_one, name, app, url, label, scale, workdir, info, only_pages)
        if isinstance(results, dict):  # {"error": …}
            results = [{"name": name, "db": label, "scale": scale, **results}]
            print(f"  {name}: ERROR\n{results[0]['error']}", file=sys.stderr, flush=True)
        for result in results:
            result.setdefault("archive_records", info.get("records"))
            if "error" not in result:
                print(f"  {result['name']}: " + ", ".join(f"{c}={_cell(result.get(c))}" for c in COLUMNS[3:])
                      + (f" ({result['skipped']})" if result.get("skipped") else ""), flush=True)
        rows += results
    return rows
