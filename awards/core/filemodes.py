"""Files the app keeps are readable by its own user only: the SQLite database with its WAL, uploads, backups.

They hold personal data (names, birth dates, ratings, disciplines) and ballots; another account on the same
machine must not read them, whatever the umask of the shell or process manager that started the app (gunicorn
runs with umask 0 unless told otherwise). Files are created with these modes, and the database's files are
made private whenever the app opens them; at start-up the data files anyone may read are named in a warning."""

import os
import sqlite3
import stat
from pathlib import Path

from sqlalchemy import Engine, event

PRIVATE = 0o600  # the database, its WAL and shared-memory files, backups, the secret key
SHARED_WITH_GROUP = 0o640  # uploaded files: the app's group (a backup agent) may read them
PRIVATE_DIR = 0o750


def restrict(path: str | Path, mode: int) -> None:
    """Take away from `path` every permission bit beyond `mode` (nothing happens to a missing file)."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)
    except FileNotFoundError:
        pass


def world_readable(path: str | Path) -> bool:
    try:
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except FileNotFoundError:
        return False


def sqlite_files(database: str | Path) -> list[Path]:
    """The database file and the companions SQLite creates beside it (WAL, shared memory, rollback journal)."""
    base = Path(database)
    return [base, *(base.with_name(base.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


@event.listens_for(Engine, "connect")
def _private_sqlite(dbapi_connection, connection_record):
    """On every new SQLite connection: the file and its WAL are the app user's only. SQLite creates the WAL and
    shared-memory files with the database file's mode, so a database made private stays private."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    for _seq, name, filename in dbapi_connection.execute("PRAGMA database_list").fetchall():
        if name == "main" and filename:
            for path in sqlite_files(filename):
                restrict(path, PRIVATE)


def exposed_files(app) -> list[Path]:
    """The app's data files and folders that any account on the machine may read."""
    candidates = [Path(app.instance_path) / "secret_key", Path(app.config["UPLOAD_DIR"])]
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        candidates += sqlite_files(url.removeprefix("sqlite:///").split("?")[0])
    return [path for path in candidates if world_readable(path)]


def init_app(app) -> None:
    """Warn once at start-up about data files anyone may read (docs/SECURITY.md: how to fix them)."""
    exposed = exposed_files(app)
    if exposed:
        app.logger.warning("readable by every account on this machine (chmod o-rwx, see docs/SECURITY.md): %s",
                           ", ".join(str(path) for path in exposed))
