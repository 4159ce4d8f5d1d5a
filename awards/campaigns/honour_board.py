"""The public honour board (bảng vinh danh, no login): advanced examples that have been replicated, from
campaigns that are not drafts. Name, unit, campaign, title, story and photo only: nothing private."""

from flask import abort, render_template
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from awards.archive.models import AwardRecord, Entry
from awards.campaigns.blueprint import public_bp as bp
from awards.campaigns.models import AdvancedExample, Campaign, ExampleStage
from awards.catalog import services as catalog
from awards.core.images import send_photo
from awards.core.params import page_arg
from awards.extensions import db, limiter

PER_PAGE = 24


def _board_stmt():
    """Replicated examples of non-draft campaigns, the most recently replicated first."""
    return (select(AdvancedExample)
            .join(Campaign, Campaign.id == AdvancedExample.campaign_id)
            .join(ExampleStage, (ExampleStage.example_id == AdvancedExample.id)
                  & (ExampleStage.stage == "replicated"))
            .where(AdvancedExample.stage == "replicated", Campaign.status != "draft")
            .options(selectinload(AdvancedExample.stages), selectinload(AdvancedExample.campaign))
            .order_by(ExampleStage.on.desc(), AdvancedExample.id.desc()))


def on_board(example_id: int) -> AdvancedExample | None:
    return db.session.scalar(_board_stmt().where(AdvancedExample.id == example_id).limit(1))


def replicated_on(example: AdvancedExample):
    return next((s.on for s in example.stages if s.stage == "replicated"), None)


def awarded(examples: list[AdvancedExample]) -> dict[int, str]:
    """Examples whose person or collective was awarded (a live, published archive record in the campaign's year
    or later): example id → the latest such award, as "name năm year". One query for the page."""
    if not examples:
        return {}
    people = {e.person_id for e in examples if e.person_id}
    units = {e.unit_id for e in examples if not e.person_id}
    rows = db.session.execute(
        select(AwardRecord.subject_type, AwardRecord.person_id, AwardRecord.unit_id, AwardRecord.award_code,
               AwardRecord.year)
        .where(AwardRecord.entry != Entry.revocation, ~AwardRecord.revoked, ~AwardRecord.superseded,
               AwardRecord.published,
               or_(and_(AwardRecord.subject_type == "person", AwardRecord.person_id.in_(people)),
                   and_(AwardRecord.subject_type == "unit", AwardRecord.unit_id.in_(units))))
        .order_by(AwardRecord.year.desc(), AwardRecord.id.desc())).all()
    result: dict[int, str] = {}
    for example in examples:
        for subject_type, person_id, unit_id, award_code, year in rows:
            mine = (person_id == example.person_id if example.person_id
                    else subject_type == "unit" and unit_id == example.unit_id)
            if mine and year >= example.campaign.year:
                result[example.id] = _("%(a)s năm %(y)s", a=catalog.award_name(award_code), y=year)
                break
    return result


@bp.get("/honour-board")
@limiter.limit("120 per minute")
def honour_board():
    page = page_arg()
    results = db.paginate(_board_stmt(), page=page, per_page=PER_PAGE, error_out=False)
    return render_template("campaigns/honour_board.html", page=results, replicated_on=replicated_on,
                           awarded=awarded(results.items))


@bp.get("/honour-board/<int:example_id>/photo")
@limiter.limit("600 per minute")
def honour_photo(example_id):
    example = on_board(example_id) or abort(404)
    return send_photo(example.photo, public=True)
