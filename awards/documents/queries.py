"""Read-only lookups: a unit's versions, the template a document of a unit uses, a unit's signing details."""

import re
from dataclasses import dataclass

from sqlalchemy import select

from awards.documents.models import DocumentProfile, GeneratedDocument, TemplateVersion
from awards.extensions import db

_PLACE = re.compile(r"\b(?:tỉnh|thành phố|TP\.?)\s+(.+)$", re.IGNORECASE)
# the usual title of a unit's head, by the first words of its name (a default the signing details override)
_TITLES = (("sở", "Giám đốc"), ("bệnh viện", "Giám đốc"), ("trung tâm", "Giám đốc"), ("trạm", "Trạm trưởng"),
           ("khoa", "Trưởng khoa"), ("phòng", "Trưởng phòng"), ("trường", "Hiệu trưởng"), ("ủy ban", "Chủ tịch"),
           ("uỷ ban", "Chủ tịch"), ("ban", "Trưởng ban"), ("viện", "Viện trưởng"), ("cục", "Cục trưởng"),
           ("chi cục", "Chi cục trưởng"), ("công ty", "Giám đốc"), ("hội", "Chủ tịch"))
_KIND_TITLES = {"department_of_health": "Giám đốc", "hospital": "Giám đốc", "centre": "Giám đốc",
                "health_centre": "Giám đốc", "station": "Trạm trưởng", "division": "Trưởng khoa"}


def version_by_id(version_id: int) -> TemplateVersion | None:
    return db.session.get(TemplateVersion, version_id)


def versions(kind: str, unit) -> list[TemplateVersion]:
    """The versions of a kind for a unit (None: the default of every unit), newest first."""
    stmt = select(TemplateVersion).where(TemplateVersion.kind == kind, unit_condition(unit))
    return list(db.session.scalars(stmt.order_by(TemplateVersion.version.desc())))


def unit_condition(unit):
    return TemplateVersion.unit_id.is_(None) if unit is None else TemplateVersion.unit_id == unit.id


def active_versions(unit) -> dict[str, TemplateVersion]:
    """kind → the active version of the unit itself (not inherited)."""
    rows = db.session.scalars(select(TemplateVersion).where(unit_condition(unit), TemplateVersion.active))
    return {row.kind: row for row in rows}


def template_for(kind: str, unit) -> TemplateVersion | None:
    """The version a document of `unit` uses: the unit's own active one, else the nearest ancestor's, else the
    default's; None means the built-in template."""
    chain, node = [], unit
    while node is not None:
        chain.append(node.id)
        node = node.parent
    rows = db.session.scalars(select(TemplateVersion).where(
        TemplateVersion.kind == kind, TemplateVersion.active,
        TemplateVersion.unit_id.in_(chain) | TemplateVersion.unit_id.is_(None))).all()
    by_unit = {row.unit_id: row for row in rows}
    return next((by_unit[u] for u in chain if u in by_unit), by_unit.get(None))


def profile_of(unit) -> DocumentProfile | None:
    if unit is None:
        return None
    return db.session.scalar(select(DocumentProfile).where(DocumentProfile.unit_id == unit.id))


def generated_for(object_type: str, object_id) -> list[GeneratedDocument]:
    return list(db.session.scalars(select(GeneratedDocument).where(
        GeneratedDocument.object_type == object_type, GeneratedDocument.object_id == str(object_id))
        .order_by(GeneratedDocument.id)))


@dataclass(frozen=True)
class Signing:
    place: str  # địa danh; "" when unknown
    title: str  # the head's title, e.g. "Giám đốc"
    name: str  # the head's full name; "" when not declared


def _default_title(unit) -> str:
    kind = str(getattr(unit.kind, "value", unit.kind) or "")
    if kind in _KIND_TITLES:
        return _KIND_TITLES[kind]
    name = (unit.name or "").strip().casefold()
    for start, title in sorted(_TITLES, key=lambda pair: -len(pair[0])):
        if name.startswith(start):
            return title
    return f"Thủ trưởng {unit.name.strip()}"


def _default_place(unit) -> str:
    node = unit
    while node is not None:
        found = _PLACE.search(node.name or "")
        if found:
            return found.group(1).strip()
        node = node.parent
    return ""


def signing(unit) -> Signing:
    """The place, title and name a unit's documents print: its declared signing details, else the place found in
    its own or an ancestor's name ('… tỉnh Hòa Bình') and the usual title of a unit of its kind."""
    if unit is None:
        return Signing("", "", "")
    profile = profile_of(unit)
    place = (profile.place if profile else "") or _default_place(unit)
    title = (profile.head_title if profile else "") or _default_title(unit)
    return Signing(place.strip(), title.strip(), (profile.head_name if profile else "").strip())
