"""Hostile input against the whole JSON API (issue 10): schemathesis generates requests from the app's own
/api/v1/openapi.json, valid and invalid, sends them in-process as an admin, and checks CONTRACT §3:
never a 5xx, every response as documented (status, content type, body), every 4xx with the error body.

Bounded and repeatable: a fixed number of examples per operation, derandomized, against a seeded province
so that ids in paths sometimes hit real rows (half the valid cases use them)."""

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from awards.core.api import ErrorBody
from tests.security.world import seed_world

VALID, INVALID = 8, 5  # examples per operation: ~60 operations × 13 ≈ 750 requests, well under a minute
# Slow by nature (an Excel workbook, a password hash each): fewer examples.
FEWER = {"/api/v1/reports/annual.xlsx": 3, "/api/v1/reports/half-year.xlsx": 3, "/api/v1/users": 4,
         "/api/v1/reports/unit-reports/combined.xlsx": 3}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Which kind of row each path parameter names (`code` is a unit's or a person's, by the path).
PATH_ROWS = {"announcement_id": "announcement", "campaign_id": "campaign", "decision_id": "decision",
             "feedback_id": "feedback", "nomination_id": "nomination", "record_id": "record",
             "session_id": "session"}
SETTINGS = settings(deadline=None, derandomize=True, database=None, print_blob=False,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck))


def check_error_body(response) -> None:
    """CONTRACT §3: a 4xx is {"error": {"code": snake_case, "message", "fields" only on 400}} in JSON."""
    if not 400 <= response.status_code < 500:
        return
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), response.headers
    body = ErrorBody.model_validate_json(response.content).error
    assert body.code and body.code.replace("_", "").isalnum() and body.code == body.code.lower(), body
    assert body.message.strip(), body
    assert (body.fields is not None) == (response.status_code == 400), body


def real_rows(operation, world) -> list[dict]:
    """Path parameters naming rows of the seeded province, for an operation with parameters in its path."""
    names = [p.name for p in operation.path_parameters]
    choices = []
    for name in names:
        kind = PATH_ROWS.get(name) or ("person" if operation.path.startswith("/api/v1/people") else "unit")
        choices.append(world.ids.get(kind, []))
    if not names or not all(choices):
        return []
    return [dict(zip(names, values, strict=True)) for values in zip(*[c * 3 for c in choices], strict=False)]


def cases(operation, world, mode):
    headers = {"Authorization": f"Bearer {world.token}"}
    generated = operation.as_strategy(generation_mode=mode, headers=headers)
    rows = real_rows(operation, world) if mode == GenerationMode.POSITIVE else []
    if not rows:
        return generated
    return st.one_of(generated, st.sampled_from(rows).flatmap(
        lambda row: operation.as_strategy(generation_mode=mode, headers=headers, path_parameters=row)))


def run_operation(app, operation, strategy, examples, counter) -> None:
    @settings(SETTINGS, max_examples=examples)
    @given(case=strategy)
    def fuzz(case):
        counter["cases"] += 1
        with app.app_context():  # its own context and database session, as a real request has
            response = case.call()
        case.validate_response(response, checks=CHECKS)
        check_error_body(response)

    fuzz()


def describe(exc: BaseException) -> str:
    """The failure and how to reproduce it (schemathesis puts the curl command in the group's message)."""
    text = f"{type(exc).__name__}: {exc}"
    for sub in getattr(exc, "exceptions", ()):
        text += f"\n  - {type(sub).__name__}: {str(sub)[:600]}"
    return text


@pytest.fixture
def world(db, at):
    return seed_world()


def test_api_answers_hostile_input_as_documented(app, db, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    counter, failures, operations = {"cases": 0}, {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode, examples in ((GenerationMode.POSITIVE, VALID), (GenerationMode.NEGATIVE, INVALID)):
            db.session.rollback()  # nothing of ours is pending: each request sees what the previous ones committed
            try:
                run_operation(app, operation, cases(operation, world, mode),
                              min(examples, FEWER.get(operation.path, examples)), counter)
            except Unsatisfiable:  # nothing to make invalid: no parameters, no body
                assert mode == GenerationMode.NEGATIVE
            except (AssertionError, BaseExceptionGroup, Exception) as exc:  # every operation's failure, then all
                failures[f"{operation.method.upper()} {operation.path} ({mode.value})"] = describe(exc)
    print(f"\nschemathesis: {operations} operations, {counter['cases']} cases")
    assert operations >= 55, "the OpenAPI document lost operations"
    assert not failures, "\n\n".join(f"{name}\n{text[:3000]}" for name, text in failures.items())
