"""The application object for `flask --app wsgi` and WSGI servers."""

from awards import create_app

app = create_app()
