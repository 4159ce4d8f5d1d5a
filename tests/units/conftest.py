"""Fixtures shared by the units pages' tests."""

import pytest


@pytest.fixture
def post(client, csrf_token):
    """POST a form the way a browser does: with the CSRF token of this session."""

    def send(path, data=None, **kw):
        return client.post(path, data={**(data or {}), "csrf_token": csrf_token("/units")}, **kw)

    return send
