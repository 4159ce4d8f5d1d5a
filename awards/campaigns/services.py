"""Changing campaigns and registrations: each validates, flushes, audits and notifies; callers commit."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.campaigns import permissions, queries
from awards.campaigns.models import Campaign, CampaignReview, Registration, RegistrationEntry, Reopening
from awards.campaigns.rules import date_problems
from awards.campaigns.states import transition
from awards.catalog import services as catalog
from awards.catalog.types import COLLECTIVE, INDIVIDUAL
from awards.core import audit, clock
from awards.core.db import DomainError, Invalid, utcnow
from awards.core.html import sanitize
from awards.extensions import db
from awards.notifications import queries as recipients
from awards.notifications.services import finish, notify
from awards.units import queries as units_queries
from awards.units.models import Person
from awards.units.services import check_year

CAMPAIGN_FIELDS = ("title", "kind", "year", "organizer_unit_code", "starts_on", "ends_on", "registration_deadline",
                   "nominations_open_on", "nomination_deadline", "award_codes", "registration_required", "status",
                   "launch_document_id")


def _check_awards(codes, field="award_codes", subject=None, allowed=None, offered=None) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    offered = offered if offered is not None else catalog.award_types()  # built-in and active stored types
    for code in codes:
        award = offered.get(code)
        if award is None:
            raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=code), field=field)
        if subject and subject not in award.subjects:
            raise Invalid(_("“%(a)s” không dành cho %(s)s.", a=award.name,
                            s=_("cá nhân") if subject == INDIVIDUAL else _("tập thể")), field=field)
        if allowed is not None and code not in allowed:
            raise Invalid(_("Phong trào này không xét “%(a)s”.", a=award.name), field=field)
    return codes


def _apply(campaign: Campaign, values: dict) -> None:
    if values.get("kind") not in ("regular", "thematic"):
        raise Invalid(_("Loại phong trào phải là thường xuyên (regular) hoặc chuyên đề (thematic)."), field="kind")
    if not (values.get("title") or "").strip():
        raise Invalid(_("Tên phong trào không được để trống."), field="title")
    check_year(values["year"])
    for field, message in date_problems(values["starts_on"], values["ends_on"], values["registration_deadline"],
                                        values["nomination_deadline"], values.get("nominations_open_on")):
        raise Invalid(_(message), field=field)
    organizer = units_queries.unit_by_code(values["organizer_unit_code"] or "")
    if organizer is None:
        raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=values["organizer_unit_code"]), field="organizer_unit_code")
    campaign.organizer = organizer
    campaign.award_codes = _check_awards(values.get("award_codes"))
    for name in ("kind", "year", "starts_on", "ends_on", "registration_deadline", "nomination_deadline",
                 "nominations_open_on", "registration_required"):
        if name in values:
            setattr(campaign, name, values[name])
    campaign.title = values["title"].strip()
    for name in ("theme",):
        campaign.theme = (values.get(name) or "").strip()
    campaign.targets_html = sanitize(values.get("targets_html"))
    campaign.criteria_html = sanitize(values.get("criteria_html"))


def create_campaign(*, by, launch: bool = False, launch_document=None, **values) -> Campaign:
    """A campaign (a draft unless `launch`): title, kind, dates in order, organizer, the awards it leads to,
    and the launch document (an Upload) if there is one."""
    campaign = Campaign(created_by_id=getattr(by, "id", None), status="draft", launch_document=launch_document)
    _apply(campaign, values)
    db.session.add(campaign)
    db.session.flush()
    audit.record("campaign.create", campaign, by=by, after=audit.snapshot(campaign, CAMPAIGN_FIELDS))
    if launch:
        launch_campaign(campaign, by=by)
    return campaign


def update_campaign(campaign: Campaign, *, by, launch_document=None, **values) -> Campaign:
    """Change a campaign that has not ended; a new launch document replaces the old one."""
    if campaign.status == "closed":
        raise DomainError(_("Phong trào đã kết thúc, không sửa được."), code="wrong_state")
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    _apply(campaign, values)
    if launch_document is not None:
        campaign.launch_document = launch_document
    db.session.flush()
    audit.record("campaign.update", campaign, by=by, before=before, after=audit.snapshot(campaign, CAMPAIGN_FIELDS))
    return campaign


def launch_campaign(campaign: Campaign, *, by) -> None:
    """Launch: registration opens by its dates; the officers of the expected units are told."""
    transition(campaign, "launched", by=by)
    campaign.launched_at = utcnow()
    db.session.flush()
    officers = [o for unit in queries.expected_units(campaign) for o in recipients.unit_officers(unit)]
    notify(officers, "campaign_launched", _("Phát động phong trào: %(t)s", t=campaign.title),
           _("Hạn đăng ký thi đua: %(d)s.", d=campaign.registration_deadline.strftime("%d/%m/%Y")),
           f"/campaigns/{campaign.id}")


def close_campaign(campaign: Campaign, *, by) -> None:
    transition(campaign, "closed", by=by)
    campaign.closed_at = utcnow()
    db.session.flush()


def registration_open_for(campaign: Campaign, unit) -> bool:
    """Open while launched and until the end of the deadline day in Vietnam, or while a reopening runs."""
    if campaign.status != "launched":
        return False
    return not clock.passed(campaign.registration_deadline) or queries.open_reopening(campaign, unit) is not None


def register(campaign: Campaign, unit, *, collective_award_codes=(), individuals=(), commitment="", by,
             people=None):
    """Record (or replace, before the deadline) a unit's registration: collective and individual targets.
    `by` None is the system itself (the demo, imports); a user must be allowed to register this unit.
    `people`: the ids of the persons whose targets are being given (one part of the registration form): only
    theirs, and those of the persons `individuals` names, are replaced, everyone else's are kept as they are;
    None (the API): `individuals` is every individual target of the unit. All or nothing either way."""
    if by is not None and not permissions.may_register(by, campaign, unit):
        raise DomainError(_("Bạn chỉ đăng ký thi đua cho đơn vị mình (hoặc đơn vị trực thuộc)."), status=403,
                          code="forbidden")
    if campaign.status != "launched":
        raise DomainError(_("Phong trào chưa phát động hoặc đã kết thúc."), code="wrong_state")
    if not registration_open_for(campaign, unit):
        raise DomainError(_("Đã hết hạn đăng ký thi đua (%(d)s). Liên hệ cán bộ thường trực để được mở lại.",
                            d=campaign.registration_deadline.strftime("%d/%m/%Y")), code="deadline_passed")
    offered = catalog.award_types()
    collective = _check_awards(collective_award_codes, "collective_award_codes", COLLECTIVE, campaign.award_codes,
                               offered)
    members = set(units_queries.subtree_ids(unit.id))
    individuals = list(individuals)
    codes = {str(code) for code, _award in individuals}
    persons = {p.code: p for p in db.session.scalars(select(Person).where(Person.code.in_(codes)))} if codes else {}
    entries = []
    for index, (person_code, award_code) in enumerate(individuals):
        person = persons.get(str(person_code))
        if person is None or person.unit_id not in members:
            raise Invalid(_("Cá nhân “%(c)s” không thuộc %(u)s.", c=person_code, u=unit.name),
                          field=f"individuals.{index}.person_code")
        _check_awards([award_code], f"individuals.{index}.award_code", INDIVIDUAL, campaign.award_codes, offered)
        entries.append((person, award_code))
    registration = queries.registration_for(campaign, unit)
    before = _snapshot(registration) if registration else None
    if registration is None:
        registration = Registration(campaign=campaign, unit=unit)
        db.session.add(registration)
    registration.collective_award_codes, registration.commitment = collective, (commitment or "").strip()
    if people is None:
        registration.individuals.clear()
    else:
        replaced = set(people) | {p.id for p, _award in entries}
        registration.individuals = [e for e in registration.individuals if e.person_id not in replaced]
    db.session.flush()  # the old entries go first: the same person and target may come back
    registration.individuals.extend(RegistrationEntry(person=p, award_code=a) for p, a in dict.fromkeys(entries))
    registration.updated_at, registration.submitted_by_id = utcnow(), getattr(by, "id", None)
    db.session.flush()
    audit.record("registration.save", registration, by=by, before=before, after=_snapshot(registration))
    finish("campaign", campaign.id, users=recipients.unit_officers(unit))  # its reminders: done
    return registration


def _snapshot(registration: Registration) -> dict:
    return {"unit": registration.unit.code, "collective": list(registration.collective_award_codes or []),
            "individuals": [[e.person.code, e.award_code] for e in registration.individuals],
            "commitment": registration.commitment}


def reopen_registration(campaign: Campaign, unit, *, until: date, reason: str, by) -> Reopening:
    """Staff let one unit register after the deadline, until a date, with a reason (audited)."""
    if not (reason or "").strip():
        raise Invalid(_("Cần ghi lý do mở lại."), field="reason")
    if until < clock.today():
        raise Invalid(_("Ngày mở lại phải từ hôm nay trở đi."), field="until")
    if not queries.in_campaign_scope(campaign, unit):
        raise Invalid(_("Đơn vị không thuộc phạm vi phong trào."), field="unit_code")
    reopening = Reopening(campaign_id=campaign.id, unit_id=unit.id, until=until, reason=reason.strip(),
                          created_by_id=getattr(by, "id", None))
    db.session.add(reopening)
    db.session.flush()
    audit.record("registration.reopen", reopening, by=by, after={"campaign": campaign.id, "unit": unit.code,
                                                                 "until": until, "reason": reason})
    notify(recipients.unit_officers(unit), "registration_reopened", _("Mở lại đăng ký: %(t)s", t=campaign.title),
           _("Đơn vị được đăng ký đến hết ngày %(d)s.", d=until.strftime("%d/%m/%Y")), f"/campaigns/{campaign.id}",
           about=("campaign", campaign.id))
    return reopening


def remind_unregistered(campaign: Campaign, *, by) -> tuple[int, list]:
    """Notify the officers of every expected unit that has not registered; (people notified, units without
    an officer to tell). Only while the campaign is launched: a draft or a closed one reminds nobody."""
    if campaign.status != "launched":
        raise DomainError(_("Chỉ nhắc đăng ký được khi phong trào đang được phát động."), code="wrong_state")
    told, silent = 0, []
    for unit in queries.unregistered_units(campaign):
        officers = recipients.unit_officers(unit)
        if not officers:
            silent.append(unit)
            continue
        told += len(notify(officers, "registration_reminder", _("Nhắc đăng ký thi đua: %(t)s", t=campaign.title),
                           _("%(u)s chưa đăng ký. Hạn đăng ký: %(d)s.", u=unit.name,
                             d=campaign.registration_deadline.strftime("%d/%m/%Y")), f"/campaigns/{campaign.id}",
                           about=("campaign", campaign.id)))
    audit.record("campaign.remind", campaign, by=by, after={"notified": told, "without_officer":
                                                             [u.code for u in silent]})
    return told, silent


def add_review(campaign: Campaign, *, kind: str, held_on: date, summary_html: str, figures: dict, report=None, by):
    """A mid-term (sơ kết) or final (tổng kết) review with its figures and report."""
    if kind not in ("midterm", "final"):
        raise Invalid(_("Loại hội nghị phải là sơ kết hoặc tổng kết."), field="kind")
    if held_on < campaign.starts_on:
        raise Invalid(_("Ngày sơ kết, tổng kết không thể trước khi phong trào bắt đầu."), field="held_on")
    review = CampaignReview(campaign=campaign, kind=kind, held_on=held_on, summary_html=sanitize(summary_html),
                            figures=figures or {}, report=report, created_by_id=getattr(by, "id", None))
    db.session.add(review)
    db.session.flush()
    audit.record("campaign.review", review, by=by, after={"campaign": campaign.id, "kind": kind,
                                                          "held_on": held_on})
    return review
