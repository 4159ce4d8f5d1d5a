"""Browser-like clients for page tests: sign in through the real login form, read CSRF tokens from pages."""

from sqlalchemy import event

from tests.conftest import CSRF_INPUT

PASSWORD = "mat-khau-2026"  # the factories' default


def web(app, user):
    """A client signed in as `user` through the login form."""
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                           "csrf_token": token_of(client, "/login")})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def token_of(client, path):
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF field on {path}"
    return match.group(1) or match.group(2)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count_statements(app, client, path):
    """The response to GET `path` and how many SQL statements it took."""
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert response.status_code == 200, path
    return len(statements), response.get_data(as_text=True)
