"""Changing templates and signing details, and rendering a document with the template in force: every guard here
(the page and the API call the same functions), flush, audit — never commit."""

import hashlib

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from awards.core import audit
from awards.core.db import DomainError, Invalid
from awards.core.uploads import path_for, store
from awards.documents import queries, rendering
from awards.documents.kinds import KINDS
from awards.documents.models import DocumentProfile, GeneratedDocument, TemplateVersion
from awards.documents.permissions import may_manage
from awards.extensions import db


def _guard(user, unit) -> None:
    if not may_manage(user, unit):
        raise DomainError(_("Chỉ bộ phận thường trực của đơn vị này (hoặc quản trị viên) được thay đổi mẫu văn "
                            "bản của đơn vị."), status=403, code="forbidden")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Invalid(_("Loại văn bản không hợp lệ."), field="kind")
    return kind


def upload_template(kind: str, unit, data: bytes, filename: str, *, note: str = "", by) -> TemplateVersion:
    """A new version (never an overwrite) of `kind` for `unit` (None: every unit), checked, not yet active."""
    _guard(by, unit)
    _kind(kind)
    rendering.check_template(kind, data)
    upload = store(data, filename or f"{kind}.docx", allowed=("docx",), by=by)
    last = db.session.scalar(select(func.max(TemplateVersion.version)).where(
        TemplateVersion.kind == kind, queries.unit_condition(unit))) or 0
    version = TemplateVersion(kind=kind, unit_id=unit.id if unit else None, version=last + 1, upload_id=upload.id,
                              sha256=upload.sha256, note=(note or "").strip()[:300], active=False,
                              created_by_id=getattr(by, "id", None))
    db.session.add(version)
    db.session.flush()
    audit.record("document_template.upload", version, by=by,
                 after={"kind": kind, "unit": unit.code if unit else None, "version": version.version})
    return version


def activate_version(version: TemplateVersion, *, by) -> TemplateVersion:
    """Make `version` the one in force for its (unit, kind); an earlier version may be activated again."""
    _guard(by, version.unit)
    _deactivate(version.kind, version.unit)
    version.active = True
    db.session.flush()
    audit.record("document_template.activate", version, by=by,
                 after={"kind": version.kind, "unit": version.unit.code if version.unit else None,
                        "version": version.version})
    return version


def use_builtin(kind: str, unit, *, by) -> None:
    """No version of the unit's own in force: the unit inherits (the default's, else the built-in template)."""
    _guard(by, unit)
    _deactivate(_kind(kind), unit)
    audit.record("document_template.reset", object_type="TemplateVersion", object_id=kind, by=by,
                 after={"kind": kind, "unit": unit.code if unit else None})


def _deactivate(kind: str, unit) -> None:
    db.session.execute(update(TemplateVersion).where(TemplateVersion.kind == kind, queries.unit_condition(unit),
                                                     TemplateVersion.active).values(active=False))
    db.session.flush()
    db.session.expire_all()


def save_profile(unit, *, place: str, head_title: str, head_name: str, by) -> DocumentProfile:
    """The place and the head's title and name the unit's documents print."""
    if unit is None:
        raise Invalid(_("Chọn đơn vị."), field="unit")
    _guard(by, unit)
    profile = queries.profile_of(unit) or DocumentProfile(unit_id=unit.id)
    before = audit.snapshot(profile, ("place", "head_title", "head_name")) if profile.id else None
    profile.place, profile.head_title, profile.head_name = (
        (place or "").strip()[:100], (head_title or "").strip()[:100], (head_name or "").strip()[:200])
    db.session.add(profile)
    db.session.flush()
    audit.record("document_profile.save", profile, by=by, before=before,
                 after=audit.snapshot(profile, ("place", "head_title", "head_name")))
    return profile


def template_bytes(version: TemplateVersion | None, kind: str) -> bytes:
    """The .docx of a version, or the built-in template of `kind` when None."""
    if version is None:
        return rendering.builtin_bytes(kind)
    return path_for(version.sha256).read_bytes()


def render_document(kind: str, unit, context: dict, *, object_type: str, object_id, by=None) -> bytes:
    """The document of `kind` for `unit` from the template in force, recorded (kind, object, template, hashes)."""
    version = queries.template_for(kind, unit) if unit is not None else None
    if version is None and unit is None:
        version = queries.active_versions(None).get(kind)
    template = template_bytes(version, kind)
    data = rendering.render(template, context)
    db.session.add(GeneratedDocument(kind=kind, object_type=object_type, object_id=str(object_id)[:80],
                                     template_version_id=version.id if version else None,
                                     template_sha256=hashlib.sha256(template).hexdigest(),
                                     sha256=hashlib.sha256(data).hexdigest(), created_by_id=getattr(by, "id", None)))
    db.session.flush()
    return data


def preview(kind: str, version: TemplateVersion | None, *, by) -> bytes:
    """`version` (or the built-in template) rendered with the kind's sample data: nothing is recorded."""
    if version is not None:
        _guard(by, version.unit)
    return rendering.render(template_bytes(version, _kind(kind)), KINDS[kind].sample)
