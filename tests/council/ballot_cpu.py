"""The ballot path's own cost, in-process, one ballot at a time (issue 21; not collected by pytest).

    .venv/bin/python -m tests.council.ballot_cpu [DATABASE_URL] [--ballots 1000] [--members 100] [--items 20] [--wsgi]

A council of `members`, an open session of `items` secret dossiers; `ballots` ballots cast through the service
(`voting.cast_ballot` then commit, as the API does) and then the same number through the API with the test client
(token, JSON, the service, the commit, the response); with `--wsgi`, through the app's WSGI callable with environs
built beforehand, as a server calls it (the test client's own request building not counted; each request in its own
app context, as under gunicorn). Between rounds of `members` the session's ballots are deleted
(not timed). Prints statements, CPU time and wall time per ballot. Without DATABASE_URL: a temporary SQLite file;
with a PostgreSQL URL: a database `ballot_cpu` made beside it and dropped after. `--profile [LINES]` runs the API
round under cProfile timed in CPU (`--profile-file` keeps the statistics for pstats)"""

import argparse
import cProfile
import pstats
import tempfile
import time
from datetime import timedelta

from sqlalchemy import delete, event, make_url, text

from awards import create_app
from awards.core import clock
from awards.council import services, voting
from awards.council.models import BallotCast, CouncilSession, OpenVote, SealedBallot
from awards.extensions import db
from tests import factories


def _postgres(url: str) -> tuple[str, callable]:
    from sqlalchemy import create_engine

    base = make_url(url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS ballot_cpu"))
        conn.execute(text("CREATE DATABASE ballot_cpu"))

    def drop():
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS ballot_cpu WITH (FORCE)"))
        admin.dispose()

    return base.set(database="ballot_cpu").render_as_string(hide_password=False), drop


def _setup(members: int, items: int):
    province = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BV1", name="Bệnh viện 1", parent=province)
    staff = factories.user("staff")
    seats = [factories.user("council_member", person=factories.person(unit=province)) for _n in range(members)]
    tokens = [factories.token(u) for u in seats]
    services.save_council(code="HD", name="Hội đồng Thi đua – Khen thưởng", unit_code="SYT",
                          chair_username=seats[0].username, members=[(u.username, "member") for u in seats[1:]],
                          by=staff)
    dossiers = [factories.nomination(factories.person(unit=hospital), "CSTDCS", by=staff) for _n in range(items)]
    from awards.council import queries

    session = services.create_session(council=queries.council_by_code("HD"), title="Phiên đo",
                                      nomination_ids=[d.id for d in dossiers],
                                      closes_at=clock.now() + timedelta(hours=6), by=staff)
    voting.open_session(session, by=staff)
    db.session.commit()
    return session.id, seats, tokens, [d.id for d in dossiers]


def _reset(session_id: int) -> None:
    for model in (BallotCast, SealedBallot, OpenVote):
        db.session.execute(delete(model).where(model.session_id == session_id))
    db.session.commit()


def _timed(count: int, members: int, session_id: int, one, app=None, profiler=None) -> tuple[float, float]:
    """CPU and wall milliseconds a call of `one`, and only of it (the profiler too): the resets between rounds are
    not counted. Given `app`, each reset runs in an app context of its own (requests then have theirs, as under a
    server: their database session is removed at the end of each)."""
    cpu = wall = 0.0
    done = 0
    while done < count:
        if app is None:
            _reset(session_id)
        else:
            with app.app_context():
                _reset(session_id)
                db.session.remove()
        for n in range(min(members, count - done)):
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            one(n)
            if profiler:
                profiler.disable()
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
        done += min(members, count - done)
    return cpu / count * 1000, wall / count * 1000


def _wsgi_caller(app, path: str, bodies: list[dict], tokens: list[str]):
    """One ballot as a WSGI server hands it to the app: the environ built beforehand (a server's HTTP parsing is
    not the app's), a fresh input stream, the response's body read and closed."""
    import io
    import json

    from werkzeug.test import EnvironBuilder

    raws = [json.dumps(b).encode() for b in bodies]
    environs = [EnvironBuilder(path=path, method="POST", data=raw, content_type="application/json",
                               headers={"Authorization": f"Bearer {t}"}).get_environ()
                for raw, t in zip(raws, tokens, strict=True)]
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(line)

    def call(n):
        environ = dict(environs[n])
        environ["wsgi.input"] = io.BytesIO(raws[n])
        body = app(environ, start_response)
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        line = status.pop()
        assert line.startswith("201"), line

    return call


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--object", action="store_true", help="pass the service the session loaded (older code)")
    parser.add_argument("--profile", type=int, nargs="?", const=40, metavar="LINES",
                        help="profile the API round (cProfile, CPU time); print its LINES costliest functions")
    parser.add_argument("--profile-file", help="with --profile: also write the raw statistics here (pstats)")
    parser.add_argument("--wsgi", action="store_true",
                        help="call the app's WSGI callable with ready-made environs, as a server does, instead of the "
                             "test client (whose own request building is then not counted)")
    args = parser.parse_args()
    drop = None
    with tempfile.TemporaryDirectory() as folder:
        if args.url and args.url.startswith("postgresql"):
            url, drop = _postgres(args.url)
        else:
            url = args.url or f"sqlite:///{folder}/ballots.db"
        app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": folder,
                          "RATELIMIT_ENABLED": False})
        try:
            with app.app_context():
                db.create_all()
                session_id, seats, tokens, dossiers = _setup(args.members, args.items)
                votes = [{d: ("yes", "no")[(n + i) % 2] for i, d in enumerate(dossiers)} for n in range(args.members)]
                users = [(u.id, u.username) for u in seats]
                user_model = type(seats[0])
                db.session.remove()  # a request's session holds its user only, not the setup's objects
                statements = [0]

                def count(*_args):
                    statements[0] += 1

                event.listen(db.engine, "before_cursor_execute", count)

                spent = [0.0]

                def through_service(n):
                    user = db.session.get(user_model, users[n][0])  # the caller's user, as a request has it
                    c0 = time.process_time()
                    session = db.session.get(CouncilSession, session_id) if args.object else session_id
                    voting.cast_ballot(session, votes=votes[n], by=user)
                    spent[0] += time.process_time() - c0
                    db.session.commit()

                for n in range(3):  # warm the statement caches
                    through_service(n)
                statements[0], spent[0] = 0, 0.0
                cpu, wall = _timed(args.ballots, args.members, session_id, through_service)
                per = statements[0] / args.ballots
                print(f"{db.engine.dialect.name}: service  {args.ballots} ballots: {cpu:.2f} ms CPU, {wall:.2f} ms wall"
                      f" per ballot ({per:.1f} statements incl. the user's get); cast_ballot alone "
                      f"{spent[0] / args.ballots * 1000:.2f} ms CPU")
                db.session.remove()

            client = app.test_client()
            bodies = [{"votes": [{"nomination_id": d, "choice": c} for d, c in v.items()]} for v in votes]
            path = f"/api/v1/council-sessions/{session_id}/ballots"

            def through_api(n):
                response = client.post(path, json=bodies[n], headers={"Authorization": f"Bearer {tokens[n]}"})
                assert response.status_code == 201, response.get_json()

            if args.wsgi:
                through_api = _wsgi_caller(app, path, bodies, tokens)

            profiler = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
            # no app context around the requests: each pushes its own and removes its database session after
            cpu, wall = _timed(args.ballots, args.members, session_id, through_api, app, profiler)
            with app.app_context():
                print(f"{db.engine.dialect.name}: API      {args.ballots} ballots: {cpu:.2f} ms CPU, {wall:.2f} ms wall"
                      f" per ballot ({'WSGI call' if args.wsgi else 'test client'}: auth, JSON, service, commit,"
                      " response)")
                if profiler and args.profile_file:
                    profiler.dump_stats(args.profile_file)
                if profiler:
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
                db.session.remove()
                db.engine.dispose()
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
