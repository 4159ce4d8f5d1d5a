"""The awards app as the benchmarks run it: production code, configured for a generated province."""

import atexit
import os
import shutil
import tempfile

from flask import Flask


def _upload_dir() -> str:
    """One scratch upload folder per bench run: made by the first app of the run, shared through the environment
    with its forked benchmarks and gunicorn workers, removed when the run ends (one folder a benchmark was
    left behind in /tmp before)."""
    path = os.environ.get("BENCH_UPLOAD_DIR")
    if not path or not os.path.isdir(path):
        path = os.environ["BENCH_UPLOAD_DIR"] = tempfile.mkdtemp(prefix="bench-uploads-")
        atexit.register(shutil.rmtree, path, True)
    return path


def make_app(url: str) -> Flask:
    """The real app on `url`. Rate limits are off: the load tests send thousands of requests from one address,
    which a public deployment only sees from one client (the limiter's answer would be a 429, not a page)."""
    from awards import create_app

    return create_app({"AWARDS_ENV": "development", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                       "UPLOAD_DIR": _upload_dir(), "WTF_CSRF_ENABLED": False})
