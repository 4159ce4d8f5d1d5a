"""`gunicorn bench.bare:app`: the floor of the HTTP benchmarks, a bare Flask route answering every path with a
body of BENCH_BODY_SIZE bytes (the size of the page it stands in for)."""

import os

from flask import Flask, Response

app = Flask(__name__)
BODY = b"x" * int(os.environ.get("BENCH_BODY_SIZE") or 1024)


@app.get("/")
@app.get("/<path:anything>")
def page(anything=None):
    return Response(BODY, mimetype="text/html")
