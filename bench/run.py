"""The harness: `python -m bench --scale 1` (make bench) or `--scale 0.1` (make bench-quick).

For SQLite, and for PostgreSQL when BENCH_DATABASE_URL is set, it makes sure the province is generated at that
scale (cached between runs), then runs every benchmark in a forked process of its own (so each one's peak memory
is its own), prints a table and writes the rows to bench/results.json."""

import argparse
import json
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


def _run_one(name: str, app, url: str, label: str, scale: float, workdir: Path, info: dict) -> dict:
    from awards.extensions import db
    from bench import benchmarks

    with app.app_context():
        db.engine.dispose(close=False)  # connections are never shared with the parent
    ctx = benchmarks.Ctx(url=url, db=label, scale=scale, workdir=workdir, info=info, app=app)
    started = time.perf_counter()
    result = benchmarks.BENCHMARKS[name](ctx)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


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


def main(argv: list[str] | None = None) -> int:
    from bench import benchmarks  # noqa: F401 - imported before forking, so children start warm
    from bench.app import make_app

    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = a province (1,000,000 records); 0.1 = quick")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--skip", default="", help="comma-separated benchmark names")
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
    started, rows = time.perf_counter(), []
    for label, url in databases(args.scale, args.db_dir, not args.no_postgres):
        if label == "sqlite" and args.no_sqlite:
            continue
        print(f"== {label} at scale {args.scale:g}: {make_url(url).render_as_string()}", flush=True)
        info = in_child(_ensure, url, args.scale)
        if "error" in info:
            print(info["error"], file=sys.stderr)
            rows.append({"name": "generate", "db": label, "scale": args.scale, "error": info["error"]})
            continue
        if info.get("reused"):
            print(f"  reusing the generated province ({info['records']:,} records, {info['people']:,} people)")
        workdir = args.db_dir / f"bench-{args.scale:g}-files"
        workdir.mkdir(parents=True, exist_ok=True)
        app = make_app(url)
        for name in names:
            result = in_child(_run_one, name, app, url, label, args.scale, workdir, info)
            if "error" in result:
                result = {"name": name, "db": label, "scale": args.scale, **result}
                print(f"  {name}: ERROR\n{result['error']}", file=sys.stderr, flush=True)
            else:
                print(f"  {name}: " + ", ".join(f"{c}={_cell(result.get(c))}" for c in COLUMNS[3:])
                      + (f" ({result['skipped']})" if result.get("skipped") else ""), flush=True)
            rows.append(result)
    print()
    print(table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - started:.0f}s → {args.out}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    return 1 if any("error" in r for r in rows) else 0
