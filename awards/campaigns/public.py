"""Public campaign pages (no login): launched and closed campaigns, their launch document, and their results
(published, non-revoked awards of the campaign's year within the organizer's units). Nothing private."""

from flask import abort, render_template

from awards.archive.models import AwardRecord
from awards.archive.queries import search_stmt
from awards.campaigns import queries
from awards.campaigns.blueprint import public_bp as bp
from awards.campaigns.permissions import is_public
from awards.catalog import services as catalog
from awards.core import uploads
from awards.core.params import page_arg
from awards.extensions import db, limiter

PER_PAGE = 20
RESULTS_PER_PAGE = 50


def _public_campaign(campaign_id: int):
    campaign = queries.campaign_by_id(campaign_id)
    if campaign is None or not is_public(campaign):
        abort(404)
    return campaign


@bp.get("/campaigns")
@limiter.limit("120 per minute")
def index():
    page = db.paginate(queries.campaigns_stmt(public_only=True), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("campaigns/public_index.html", page=page)


@bp.get("/campaigns/<int:campaign_id>")
@limiter.limit("120 per minute")
def detail(campaign_id):
    campaign = _public_campaign(campaign_id)
    stmt = search_stmt(year=campaign.year, unit_code=campaign.organizer.code, include_revoked=False,
                       published_only=True, sort="name").where(AwardRecord.award_code.in_(campaign.award_codes or []))
    results = db.paginate(stmt, page=page_arg(), per_page=RESULTS_PER_PAGE,
                          error_out=False)
    return render_template("campaigns/public.html", campaign=campaign, page=results,
                           award_names=catalog.award_names())


@bp.get("/campaigns/<int:campaign_id>/launch-document")
@limiter.limit("60 per minute")
def launch_document(campaign_id):
    campaign = _public_campaign(campaign_id)
    if campaign.launch_document is None:
        abort(404)
    return uploads.download(campaign.launch_document)
