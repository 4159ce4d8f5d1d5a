"""A subject's eligibility checklist: the rules of catalog/rules.py over histories read from the archive,
with the appraisers' written overrides. A whole council session's checklists take a few set queries.

A dossier's checklist (this one, plus its campaign's registration line and its unit's CSTĐCS quota) is
nominations/eligibility.py; both are the same `Checklist` of `CheckLine`s, from the rules to the page."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select, tuple_

from awards.archive import queries
from awards.archive.models import EligibilityOverride
from awards.catalog import rules
from awards.catalog import services as catalog
from awards.core import audit
from awards.core.db import DomainError, Invalid, NotFound, utcnow
from awards.extensions import db
from awards.units import queries as units_queries
from awards.units.models import Person, Unit


@dataclass(frozen=True)
class CheckLine:
    """One line of a checklist: a rule's verdict with its legal basis, and an appraiser's override if any."""

    rule: str
    passed: bool
    detail: str
    article: str
    basis_text: str
    confirmed: bool
    manual: bool  # a line a person weighs: shown, never blocks
    overridden: bool = False
    override_reason: str | None = None
    override_by: str | None = None
    override_at: datetime | None = None
    override_id: int | None = None

    @classmethod
    def of(cls, check: rules.Check, *, manual: bool | None = None) -> "CheckLine":
        """The line of a rule's `Check` (no override)."""
        return cls(rule=check.rule, passed=check.passed, detail=check.detail, article=check.basis.article,
                   basis_text=check.basis.text, confirmed=check.basis.confirmed,
                   manual=check.manual if manual is None else manual)

    @property
    def blocks(self) -> bool:
        """Failed, not a line a person weighs, and not passed by an appraiser's written opinion."""
        return not (self.passed or self.overridden or self.manual)


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
    route: str = "chain"
    period: tuple[int, int] | None = None  # the achievement years the chain used: what a decision writes

    @property
    def blockers(self) -> list[CheckLine]:
        """The lines that keep the subject from passing appraisal."""
        return [c for c in self.checks if c.blocks]

    @property
    def overridden(self) -> list[CheckLine]:
        return [c for c in self.checks if c.overridden]

    def line(self, rule: str) -> CheckLine | None:
        return next((c for c in self.checks if c.rule == rule), None)

    def with_lines(self, lines: list[CheckLine]) -> "Checklist":
        """The checklist with more lines (a dossier's registration and quota lines), eligibility recounted."""
        checks = (*self.checks, *lines)
        return replace(self, checks=checks, eligible=not any(c.blocks for c in checks))


class Request(NamedTuple):
    """What a checklist is asked for."""

    subject_type: str
    subject_code: str
    award_code: str
    year: int
    kind: str = "regular"
    route: str | None = None  # chain | campaign | adhoc | contribution | other; default from the kind


def may_check(user, subject_type: str, code: str) -> bool:
    """Managers and council members check anyone; a unit officer checks the people and units they keep."""
    if user.is_manager or user.has_role("council_member"):
        return True
    subject = units_queries.person_by_code(code) if subject_type == "person" else units_queries.unit_by_code(code)
    unit = getattr(subject, "unit", subject)
    return unit is not None and units_queries.may_write_people_in(user, unit)


def checklists(requests: list[Request]) -> list[Checklist]:
    """Checklists for many (subject, award, year, kind) at once: histories and overrides in set queries."""
    requests = [Request(*r) for r in requests]
    person_codes = {r.subject_code for r in requests if r.subject_type == "person"}
    unit_codes = {r.subject_code for r in requests if r.subject_type == "unit"}
    people = dict(db.session.execute(select(Person.code, Person.id).where(Person.code.in_(person_codes))).all())
    units = dict(db.session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(unit_codes))).all())
    person_history = queries.person_histories(list(people.values())) if people else {}
    unit_history = {}
    for year in {r.year for r in requests if r.subject_type == "unit"}:
        for uid, history in queries.unit_histories(list(units.values()), year).items():
            unit_history[(uid, year)] = history
    overrides = _overrides(requests)
    result = []
    for subject_type, code, award_code, year, kind, route in requests:
        if subject_type == "person":
            if code not in people:
                raise NotFound(_("Không có cá nhân mã “%(c)s”.", c=code))
            history = person_history[people[code]]
        else:
            if code not in units:
                raise NotFound(_("Không có đơn vị mã “%(c)s”.", c=code))
            history = unit_history[(units[code], year)]
        result.append(_checklist(subject_type, code, history, award_code, year, kind, route,
                                 overrides.get((subject_type, code, award_code, year), {})))
    return result


def checklist(subject_type: str, subject_code: str, award_code: str, year: int, kind: str = "regular",
              route: str | None = None) -> Checklist:
    return checklists([Request(subject_type, subject_code, award_code, year, kind, route)])[0]


def _checklist(subject_type, code, history, award_code, year, kind, route, overrides) -> Checklist:
    award = catalog.known_award(award_code)  # built-in, or stored with its composed conditions (issue 25)
    if award is None:
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=award_code), field="award_code")
    if route is not None and route not in rules.ROUTES:
        raise Invalid(_("Đường xét khen thưởng không hợp lệ: “%(r)s”.", r=route), field="route")
    try:
        forms = catalog.form_codes() if catalog.stored_types() else None  # stored commendations (issue 25)
        verdict = rules.evaluate(award, history, year, kind=kind, route=route, overridden=frozenset(overrides),
                                 settings={"forms": forms} if forms else None)
    except ValueError:
        raise Invalid(_("Hệ thống chưa có quy định áp dụng cho năm %(y)s (chỉ từ năm 2017).", y=year),
                      field="year") from None
    lines = tuple(_with_override(CheckLine.of(c), overrides.get(c.rule)) for c in verdict.checks)
    return Checklist(subject_type=subject_type, subject_code=code, subject_name=history.name, award_code=award_code,
                     year=year, eligible=verdict.eligible, ruleset=verdict.ruleset, checks=lines,
                     route=route or rules.ROUTE_OF_KIND.get(kind, "chain"), period=verdict.period)


def _with_override(line: CheckLine, override: EligibilityOverride | None) -> CheckLine:
    """The line with the appraiser's written opinion on it (an override of a line that now passes is moot)."""
    if override is None:
        return line
    line = replace(line, override_by=override.created_by.full_name if override.created_by else None,
                   override_at=override.created_at)
    if line.passed:
        return line
    return replace(line, overridden=True, override_reason=override.reason, override_id=override.id)


def _overrides(requests: list[Request]) -> dict[tuple, dict[str, EligibilityOverride]]:
    keys = {(r.subject_type, r.subject_code, r.award_code, r.year) for r in requests}
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


PREVIEW_SIZE = 10


def preview(award_code: str, year: int, subject_type: str = "person", limit: int = PREVIEW_SIZE) -> list[Checklist]:
    """An award type (a stored one as its admin composed it) run against the first `limit` active people or
    collectives of the database: each one's checklist for `year` (issue 25, the catalogue's preview)."""
    model = Person if subject_type == "person" else Unit
    codes = list(db.session.scalars(select(model.code).where(model.active.is_(True)).order_by(model.id)
                                    .limit(limit)))
    return checklists([Request(subject_type, code, award_code, year) for code in codes])
