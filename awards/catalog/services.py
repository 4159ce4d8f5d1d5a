"""The catalog as it stands: defaults from RULES.md with the stored settings applied; audited changes."""

from flask_babel import gettext as _
from sqlalchemy import select

from awards.catalog.models import CatalogSetting
from awards.catalog.types import (
    ATTACHMENT_KINDS,
    AWARD_SETTINGS,
    DEFAULTS,
    GLOBAL_DEFAULTS,
    VOTING_LABELS,
    AwardType,
    with_settings,
)
from awards.core import audit
from awards.core.db import Invalid, NotFound
from awards.extensions import db


def _stored() -> dict[str, object]:
    return dict(db.session.execute(select(CatalogSetting.key, CatalogSetting.value)).all())


def award_types() -> dict[str, AwardType]:
    """Every award type, in catalog order, with the settings staff have changed."""
    stored = _stored()
    result = {}
    for code, award in DEFAULTS.items():
        prefix = f"award.{code}."
        overrides = {key[len(prefix):]: value for key, value in stored.items() if key.startswith(prefix)}
        result[code] = with_settings(award, overrides)
    return result


def award_type(code: str) -> AwardType:
    award = award_types().get(code)
    if award is None:
        raise NotFound(_("Không có loại khen thưởng mã “%(c)s”.", c=code))
    return award


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
    audit.record("catalog.setting", setting, by=by, before={key: before}, after={key: value})


def change_settings(values: dict, *, prefix: str = "", by) -> None:
    """Store several settings at once (an award's form, the global form): all of them or, on a refusal, none."""
    for name, value in values.items():
        change_setting(prefix + name, value, by=by)
