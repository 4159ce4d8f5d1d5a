"""Plain factories: real rows through the real services, with sensible defaults."""

import itertools
from datetime import date

from awards.auth import services as auth_services
from awards.extensions import db
from awards.units import services

_seq = itertools.count(1)


def unit(code=None, name=None, parent=None, grassroots=False, kind="other"):
    n = next(_seq)
    return services.create_unit(code=code or f"U{n:04d}", name=name or f"Đơn vị thử {n}",
                                parent_code=parent.code if parent else None, grassroots=grassroots, kind=kind)


def person(code=None, full_name=None, unit=None, gender="female", birth_date=date(1985, 5, 17), **kw):
    n = next(_seq)
    return services.create_person(code=code or f"P{n:05d}", full_name=full_name or f"Nguyễn Thị Thử {n}",
                                  gender=gender, unit_code=(unit or globals()["unit"]()).code,
                                  birth_date=birth_date, **kw)


def user(*roles, unit=None, person=None, username=None, password="mat-khau-2026", full_name=None):
    n = next(_seq)
    return auth_services.create_user(username or f"user{n}", password, roles or ("staff",),
                                     full_name=full_name or f"Người dùng {n}", unit=unit, person=person)


def token(user):
    _token, raw = auth_services.issue_token(user, label="test")
    db.session.flush()
    return raw


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def nomination(subject, award_code="CSTDCS", year=2025, *, status="appraised", by=None, summary=""):
    """A dossier brought to `status` (draft, submitted or appraised) through the real workflow."""
    from awards.nominations import services as nominations

    by = by or user("staff")
    subject_type = "unit" if hasattr(subject, "parent_id") else "person"
    dossier = nominations.create_nomination(subject_type=subject_type, subject_code=subject.code,
                                            award_code=award_code, year=year, summary=summary, by=by)
    if status == "draft":
        return dossier
    for n, kind in enumerate(sorted(nominations.required_attachments(dossier))):
        nominations.add_attachment(dossier, data=PDF + str(n).encode(), filename=f"{kind}.pdf", kind=kind, by=by)
    nominations.submit(dossier, by=by)
    if status == "appraised":
        _override_blockers(dossier, by)
        nominations.appraise(dossier, result="pass", note="", by=by)
    return dossier


def _override_blockers(dossier, by):
    """An appraiser's written opinion on each failing line, as the desk must give before passing the dossier."""
    from awards.archive.eligibility import override_check
    from awards.nominations.eligibility import checklist_of

    for line in checklist_of(dossier).blockers:
        override_check(dossier.subject_type, dossier.subject_code, dossier.award_code, dossier.year, line.rule,
                       "Đã đối chiếu hồ sơ giấy của đơn vị.", by=by)
