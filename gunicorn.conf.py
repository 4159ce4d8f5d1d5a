"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/DEPLOY.md).

`flask --app wsgi run` is the development server only. Every setting can be overridden from the environment
(the systemd unit deploy/awards-web.service sets them), or on the command line, which wins over this file.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# behind nginx on the same machine; another port per instance when several run on one host
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# sync workers: the app is plain WSGI, one request per thread. (2 × cores) + 1 is gunicorn's own rule of thumb;
# each worker holds up to DB_POOL_SIZE + DB_MAX_OVERFLOW PostgreSQL connections, so mind max_connections.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 2)  # a slow upload or download does not hold a whole worker
worker_class = "gthread" if threads > 1 else "sync"

# a request longer than this is killed: the slow work (imports, Excel reports) runs as background jobs
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # a restart lets running requests finish
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # above nginx's upstream keepalive reuse, below its timeout

# recycle workers now and then (a slow leak never grows for weeks); jitter so they do not restart together.
# Exports and imports never run here: the web only queues them for the job consumer (`flask jobs run`).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# request bodies: MAX_UPLOAD_MB is enforced by the app (and nginx's client_max_body_size)
limit_request_line = 8190

# logs to stdout/stderr: journald (or the file given) keeps them, logrotate rotates files (deploy/logrotate)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# the Combined Log Format (what nginx and log analysers read), plus the request's duration in microseconds
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'

# nginx sets X-Forwarded-For/-Proto; trust them only from nginx on this machine (rate limits key on the client)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips

# Memory (issue 21; docs/DEPLOY.md §2 "A worker's memory"). By default each worker loads the app after the fork:
# ~160 MB resident after serving every page, nothing shared, and `systemctl reload` (HUP) starts workers on the new
# code. GUNICORN_PRELOAD=1 loads it once in the master and forks the workers from it, sharing the app's pages
# copy-on-write (measured, one worker after the page crawl: PSS 143 → 120 MB), but then HUP forks the old code
# again: upgrades need `systemctl restart awards-web`. Read a preloaded worker's PSS, not its RSS, which counts the
# shared pages in full.
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"


# A worker's garbage collections (issue 21). What a worker loads on its first requests (the holidays library's 300
# modules, python-docx, fpdf, SQLAlchemy's compiled statements, Jinja's templates) stays for the worker's life, and
# every full collection walked all of it again: ~200,000 objects after the page crawl, 33-52 ms a collection, eight
# in 570 requests, each one stalling the request that triggered it (the forwarding page's slowest rep: 84-89 ms,
# 45-52 ms without). Every GUNICORN_GC_FREEZE_EVERY requests, after the response is sent, the worker collects once
# and freezes what survived (gc.freeze: the collector no longer walks it; a full collection then takes under 1 ms).
# A cycle a frozen object later leaves behind is reclaimed when the worker is recycled (max_requests above). 0: off.
gc_freeze_every = _int("GUNICORN_GC_FREEZE_EVERY", 100)


def post_request(worker, req, environ, resp):
    """After the response is sent: every gc_freeze_every requests, collect and freeze the survivors."""
    if gc_freeze_every and worker.nr % gc_freeze_every == 0:
        import gc

        gc.collect()
        gc.freeze()


def when_ready(server):
    """Preloaded: the app's objects moved out of the collector's reach before the first fork, so a worker's garbage
    collections do not write to (and so copy) the pages it shares with the master."""
    if server.cfg.preload_app:
        import gc

        gc.freeze()


def post_fork(server, worker):
    """Preloaded: a connection the master may have opened is never used by two processes (SQLAlchemy's recipe for
    forked processes: drop the inherited pool without closing the parent's connections)."""
    if not server.cfg.preload_app:
        return
    from awards.extensions import db

    app = worker.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):  # another app served with this file (bench's bare floor)
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
        if "replica_engine" in app.extensions:
            app.extensions["replica_engine"].dispose(close=False)
