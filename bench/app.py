"""The awards app as the benchmarks run it: production code, configured for a generated province."""

import tempfile

from flask import Flask


def make_app(url: str) -> Flask:
    """The real app on `url`. Rate limits are off: the load tests send thousands of requests from one address,
    which a public deployment only sees from one client (the limiter's answer would be a 429, not a page)."""
    from awards import create_app

    return create_app({"AWARDS_ENV": "development", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                       "UPLOAD_DIR": tempfile.mkdtemp(prefix="bench-uploads-"), "WTF_CSRF_ENABLED": False})
