"""Backups an agency can restore: the database and every uploaded file in one .tar.gz, checked by a manifest.

The archive holds `manifest.json` (app version, Alembic revision, database kind, created_at, the SHA-256 and
size of every other member), the database (`database.sqlite3`, copied with SQLite's online backup API so a
running app can be backed up; or `database.dump`, pg_dump's custom format) and `uploads/…` (UPLOAD_DIR as is).
A restore checks every hash and the migration revision before it touches anything.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from awards.core.db import DomainError
from awards.core.filemodes import PRIVATE, PRIVATE_DIR, restrict

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
UPLOADS = "uploads"
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
_CHUNK = 1024 * 1024


class BackupError(DomainError):
    """The backup cannot be made or restored; nothing was changed."""

    code = "backup_failed"


@dataclass
class Summary:
    path: Path
    files: int  # uploaded files in the archive
    size: int  # bytes of the archive
    revision: str | None


def _db():
    from awards.extensions import db

    return db


def _dialect() -> str:
    return _db().engine.dialect.name


def _sqlite_path() -> Path:
    database = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(_("Chỉ sao lưu, khôi phục được cơ sở dữ liệu SQLite lưu trong một tệp."))
    return Path(database)


def _pg_command(tool: str, url: str) -> tuple[list[str], dict]:
    """The tool and its environment: the URL without the SQLAlchemy driver, the password in PGPASSWORD."""
    if shutil.which(tool) is None:
        raise BackupError(_("Không tìm thấy lệnh %(t)s: hãy cài đặt công cụ máy khách PostgreSQL.", t=tool))
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    conninfo = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return [tool, "--dbname", conninfo], env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(_("Lệnh %(t)s thất bại: %(e)s", t=command[0], e=done.stderr.strip()[-500:]))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def current_revision(connection=None) -> str | None:
    """The Alembic revision the database is at (None for a schema made without migrations)."""
    db = _db()
    conn = connection or db.session.connection()
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    """Every revision this code's migrations know: a backup at any other revision comes from newer code."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def app_version() -> str:
    try:
        return package_version("awards")
    except PackageNotFoundError:
        return "unknown"


# --- create ----------------------------------------------------------------------------------------

def _dump_database(workdir: Path) -> tuple[str, Path]:
    """(member name, file) of a consistent copy of the live database, taken while the app may be running."""
    if _dialect() == "sqlite":
        target = workdir / SQLITE_MEMBER
        source = sqlite3.connect(f"file:{_sqlite_path()}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # page by page, a snapshot even while others write
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER, target
    if _dialect() == "postgresql":
        target = workdir / PG_MEMBER
        command, env = _pg_command("pg_dump", current_app.config["SQLALCHEMY_DATABASE_URI"])
        _run([*command, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)], env)
        return PG_MEMBER, target
    raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(d)s.", d=_dialect()))


def _upload_files() -> list[tuple[str, Path]]:
    """(member name, file) for every finished file under UPLOAD_DIR (half-written *.part files are skipped)."""
    root = Path(current_app.config["UPLOAD_DIR"])
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
            found.append((f"{UPLOADS}/{path.relative_to(root).as_posix()}", path))
    return found


def create_backup(path: str | Path) -> Summary:
    """Write the backup to `path` (a new file, written beside it first and then renamed into place)."""
    path = Path(path)
    if path.exists():
        raise BackupError(_("Tệp %(p)s đã có; hãy chọn tên khác.", p=path))
    with tempfile.TemporaryDirectory(prefix="awards-backup-") as work:
        revision = current_revision()
        _db().session.rollback()
        member, database = _dump_database(Path(work))
        files = _upload_files()
        entries = {member: {"sha256": _sha256(database), "size": database.stat().st_size}}
        partial = path.with_name(f".{path.name}.part")
        try:
            partial.touch(mode=PRIVATE)  # personal data and ballots: the app's user only, whatever the umask
            restrict(partial, PRIVATE)
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(database, arcname=member, recursive=False)
                for name, source in files:
                    entries[name] = _add_hashed(archive, name, source)
                manifest = {"format": FORMAT, "app": "awards", "app_version": app_version(),
                            "alembic_revision": revision, "database": _dialect(),
                            "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "files": entries}
                _add_bytes(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return Summary(path=path, files=len(files), size=path.stat().st_size, revision=revision)


def _add_hashed(archive: tarfile.TarFile, name: str, source: Path) -> dict:
    """Add one file, hashing exactly the bytes that go into the archive (a file may be replaced meanwhile)."""
    data = source.read_bytes()
    _add_bytes(archive, name, data)
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore ---------------------------------------------------------------------------------------

def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def _unpack(path: Path, workdir: Path) -> dict:
    """Extract to `workdir` and return the manifest, after checking every member against it."""
    broken = BackupError(_("Tệp sao lưu hỏng hoặc đã bị sửa: %(p)s.", p=path))
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = archive.getmembers()
            for member in members:
                if not member.isfile() or not _safe_name(member.name):
                    raise broken
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.11.4+: belt and braces
            archive.extractall(workdir, members=members, **safe)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise broken from exc
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise broken from exc
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if manifest.get("format") != FORMAT or not isinstance(files, dict):
        raise broken
    present = {m.name for m in members} - {MANIFEST}
    if present != set(files):
        raise broken
    for name, entry in files.items():
        if _sha256(workdir / name) != entry.get("sha256"):
            raise BackupError(_("Tệp sao lưu hỏng hoặc đã bị sửa: “%(n)s” không khớp mã băm SHA-256.", n=name))
    return manifest


def check_backup(path: str | Path) -> dict:
    """The manifest of a sound backup, or BackupError; reads the whole file, changes nothing."""
    with tempfile.TemporaryDirectory(prefix="awards-restore-") as work:
        manifest = _unpack(Path(path), Path(work))
        _check_compatible(manifest)
        return manifest


def _check_compatible(manifest: dict) -> None:
    if manifest.get("database") != _dialect():
        raise BackupError(_("Bản sao lưu là của cơ sở dữ liệu %(b)s, không khôi phục vào %(d)s được.",
                            b=manifest.get("database"), d=_dialect()))
    revision = manifest.get("alembic_revision")
    if revision is not None and revision not in known_revisions():
        raise BackupError(_("Bản sao lưu ở phiên bản cơ sở dữ liệu %(r)s, mới hơn phiên bản phần mềm này biết; "
                            "hãy cập nhật phần mềm trước khi khôi phục.", r=revision))


def has_data() -> bool:
    """Whether restoring would overwrite something: any of the app's tables with rows, or any uploaded file."""
    db = _db()
    conn = db.session.connection()
    present = set(inspect(conn).get_table_names())
    for table in db.metadata.sorted_tables:  # the app's own tables (a search index keeps rows of its own)
        if table.name in present and conn.execute(table.select().limit(1)).first():
            db.session.rollback()
            return True
    db.session.rollback()
    return bool(_upload_files())


def restore_backup(path: str | Path) -> dict:
    """Replace the database and UPLOAD_DIR with the backup's; every hash is checked first. Returns the manifest."""
    with tempfile.TemporaryDirectory(prefix="awards-restore-") as work:
        workdir = Path(work)
        manifest = _unpack(Path(path), workdir)
        _check_compatible(manifest)
        db = _db()
        db.session.remove()
        db.engine.dispose()  # no pooled connection keeps the old pages or schema
        _restore_database(workdir)
        db.engine.dispose()
        _restore_uploads(workdir / UPLOADS)
    return manifest


def _restore_database(workdir: Path) -> None:
    if _dialect() == "sqlite":
        source = sqlite3.connect(workdir / SQLITE_MEMBER)
        target = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            source.backup(target)  # under the target's write lock: readers see the old or the new database
        finally:
            target.close()
            source.close()
        return
    command, env = _pg_command("pg_restore", current_app.config["SQLALCHEMY_DATABASE_URI"])
    _run([*command, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", str(workdir / PG_MEMBER)], env)


def _restore_uploads(source: Path) -> None:
    """Swap UPLOAD_DIR for the backup's files: built beside it, then renamed into place."""
    root = Path(current_app.config["UPLOAD_DIR"])
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = root.with_name(f".{root.name}.restoring")
    shutil.rmtree(fresh, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, fresh)
    else:
        fresh.mkdir()
    restrict(fresh, PRIVATE_DIR)  # the files below keep the archive's modes; the folder keeps others out
    old = root.with_name(f".{root.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        root.rename(old)
    fresh.rename(root)
    shutil.rmtree(old, ignore_errors=True)
