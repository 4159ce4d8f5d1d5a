"""Helpers of the document tests: built-in templates edited as a secretariat would, and PDFs read back."""

import io
import os
import shutil
import unicodedata
import zipfile

import pytest

from awards.documents.rendering import builtin_bytes


def needs_pdf():
    """Skip only when LibreOffice is absent and cannot be installed here (not root); in CI it is installed."""
    if shutil.which("soffice") is None:
        if os.geteuid() == 0:
            pytest.fail("soffice is missing although this is root: run `make libreoffice`")
        pytest.skip("LibreOffice (soffice) is not installed and this is not root")


def edited(kind: str, *replacements: tuple[str, str]) -> bytes:
    """The built-in template of `kind` with text replaced inside word/document.xml (as an edit in Word would)."""
    source = zipfile.ZipFile(io.BytesIO(builtin_bytes(kind)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for old, new in replacements:
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def pdf_lines(data: bytes) -> list[str]:
    """Every line of text of a PDF, NFC-normalised, page after page."""
    import pdfplumber

    lines = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines.extend(unicodedata.normalize("NFC", line) for line in (page.extract_text() or "").splitlines())
    return lines


