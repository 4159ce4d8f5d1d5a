"""The public honour board (bảng vinh danh, no login): advanced examples that have been replicated, from
campaigns that are not drafts. Name, unit, campaign, title, story and photo only: nothing private."""

from flask import abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awards.campaigns.models import AdvancedExample, Campaign, ExampleStage
from awards.campaigns.public import bp
from awards.core.images import send_photo
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


@bp.get("/honour-board")
@limiter.limit("120 per minute")
def honour_board():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    results = db.paginate(_board_stmt(), page=page, per_page=PER_PAGE, error_out=False)
    return render_template("campaigns/honour_board.html", page=results, replicated_on=replicated_on)


@bp.get("/honour-board/<int:example_id>/photo")
@limiter.limit("600 per minute")
def honour_photo(example_id):
    example = on_board(example_id) or abort(404)
    return send_photo(example.photo, public=True)
