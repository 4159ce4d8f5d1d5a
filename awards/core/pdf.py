"""Any generated .docx as PDF, through LibreOffice's headless converter (`soffice --convert-to pdf`).

Why LibreOffice: the documents come from .docx templates the secretariat edits in Word; converting the rendered
.docx itself is the only way what prints is that template (an HTML-to-PDF renderer would print a second layout
kept by hand). Debian's `libreoffice-writer-nogui` with `fonts-liberation2` (Liberation Serif: Times New Roman's
metrics, Vietnamese glyphs) is installed by `make install` when root (docs/DEPLOY.md). No binary is downloaded at
run time.

Each call converts in a private temporary directory with its own LibreOffice profile
(`-env:UserInstallation`): two conversions at once never share a profile, which soffice would refuse or corrupt."""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from awards.core.db import DomainError

PDF_MIME = "application/pdf"
TIMEOUT_S = 90
_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")


class PdfUnavailable(DomainError):
    """This server has no LibreOffice: a .docx is all it can give (503)."""

    status = 503
    code = "pdf_unavailable"


class PdfFailed(DomainError):
    """LibreOffice ran but gave no PDF (a crash, a timeout): 502 with what it said."""

    status = 502
    code = "pdf_failed"


def soffice() -> str | None:
    """The path of LibreOffice's `soffice`, or None when it is not installed (SOFFICE overrides the search)."""
    for name in ((os.environ["SOFFICE"],) if os.environ.get("SOFFICE") else _CANDIDATES):
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return soffice() is not None


def to_pdf(docx_bytes: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """The PDF of a .docx document; PdfUnavailable without LibreOffice, PdfFailed when it gives no PDF."""
    program = soffice()
    if program is None:
        raise PdfUnavailable("Máy chủ này chưa cài LibreOffice nên chưa xuất được PDF; "
                             "hãy tải bản Word (.docx) hoặc báo quản trị viên chạy `make install` với quyền root.")
    with tempfile.TemporaryDirectory(prefix="awards-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(docx_bytes)
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder / "out"),
                   str(source)]
        returncode, said = _run(command, timeout=timeout, home=work)
        result = folder / "out" / "document.pdf"
        if not result.exists():
            raise PdfFailed(f"LibreOffice không tạo được tệp PDF (mã {returncode}). {said[-300:]}".strip())
        return result.read_bytes()


def _run(command: list[str], *, timeout: float, home: str) -> tuple[int, str]:
    """Run soffice in a process group of its own, killed whole on timeout (soffice starts soffice.bin)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "HOME": home}, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfFailed(f"LibreOffice không chuyển xong văn bản sang PDF trong {int(timeout)} giây.") from exc
    return process.returncode, output.decode("utf-8", "replace").strip()
