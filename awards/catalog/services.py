"""The catalog as it stands: defaults from RULES.md with the stored settings applied, then the award types an
admin added (issue 25); audited changes."""

import re
from collections.abc import Mapping

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, exists, select
from sqlalchemy.orm import Session

from awards.catalog import blocks, periods
from awards.catalog.history import FORMS
from awards.catalog.models import CatalogSetting, StoredAwardType
from awards.catalog.types import (
    ATTACHMENT_KINDS,
    AWARD_SETTINGS,
    COMMENDATION,
    COUNCIL_BALLOTS,
    DEFAULTS,
    FORMS_OF_AWARD,
    GLOBAL_DEFAULTS,
    LEVELS,
    SUBJECTS,
    VOTING_LABELS,
    AwardType,
    with_settings,
)
from awards.core import audit
from awards.core.db import DomainError, Invalid, NotFound
from awards.extensions import db

_SETTINGS = "catalog_settings"


def _stored() -> dict[str, object]:
    """The stored settings, read once per request (a page names award types hundreds of times) and forgotten
    whenever one changes or the transaction rolls back."""
    cached = g.get(_SETTINGS) if has_app_context() else None
    if cached is None:
        cached = dict(db.session.execute(select(CatalogSetting.key, CatalogSetting.value)).all())
        if has_app_context():
            setattr(g, _SETTINGS, cached)
    return cached


def as_award_type(row: StoredAwardType) -> AwardType:
    """A stored row as the AwardType every feature reads (builtin False, its conditions attached)."""
    return AwardType(row.code, row.name, row.subject, row.form, row.level, row.decided_by, row.ballot,
                     row.threshold, tuple(row.required_attachments or ()), row.review_days, row.basis,
                     notes=row.notes or "", prize_coefficient=row.prize_coefficient, builtin=False,
                     conditions=tuple(row.conditions or ()), period_years=row.period_years or 1, active=row.active)


_CACHE = "catalog_stored_types"


def stored_types(conn=None) -> dict[str, AwardType]:
    """The award types an admin added, active and not, in the order they were added; read once per request
    (flask.g) and forgotten whenever one changes. `conn`: read them on that connection when they are not read yet
    (an archive import's reader, so the session starts no transaction while the file is checked)."""
    cached = g.get(_CACHE) if has_app_context() else None
    if cached is None:
        stmt = select(StoredAwardType).order_by(StoredAwardType.id)
        rows = (conn.execute(select(StoredAwardType.__table__).order_by(StoredAwardType.id)) if conn is not None
                else db.session.scalars(stmt))
        cached = {row.code: as_award_type(row) for row in rows}
        if has_app_context():
            setattr(g, _CACHE, cached)
    return cached


def forget() -> None:
    if has_app_context():
        g.pop(_CACHE, None)
        g.pop(_SETTINGS, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(_session, _previous) -> None:
    """A refused change rolls back: what was read inside it must not outlive it."""
    forget()


def award_types(*, inactive: bool = False) -> dict[str, AwardType]:
    """Every award type, in catalog order, with the settings staff have changed: the built-in ones, then the
    stored ones (the deactivated ones only with `inactive`, e.g. to name an old record)."""
    stored = _stored()
    result = {}
    for code, award in DEFAULTS.items():
        prefix = f"award.{code}."
        overrides = {key[len(prefix):]: value for key, value in stored.items() if key.startswith(prefix)}
        result[code] = with_settings(award, overrides)
    for code, award in stored_types().items():
        if award.active or inactive:
            result[code] = award
    return result


def award_type(code: str) -> AwardType:
    """One award type, built-in or stored (a deactivated one too: its dossiers and records still need it)."""
    award = award_types(inactive=True).get(code)
    if award is None:
        raise NotFound(_("Không có loại khen thưởng mã “%(c)s”.", c=code))
    return award


def known_award(code: str) -> AwardType | None:
    """The award type of `code` (built-in as defined, stored with its row), or None; no settings read."""
    return DEFAULTS.get(code) or stored_types().get(code)


def award_name(code: str) -> str:
    """The name of any award code, built-in or stored; an unknown code as it is."""
    award = known_award(code)
    return award.name if award else code


def known_types(conn=None) -> dict[str, AwardType]:
    """Every award type by code as defined (built-in, then stored, deactivated included); no settings read.
    `conn`: see stored_types."""
    return {**DEFAULTS, **stored_types(conn)}


def types_for(codes) -> dict[str, AwardType]:
    """The award types to name `codes` with: the built-in ones alone when every code is built-in (no query), else
    every known type."""
    return dict(DEFAULTS) if all(code in DEFAULTS for code in codes or ()) else known_types()


def default_period(award_code: str, year: int, kind: str = "regular") -> tuple[int, int]:
    """An archive record's achievement period when none was written: a stored type's own length (regular awards),
    else catalog.periods' default."""
    stored = stored_types().get(award_code)
    if stored is not None and kind == "regular":
        return year - stored.period_years + 1, year
    return periods.default_period(award_code, year, kind)


def form_codes() -> frozenset[str]:
    """The forms of commendation (hình thức khen thưởng): the built-in ones and the stored commendations, for the
    rule that an initiative supports one form only (CV 5007/BNV-TĐKT III.5.c)."""
    return FORMS | {code for code, award in stored_types().items() if award.form == COMMENDATION}


class AllAwardTypes(Mapping):
    """Every award type by code as defined (built-in, then the stored ones, deactivated included), for the
    templates' AWARD_TYPES / AWARDS (names, bases): a built-in code is answered without a query; the stored types
    are read (once per request) only when a page lists every type or names a stored one."""

    def __getitem__(self, code):
        if code in DEFAULTS:
            return DEFAULTS[code]
        return stored_types()[code]

    def __contains__(self, code):
        return code in DEFAULTS or code in stored_types()

    def __iter__(self):
        return iter(known_types())

    def __len__(self):
        return len(known_types())


def award_names() -> dict[str, str]:
    """Every award code's name (the stored ones, deactivated included), for pages that name many records."""
    return {**{code: a.name for code, a in DEFAULTS.items()}, **{code: a.name for code, a in stored_types().items()}}


def global_settings() -> dict[str, object]:
    stored = _stored()
    return {name: stored.get(name, default) for name, default in GLOBAL_DEFAULTS.items()}


def _validate(name: str, value):
    """A setting's value, checked: shares in (0, 1], day counts 1–60, known attachment kinds."""
    if name in ("threshold", "quorum"):
        if value is None and name == "threshold":
            return None
        if not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise Invalid(_("Tỷ lệ phải lớn hơn 0 và không quá 1 (ví dụ 0,8 là 80%%)."), field=name)
        return float(value)
    if name in ("review_days", "return_days", "appraisal_days", "forward_days", "max_rounds"):
        if not isinstance(value, int) or not 1 <= value <= 60:
            raise Invalid(_("Số ngày (lần) phải là số nguyên từ 1 đến 60."), field=name)
        return value
    if name == "required_attachments":
        kinds = list(dict.fromkeys(value or []))
        if any(kind not in ATTACHMENT_KINDS for kind in kinds):
            raise Invalid(_("Loại tài liệu không hợp lệ."), field=name)
        return kinds
    if name == "ballot":
        if value not in VOTING_LABELS:
            raise Invalid(_("Cách xét không hợp lệ."), field=name)
        return str(value)
    if name == "cstdcs_quota_percent":
        if value is None:
            return None
        if not isinstance(value, (int, float)) or not 0 < value <= 100:
            raise Invalid(_("Tỷ lệ phần trăm phải từ 0 đến 100, hoặc để trống để tắt."), field=name)
        return value
    raise Invalid(_("Không có thiết lập “%(n)s”.", n=name), field=name)


def change_setting(key: str, value, *, by) -> None:
    """Store one setting (`award.CODE.name` or a global name); the change is audited with before/after."""
    code, _sep, name = key.removeprefix("award.").rpartition(".") if key.startswith("award.") else ("", "", key)
    if code and (code not in DEFAULTS or name not in AWARD_SETTINGS):
        raise Invalid(_("Không có thiết lập “%(n)s”.", n=key), field="key")
    if not code and name not in GLOBAL_DEFAULTS:
        raise Invalid(_("Không có thiết lập “%(n)s”.", n=key), field="key")
    value = _validate(name, value)
    if name == "ballot" and value not in DEFAULTS[code].voting_choices:
        raise Invalid(_("%(a)s phải được Hội đồng bỏ phiếu: chọn bỏ phiếu kín hoặc biểu quyết công khai.",
                        a=DEFAULTS[code].name), field=name)
    setting = db.session.scalar(select(CatalogSetting).where(CatalogSetting.key == key))
    before = setting.value if setting else (getattr(DEFAULTS[code], name) if code else GLOBAL_DEFAULTS[name])
    if before == value:
        return  # nothing changed: no audit noise
    by_id = getattr(by, "id", None)  # read first: loading the user must not flush a half-made setting
    if setting is None:
        setting = CatalogSetting(key=key, value=value)
        db.session.add(setting)
    setting.value, setting.updated_by_id = value, by_id
    db.session.flush()
    forget()
    audit.record("catalog.setting", setting, by=by, before={key: before}, after={key: value})


def change_settings(values: dict, *, prefix: str = "", by) -> None:
    """Store several settings at once (an award's form, the global form): all of them or, on a refusal, none."""
    for name, value in values.items():
        change_setting(prefix + name, value, by=by)


# ---------------------------------------------------------------------------------------------------------------
# Stored award types (issue 25): an admin adds, changes and deactivates them
# ---------------------------------------------------------------------------------------------------------------

CODE_PATTERN = re.compile(r"^[A-Z0-9_]{2,40}$")
TYPE_FIELDS = ("code", "name", "subject", "form", "level", "decided_by", "ballot", "threshold", "review_days",
               "required_attachments", "period_years", "prize_coefficient", "conditions", "basis", "notes", "active")
DEFAULT_LEVEL_DECIDER = {"grassroots": "Thủ trưởng cơ quan, đơn vị", "provincial": "Chủ tịch UBND tỉnh",
                         "ministerial": "Bộ trưởng", "national": "Thủ tướng Chính phủ"}


def _may_define(by) -> None:
    if by is None or not by.has_role("admin"):
        raise DomainError(_("Chỉ quản trị hệ thống được thêm, sửa loại khen thưởng."), status=403, code="forbidden")


def _clean_type(values: dict, *, code: str) -> dict:
    """The fields of a stored award type checked (Vietnamese messages naming the field) and normalised."""
    name = str(values.get("name") or "").strip()
    if not 3 <= len(name) <= 200:
        raise Invalid(_("Tên loại khen thưởng cần từ 3 đến 200 ký tự."), field="name")
    subject = values.get("subject")
    if subject not in SUBJECTS:
        raise Invalid(_("Đối tượng phải là cá nhân, tập thể hoặc cả hai."), field="subject")
    form = values.get("form") or "commendation"
    if form not in FORMS_OF_AWARD:
        raise Invalid(_("Loại phải là danh hiệu thi đua hoặc hình thức khen thưởng."), field="form")
    level = values.get("level") or "grassroots"
    if level not in LEVELS:
        raise Invalid(_("Cấp khen thưởng không hợp lệ."), field="level")
    ballot = _validate("ballot", values.get("ballot") or "none")
    threshold = values.get("threshold")
    threshold = _validate("threshold", threshold) if threshold is not None else None
    if threshold is not None and ballot not in COUNCIL_BALLOTS:
        raise Invalid(_("Chỉ đặt tỷ lệ phiếu khi Hội đồng bỏ phiếu kín hoặc biểu quyết công khai."), field="threshold")
    review_days = _validate("review_days", values.get("review_days") if values.get("review_days") is not None
                            else 5)
    attachments = values.get("required_attachments")
    attachments = _validate("required_attachments", ["proposal", "report"] if attachments is None else attachments)
    period_years = values.get("period_years") if values.get("period_years") is not None else 1
    if isinstance(period_years, bool) or not isinstance(period_years, int) or not 1 <= period_years <= 10:
        raise Invalid(_("Thời gian tính thành tích phải từ 1 đến 10 năm."), field="period_years")
    prize = values.get("prize_coefficient")
    if prize is not None and (isinstance(prize, bool) or not isinstance(prize, (int, float)) or not 0 < prize <= 100):
        raise Invalid(_("Hệ số tiền thưởng phải lớn hơn 0 và không quá 100 (lần mức lương cơ sở)."),
                      field="prize_coefficient")
    basis = str(values.get("basis") or "").strip()
    if len(basis) > 2000:
        raise Invalid(_("Căn cứ tối đa 2000 ký tự."), field="basis")
    decided_by = str(values.get("decided_by") or "").strip() or DEFAULT_LEVEL_DECIDER[level]
    if len(decided_by) > 200:
        raise Invalid(_("Thẩm quyền quyết định tối đa 200 ký tự."), field="decided_by")
    subjects = ("individual", "collective") if subject == "both" else (subject,)
    codes = [*DEFAULTS, *stored_types(), code]
    conditions = blocks.validate(values.get("conditions") or [], subjects=subjects, award_codes=codes,
                                 default_basis=basis)
    return {"name": name, "subject": subject, "form": form, "level": level, "decided_by": decided_by,
            "ballot": ballot, "threshold": threshold, "review_days": review_days,
            "required_attachments": attachments, "period_years": period_years,
            "prize_coefficient": float(prize) if prize is not None else None, "conditions": conditions,
            "basis": basis, "notes": str(values.get("notes") or "").strip()[:2000]}


def stored_row(code: str) -> StoredAwardType:
    row = db.session.scalar(select(StoredAwardType).where(StoredAwardType.code == code))
    if row is None:
        raise NotFound(_("Không có loại khen thưởng tự định nghĩa mã “%(c)s”.", c=code))
    return row


def create_award_type(*, by, **values) -> StoredAwardType:
    """A new award type beside the built-in ones: admin only (403); a built-in code or one already stored is
    refused (409); the fields and conditions checked (400 naming the field or the condition); audited."""
    _may_define(by)
    code = str(values.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise Invalid(_("Mã gồm 2–40 ký tự A–Z, 0–9 hoặc dấu gạch dưới (ví dụ BK_BYT)."), field="code")
    if code in DEFAULTS:
        raise DomainError(_("“%(c)s” là mã của %(a)s có sẵn trong hệ thống: không định nghĩa lại được.", c=code,
                            a=DEFAULTS[code].name), code="builtin", field="code")
    if code in stored_types():
        raise DomainError(_("Đã có loại khen thưởng mã “%(c)s”.", c=code), code="duplicate", field="code")
    clean = _clean_type(values, code=code)
    row = StoredAwardType(code=code, active=True, created_by_id=by.id, changed_by_id=by.id, **clean)
    db.session.add(row)
    db.session.flush()
    forget()
    audit.record("catalog.award_type.create", row, by=by, after={"code": code, **clean})
    return row


def change_award_type(code: str, *, by, **values) -> StoredAwardType:
    """Change a stored type's fields and conditions (its code stays): admin only; audited with before/after."""
    _may_define(by)
    row = stored_row(code)
    clean = _clean_type(values, code=code)
    before = {name: getattr(row, name) for name in clean}
    changed = {name: value for name, value in clean.items() if before[name] != value}
    if not changed:
        return row
    for name, value in changed.items():
        setattr(row, name, value)
    row.changed_by_id = by.id
    db.session.flush()
    forget()
    audit.record("catalog.award_type.change", row, by=by, before={k: before[k] for k in changed}, after=changed)
    return row


def in_use(code: str) -> bool:
    """Does the archive or a dossier use this code? (Table names, not models: the archive and nominations sit
    above the catalog.)"""
    tables = db.metadata.tables
    return any(db.session.scalar(select(exists().where(tables[name].c.award_code == code)))
               for name in ("award_records", "nominations") if name in tables)


def set_award_type_active(code: str, active: bool, *, by) -> StoredAwardType:
    """Deactivate a stored type (no new dossiers or records; the old ones keep it) or offer it again; audited."""
    _may_define(by)
    row = stored_row(code)
    if row.active == active:
        return row
    row.active, row.changed_by_id = active, by.id
    db.session.flush()
    forget()
    audit.record("catalog.award_type.activate" if active else "catalog.award_type.deactivate", row, by=by,
                 before={"active": not active}, after={"active": active})
    return row


def delete_award_type(code: str, *, by) -> None:
    """Remove a stored type nobody used; one with awards in the archive or dossiers is refused (409): deactivate
    it instead."""
    _may_define(by)
    row = stored_row(code)
    if in_use(code):
        raise DomainError(_("“%(a)s” đã có khen thưởng trong lưu trữ hoặc hồ sơ đề nghị: chỉ ngừng sử dụng được, "
                            "không xóa.", a=row.name), code="in_use")
    audit.record("catalog.award_type.delete", row, by=by, before={"code": row.code, "name": row.name})
    db.session.delete(row)
    db.session.flush()
    forget()
