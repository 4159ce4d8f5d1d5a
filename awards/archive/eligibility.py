"""The eligibility checklist: the rules of catalog/rules.py over histories read from the archive,
with the appraisers' written overrides. A whole council session's checklists take a few set queries."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, tuple_

from awards.archive import queries
from awards.archive.models import EligibilityOverride
from awards.catalog import rules
from awards.catalog.types import DEFAULTS
from awards.core import audit
from awards.core.db import DomainError, Invalid, NotFound, utcnow
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Person, Unit


@dataclass(frozen=True)
class CheckLine:
    rule: str
    passed: bool
    detail: str
    article: str
    basis_text: str
    confirmed: bool
    manual: bool
    overridden: bool = False
    override_reason: str | None = None
    override_by: str | None = None
    override_at: datetime | None = None
    override_id: int | None = None


@dataclass(frozen=True)
class Checklist:
    subject_type: str
    subject_code: str
    subject_name: str
    award_code: str
    year: int
    eligible: bool
    ruleset: str
    checks: tuple[CheckLine, ...]


Request = tuple[str, str, str, int, str]  # subject_type, subject_code, award_code, year, kind


def may_check(user, subject_type: str, code: str) -> bool:
    """Managers and council members check anyone; a unit officer checks the people and units they keep."""
    if user.is_manager or user.has_role("council_member"):
        return True
    subject = units_queries.person_by_code(code) if subject_type == "person" else units_queries.unit_by_code(code)
    unit = getattr(subject, "unit", subject)
    return unit is not None and units_queries.may_write_people_in(user, unit)


def checklists(requests: list[Request]) -> list[Checklist]:
    """Checklists for many (subject, award, year, kind) at once: histories and overrides in set queries."""
    person_codes = {code for kind, code, *_ in requests if kind == "person"}
    unit_codes = {code for kind, code, *_ in requests if kind == "unit"}
    people = dict(db.session.execute(select(Person.code, Person.id).where(Person.code.in_(person_codes))).all())
    units = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(unit_codes))).all())
    person_history = queries.person_histories(list(people.values())) if people else {}
    unit_history = {}
    for year in {r[3] for r in requests if r[0] == "unit"}:
        for uid, history in queries.unit_histories(list(units.values()), year).items():
            unit_history[(uid, year)] = history
    overrides = _overrides(requests)
    result = []
    for subject_type, code, award_code, year, kind in requests:
        if subject_type == "person":
            if code not in people:
                raise NotFound(_("Không có cá nhân mã “%(c)s”.", c=code))
            history = person_history[people[code]]
        else:
            if code not in units:
                raise NotFound(_("Không có đơn vị mã “%(c)s”.", c=code))
            history = unit_history[(units[code], year)]
        result.append(_checklist(subject_type, code, history, award_code, year, kind,
                                 overrides.get((subject_type, code, award_code, year), {})))
    return result


def checklist(subject_type: str, subject_code: str, award_code: str, year: int, kind: str = "regular") -> Checklist:
    return checklists([(subject_type, subject_code, award_code, year, kind)])[0]


def _checklist(subject_type, code, history, award_code, year, kind, overrides) -> Checklist:
    if award_code not in DEFAULTS:
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=award_code), field="award_code")
    try:
        verdict = rules.evaluate(award_code, history, year, kind=kind, overridden=frozenset(overrides))
    except ValueError:
        raise Invalid(_("Hệ thống chưa có quy định áp dụng cho năm %(y)s (chỉ từ năm 2017).", y=year),
                      field="year") from None
    lines = tuple(CheckLine(
        c.rule, c.passed, c.detail, c.basis.article, c.basis.text, c.basis.confirmed, c.manual,
        overridden=not c.passed and c.rule in overrides,
        override_reason=overrides[c.rule].reason if c.rule in overrides and not c.passed else None,
        override_by=overrides[c.rule].created_by.full_name if c.rule in overrides and overrides[c.rule].created_by
        else None,
        override_at=overrides[c.rule].created_at if c.rule in overrides else None,
        override_id=overrides[c.rule].id if c.rule in overrides and not c.passed else None) for c in verdict.checks)
    return Checklist(subject_type, code, history.name, award_code, year, verdict.eligible, verdict.ruleset, lines)


def _overrides(requests: list[Request]) -> dict[tuple, dict[str, EligibilityOverride]]:
    keys = {(r[0], r[1], r[2], r[3]) for r in requests}
    if not keys:
        return {}
    stmt = select(EligibilityOverride).where(
        tuple_(EligibilityOverride.subject_type, EligibilityOverride.subject_code, EligibilityOverride.award_code,
               EligibilityOverride.year).in_(list(keys)),
        EligibilityOverride.withdrawn_at.is_(None)).order_by(EligibilityOverride.id)
    result: dict[tuple, dict[str, EligibilityOverride]] = {}
    for row in db.session.scalars(stmt):
        result.setdefault((row.subject_type, row.subject_code, row.award_code, row.year), {})[row.rule] = row
    return result


def override_check(subject_type, subject_code, award_code, year, rule, reason, *, by) -> EligibilityOverride:
    """An appraiser passes a failed line with a written reason; stored, audited, shown to the council."""
    if not (reason or "").strip() or len(reason.strip()) < 10:
        raise Invalid(_("Cần ghi rõ lý do (ít nhất 10 ký tự)."), field="reason")
    current = checklist(subject_type, subject_code, award_code, year)
    line = next((c for c in current.checks if c.rule == rule), None)
    if line is None or line.passed or line.manual:
        raise DomainError(_("Chỉ có thể ghi ý kiến vượt qua cho một dòng điều kiện chưa đạt."))
    if line.overridden:
        raise DomainError(_("Dòng điều kiện này đã có ý kiến vượt qua."), code="duplicate")
    override = EligibilityOverride(subject_type=subject_type, subject_code=subject_code, award_code=award_code,
                                   year=year, rule=rule, reason=reason.strip(), created_by_id=by.id)
    db.session.add(override)
    db.session.flush()
    audit.record("eligibility.override", override, by=by, after={
        "subject": subject_code, "award": award_code, "year": year, "rule": rule, "reason": override.reason})
    return override


def withdraw_override(override: EligibilityOverride, *, by) -> None:
    if override.withdrawn_at is None:
        override.withdrawn_at = utcnow()
        db.session.flush()
        audit.record("eligibility.override_withdrawn", override, by=by, before={"rule": override.rule})
