"""`gunicorn bench.bare:app`: the floor of the HTTP benchmarks, a bare Flask route answering every path with a
body of BENCH_BODY_SIZE bytes (the size of the page it stands in for), and the ballots' floor: POST /floor/ballot
reads the JSON body and writes it in one INSERT and a commit on the database of BENCH_URL (PostgreSQL), no
authentication, no guard (issue 21: what 100 members voting at once cost before the app's own work)."""

import json
import os
import threading

from flask import Flask, Response, request

app = Flask(__name__)
BODY = b"x" * int(os.environ.get("BENCH_BODY_SIZE") or 1024)
_local = threading.local()


@app.get("/")
@app.get("/<path:anything>")
def page(anything=None):
    return Response(BODY, mimetype="text/html")


def _connection():
    """This thread's connection to BENCH_URL, with a temporary table of its own (nothing left in the database)."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(os.environ["BENCH_URL"]).set(drivername="postgresql").render_as_string(hide_password=False)
        conn = _local.conn = psycopg.connect(url)
        conn.execute("CREATE TEMP TABLE floor_ballots (id serial PRIMARY KEY, token text, body jsonb)")
        conn.commit()
    return conn


@app.post("/floor/ballot")
def ballot():
    body = request.get_json()
    conn = _connection()
    conn.execute("INSERT INTO floor_ballots (token, body) VALUES (%s, %s)",
                 (request.headers.get("Authorization", ""), json.dumps(body)))
    conn.commit()
    return {"receipt": "floor"}, 201
