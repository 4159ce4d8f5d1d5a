"""The page crawl (issue 21): every GET page of the route matrix (tests/test_routes.py's MATRIX, imported, not
copied), signed in as a role the matrix lets see it, with real ids from the generated province; timed over HTTP
against one gunicorn sync worker that serves the whole crawl (so its memory afterwards is the worker's after every
page), one client, a few reps; each page's queries and size counted once in-process with the test client.

Left out: routes that answer a file (docx, xlsx, pdf, images, templates, exports: the workbook has its own row),
routes no role gets a 200 from in the matrix (forged links, missing objects, a session not closed yet), POSTs, the
JSON API, and pages whose object the province could not make (bench/extras.py: reported with the reason)."""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from werkzeug.routing import BuildError

from bench import measure, server

# a page is looked at as the first of these roles the matrix allows; the public ones as a visitor
ROLE_ORDER = ("anonymous", "staff", "admin", "unit_officer", "council_member", "other_officer")
# the registration form is the unit officer's page: the hospital's whole staff on one form (it replaces the
# wall-clock assertion of tests/campaigns test_sixty_six_people_*: the count stays there, the time is here)
PREFERRED_ROLE = {"campaigns.register": "unit_officer"}
# view functions that answer a file (left out before the first request: some build a whole workbook); anything
# else that turns out not to be HTML is left out after its first answer
FILE_VIEWS = re.compile(r"docx|xlsx|pdf|workbook|download|photo|image|evidence|_file|signed_|template$"
                        r"|^export($|_registrations)")
TARGET_P95_MS, TARGET_MAX_MS, TARGET_WORKER_MB = 150, 300, 200


@dataclass
class Page:
    endpoint: str
    role: str
    url: str = ""
    status: int = 0
    queries: int = 0
    kb: float = 0.0
    times: list[float] = field(default_factory=list)
    skipped: str = ""

    def summary(self) -> dict:
        found = {"name": self.endpoint, "role": self.role, "url": self.url}
        if self.skipped:
            return {**found, "skipped": self.skipped}
        return {**found, "p50_ms": round(measure.percentile(self.times, 50) * 1000, 1),
                "p95_ms": round(measure.percentile(self.times, 95) * 1000, 1),
                "max_ms": round(max(self.times) * 1000, 1), "queries": self.queries, "kb": self.kb}


def matrix() -> dict:
    """The route matrix of tests/test_routes.py (needs the dev dependencies: it imports pytest)."""
    from tests.test_routes import MATRIX

    return MATRIX


def placeholders(app, info: dict) -> dict:
    """The matrix's stand-ins (BVA, P-IN, "nomination", …) → the province's real codes and ids: the first hospital,
    a person of it with a long history, a dossier it proposed that now waits at the Sở, a decision with items, a
    record, the Sở's council; and what bench/extras.py made through the services."""
    from awards.announcements.models import DecisionItem
    from awards.archive.models import AwardRecord
    from awards.auth.models import User
    from awards.extensions import db
    from awards.nominations.models import Nomination, NominationEvent
    from awards.units.models import Person, Unit

    accounts = info["accounts"]
    hospital = accounts["hospital"]
    with app.app_context():
        hospital_id = db.session.scalar(select(Unit.id).where(Unit.code == hospital))
        departments = select(Unit.id).where(Unit.parent_id == hospital_id)
        person = db.session.scalar(select(Person.code).where(Person.unit_id.in_(departments), Person.active)
                                   .order_by(Person.id).limit(1))
        root = db.session.scalar(select(Unit.id).where(Unit.parent_id.is_(None)))
        forwarded = select(NominationEvent.nomination_id).where(NominationEvent.handling_unit_id == hospital_id)
        nomination = db.session.scalar(select(Nomination.id).where(
            Nomination.handling_unit_id == root, Nomination.status == "submitted", Nomination.id.in_(forwarded))
            .order_by(Nomination.id).limit(1)) or db.session.scalar(select(func.min(Nomination.id)))
        decision = db.session.scalar(select(DecisionItem.decision_id).order_by(DecisionItem.id.desc()).limit(1))
        record = db.session.scalar(select(func.max(AwardRecord.id)).where(AwardRecord.subject_code == person))
        owner = db.session.scalar(select(User.id).where(User.username == accounts["hospital_staff"]))
        db.session.remove()
    found = {"BVA": hospital, "BVB": hospital, "BVR": hospital, "BVD": hospital, "SYT": "SYT", "P-IN": person,
             "HD": "HD-SYT", "owner": owner, "record": record, "nomination": nomination, "decision": decision}
    extras = info.get("extras") or {}
    found.update({k: v for k, v in extras.items() if k != "not_made"})
    return found


def plan(app, info: dict, only: set[str] | None = None) -> list[Page]:
    """The pages to crawl, each with its role and URL, or the reason it is left out."""
    from flask import url_for

    known, missing = placeholders(app, info), (info.get("extras") or {}).get("not_made", {})
    pages = []
    for endpoint, (method, args, _body, expected) in matrix().items():
        blueprint = endpoint.partition(".")[0]
        if method != "GET" or blueprint.endswith("_api") or (only and endpoint not in only):
            continue
        allowed = [role for role in ROLE_ORDER if expected.get(role) == 200]
        role = PREFERRED_ROLE.get(endpoint) if PREFERRED_ROLE.get(endpoint) in allowed else \
            (allowed[0] if allowed else "")
        page = Page(endpoint, role)
        pages.append(page)
        if not allowed:
            page.skipped = "no role gets a page in the matrix"
            continue
        if FILE_VIEWS.search(endpoint.rpartition(".")[2]):
            page.skipped = "answers a file"
            continue
        values = {}
        for key, value in args.items():
            if isinstance(value, str) and value in known:
                value = known[value]
            elif isinstance(value, str) and value in missing:
                page.skipped = f"not made: {missing[value]}"
            values[key] = value
        if any(v is None for v in values.values()):
            page.skipped = page.skipped or "no such object in the province"
        if page.skipped:
            continue
        with app.test_request_context():
            try:
                page.url = url_for(endpoint, **values)
            except (ValueError, BuildError) as exc:  # a stand-in the province has no object for (a newer feature's)
                page.skipped = f"no such object in the province ({exc})"
    return pages


def clients(app, info: dict, roles: set[str]) -> dict:
    """A test client per role, signed in with a session record of its own (as the login form makes one)."""
    from bench.benchmarks import signed_in_client

    accounts = info["accounts"]
    usernames = {"staff": accounts["staff"], "admin": accounts["admin"], "unit_officer": accounts["unit_officer"],
                 "council_member": accounts["council_member"], "other_officer": accounts["unit_officer"]}
    return {role: app.test_client() if role == "anonymous" else signed_in_client(app, usernames[role])
            for role in roles}


def _cookie(app, client) -> str:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return f"{cookie.key}={cookie.value}" if cookie is not None else ""


def crawl(ctx, reps: int, only: set[str] | None = None) -> tuple[list[Page], dict]:
    """Count each page's queries and size in-process, then time it `reps` times over HTTP against one gunicorn
    worker; returns the pages and that worker's memory after the crawl (RSS now and its peak, MiB)."""
    from awards.extensions import db

    app = ctx.app
    pages = plan(app, ctx.info, only)
    live = [p for p in pages if not p.skipped]
    signed = clients(app, ctx.info, {p.role for p in live})
    with app.app_context():
        engine = db.engine
    for page in live:
        with measure.capture(engine, every=True) as captured:
            response = signed[page.role].get(page.url)
        page.status, page.queries, page.kb = response.status_code, len(captured.statements), \
            round(len(response.data) / 1024, 1)
        if response.status_code != 200:
            page.skipped = f"answered {response.status_code}"
        elif not response.mimetype.startswith("text/html"):
            page.skipped = f"not a page ({response.mimetype})"
    live = [p for p in live if not p.skipped]
    cookies = {role: _cookie(app, client) for role, client in signed.items()}
    with server.Gunicorn("bench.wsgi:app", ctx.url, workers=1) as web:
        for page in live:  # warm: the first request of each page pays its imports and template compilation
            web.get(page.url, cookie=cookies[page.role])
        for _rep in range(reps):
            for page in live:
                with measure.timer(page.times):
                    web.get(page.url, cookie=cookies[page.role])
        memory = web.worker_memory_mb()
    return pages, memory
