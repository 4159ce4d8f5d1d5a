"""Rendering a .docx template with docxtpl in a sandbox, and checking an uploaded one (pure: bytes in, bytes out).

Uploaded templates are Jinja run on the server, so they run in Jinja's immutable sandbox (no attribute tricks
reach Python internals) with autoescape on (a name with '<' or '&' stays text, the XML stays valid)."""

import io
import zipfile
from collections.abc import Mapping

from flask_babel import gettext as _
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from awards.core.db import Invalid
from awards.core.docx import clean
from awards.documents.builtin import path_of
from awards.documents.kinds import KINDS

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def builtin_bytes(kind: str) -> bytes:
    return path_of(kind).read_bytes()


def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=True)


def cleaned(value):
    """The context with every text cleaned of the control characters XML cannot hold (recursively)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {k: cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(v) for v in value]
    return value


def render(template: bytes, context: dict) -> bytes:
    """The document: `template` (a docxtpl .docx) rendered with `context`."""
    from docxtpl import DocxTemplate  # ~8 MB with python-docx: loaded when a document is made, not by every worker

    document = DocxTemplate(io.BytesIO(template))
    document.render(cleaned(context), jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def check_template(kind: str, data: bytes) -> set[str]:
    """The placeholders of an uploaded template; Invalid (400, Vietnamese) when it is not a .docx, too large,
    has a Jinja syntax error, lacks a required placeholder or uses one the kind does not have."""
    spec = KINDS[kind]
    if len(data) > MAX_TEMPLATE_BYTES:
        raise Invalid(_("Tệp mẫu vượt quá %(n)s MB.", n=MAX_TEMPLATE_BYTES // (1024 * 1024)), field="file",
                      status=413, code="payload_too_large")
    if not _is_docx(data):
        raise Invalid(_("Tệp không phải văn bản Word .docx (không có word/document.xml)."), field="file")
    from docxtpl import DocxTemplate  # ~8 MB with python-docx: loaded when a template is checked, not by every worker

    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(_environment())
    except TemplateSyntaxError as exc:
        raise Invalid(_("Mẫu có lỗi cú pháp ở dòng %(line)s: %(message)s", line=exc.lineno, message=exc.message),
                      field="file") from None
    except (TemplateError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise Invalid(_("Không đọc được mẫu: %(message)s", message=str(exc)), field="file") from None
    missing = [name for name in spec.required if name not in used]
    if missing:
        raise Invalid(_("Mẫu thiếu trường bắt buộc: %(names)s.", names=", ".join(missing)), field="file")
    unknown = sorted(used - set(spec.declared))
    if unknown:
        raise Invalid(_("Mẫu dùng trường không có trong loại văn bản này: %(names)s.", names=", ".join(unknown)),
                      field="file")
    try:
        render(data, spec.sample)
    except TemplateError as exc:
        raise Invalid(_("Mẫu không dựng được với dữ liệu mẫu: %(message)s", message=str(exc)), field="file") from None
    return used
