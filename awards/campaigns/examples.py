"""Advanced examples (điển hình tiên tiến, Directive 49): discovered, nurtured, summarised, replicated.

Each service validates, flushes and audits; the caller commits."""

from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from awards.campaigns import queries
from awards.campaigns.models import AdvancedExample, Campaign, ExampleStage
from awards.campaigns.states import EXAMPLE_STAGES, EXAMPLE_TRANSITIONS, transition
from awards.core import audit, clock, uploads
from awards.core.db import Invalid
from awards.core.html import sanitize
from awards.core.images import clean_photo
from awards.extensions import db
from awards.units import queries as units_queries

SUBJECT_TYPES = ("person", "unit")
STORY_FIELDS = ("title", "story_html", "photo_id")


def next_stage(example: AdvancedExample) -> str | None:
    """The one stage an example may move to now (None once replicated)."""
    return next(iter(EXAMPLE_TRANSITIONS.get(example.stage, ())), None)


def _subject(campaign: Campaign, subject_type: str, subject_code: str):
    """(person or None, unit) of the subject, which must exist and lie within the campaign's scope."""
    code = (subject_code or "").strip()
    if subject_type not in SUBJECT_TYPES:
        raise Invalid(_("Loại đối tượng phải là cá nhân hoặc tập thể."), field="subject_type")
    if not code:
        raise Invalid(_("Cần nhập mã cá nhân hoặc mã đơn vị."), field="subject_code")
    if subject_type == "person":
        person = units_queries.person_by_code(code)
        if person is None:
            raise Invalid(_("Không có cá nhân mã “%(c)s”.", c=code), field="subject_code")
        person_, unit = person, person.unit
    else:
        unit = units_queries.unit_by_code(code)
        if unit is None:
            raise Invalid(_("Không có đơn vị mã “%(c)s”.", c=code), field="subject_code")
        person_ = None
    if not queries.in_campaign_scope(campaign, unit):
        raise Invalid(_("“%(c)s” không thuộc phạm vi phong trào (các đơn vị trực thuộc %(o)s).", c=code,
                        o=campaign.organizer.name), field="subject_code")
    return person_, unit


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Cần nhập tên điển hình (thành tích, mô hình)."), field="title")
    if len(title) > 300:
        raise Invalid(_("Tên điển hình tối đa 300 ký tự."), field="title")
    return title


def _check_day(on, field: str = "on", after: date | None = None) -> date:
    if not isinstance(on, date):
        raise Invalid(_("Ngày không hợp lệ."), field=field)
    if on > clock.today():
        raise Invalid(_("Ngày không thể ở tương lai (hôm nay là %(d)s).", d=clock.today().strftime("%d/%m/%Y")),
                      field=field)
    if after is not None and on < after:
        raise Invalid(_("Ngày không thể trước ngày của giai đoạn trước (%(d)s).", d=after.strftime("%d/%m/%Y")),
                      field=field)
    return on


def _store_photo(photo: bytes, photo_name: str, by) -> uploads.Upload:
    data, kind = clean_photo(photo)
    stem = Path(photo_name or "anh").stem or "anh"
    return uploads.store(data, f"{stem}.{uploads.KINDS[kind][1]}", allowed=uploads.IMAGES, by=by)


def create_example(campaign: Campaign, *, subject_type: str, subject_code: str, title: str, story_html: str,
                   on: date, note: str = "", photo: bytes | None = None, photo_name: str = "", by) -> AdvancedExample:
    """Record a newly discovered example: the subject (a person or a unit within the campaign), its story
    (sanitised HTML), an optional photo (cleaned of metadata), and its first stage, “Phát hiện”."""
    person, unit = _subject(campaign, subject_type, subject_code)
    title = _title(title)
    _check_day(on)
    example = AdvancedExample(campaign=campaign, subject_type=subject_type, person=person, unit=unit, title=title,
                              story_html=sanitize(story_html), stage="discovered",
                              created_by_id=getattr(by, "id", None))
    if photo:
        example.photo = _store_photo(photo, photo_name, by)
    db.session.add(example)
    first = ExampleStage(example=example, stage="discovered", on=on, note=(note or "").strip(),
                         created_by_id=getattr(by, "id", None))
    db.session.add(first)
    db.session.flush()
    audit.record("advancedexample.create", example, by=by, after={
        "campaign": campaign.id, "subject_type": subject_type, "subject_code": (subject_code or "").strip(),
        "title": title, "on": on, "note": first.note, "photo_id": example.photo_id})
    return example


def advance_example(example: AdvancedExample, *, to: str, on: date, note: str = "", evidence: bytes | None = None,
                    evidence_name: str = "", by) -> ExampleStage:
    """Move the example one stage forward (a skip or a step back is a 409), dated no earlier than the stage
    before and not in the future, with a note and optional evidence (a document or a picture)."""
    if to not in EXAMPLE_STAGES:
        raise Invalid(_("Giai đoạn không hợp lệ."), field="to")
    previous = max((s.on for s in example.stages), default=None)
    _check_day(on, after=previous)
    note = (note or "").strip()
    transition(example, to, by=by, note=note, field="stage")
    proof = uploads.store(evidence, evidence_name, allowed=uploads.DOCUMENTS, by=by) if evidence else None
    stage = ExampleStage(example=example, stage=to, on=on, note=note, evidence=proof,
                         created_by_id=getattr(by, "id", None))
    db.session.add(stage)
    db.session.flush()
    audit.record("advancedexample.stage", stage, by=by, after={"example": example.id, "stage": to, "on": on,
                                                               "note": note, "evidence_id": stage.evidence_id})
    return stage


def update_story(example: AdvancedExample, *, title: str, story_html: str, photo: bytes | None = None,
                 photo_name: str = "", by) -> AdvancedExample:
    """Change the title and story; a new photo (cleaned) replaces the old one, no photo keeps it."""
    before = audit.snapshot(example, STORY_FIELDS)
    example.title = _title(title)
    example.story_html = sanitize(story_html)
    if photo:
        example.photo = _store_photo(photo, photo_name, by)
    db.session.flush()
    audit.record("advancedexample.update", example, by=by, before=before, after=audit.snapshot(example,
                                                                                               STORY_FIELDS))
    return example


def stage_counts(campaign_id: int) -> dict[str, int]:
    """How many of the campaign's examples stand at each stage (every stage present, zero included)."""
    from sqlalchemy import func, select

    rows = db.session.execute(select(AdvancedExample.stage, func.count()).where(
        AdvancedExample.campaign_id == campaign_id).group_by(AdvancedExample.stage)).all()
    counts = dict.fromkeys(EXAMPLE_STAGES, 0)
    counts.update({stage: n for stage, n in rows})
    return counts


def example_by_id(example_id: int) -> AdvancedExample | None:
    return db.session.get(AdvancedExample, example_id)


def stage_by_id(stage_id: int) -> ExampleStage | None:
    return db.session.get(ExampleStage, stage_id)
