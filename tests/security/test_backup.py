"""`flask backup create/restore`: a world backed up, wrecked and restored; a tampered or newer backup refused."""

import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from datetime import date
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from awards.archive import services as archive
from awards.archive.models import AwardRecord
from awards.core import backup
from awards.core.uploads import Upload, path_for
from awards.nominations import services as nominations
from awards.nominations.models import Attachment
from tests import factories


@pytest.fixture(autouse=True)
def _tools(db):
    if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL backups need pg_dump and pg_restore on PATH (apt-get install postgresql-client)")


def _world(db, n_records=12):
    """Archive records through the real service, a dossier with three attachments, an import file."""
    from awards.archive import imports

    top = factories.unit(code="SYT", name="Sở Y tế")
    hospital = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=top)
    people = [factories.person(code=f"CN{n:03d}", full_name=f"Nguyễn Văn Thử {n}", unit=hospital) for n in range(4)]
    staff = factories.user("staff")
    for n in range(n_records):
        archive.record_award(subject_type="person", subject_code=people[n % 4].code, award_code="GIAY_KHEN",
                             year=2020 + n % 5, decision_number=f"{n + 1}/QĐ-SYT", decision_date=date(2025, 1, 5),
                             issuer="Sở Y tế", by=staff)
    dossier = factories.nomination(people[0], "LDTT", status="draft", by=staff)
    for n, kind in enumerate(("report", "proposal", "evidence")):
        nominations.add_attachment(dossier, data=factories.PDF + f"tệp {n}".encode(), filename=f"{kind}.pdf",
                                   kind=kind, by=staff)
    from tests.archive.test_import import workbook

    imports.create_job(workbook(["Năm"], [[2024]]).getvalue(), filename="a.xlsx", dry_run=True, published=True,
                       upload_dir=current_app.config["UPLOAD_DIR"], by=staff)
    db.session.commit()


def _state(db) -> dict:
    """What a restore must bring back: row counts, the chain, every stored file's hash."""
    uploads = db.session.scalars(select(Upload).order_by(Upload.id)).all()
    return {"records": db.session.scalar(select(func.count(AwardRecord.id))),
            "attachments": db.session.scalar(select(func.count(Attachment.id))),
            "chain": archive.verify_chain(),
            "files": [(u.sha256, hashlib.sha256(path_for(u.sha256).read_bytes()).hexdigest()
                       if path_for(u.sha256).exists() else None) for u in uploads]}


def _wreck(db, app):
    """Break the chain, lose rows, add a record the backup never saw, and destroy the upload folder."""
    db.session.execute(text("DELETE FROM nomination_attachments"))
    db.session.execute(text("UPDATE award_records SET subject_name = 'đã bị sửa' WHERE id = "
                            "(SELECT min(id) FROM award_records)"))
    db.session.commit()
    archive.record_award(subject_type="person", subject_code="CN001", award_code="GIAY_KHEN", year=2021,
                         decision_number="99/QĐ-GIẢ", decision_date=date(2025, 2, 1), issuer="Không rõ")
    db.session.commit()
    root = Path(app.config["UPLOAD_DIR"])
    shutil.rmtree(root)
    root.mkdir()
    (root / "rac.bin").write_bytes(b"garbage")


def _cli(app, *args):
    """The command as an operator runs it (click 8.2 keeps stdout and stderr apart)."""
    return app.test_cli_runner().invoke(args=["backup", *args])


@pytest.fixture(autouse=True)
def own_uploads(app, tmp_path, monkeypatch):
    """An upload folder of this test's own: the session's is shared with every test that uploaded before."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def test_round_trip_restores_the_chain_and_every_file(app, db, tmp_path):
    _world(db)
    before = _state(db)
    assert before["chain"] == (12, None, "") and before["attachments"] == 3 and len(before["files"]) == 3
    assert all(stored == expected for expected, stored in before["files"])

    made = _cli(app, "create", str(tmp_path / "sao-luu.tar.gz"))
    assert made.exit_code == 0, made.output + made.stderr
    assert made.stdout == f"OK {tmp_path / 'sao-luu.tar.gz'}\n"
    with tarfile.open(tmp_path / "sao-luu.tar.gz") as archive_file:
        manifest = json.load(archive_file.extractfile("manifest.json"))
    assert manifest["database"] == db.engine.dialect.name and manifest["app_version"]
    assert {"created_at", "alembic_revision", "files"} <= manifest.keys()
    assert sum(name.startswith("uploads/") for name in manifest["files"]) == 4  # three PDFs and the import file

    _wreck(db, app)
    assert archive.verify_chain()[1] is not None

    refused = _cli(app, "restore", str(tmp_path / "sao-luu.tar.gz"))
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    assert (Path(app.config["UPLOAD_DIR"]) / "rac.bin").exists(), "nothing is touched without --yes"

    restored = _cli(app, "restore", str(tmp_path / "sao-luu.tar.gz"), "--yes")
    assert restored.exit_code == 0, restored.output + restored.stderr
    assert _state(db) == before
    assert not (Path(app.config["UPLOAD_DIR"]) / "rac.bin").exists()
    assert any(Path(app.config["UPLOAD_DIR"], "imports").iterdir())
    # the restored database is writable and the chain goes on from its last record
    archive.record_award(subject_type="person", subject_code="CN002", award_code="GIAY_KHEN", year=2024,
                         decision_number="100/QĐ-SYT", decision_date=date(2025, 3, 1), issuer="Sở Y tế")
    db.session.commit()
    assert archive.verify_chain() == (13, None, "")


def _rewrite(source: Path, target: Path, change) -> None:
    """Copy a backup, passing each member's (name, bytes) through `change`."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            name, data = change(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def test_a_tampered_backup_is_refused_before_anything_changes(app, db, tmp_path):
    _world(db, n_records=3)
    good = tmp_path / "good.tar.gz"
    assert _cli(app, "create", str(good)).exit_code == 0
    with tarfile.open(good) as archive_file:
        names = json.load(archive_file.extractfile("manifest.json"))["files"]
    sample = next(name for name in names if name.startswith("uploads/") and "imports" not in name)
    bad = tmp_path / "bad.tar.gz"
    _rewrite(good, bad, lambda name, data: (name, data + b"x" if name == sample else data))
    _wreck(db, app)
    wrecked = _state(db)

    result = _cli(app, "restore", str(bad), "--yes")
    assert result.exit_code == 1 and "SHA-256" in result.stderr and sample in result.stderr
    assert _state(db) == wrecked and (Path(app.config["UPLOAD_DIR"]) / "rac.bin").exists()

    for name, change in {
        "extra member": lambda n, d: (n.replace("manifest.json", "../manifest.json"), d),
        "not a backup": None,
    }.items():
        other = tmp_path / f"{name}.tar.gz"
        if change is None:
            other.write_bytes(b"PK\x03\x04 not a tar")
        else:
            _rewrite(good, other, change)
        result = _cli(app, "restore", str(other), "--yes")
        assert result.exit_code == 1 and "hỏng" in result.stderr, name


def test_a_backup_from_a_newer_migration_is_refused(app, db, tmp_path):
    _world(db, n_records=2)
    good = tmp_path / "good.tar.gz"
    assert _cli(app, "create", str(good)).exit_code == 0

    def newer(name, data):
        if name != "manifest.json":
            return name, data
        manifest = json.loads(data)
        manifest["alembic_revision"] = "ffffffffffff"
        return name, json.dumps(manifest).encode()

    newer_file = tmp_path / "newer.tar.gz"
    _rewrite(good, newer_file, newer)
    result = _cli(app, "restore", str(newer_file), "--yes")
    assert result.exit_code == 1 and "ffffffffffff" in result.stderr and "cập nhật phần mềm" in result.stderr
    assert backup.known_revisions() and "ffffffffffff" not in backup.known_revisions()


def test_create_refuses_to_overwrite_and_restore_into_an_empty_place_needs_no_yes(app, db, tmp_path):
    _world(db, n_records=2)
    target = tmp_path / "a.tar.gz"
    assert _cli(app, "create", str(target)).exit_code == 0
    again = _cli(app, "create", str(target))
    assert again.exit_code == 1 and "đã có" in again.stderr
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    shutil.rmtree(app.config["UPLOAD_DIR"])
    result = _cli(app, "restore", str(target))
    assert result.exit_code == 0, result.stderr
    assert archive.verify_chain() == (2, None, "")


def test_sqlite_backup_while_a_writer_holds_a_transaction(app, db, tmp_path):
    """The online backup API copies the committed database while another connection is writing."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's online backup; PostgreSQL's pg_dump works from a snapshot anyway")
    _world(db, n_records=2)
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE award_records SET issuer = 'chưa lưu'")
    try:
        result = _cli(app, "create", str(tmp_path / "live.tar.gz"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.stderr
    with tarfile.open(tmp_path / "live.tar.gz") as archive_file:
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(archive_file.extractfile("database.sqlite3").read())
    issuers = {row[0] for row in sqlite3.connect(copy).execute("SELECT issuer FROM award_records")}
    assert issuers == {"Sở Y tế"}
