"""`gunicorn bench.wsgi:app`: the awards app on the database named by BENCH_URL."""

import os

from bench.app import make_app

app = make_app(os.environ["BENCH_URL"])
