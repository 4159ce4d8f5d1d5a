"""An API request's authentication is one statement (issue 21: it was ~40 % of a ballot's CPU): the account of an
unrevoked token, if active, with its roles; the unit and person load only when a route reads them, and nothing is
written. The refusals stay those of before: an unknown, revoked or malformed token, an inactive account (401), a
role the route does not allow (403)."""

from contextlib import contextmanager

from sqlalchemy import event, select

from awards.auth import services
from awards.auth.models import ApiToken, User
from awards.core.db import utcnow
from tests import factories


@contextmanager
def statements(engine):
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _token_for(*roles, unit=None, person=None):
    user = factories.user(*roles, unit=unit, person=person)
    raw = factories.token(user)
    return user, raw


def test_the_token_its_account_and_roles_are_one_statement(db):
    province = factories.unit(code="SYT", name="Sở Y tế")
    person = factories.person(unit=province)
    user, raw = _token_for("staff", "council_member", unit=province, person=person)
    user_id, unit_id, person_id = user.id, province.id, person.id
    db.session.commit()
    db.session.expunge_all()  # a request starts with an empty session
    with statements(db.engine) as seen:
        found = services.user_for_token(raw)
        roles = found.roles
        assert found.has_role("council_member") and found.is_manager  # what the permission checks read
    real = [s for s in seen if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE"))]
    assert len(real) == 1, "\n".join(seen)
    assert "api_tokens" in real[0] and "user_roles" in real[0]
    assert "units" not in real[0].replace("unit_id", "") and "people" not in real[0]  # neither joined
    assert (found.id, roles) == (user_id, ["council_member", "staff"])
    with statements(db.engine) as seen:  # a route that reads them loads them then, once each
        assert (found.unit.id, found.person.id, found.unit_code) == (unit_id, person_id, "SYT")
    assert len([s for s in seen if not s.startswith("BEGIN")]) == 2


def test_an_api_request_writes_nothing_for_its_token(api, db):
    staff = api.as_("staff")
    with statements(db.engine) as seen:
        assert staff.get("/api/v1/units").status_code == 200
    writes = [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == staff.user.id))
    assert token.last_used_at is None


def test_a_token_is_refused_once_revoked_or_its_account_inactive(api, db):
    staff, other = api.as_("staff"), api.as_("staff")
    assert staff.get("/api/v1/units").status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == staff.user.id))
    services.revoke_token(token, by=staff.user)
    db.session.commit()
    refused = staff.get("/api/v1/units")
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_token")
    assert services.user_for_token(staff.token) is None  # the same through the service
    assert other.get("/api/v1/units").status_code == 200
    db.session.get(User, other.user.id).active = False
    db.session.commit()
    refused = other.get("/api/v1/units")
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "invalid_token")
    assert services.user_for_token(other.token) is None
    assert services.user_for_token("aw_" + "x" * 43) is None and services.user_for_token("") is None
    malformed = api.__class__("not a token").get("/api/v1/units")
    assert (malformed.status_code, malformed.json["error"]["code"]) == (401, "invalid_token")


def test_a_token_keeps_only_its_own_accounts_roles(api, db):
    """Two accounts' tokens in one session (the joined roles are each account's own); a role the route does not
    allow is a 403, an admin among two roles passes."""
    staff, admin = api.as_("staff"), api.as_("staff", "admin")
    body = {"username": "moi-tao", "password": "mat-khau-2026", "roles": ["staff"]}
    refused = staff.post("/api/v1/users", json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "forbidden")
    assert admin.post("/api/v1/users", json=body).status_code == 201
    db.session.expunge_all()
    first, second = services.user_for_token(staff.token), services.user_for_token(admin.token)
    assert (first.roles, second.roles) == (["staff"], ["admin", "staff"])


def test_a_revocation_committed_elsewhere_is_seen_by_the_next_request(api, app, db):
    """The loader reads the token's state in the request's own statement: a revocation committed by another
    connection after the account was last loaded takes effect at once."""
    staff = api.as_("staff")
    assert staff.get("/api/v1/units").status_code == 200
    with app.app_context():  # another session, as the account page's "revoke" would be
        from awards.extensions import db as other

        other.session.execute(ApiToken.__table__.update().where(ApiToken.user_id == staff.user.id)
                              .values(revoked_at=utcnow()))
        other.session.commit()
        other.session.remove()
    assert staff.get("/api/v1/units").status_code == 401


def test_an_api_request_reads_and_writes_no_session_cookie(client, login_as, api, db):
    """A signed-in browser's cookie is not the API's user (401 without a token), and an API answer sets no cookie;
    the pages keep their session."""
    login_as("admin")
    assert client.get("/account").status_code == 200  # the browser is signed in
    refused = client.get("/api/v1/units")
    assert (refused.status_code, refused.json["error"]["code"]) == (401, "unauthorized")
    assert "Set-Cookie" not in refused.headers
    staff = api.as_("staff")
    answered = client.get("/api/v1/units", headers={"Authorization": f"Bearer {staff.token}"})
    assert answered.status_code == 200 and "Set-Cookie" not in answered.headers
    assert client.get("/account").status_code == 200  # still signed in: the API left the cookie alone
