"""Dossier actions: create, attach, submit, return, appraise, withdraw, forward upward, record the answer from
outside. Each guards (who may, in which state,
on which checklist: every refusal is here, so pages, the API, the CLI and bulk actions obey the same rules),
flushes, audits; each step's notices go out from states.transition (nominations.notices); the caller commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.archive.services import record_award, resolve_subject
from awards.campaigns import queries as campaign_queries
from awards.catalog import services as catalog
from awards.catalog.rules import KINDS
from awards.catalog.types import ATTACHMENT_LABELS
from awards.core import audit, cache, uploads
from awards.core.db import DomainError, Invalid, utcnow
from awards.extensions import db
from awards.nominations import eligibility, notices, outcomes, queries
from awards.nominations.models import (
    ATTACHMENT_KINDS,
    ROUTE_OF_KIND,
    Attachment,
    Nomination,
    NominationRoute,
    OutsideAnswer,
    OutsideAnswerItem,
)
from awards.nominations.permissions import can_act, can_appraise, can_handle
from awards.nominations.states import DROPPED, EDITABLE, STATUS_LABELS, S, transition
from awards.units import competence
from awards.units import queries as units_queries
from awards.units.services import check_year

MAX_BULK = 200  # dossiers passed in one bulk appraisal
FORBIDDEN = "forbidden"


def _forbid(allowed: bool) -> None:
    if not allowed:
        raise DomainError(_("Bạn không có quyền thực hiện thao tác này."), status=403, code=FORBIDDEN)


def required_attachments(nomination: Nomination) -> set[str]:
    """The report always (CONTRACT); then the award type's required kinds, or for the simplified procedure
    of an ad-hoc award (Law 85) only the proposal and the report."""
    if nomination.kind == "adhoc":
        return {"report", "proposal"}
    return {"report", *catalog.award_type(nomination.award_code).required_attachments}


def create_nomination(*, subject_type, subject_code, award_code, year, kind="regular", summary="", campaign_id=None,
                      route=None, by) -> Nomination:
    """A draft dossier for a person or collective; a unit officer only for their own units. `route`: which of
    the award's routes it takes (default: its kind's, ROUTE_OF_KIND)."""
    check_year(year)
    person, unit = resolve_subject(subject_type, subject_code)
    award = catalog.award_types().get(award_code)  # built-in or an active stored type (issue 25)
    if award is None:
        raise Invalid(_("Không có danh hiệu, hình thức khen thưởng mã “%(c)s”.", c=award_code), field="award_code")
    if not award.for_subject_type(subject_type):
        raise Invalid(_("“%(a)s” không dành cho đối tượng này.", a=award.name), field="award_code")
    if kind not in KINDS:
        raise Invalid(_("Loại khen thưởng phải là thường xuyên, đột xuất hoặc chuyên đề."), field="kind")
    route = route or ROUTE_OF_KIND[kind]
    if NominationRoute.get(route) is None:
        raise Invalid(_("Con đường xét khen thưởng không hợp lệ."), field="route")
    scope = units_queries.scope_unit(by)
    if not (by.is_manager or units_queries.may_write_people_in(by, unit)) or (
            scope is not None and unit.id not in units_queries.subtree_ids(scope.id)):
        raise DomainError(_("Bạn chỉ lập hồ sơ cho cá nhân, tập thể thuộc đơn vị mình."), status=403,
                          code=FORBIDDEN)
    campaign = _campaign(campaign_id, award_code, unit)
    _refuse_duplicate(subject_type, subject_code, award_code, year)
    nomination = Nomination(campaign=campaign, subject_type=subject_type, person=person, unit=unit,
                            subject_code=subject_code, award_code=award_code, year=year, kind=kind, route=route,
                            summary=(summary or "").strip(), status="draft", created_by_id=by.id,
                            handling_unit=unit.awarding_unit)  # its level's secretariat (CONTRACT §5)
    db.session.add(nomination)
    db.session.flush()
    audit.record("nomination.create", nomination, by=by, after={"subject": subject_code, "award": award_code,
                                                                "year": year, "kind": kind, "route": route})
    return nomination


def create_for_campaign(campaign, people: list, award_code: str, *, by) -> list[Nomination]:
    """The year-end dossiers of a campaign's registered people, all or none: a refused one names its person."""
    kind = "thematic" if campaign.kind == "thematic" else "regular"
    made = []
    for person in people:
        try:
            made.append(create_nomination(subject_type="person", subject_code=person.code, award_code=award_code,
                                          year=campaign.year, kind=kind, campaign_id=campaign.id, by=by))
        except DomainError as exc:
            raise DomainError(_("Không lập hồ sơ nào: dòng %(name)s (%(code)s) bị từ chối — %(m)s",
                                name=person.full_name, code=person.code, m=exc.message),
                              status=exc.status, code=exc.code) from exc
    return made


def _campaign(campaign_id, award_code, unit):
    if campaign_id is None:
        return None
    campaign = campaign_queries.campaign_by_id(campaign_id)
    if campaign is None or campaign.status == "draft":
        raise Invalid(_("Không có phong trào số %(i)s.", i=campaign_id), field="campaign_id")
    if award_code not in campaign.award_codes:
        raise Invalid(_("Phong trào này không xét “%(a)s”.", a=catalog.award_name(award_code)), field="award_code")
    if unit.id != campaign.organizer_unit_id and not campaign_queries.in_campaign_scope(campaign, unit):
        raise Invalid(_("Đối tượng không thuộc phạm vi phong trào."), field="campaign_id")
    return campaign


def _refuse_duplicate(subject_type, subject_code, award_code, year) -> None:
    """One live dossier per subject, award and year (a withdrawn or refused one does not count)."""
    existing = db.session.scalar(select(Nomination).where(
        Nomination.subject_type == subject_type, Nomination.subject_code == subject_code,
        Nomination.award_code == award_code, Nomination.year == year,
        Nomination.status.not_in(DROPPED)).limit(1))
    if existing is not None:
        raise DomainError(_("Đã có hồ sơ đề nghị #%(i)s cho đối tượng, danh hiệu và năm này.", i=existing.id),
                          code="duplicate")


def add_attachment(nomination: Nomination, *, data: bytes, filename: str, kind: str, by) -> Attachment:
    """A file in the dossier, while it can be edited; its type is decided by its content."""
    _forbid(can_act(by, nomination))
    if kind not in ATTACHMENT_KINDS:
        raise Invalid(_("Loại tài liệu phải là một trong: %(k)s.", k=", ".join(ATTACHMENT_KINDS)), field="kind")
    if nomination.status not in EDITABLE:
        raise DomainError(_("Hồ sơ đã nộp, không bổ sung tài liệu được (trừ khi được trả lại)."), code="wrong_state")
    upload = uploads.store(data, filename, allowed=uploads.DOCUMENTS, by=by)
    attachment = Attachment(nomination=nomination, upload=upload, kind=kind, created_by_id=getattr(by, "id", None))
    db.session.add(attachment)
    db.session.flush()
    audit.record("nomination.attach", nomination, by=by, after={"kind": kind, "sha256": upload.sha256,
                                                                "name": upload.original_name})
    return attachment


def submit(nomination: Nomination, *, by) -> None:
    """Send the dossier to the secretariat: every required attachment must be there."""
    _forbid(can_act(by, nomination))
    if nomination.status not in EDITABLE:  # a level above receives a dossier by forward(), never by submit
        _refuse_wrong_state(nomination, "submitted")
    missing = required_attachments(nomination) - {a.kind for a in nomination.attachments}
    if missing and nomination.status in EDITABLE:
        raise DomainError(_("Hồ sơ còn thiếu: %(k)s.", k=", ".join(str(ATTACHMENT_LABELS[k]) for k in sorted(missing))),
                          code="incomplete_dossier")
    transition(nomination, "submitted", by=by)
    nomination.submitted_at = utcnow()
    db.session.flush()
    outcomes.refresh_outcomes([nomination])  # the queue's outcome and clock at once


def return_for_supplement(nomination: Nomination, *, reason: str, by) -> None:
    """Send the dossier back to its unit with what to add; the unit's officers are told. From the appraisal
    desk only: a dossier under public review goes back through its feedback case (announcements)."""
    _forbid(can_handle(by, nomination))
    if nomination.status != S.submitted:
        raise DomainError(_("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.",
                            a=STATUS_LABELS[nomination.status], b=STATUS_LABELS["returned"]), code="wrong_state")
    transition(nomination, "returned", by=by, note=reason)  # the unit's officers are told (nominations.notices)
    db.session.flush()
    outcomes.refresh_outcomes([nomination])


def appraise(nomination: Nomination, *, result: str, note: str, by, refresh: bool = True) -> None:
    """Appraisal: pass (appraised, once every checklist line is green or overridden in writing) or fail
    (rejected, with the reason the unit reads). The queue's stored outcome is refreshed at once (unless the
    caller refreshes a batch: `refresh=False`)."""
    _forbid(can_handle(by, nomination))
    if result not in ("pass", "fail"):
        raise Invalid(_("Kết quả thẩm định phải là đạt (pass) hoặc không đạt (fail)."), field="result")
    if nomination.status != S.submitted:  # the table lets feedback reject later; appraisal is of the submission
        raise DomainError(_("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.",
                            a=STATUS_LABELS[nomination.status], b=STATUS_LABELS["appraised"]), code="wrong_state")
    if result == "pass":
        eligibility.ensure_can_pass(nomination)
    transition(nomination, "appraised" if result == "pass" else "rejected", by=by, note=note)
    db.session.flush()
    if refresh:
        outcomes.refresh_outcomes([nomination])


def appraise_many(ids: list[int], *, note: str, by) -> int:
    """Pass several dossiers at once, all or none: each one submitted, its checklist all green. Returns how many."""
    _forbid(can_appraise(by))
    if not ids:
        raise Invalid(_("Chưa chọn hồ sơ nào."), field="ids")
    if len(ids) > MAX_BULK:
        raise Invalid(_("Mỗi lần chỉ thẩm định tối đa %(n)s hồ sơ.", n=MAX_BULK), field="ids")
    nominations = queries.nominations_by_ids(ids)
    _forbid(all(can_handle(by, nomination) for nomination in nominations))
    problems = eligibility.bulk_blockers(nominations)
    if problems:
        raise DomainError(_("Không thẩm định hồ sơ nào: %(p)s.", p="; ".join(problems)), code="not_eligible")
    for nomination in nominations:
        appraise(nomination, result="pass", note=note, by=by, refresh=False)
    outcomes.refresh_outcomes(nominations)  # one batch for all
    return len(nominations)


def withdraw(nomination: Nomination, *, reason: str, by) -> None:
    """The unit (or staff) takes the dossier back, with a reason, at any step before the award."""
    _forbid(can_act(by, nomination))
    transition(nomination, "withdrawn", by=by, note=reason)
    db.session.flush()
    outcomes.refresh_outcomes([nomination])  # off the queue: its clock only


OUTCOMES = ("awarded", "not_awarded")
ANSWER_FILES = ("pdf", "png", "jpeg")  # the decision's file: a PDF or a scanned/photographed page


def _refuse_wrong_state(nomination: Nomination, target: str) -> None:
    raise DomainError(_("Hồ sơ đang ở trạng thái “%(a)s”, không thể chuyển sang “%(b)s”.",
                        a=STATUS_LABELS[nomination.status], b=STATUS_LABELS[target]), code="wrong_state")


def forward(nomination: Nomination, *, note: str = "", by, refresh: bool = True) -> Nomination:
    """Propose the dossier upward (đề nghị cấp trên khen thưởng, issue 18, CONTRACT §5): the secretariat of the
    level handling it, once its council passed it (and its listing is over with every case resolved), or once
    appraised for an award with no vote, when that level does not decide the award. It moves to the next awarding
    unit above, which appraises it (`submitted` there, its clock restarting), or — no awarding unit above in the
    system — to the authority outside (`forwarded`). Its history, documents and vote results stay with it.
    The gate is queries.forward_refusal, which the "Trình cấp trên" page lists by."""
    _forbid(can_handle(by, nomination))
    refusal = queries.forward_refusal(nomination)
    if refusal is not None:
        code, message = refusal
        raise DomainError(message, code=code)
    award = catalog.award_type(nomination.award_code)
    above = queries.next_level(nomination)
    target = S.submitted if above is not None else S.forwarded
    to = above.name if above is not None else (competence.level_outside(nomination.award_code) or award.decided_by)
    note = (note or "").strip() or _("Trình %(u)s", u=to)
    notices.moved(nomination, "forwarded", note=note, by=by)  # the unit that proposed is told (before the next
    # level's task notice, which telling would mark done)
    if above is not None:
        # the next level's secretariat appraises it; the step is taken there
        nomination.handling_unit_id, nomination.handling_unit = above.id, above
        transition(nomination, target, by=by, note=note)
        nomination.submitted_at = utcnow()  # its processing clock starts at the new level
    else:
        transition(nomination, target, by=by, note=note)
    db.session.flush()
    audit.record("nomination.forward", nomination, by=by,
                 after={"to": above.code if above is not None else "outside", "note": note})
    if refresh:  # at the next level's queue at once (or off the queue)
        outcomes.refresh_outcomes([nomination])
    return nomination


def forward_many(ids: list[int], *, note: str = "", by) -> list[Nomination]:
    """A batch proposal (one tờ trình and list for all, nominations.documents), all or none: each is forwarded as
    forward() would, the first refusal names its dossier."""
    _forbid(can_appraise(by))
    if not ids:
        raise Invalid(_("Chưa chọn hồ sơ nào."), field="ids")
    if len(ids) > MAX_BULK:
        raise Invalid(_("Mỗi lần trình tối đa %(n)s hồ sơ.", n=MAX_BULK), field="ids")
    nominations = queries.nominations_by_ids(ids)
    _forbid(all(can_handle(by, nomination) for nomination in nominations))
    for nomination in nominations:
        try:
            forward(nomination, note=note, by=by, refresh=False)
        except DomainError as exc:
            raise DomainError(_("Không trình hồ sơ nào: hồ sơ #%(i)s — %(m)s", i=nomination.id, m=exc.message),
                              status=exc.status, code=exc.code) from exc
    outcomes.refresh_outcomes(nominations)
    return nominations


def _new_answer(result: str, decision_number: str, decision_date: date | None, issuer: str, reason: str,
                file: bytes | None, filename: str, by) -> OutsideAnswer:
    """The answer as it came back, checked (an award needs its decision's number, date and issuer; a refusal its
    reason), its file stored once by content (PDF or image)."""
    number, issuer, reason = (decision_number or "").strip(), (issuer or "").strip(), (reason or "").strip()
    if result == "awarded":
        for field, value in (("decision_number", number), ("decision_date", decision_date), ("issuer", issuer)):
            if not value:
                raise Invalid(_("Trường này là bắt buộc."), field=field)
    elif not reason:
        raise Invalid(_("Cần ghi lý do."), field="reason")
    upload = uploads.store(file, filename, allowed=ANSWER_FILES, by=by) if file is not None else None
    answer = OutsideAnswer(result=result, decision_number=number, decision_date=decision_date, issuer=issuer,
                           reason=reason, upload=upload, created_by_id=getattr(by, "id", None))
    db.session.add(answer)
    db.session.flush()
    return answer


def _apply_answer(nomination: Nomination, answer: OutsideAnswer, *, by):
    """One dossier's share of the answer: `awarded` enters the archive under the issuer's decision (the
    achievement period of the dossier's checklist); `not_awarded` keeps the reason in its history."""
    record = None
    if answer.result == "awarded":
        checklist = eligibility.checklists_of([nomination]).get(nomination.id)
        period = getattr(checklist, "period", None)
        record = record_award(subject_type=nomination.subject_type, subject_code=nomination.subject_code,
                              award_code=nomination.award_code, year=nomination.year,
                              decision_number=answer.decision_number, decision_date=answer.decision_date,
                              issuer=answer.issuer, kind=nomination.kind, source="decided", by=by,
                              **({"period_from": period[0], "period_to": period[1]} if period else {}))
        note = _("Quyết định số %(n)s ngày %(d)s của %(i)s", n=answer.decision_number,
                 d=answer.decision_date.strftime("%d/%m/%Y"), i=answer.issuer)
        transition(nomination, "awarded", by=by, note=note)
        cache.bump(cache.RESULTS)  # the public results show it at once
    else:
        note = answer.reason
        if answer.decision_number:
            note = _("%(r)s (văn bản số %(n)s)", r=note, n=answer.decision_number)
        transition(nomination, "not_awarded", by=by, note=note)
    db.session.add(OutsideAnswerItem(answer=answer, nomination_id=nomination.id, record=record))
    notices.moved(nomination, "answered", note=note, by=by)  # the unit that proposed is told
    db.session.flush()
    audit.record("nomination.outcome", nomination, by=by, after={
        "result": answer.result, "decision": answer.decision_number, "issuer": answer.issuer,
        "file": answer.upload.sha256 if answer.upload is not None else None})
    return record


def _check_answerable(nomination: Nomination, result: str) -> None:
    if result not in OUTCOMES:
        raise Invalid(_("Kết quả phải là được khen thưởng (awarded) hoặc không được khen thưởng (not_awarded)."),
                      field="result")
    if nomination.status != S.forwarded:
        _refuse_wrong_state(nomination, result)


def record_outcome(nomination: Nomination, *, result: str, decision_number: str = "",
                   decision_date: date | None = None, issuer: str = "", reason: str = "", file: bytes | None = None,
                   filename: str = "", by):
    """The answer of the authority outside to a `forwarded` dossier, with the decision's file if given: `awarded`
    enters the archive under that issuer's decision and sets the dossier awarded; `not_awarded` keeps the reason in
    its history. The unit that proposed is told."""
    _forbid(can_handle(by, nomination))
    _check_answerable(nomination, result)
    answer = _new_answer(result, decision_number, decision_date, issuer, reason, file, filename, by)
    return _apply_answer(nomination, answer, by=by)


def record_outcomes(ids: list[int], *, result: str, decision_number: str = "", decision_date: date | None = None,
                    issuer: str = "", reason: str = "", file: bytes | None = None, filename: str = "",
                    by) -> list[Nomination]:
    """One answer covering many dossiers (one decision for 40 people), recorded once — one answer, one stored
    file, linked to each dossier: all or none."""
    _forbid(can_appraise(by))
    if not ids or len(set(ids)) != len(ids):
        raise Invalid(_("Chọn ít nhất một hồ sơ, mỗi hồ sơ một lần."), field="nomination_ids")
    if len(ids) > MAX_BULK:
        raise Invalid(_("Mỗi lần ghi tối đa %(n)s hồ sơ.", n=MAX_BULK), field="nomination_ids")
    nominations = queries.nominations_by_ids(ids)
    _forbid(all(can_handle(by, nomination) for nomination in nominations))
    for nomination in nominations:
        try:
            _check_answerable(nomination, result)
        except DomainError as exc:
            if exc.status == 400:
                raise
            raise DomainError(_("Không ghi kết quả cho hồ sơ nào: hồ sơ #%(i)s — %(m)s", i=nomination.id,
                                m=exc.message), status=exc.status, code=exc.code) from exc
    answer = _new_answer(result, decision_number, decision_date, issuer, reason, file, filename, by)
    for nomination in nominations:
        try:
            _apply_answer(nomination, answer, by=by)
        except DomainError as exc:
            if exc.status == 400:
                raise
            raise DomainError(_("Không ghi kết quả cho hồ sơ nào: hồ sơ #%(i)s — %(m)s", i=nomination.id,
                                m=exc.message), status=exc.status, code=exc.code) from exc
    return nominations
