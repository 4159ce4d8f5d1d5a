"""The public archive search (no login): published awards only, nothing private."""

from flask import render_template, request

from awards.archive.blueprint import public_bp as bp
from awards.archive.queries import search_stmt
from awards.catalog import services as catalog
from awards.core.forms import CappedPage
from awards.core.params import int_arg, page_arg
from awards.extensions import limiter
from awards.units import picker
from awards.units import queries as units_queries

PER_PAGE = 50


@bp.get("/archive")
@limiter.limit("120 per minute")
def search():
    q = request.args.get("q", "").strip()[:100]
    award = request.args.get("award", "").strip()
    award = award if award and catalog.known_award(award) else ""  # no query without a filter
    year = int_arg("year")
    unit = picker.code_of(request.args.get("unit", "")[:300])[:40]  # a code, or "Name (CODE)" from the suggestions
    stmt = search_stmt(q=q, award_code=award or None, year=year, unit_code=unit or None, include_revoked=False,
                       published_only=True, sort="year_desc", capped=True)
    page = page_arg()
    results = CappedPage(stmt, page=page, per_page=PER_PAGE)
    args = {k: v for k, v in (("q", q), ("award", award), ("year", year), ("unit", unit)) if v}
    chosen = units_queries.unit_by_code(unit) if unit else None
    return render_template("archive/public.html", page=results, q=q, award=award, year=year, unit=unit,
                           chosen=chosen, args=args, awards=catalog.award_types(inactive=True).values(),
                           award_names=catalog.award_names())
