"""The awards application: thi đua – khen thưởng work for Vietnamese public agencies."""

import click
from flask import Flask

from config import INSTANCE, ConfigError, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers."""
    config = dict(config or {})
    app = Flask(__name__, instance_path=str(INSTANCE), template_folder="../templates",
                static_folder="../static")
    app.config.update(load_config(config.pop("AWARDS_ENV", None), **config))
    app.json.ensure_ascii = False  # Vietnamese stays readable in JSON
    if app.config["PROXY_COUNT"]:  # behind nginx: the client's address and scheme from X-Forwarded-* (rate limits)
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from awards.archive.models import compared_by_autogenerate
    from awards.core import cache, errors, filemodes, params, replica, web
    from awards.core.api import ApiSessionInterface
    from awards.core.db import retry_transient_failures
    from awards.extensions import babel, csrf, db, limiter, login_manager, migrate

    _init_database(app, db)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, include_name=compared_by_autogenerate)
    login_manager.init_app(app)
    app.session_interface = ApiSessionInterface()  # an /api/ request neither reads nor writes the session cookie
    csrf.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    limiter.init_app(app)
    web.init_app(app)
    replica.init_app(app)
    errors.init_app(app)
    params.init_app(app)  # NUL characters refused before any view
    filemodes.init_app(app)  # the database, uploads and backups readable by the app's user only
    cache.init_app(app)  # the public pages' cache: Flask-Caching's storage (Redis when REDIS_URL is set)

    from awards.announcements import api as announcements_api
    from awards.announcements import cli as announcements_cli  # flask archive gold-book-duplicates, announcements
    from awards.announcements import decision_views, feedback_views  # noqa: F401 (the modules' routes)
    from awards.announcements import pdf_api as decision_pdf_api  # noqa: F401 (issue 24: the decision PDF)
    from awards.announcements import pdf_views as decision_pdf_views  # noqa: F401 (PDFs and notices)
    from awards.announcements import public as announcements_public  # noqa: F401
    from awards.announcements import views as announcements_views  # noqa: F401
    from awards.announcements.blueprint import bp as announcements_bp
    from awards.announcements.blueprint import public_bp as announcements_public_bp
    from awards.archive import api as archive_api  # noqa: F401 (the modules' routes)
    from awards.archive import cli as archive_cli
    from awards.archive import import_api, import_views  # noqa: F401
    from awards.archive import import_jobs as archive_import_jobs
    from awards.archive import public as archive_public  # noqa: F401
    from awards.archive import views as archive_views  # noqa: F401
    from awards.archive.blueprint import api_bp as archive_api_bp
    from awards.archive.blueprint import bp as archive_bp
    from awards.archive.blueprint import public_bp as archive_public_bp
    from awards.auth import api as auth_api
    from awards.auth import cli as auth_cli
    from awards.auth import recovery_views, twofactor_views  # noqa: F401 (their routes, on auth's blueprint)
    from awards.auth import session_views as auth_session_views  # noqa: F401
    from awards.auth import views as auth_views
    from awards.calendar import api as calendar_api
    from awards.calendar import cli as calendar_cli
    from awards.calendar import queries as calendar_queries
    from awards.calendar import views as calendar_views  # noqa: F401 (its routes)
    from awards.calendar.blueprint import bp as calendar_bp
    from awards.campaigns import api as campaigns_api
    from awards.campaigns import cli as campaigns_cli
    from awards.campaigns import example_views, honour_board, public, registration_views  # noqa: F401
    from awards.campaigns import views as campaigns_views  # noqa: F401 (the modules' routes)
    from awards.campaigns.blueprint import bp as campaigns_bp
    from awards.campaigns.blueprint import public_bp as campaigns_public_bp
    from awards.catalog import api as catalog_api
    from awards.catalog import views as catalog_views
    from awards.clusters import api as clusters_api
    from awards.clusters import views as clusters_views  # noqa: F401 (its routes)
    from awards.clusters.blueprint import bp as clusters_bp
    from awards.core import cli as core_cli
    from awards.core import jobs as core_jobs
    from awards.core import views as core_views
    from awards.core import workdays
    from awards.council import api as council_api
    from awards.council import cli as council_cli
    from awards.council import council_views, result_views, session_views, vote_views  # noqa: F401 (their routes)
    from awards.council import minutes_pdf_views as council_pdf_views  # noqa: F401 (its route)
    from awards.council.blueprint import bp as council_bp
    from awards.demo import cli as demo_cli
    from awards.documents import api as documents_api
    from awards.documents import views as documents_views  # noqa: F401 (its routes)
    from awards.documents.blueprint import bp as documents_bp
    from awards.help import views as help_views
    from awards.home import views as home_views  # noqa: F401 (its routes)
    from awards.home.blueprint import bp as home_bp
    from awards.nominations import api as nominations_api
    from awards.nominations import (  # noqa: F401 (their routes)
        appraisal_views,
        document_views,
        dossier_views,
        forwarding_views,
    )
    from awards.nominations import document_pdf_views as nomination_pdf_views  # noqa: F401 (its routes)
    from awards.nominations import outcomes as nomination_outcomes  # the queue's stored outcomes: hook and job
    from awards.nominations.blueprint import bp as nominations_bp
    from awards.notifications import cli as notifications_cli
    from awards.notifications import views as notifications_views  # noqa: F401 (its routes)
    from awards.notifications.blueprint import bp as notifications_bp
    from awards.prizes import api as prizes_api
    from awards.prizes import views as prizes_views  # noqa: F401 (its routes)
    from awards.prizes.blueprint import bp as prizes_bp
    from awards.reports import api as reports_api
    from awards.reports import export_views, unit_report_views  # noqa: F401 (the modules' routes)
    from awards.reports import exports as report_exports
    from awards.reports import views as reports_views  # noqa: F401
    from awards.reports.blueprint import bp as reports_bp
    from awards.setup import views as setup_views  # noqa: F401 (its routes)
    from awards.setup.blueprint import bp as setup_bp
    from awards.signing import api as signing_api
    from awards.signing import public as signing_public  # noqa: F401 (its routes)
    from awards.signing import views as signing_views  # noqa: F401 (its routes)
    from awards.signing.blueprint import bp as signing_bp
    from awards.signing.blueprint import public_bp as signing_public_bp
    from awards.units import api as units_api
    from awards.units import cli as units_cli
    from awards.units import competence_views, fact_views  # noqa: F401 (their routes, on the units blueprint)
    from awards.units import import_api as units_import_api
    from awards.units import import_views as units_import_views  # noqa: F401 (its routes, on the units blueprint)
    from awards.units import views as units_views

    for module in (core_views, auth_views, auth_api, units_views, units_api, catalog_views, catalog_api,
                   calendar_api, campaigns_api, nominations_api, documents_api,
                   council_api, reports_api, announcements_api, help_views, prizes_api):
        app.register_blueprint(module.bp)
    for bp in (calendar_bp, reports_bp, archive_bp, archive_api_bp, archive_public_bp,
               home_bp, notifications_bp, campaigns_bp, campaigns_public_bp, nominations_bp, council_bp,
               announcements_bp, announcements_public_bp, documents_bp, setup_bp, units_import_api.bp, prizes_bp):
        app.register_blueprint(bp)
    for bp in (signing_bp, signing_public_bp, signing_api.bp):  # ký số, the public check, printing on blanks
        app.register_blueprint(bp)
    for bp in (clusters_bp, clusters_api.bp):  # cụm, khối thi đua: pledges, scores, the leading unit
        app.register_blueprint(bp)
    for module in (auth_cli, demo_cli, archive_cli, campaigns_cli, council_cli, notifications_cli, core_cli,
                   core_jobs, calendar_cli, units_cli):
        app.cli.add_command(module.cli)
    app.cli.add_command(announcements_cli.announcements)  # senders' contacts past retention (PERSONAL-DATA.md)
    _database_errors_in_one_line(app)
    for module in (archive_import_jobs, report_exports):  # background jobs Huey runs (core/jobs.py)
        core_jobs.register(*module.JOB)
    for module in (campaigns_cli, council_cli, notifications_cli, announcements_cli,
                   nomination_outcomes):  # periodic, Huey's scheduler
        core_jobs.every(*module.PERIODIC)
    workdays.use_adjustments(calendar_queries.adjustments)  # the announced days the secretariat keeps
    retry_transient_failures(app)  # after every blueprint: each view runs again on a transient database refusal
    return app


def _database_label(url: str) -> str:
    """DATABASE_URL as it can be printed: the password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 (an unparsable URL is shown as the scheme only)
        return url.split(":", 1)[0] + (":…" if ":" in url else "")


def _init_database(app: Flask, db) -> None:
    """Flask-SQLAlchemy builds its engines here: a DATABASE_URL it cannot read, or whose driver is missing, ends the
    start with one line rather than a traceback."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        db.init_app(app)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"DATABASE_URL={_database_label(app.config['SQLALCHEMY_DATABASE_URI'])} không dùng được "
                          f"({str(exc).splitlines()[0]}); ví dụ postgresql+psycopg://awards:MẬT_KHẨU@máy:5432/awards "
                          "hoặc sqlite:////đường/dẫn/awards.db.") from None


def database_problem(app: Flask, exc: Exception) -> str | None:
    """The one line a `flask` command prints for a database it cannot use (unreachable, refused, not created, not
    migrated), or None when `exc` is something else."""
    from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

    if not isinstance(exc, DBAPIError):
        return None
    label = _database_label(app.config["SQLALCHEMY_DATABASE_URI"])
    detail = (str(exc.orig) or type(exc.orig).__name__).strip().splitlines()[0]
    missing_table = "no such table" in detail or getattr(exc.orig, "sqlstate", None) == "42P01" \
        or getattr(exc.orig, "pgcode", None) == "42P01"
    if missing_table:
        return (f"Lỗi: cơ sở dữ liệu {label} chưa có bảng của ứng dụng ({detail}); chạy "
                "`.venv/bin/flask --app wsgi db upgrade` trước.")
    if isinstance(exc, OperationalError) or (isinstance(exc, ProgrammingError) and exc.connection_invalidated):
        return (f"Lỗi: không dùng được cơ sở dữ liệu {label} ({detail}); kiểm tra DATABASE_URL và máy chủ cơ sở "
                "dữ liệu.")
    return None


def _database_errors_in_one_line(app: Flask) -> None:
    """Every `flask` command of the app (and Flask-Migrate's `flask db`) says in one line on stderr, exit 1, that the
    database cannot be used, instead of a traceback. The commands are module-level objects shared by every app
    built in a process: the guard finds the running app through click's ScriptInfo, not through this `app`."""
    import flask_migrate.cli
    from flask.cli import ScriptInfo

    def guard(command: click.Command) -> None:
        if getattr(command, "_database_guarded", False):
            return
        invoke = command.invoke

        def guarded(ctx: click.Context):
            try:
                return invoke(ctx)
            except Exception as exc:
                problem = database_problem(ctx.ensure_object(ScriptInfo).load_app(), exc)
                if problem is None:
                    raise
                click.echo(problem, err=True)
                ctx.exit(1)

        command.invoke = guarded
        command._database_guarded = True

    for command in [*app.cli.commands.values(), flask_migrate.cli.db]:
        guard(command)
