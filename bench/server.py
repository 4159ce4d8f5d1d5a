"""A gunicorn server on a free loopback port for the HTTP benchmarks, and the clients that load it: a thread pool
sending a fixed number of requests, and a burst of requests released together by a barrier. Traffic goes to
127.0.0.1 only; every loop is bounded in count and time."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
TIMEOUT = 60  # seconds: one request, and the server's start


def gunicorn_available() -> bool:
    return GUNICORN.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _status_mb(pid: int, key: str) -> float:
    """A line of /proc/<pid>/status in MiB: VmHWM (peak resident memory) or VmRSS (resident now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _hwm_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


def _pss_mb(pid: int) -> float:
    """A process's proportional set size (its private pages, plus its share of those it shares), MiB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Gunicorn:
    """`gunicorn <app>` with `workers` sync workers (or gthread with `threads`), preloaded, on 127.0.0.1."""

    def __init__(self, app: str, url: str, *, workers: int = 2, threads: int = 1, body_size: int = 0):
        self.app, self.url, self.workers, self.threads, self.body_size = app, url, workers, threads, body_size
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        # every setting that matters said here: gunicorn also reads ./gunicorn.conf.py (production's: gthread with
        # 2 threads, workers recycled after ~2,000 requests, an access line per request), and the command line wins
        args = [str(GUNICORN), self.app, "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--preload", "--timeout", "120", "--log-level", "warning", "--backlog", "2048",
                "--max-requests", "0", "--access-logfile", os.devnull, "--threads", str(self.threads),
                "--worker-class", "gthread" if self.threads > 1 else "sync"]
        # a pooled connection per thread, as deploy/awards.env.example asks: with the default 5 and 8 threads, the
        # threads beyond the pool opened and closed a PostgreSQL connection per request (48 connections for one
        # 100-ballot burst, 35 with the pool at 8)
        env = {**os.environ, "BENCH_URL": self.url, "BENCH_BODY_SIZE": str(self.body_size),
               "PYTHONPATH": str(ROOT), "DB_POOL_SIZE": str(max(5, self.threads))}
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if len(_children(self.process.pid)) >= self.workers:
                try:
                    self.get("/__bench_ready__", ok=(404, 200))
                    return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start in time")

    def get(self, path: str, ok=(200,), cookie: str = "") -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        if response.status not in ok:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        return body

    def peak_worker_rss_mb(self) -> float:
        return max((_hwm_mb(pid) for pid in _children(self.process.pid)), default=0.0)

    def worker_memory_mb(self) -> dict:
        """The workers' resident memory now (the largest), their peak, and the largest one's own share (PSS: the
        pages it shares with the preloading master counted in part), MiB."""
        workers = _children(self.process.pid)
        return {"rss_mb": round(max((_status_mb(pid, "VmRSS") for pid in workers), default=0.0), 1),
                "peak_mb": round(max((_hwm_mb(pid) for pid in workers), default=0.0), 1),
                "pss_mb": round(max((_pss_mb(pid) for pid in workers), default=0.0), 1), "workers": len(workers)}

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop of its own workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return False


@dataclass
class Load:
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load(port: int, paths: list[str], *, requests: int, clients: int, seconds: float = 600, warmup: int = 20) -> Load:
    """`requests` GETs spread over `clients` threads (a new connection each, as sync workers close them),
    cycling through `paths`, none started after `seconds`; wall time from the first to the last answer."""
    for n in range(warmup):
        _get(port, paths[n % len(paths)])
    result, lock, counter = Load(), threading.Lock(), iter(range(requests))
    deadline = time.perf_counter() + seconds

    def client():
        while True:
            with lock:
                n = next(counter, None) if time.perf_counter() < deadline else None
            if n is None:
                return
            started = time.perf_counter()
            try:
                status = _get(port, paths[n % len(paths)])
            except OSError as exc:
                status = repr(exc)
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)
                if status != 200:
                    result.errors.append(f"{paths[n % len(paths)]}: {status}")

    threads = [threading.Thread(target=client) for _n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    result.wall = time.perf_counter() - started
    return result


def _get(port: int, path: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@dataclass
class Burst:
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    responses: list[tuple[int, dict]] = field(default_factory=list)  # in the order of the tokens


def burst(port: int, path: str, tokens: list[str], bodies: list[dict]) -> Burst:
    """One POST per token, all connected first and released together by a barrier."""
    result = Burst(responses=[(0, {})] * len(tokens), latencies=[0.0] * len(tokens))
    barrier = threading.Barrier(len(tokens))
    starts, ends = [], []

    def send(index: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        payload = json.dumps(bodies[index]).encode()
        headers = {"Authorization": f"Bearer {tokens[index]}", "Content-Type": "application/json"}
        try:
            conn.connect()
            barrier.wait(timeout=TIMEOUT)
            started = time.perf_counter()
            conn.request("POST", path, body=payload, headers=headers)
            response = conn.getresponse()
            text = response.read()
            ended = time.perf_counter()
            result.latencies[index] = ended - started
            starts.append(started)
            ends.append(ended)
            try:
                body = json.loads(text)
            except ValueError:
                body = {"raw": text[:200].decode(errors="replace")}
            result.responses[index] = (response.status, body)
        except (OSError, threading.BrokenBarrierError) as exc:
            result.responses[index] = (-1, {"error": repr(exc)})
        finally:
            conn.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    result.wall = max(ends) - min(starts) if starts else 0.0  # from the release to the last answer
    return result
