"""A request whose transaction the database refused for a transient reason runs again from a clean session;
any other database error is not hidden by retrying."""

import io
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from awards.core.db import RETRIES, is_transient, retrying


class Psycopg(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _locked():
    return OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("error, transient", [
    (_locked(), True),
    (OperationalError("…", {}, Psycopg("40001")), True),   # serialization failure
    (OperationalError("…", {}, Psycopg("40P01")), True),   # deadlock detected
    (OperationalError("…", {}, Psycopg("57P01")), False),  # the server shut down: 503, not a retry
    (OperationalError("…", {}, sqlite3.OperationalError("no such table: units")), False),
    (IntegrityError("…", {}, sqlite3.IntegrityError("UNIQUE constraint failed")), False),
])
def test_which_failures_are_transient(error, transient):
    assert is_transient(error) is transient


def test_a_locked_attempt_runs_again_with_its_upload_rewound(app, db):
    reads = []

    def view():
        from flask import request

        reads.append(request.files["file"].read())
        if len(reads) < 3:
            raise _locked()
        return "stored"

    data = {"file": (io.BytesIO(b"%PDF-1.4 minh chung"), "a.pdf")}
    with app.test_request_context("/", method="POST", data=data, content_type="multipart/form-data"):
        assert retrying(view)() == "stored"
    assert reads == [b"%PDF-1.4 minh chung"] * 3


def test_retries_stop_and_the_error_is_raised(app, db):
    calls = []

    def view():
        calls.append(1)
        raise _locked()

    with app.test_request_context("/", method="POST"), pytest.raises(OperationalError):
        retrying(view)()
    assert len(calls) == RETRIES


def test_a_real_error_is_not_retried(app, db):
    calls = []

    def view():
        calls.append(1)
        raise IntegrityError("…", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))

    with app.test_request_context("/", method="POST"), pytest.raises(IntegrityError):
        retrying(view)()
    assert calls == [1]


def test_every_connection_busy_is_503_with_retry_after_not_500(app, db):
    """The pool exhausted for its timeout means overloaded, not broken: the client is told to come back."""
    from awards import create_app

    options = {"pool_size": 1, "max_overflow": 0, "pool_timeout": 1}
    crowded = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "UPLOAD_DIR": app.config["UPLOAD_DIR"], "SQLALCHEMY_ENGINE_OPTIONS": options})
    from awards.extensions import db as _db

    with crowded.app_context():
        held = _db.engine.connect()
        try:
            page = crowded.test_client().get("/public/results")
            api = crowded.test_client().get("/api/v1/public/decisions")
        finally:
            held.close()
            _db.engine.dispose()
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    assert api.status_code == 503 and api.json["error"]["code"] == "service_unavailable"


def test_a_view_that_already_committed_is_not_run_again(app, db):
    """A refusal after a commit (a second transaction of the same request) must not store the first change twice."""
    from awards.extensions import db as _db
    from awards.units.models import Unit

    calls = []

    def view():
        calls.append(1)
        _db.session.add(Unit(code=f"K{len(calls)}", name="Khoa Nội"))
        _db.session.commit()
        raise _locked()

    with app.test_request_context("/", method="POST"), pytest.raises(OperationalError):
        retrying(view)()
    assert calls == [1]
    assert _db.session.query(Unit).count() == 1
