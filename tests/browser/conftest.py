"""A real server and a real browser: the app on its own migrated SQLite file, served from a thread,
driven by Debian's chromium through Playwright (no browser download: executable_path is fixed)."""

import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from awards import create_app
from awards.auth import services as auth_services
from awards.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

USERNAME, PASSWORD, FULL_NAME = "thuongtruc", "trinh-duyet-2026", "Nguyễn Thị Ánh Tuyết"


@contextmanager
def _logging_kept():
    """Alembic's env.py runs logging.fileConfig, which disables every logger it does not name; undo that."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = {lg.name: lg.disabled for lg in loggers}
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for lg in logging.root.manager.loggerDict.values():
            if isinstance(lg, logging.Logger):
                lg.disabled = disabled.get(lg.name, False)


@contextmanager
def serving(app):
    """Serve `app` from a thread on a free local port; yields its base URL; stops it and closes its connections."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def migrated_app(tmp_path_factory, name: str, **config):
    """A test module's own app: a fresh SQLite file in a folder of its own, migrated to head by the real migrations;
    `config` adds to the testing configuration (mail server, login rate, …). The caller seeds it and serves it."""
    tmp = tmp_path_factory.mktemp(name)
    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'browser.db'}",
                      "UPLOAD_DIR": str(tmp / "uploads"), **config})
    with app.app_context(), _logging_kept():
        flask_migrate.upgrade(directory=str(MIGRATIONS))
    return app


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The base URL of the app served on a free local port, its schema built by the real migrations."""
    app = migrated_app(tmp_path_factory, "browser")
    with app.app_context():
        auth_services.create_user(USERNAME, PASSWORD, ["staff"], full_name=FULL_NAME)
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (`make chromium` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under tests/browser/screenshots/ (git-ignored) for a look by eye."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


DEMO_PASSWORDS = {"admin": "demo-admin-2026", "staff": "demo-staff-2026", "officer": "demo-officer-2026",
                  "council": "demo-council-2026", "council2": "demo-council-2026"}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo province (`flask demo load`) on its own live server, its draft council session opened for voting:
    every page has something true to show (accessibility and keyboard checks). Accounts: DEMO_PASSWORDS."""
    from awards.council import voting
    from awards.council.models import CouncilSession
    from awards.demo.cli import load_demo

    app = migrated_app(tmp_path_factory, "browser-demo", LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        load_demo(db.session)
        draft = db.session.scalar(db.select(CouncilSession).where(CouncilSession.status == "draft"))
        voting.open_session(draft, by=_user("staff"))
        db.session.commit()
        db.session.remove()
    with serving(app) as base:
        yield base


def _user(username):
    from awards.auth.models import User

    return db.session.scalar(db.select(User).where(User.username == username))


def sign_in(page, base: str, username: str, password: str):
    """Sign in through the login form and wait for the greeting."""
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("heading", name=re.compile("^Xin chào, ")).wait_for()
    page.wait_for_load_state("load")  # the heading shows before the scripts at the page's end have run


def menu(page, group: str, link: str):
    """Open a group of the main menu (a dropdown button) and follow one of its links, as a user would."""
    page.wait_for_load_state("load")  # Bootstrap's dropdowns answer a click only once its script has run
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("button", name=group, exact=True).click()
    nav.get_by_role("link", name=link, exact=True).click()
