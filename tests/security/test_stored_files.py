"""Pictures that would decode to gigabytes are refused from their header, as attachments and as honour-board
photos; the database, its WAL, uploads and backups are created unreadable by other accounts on the machine."""

import io
import logging
import os
import stat
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from awards.core import filemodes, images, uploads
from awards.core.uploads import Upload
from tests import factories


def png_declaring(width: int, height: int) -> bytes:
    """A real one-colour PNG whose header says width × height (a few hundred bytes: a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "JPEG")
    data = bytearray(out.getvalue())
    at = data.index(b"\xff\xc0")  # the baseline start-of-frame segment: height then width
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_the_header_sizes_are_read_without_decoding():
    assert uploads.image_size(png_declaring(60_000, 60_000)) == (60_000, 60_000)
    assert uploads.image_size(jpeg_declaring(60_000, 50_000)) == (60_000, 50_000)
    out = io.BytesIO()
    Image.new("RGB", (320, 200)).save(out, "PNG")
    assert uploads.image_size(out.getvalue()) == (320, 200)
    assert uploads.image_size(b"%PDF-1.4") is None


@pytest.mark.parametrize("bomb", [png_declaring(60_000, 60_000), jpeg_declaring(60_000, 60_000)],
                         ids=["png", "jpeg"])
def test_an_image_bomb_attachment_is_refused_with_a_clear_message_and_nothing_kept(api, db, bomb):
    officer = api.as_("unit_officer")
    dossier = factories.nomination(factories.person(unit=officer.user.unit), "LDTT", status="draft", by=officer.user)
    db.session.commit()
    response = officer.post(f"/api/v1/nominations/{dossier.id}/attachments",
                            data={"kind": "evidence", "file": (io.BytesIO(bomb), "anh.png")},
                            content_type="multipart/form-data")
    assert response.status_code == 413, response.json
    assert "Ảnh quá lớn (60.000 × 60.000 điểm ảnh)" in response.json["error"]["message"]
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    small = officer.post(f"/api/v1/nominations/{dossier.id}/attachments",
                         data={"kind": "evidence", "file": (io.BytesIO(jpeg_declaring(800, 600)), "anh.jpg")},
                         content_type="multipart/form-data")
    assert small.status_code == 201


def test_an_image_bomb_photo_is_refused_before_pillow_opens_it(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("Pillow was asked to open a decompression bomb")

    monkeypatch.setattr(images.Image, "open", refuse)
    for bomb in (png_declaring(60_000, 60_000), jpeg_declaring(60_000, 60_000)):
        with pytest.raises(uploads.UnsupportedFile) as refused:
            images.clean_photo(bomb)
        assert "Ảnh quá lớn" in refused.value.message and refused.value.field == "photo"


# --- file modes ----------------------------------------------------------------------------------------------

def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    """The process manager's umask at its worst (gunicorn's default is 0)."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_uploads_are_not_readable_by_other_accounts(app, db, loose_umask):
    upload = uploads.store(factories.PDF + b"modes", "bao-cao.pdf", by=None)
    path = uploads.path_for(upload.sha256)
    assert _mode(path) & 0o007 == 0 and _mode(path) & 0o200
    assert _mode(path.parent) & 0o007 == 0


def test_the_sqlite_database_and_its_wal_are_private(tmp_path, loose_umask):
    from awards import create_app
    from awards.extensions import db

    app = create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/awards.db",
                      "UPLOAD_DIR": str(tmp_path / "uploads")})
    with app.app_context():
        db.create_all()
        factories.unit(code="SYT")
        db.session.commit()
        files = [p for p in filemodes.sqlite_files(tmp_path / "awards.db") if p.exists()]
        assert {p.name for p in files} >= {"awards.db", "awards.db-wal"}
        assert {p.name: oct(_mode(p)) for p in files} == {p.name: oct(0o600) for p in files}
        db.engine.dispose()


def test_a_backup_is_private(app, db, tmp_path, loose_umask):
    from awards.core import backup

    if db.engine.dialect.name != "sqlite":
        pytest.skip("pg_dump's output: the same code path, tested on SQLite")
    summary = backup.create_backup(tmp_path / "sao-luu.tar.gz")
    assert _mode(summary.path) == 0o600


def test_world_readable_data_files_are_named_at_start(tmp_path, caplog):
    from awards import create_app

    database, folder = tmp_path / "awards.db", tmp_path / "uploads"
    database.write_bytes(b"")
    folder.mkdir()
    os.chmod(database, 0o644)
    os.chmod(folder, 0o755)
    with caplog.at_level(logging.WARNING):
        create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                    "UPLOAD_DIR": str(folder)})
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert str(database) in warning and str(folder) in warning
    caplog.clear()
    os.chmod(database, 0o600)
    os.chmod(folder, 0o750)
    with caplog.at_level(logging.WARNING):
        create_app({"AWARDS_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                    "UPLOAD_DIR": str(folder)})
    assert not [r for r in caplog.records if "readable" in r.getMessage()]
