"""The public side of public review and results (no login): the lists open for comment with a feedback form,
the award decisions and their recipients, and an Atom feed of decisions. Only what `queries.nominee` shows of a
nominee (name, unit, award, summary); revoked or unpublished awards are left out of the results."""

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

from flask import Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import case, event, extract, func, null, select, union_all
from sqlalchemy.orm import Session, aliased
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from awards.announcements import queries, services
from awards.announcements.api import FEEDBACK_LIMIT, FEEDBACK_SCOPE
from awards.announcements.blueprint import public_bp as bp
from awards.announcements.models import Announcement, AnnouncementItem, Decision, DecisionItem
from awards.archive.models import AwardRecord
from awards.auth import signin
from awards.campaigns.models import Campaign
from awards.catalog import services as catalog
from awards.core import cache, clock
from awards.core.db import DomainError, utcnow
from awards.core.forms import REQUIRED, refuse
from awards.core.params import int_arg, page_arg
from awards.core.text import matches_word_start
from awards.core.web import public_url, select_locale
from awards.extensions import db, limiter
from awards.nominations.models import Nomination, OutsideAnswer, OutsideAnswerItem
from awards.units import queries as units_queries
from awards.units.models import Unit

LIST_PER_PAGE = 20
RESULTS_PER_PAGE = 50
FEED_SIZE = 50
PAGE_LIMIT = "120 per minute"
ATOM = "http://www.w3.org/2005/Atom"
SENT_KEY = "feedback_sent"  # the session remembers the last reference, so a reload shows it again
CACHE_TTL = 60  # seconds a rendered list, results page, decision or feed is served again (README bench F8)

PICK = _l("Chọn người được đề nghị mà bạn góp ý.")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s.()-]+$")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _clean(value):
    """Strip, and count a line break as one character, as the browser's maxlength does."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _max(field: str) -> Length:
    return Length(max=services.LIMITS[field], message=_l("Tối đa %(n)s ký tự.", n=_thousands(services.LIMITS[field])))


def _phone_or_email(form, field):
    value = field.data or ""
    digits = sum(ch.isdigit() for ch in value)
    if _EMAIL.match(value) or (_PHONE.match(value) and 8 <= digits <= 15):
        return
    raise ValidationError(_("Nhập số điện thoại (ví dụ 0912 345 678) hoặc địa chỉ email để cơ quan có thể liên hệ "
                            "lại với bạn."))


class FeedbackForm(FlaskForm):
    """The same fields as POST /api/v1/public/announcements/<id>/feedback, plus the honeypot `website`."""

    nomination_id = SelectField(_l("Góp ý về"), choices=[], validators=[DataRequired(PICK)],
                                invalid_choice_message=PICK)
    name = StringField(_l("Họ và tên của bạn"), filters=[_clean], validators=[DataRequired(REQUIRED), _max("name")],
                       render_kw={"autocomplete": "name", "maxlength": services.LIMITS["name"]})
    contact = StringField(_l("Số điện thoại hoặc email"), filters=[_clean],
                          validators=[DataRequired(REQUIRED), _max("contact"), _phone_or_email],
                          description=_l("Để cơ quan thường trực liên hệ lại khi cần xác minh; không công khai."),
                          render_kw={"autocomplete": "tel", "maxlength": services.LIMITS["contact"]})
    content = TextAreaField(_l("Nội dung ý kiến"), filters=[_clean],
                            validators=[DataRequired(REQUIRED), _max("content")],
                            description=_l("Tối đa %(n)s ký tự. Nêu rõ sự việc, thời gian, địa điểm để có thể "
                                           "xác minh.", n=_thousands(services.LIMITS["content"])),
                            render_kw={"rows": 8, "maxlength": services.LIMITS["content"]})
    # the honeypot: people never see it (a CSS class moves it off screen), robots fill it
    website = StringField(_l("Trang web (để trống)"), default="",
                          render_kw={"autocomplete": "off", "tabindex": "-1", "aria-hidden": "true"})


def _announcement(announcement_id: int) -> Announcement:
    return queries.announcement_by_id(announcement_id) or abort(404)


def _feedback_form(announcement: Announcement, nominees: list[dict]) -> FeedbackForm:
    form = FeedbackForm()
    form.nomination_id.choices = [("", _("— Chọn người được đề nghị —"))] + [
        (str(n["nomination_id"]), f"{n['subject_name']} – {n['award_name']} ({n['unit_name']})") for n in nominees]
    if not form.is_submitted():
        wanted = int_arg("nominee")
        if len(nominees) == 1:
            form.nomination_id.data = str(nominees[0]["nomination_id"])
        elif wanted in {n["nomination_id"] for n in nominees}:
            form.nomination_id.data = str(wanted)
    return form


def _render_announcement(announcement: Announcement, nominees: list[dict], form: FeedbackForm | None, status=200):
    return render_template("announcements/public_announcement.html", announcement=announcement,
                           nominees=nominees, form=form, limit=_thousands(services.LIMITS["content"])), status


# --- cached pages ------------------------------------------------------------------------------------------------
# Only the page's own blocks (title, head, content) are cached: base.html around them is rendered per request, as
# it shows the signed-in user's menu, the flashed messages and the language form's CSRF token. The blocks of these
# pages show nothing of the visitor and carry no form with a token (the feedback form's page is not cached).

BLOCKS = ("title", "head", "content")


def _blocks(template_name: str, **context) -> dict[str, str]:
    """The template's own blocks rendered alone (their imports must be inside the block)."""
    template = current_app.jinja_env.get_template(template_name)
    current_app.update_template_context(context)
    ctx = template.new_context(context)
    return {name: "".join(template.blocks[name](ctx)) for name in BLOCKS if name in template.blocks}


def _key(*parts) -> tuple:
    """The URL as asked (host, path, the whole query string) and the language of the page (the code Babel's
    selector picks, without building Babel's Locale for it)."""
    return (request.host, request.path, request.query_string.decode("latin-1"), select_locale(), *parts)


def _cached_html(build, *, key=(), versions=(cache.RESULTS,)):
    """The page from its cached blocks. An anonymous visitor with no message waiting gets the whole page from the
    cache (base.html shows them nothing of their own), the same bytes for every such visitor: its language form
    carries no CSRF token (core/web.py `check_language_post` checks that form by its origin instead), so the
    visit creates no session and sets no cookie, and costs no template, no copy of the page, no user loaded and no
    token signed (issue 21). The page has an ETag: a browser revalidating it gets a 304 without the body."""
    enabled = cache.enabled()
    anonymous = signin.is_visitor() or not current_user.is_authenticated
    if anonymous and enabled and not session.get("_flashes"):
        def whole_page():
            blocks = cache.cached_page(_key(*key), build, ttl=CACHE_TTL, versions=versions)
            return {"html": _page(blocks, csrf_token=lambda: "")} if blocks else {}

        page = cache.cached_page(_key("anonymous", *key), whole_page, ttl=CACHE_TTL, versions=versions,
                                 prepare=_ready_to_send)
        if not page:
            abort(404)
        body, etag = page
        response = current_app.response_class(body)
        response.set_etag(etag)
        if "HTTP_IF_NONE_MATCH" in request.environ:
            response.make_conditional(request)  # the browser's copy is this page: 304, no body
    else:
        blocks = cache.cached_page(_key(*key), build, ttl=CACHE_TTL, versions=versions)
        if not blocks:
            abort(404)
        response = current_app.make_response(_page(blocks))
    if enabled and anonymous:
        # not `public`: the language comes from the session cookie, which a shared cache may not key on; the
        # browser may keep the page (Flask adds Vary: Cookie)
        response.headers["Cache-Control"] = f"private, max-age={CACHE_TTL}"
    return response


def _ready_to_send(page: dict) -> tuple[bytes, str] | tuple:
    """The anonymous page as the bytes sent and their ETag (a digest of them, so every process and every build of
    the same page gives the same one), or () for a page that does not exist."""
    if not page:
        return ()
    body = page["html"].encode()
    return body, hashlib.sha256(body).hexdigest()[:32]


def _page(blocks: dict[str, str], **context) -> str:
    return render_template("announcements/public_cached.html", **context,
                           **{name: Markup(blocks.get(name, "")) for name in BLOCKS})


@event.listens_for(Session, "before_flush")
def _announcements_changed(session, flush_context, instances):
    """A list published, changed or removed, or a nominee taken off it: the cached lists are out of date."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(o, Announcement | AnnouncementItem) for o in changed) and not session.info.get("bumping"):
        session.info["bumping"] = True
        try:
            cache.bump(cache.ANNOUNCEMENTS)
        finally:
            session.info.pop("bumping", None)


# --- public review lists ---------------------------------------------------------------------------------------

@bp.get("/announcements")
@limiter.limit(PAGE_LIMIT)
def index():
    """Every list, the ones open for comment first, then the coming ones, then the closed ones."""
    today = clock.today()
    return _cached_html(lambda: _index_blocks(today), key=(today.isoformat(),), versions=(cache.ANNOUNCEMENTS,))


def _index_blocks(today: date) -> dict[str, str]:
    phase = case((Announcement.opens_on > today, 1), (Announcement.closes_on < today, 2), else_=0)
    stmt = select(Announcement).order_by(phase, Announcement.closes_on.desc(), Announcement.id.desc())
    page = db.paginate(stmt, page=page_arg(), per_page=LIST_PER_PAGE,
                       error_out=False)
    ids = [a.id for a in page.items]
    counts = dict(db.session.execute(select(AnnouncementItem.announcement_id, func.count())
                                     .where(AnnouncementItem.announcement_id.in_(ids))
                                     .group_by(AnnouncementItem.announcement_id)).all()) if ids else {}
    return _blocks("announcements/public_index.html", page=page, counts=counts)


@bp.get("/announcements/<int:announcement_id>")
@limiter.limit(PAGE_LIMIT)
def announcement(announcement_id):
    item = _announcement(announcement_id)
    nominees = [queries.nominee(i.nomination) for i in item.items]
    form = _feedback_form(item, nominees) if item.phase == "open" else None
    return _render_announcement(item, nominees, form)


@bp.post("/announcements/<int:announcement_id>/feedback")
@limiter.shared_limit(FEEDBACK_LIMIT, scope=FEEDBACK_SCOPE)  # one count with the JSON endpoint, every attempt
def send_feedback(announcement_id):
    item = _announcement(announcement_id)
    nominees = [queries.nominee(i.nomination) for i in item.items]
    if item.phase != "open":
        return _render_announcement(item, nominees, None, status=409)
    form = _feedback_form(item, nominees)
    if not form.validate_on_submit():
        return _render_announcement(item, nominees, form, status=400)
    try:
        feedback = services.submit_feedback(item, nomination_id=int(form.nomination_id.data), name=form.name.data,
                                            contact=form.contact.data, content=form.content.data,
                                            honeypot=form.website.data or "")
    except DomainError as exc:
        if exc.field == "website":  # a robot: say no more than the API does
            db.session.rollback()
            form.form_errors.append(exc.message)
            return _render_announcement(item, nominees, form, status=exc.status)
        status = refuse(form, exc)
        return _render_announcement(item, nominees, form, status=status)
    db.session.commit()
    session[SENT_KEY] = {"announcement_id": item.id, "reference": feedback.reference}
    return redirect(url_for(".feedback_sent", announcement_id=item.id), 303)


@bp.get("/announcements/<int:announcement_id>/feedback/sent")
@limiter.limit(PAGE_LIMIT)
def feedback_sent(announcement_id):
    sent = session.get(SENT_KEY) or {}
    if sent.get("announcement_id") != announcement_id:
        return redirect(url_for(".announcement", announcement_id=announcement_id))
    return render_template("announcements/public_feedback_sent.html", announcement=_announcement(announcement_id),
                           reference=sent["reference"])


@bp.errorhandler(429)
def _too_many(exc):
    """A friendly refusal; what the citizen wrote is shown back so it is not lost."""
    content = request.form.get("content", "")[:services.LIMITS["content"]] if request.method == "POST" else ""
    announcement_id = (request.view_args or {}).get("announcement_id")
    return render_template("announcements/public_429.html", content=content, announcement_id=announcement_id,
                           feedback=request.method == "POST"), 429


# --- results: decisions and their recipients -------------------------------------------------------------------

class RowsPage(Pagination):
    """One page of a multi-column select (db.paginate keeps only the first column)."""

    def _query_items(self):
        stmt = self._query_args["select"]
        return db.session.execute(stmt.limit(self.per_page).offset(self._query_offset)).all()

    def _query_count(self):
        """The rows' count, cached per filters (the `count_key`) rather than per page: every page of the same
        results shows the same total, and counting reads every row the filters keep (~0.4 s at province scale on
        SQLite, half of building a page: page 2 no longer pays it again, issue 21)."""
        stmt = self._query_args["select"]

        def count() -> str:
            return str(db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())))

        key = self._query_args.get("count_key")
        return int(count() if key is None else cache.cached_page(key, count, ttl=CACHE_TTL))


def recipients_stmt():
    """Every recipient of every decision as plain rows (no query per row), awards since revoked or unpublished
    left out; the name, unit and award as the archive recorded them."""
    return (select(Decision.id.label("decision_id"), Decision.number, Decision.signed_on, Decision.issuer,
                   DecisionItem.position, AwardRecord.gold_book_number, AwardRecord.subject_type,
                   AwardRecord.subject_name, AwardRecord.award_code, AwardRecord.year, Unit.name.label("unit_name"),
                   null().label("answer_id"))
            .select_from(DecisionItem)
            .join(Decision, Decision.id == DecisionItem.decision_id)
            .join(AwardRecord, AwardRecord.id == DecisionItem.record_id)
            .join(Unit, Unit.id == AwardRecord.unit_id)
            .where(~AwardRecord.revoked, AwardRecord.published))


def outside_stmt():
    """The awards decided outside the system (the province, the centre) whose answer the secretariat recorded
    (issue 18), as rows like recipients_stmt's: the outside decision's number, date and issuer."""
    return (select(null().label("decision_id"), OutsideAnswer.decision_number.label("number"),
                   OutsideAnswer.decision_date.label("signed_on"), OutsideAnswer.issuer,
                   OutsideAnswerItem.id.label("position"), AwardRecord.gold_book_number, AwardRecord.subject_type,
                   AwardRecord.subject_name, AwardRecord.award_code, AwardRecord.year, Unit.name.label("unit_name"),
                   OutsideAnswer.id.label("answer_id"))
            .select_from(OutsideAnswerItem)
            .join(OutsideAnswer, OutsideAnswer.id == OutsideAnswerItem.answer_id)
            .join(AwardRecord, AwardRecord.id == OutsideAnswerItem.record_id)
            .join(Unit, Unit.id == AwardRecord.unit_id)
            .where(~AwardRecord.revoked, AwardRecord.published))


def _filters():
    """The results page's filters from the query string, each checked; unknown values are dropped."""
    year = int_arg("year")
    award = request.args.get("award", "").strip()
    return {"q": request.args.get("q", "").strip()[:100],
            "year": year if year and 1945 <= year <= 2100 else None,
            "campaign": int_arg("campaign"),
            "unit": request.args.get("unit", "").strip()[:100],
            "award": award if award and catalog.known_award(award) else ""}


def _filtered(stmt, f: dict, signed_on=Decision.signed_on, nomination_id=DecisionItem.nomination_id):
    if f["year"]:
        stmt = stmt.where(signed_on >= date(f["year"], 1, 1), signed_on < date(f["year"] + 1, 1, 1))
    if f["campaign"]:
        stmt = stmt.join(Nomination, Nomination.id == nomination_id).where(Nomination.campaign_id == f["campaign"])
    if f["unit"]:
        stmt = stmt.where(AwardRecord.unit_id.in_(_units_named(f["unit"])))
    if f["award"]:
        stmt = stmt.where(AwardRecord.award_code == f["award"])
    if f["q"]:
        stmt = stmt.where(matches_word_start(AwardRecord.name_folded, f["q"]))
    return stmt


@bp.get("/results")
@limiter.limit(PAGE_LIMIT)
def results():
    return _cached_html(_results_blocks)


def _units_named(text: str) -> list[int]:
    """The units a reader means by `text`: those whose name has a word starting with it (without diacritics:
    "da khoa" finds "Bệnh viện Đa khoa tỉnh"), or the unit of that code; each with the units below it."""
    unit = units_queries.unit_by_code(text)
    roots = [unit.id] if unit else list(db.session.scalars(
        select(Unit.id).where(matches_word_start(Unit.name_folded, text)).limit(50)))
    found: set[int] = set()
    for root in roots:
        found.update(units_queries.subtree_ids(root))
    return sorted(found)


def top_units() -> list[tuple[str, str]]:
    """The units of the first two levels (the province's departments and districts), for the filter's suggestions;
    a reader types any unit's name (or code), and gets the units below it too."""
    parent = aliased(Unit)
    rows = db.session.execute(select(Unit.code, Unit.name).outerjoin(parent, parent.id == Unit.parent_id)
                              .where(Unit.active, (Unit.parent_id.is_(None)) | (parent.parent_id.is_(None)))
                              .order_by(Unit.name_folded)).all()
    return [(code, name) for code, name in rows]


def _results_blocks() -> dict[str, str]:
    f = _filters()
    outside = _filtered(outside_stmt(), f, OutsideAnswer.decision_date, OutsideAnswerItem.nomination_id)
    both = union_all(_filtered(recipients_stmt(), f), outside).subquery()  # in-system decisions and outside ones
    stmt = select(both).order_by(both.c.signed_on.desc(), both.c.decision_id.desc(), both.c.answer_id.desc(),
                                 both.c.position)
    page = RowsPage(page=page_arg(), per_page=RESULTS_PER_PAGE, max_per_page=RESULTS_PER_PAGE, error_out=False,
                    select=stmt, count_key=("results.count", *sorted((k, str(v)) for k, v in f.items())))
    args = {k: v for k, v in f.items() if v}
    years = sorted({int(y) for y in db.session.scalars(select(extract("year", Decision.signed_on)).distinct())}
                   | {int(y) for y in db.session.scalars(select(extract("year", OutsideAnswer.decision_date)).where(
                       OutsideAnswer.result == "awarded").distinct())}, reverse=True)
    campaigns = db.session.execute(select(Campaign.id, Campaign.title, Campaign.year).where(
        Campaign.status != "draft").order_by(Campaign.year.desc(), Campaign.id.desc())).all()
    return _blocks("announcements/public_results.html", page=page, f=f, args=args, years=years,
                   campaigns=campaigns, units=top_units(), awards=catalog.award_types(inactive=True).values(),
                   name_of=catalog.award_name)


@bp.get("/decisions/<int:decision_id>")
@limiter.limit(PAGE_LIMIT)
def decision(decision_id):
    def build():
        item = queries.decision_by_id(decision_id)
        if item is None:
            return {}  # cached too: an unknown number costs nothing the second time
        rows = db.session.execute(recipients_stmt().where(Decision.id == item.id)
                                  .order_by(DecisionItem.position)).all()
        return _blocks("announcements/public_decision.html", decision=item, rows=rows, name_of=catalog.award_name)

    return _cached_html(build)


# --- Atom feed -----------------------------------------------------------------------------------------------

def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(clock.VIETNAM).isoformat(timespec="seconds")


def _element(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


@bp.get("/decisions.atom")
@limiter.limit(PAGE_LIMIT)
def feed():
    """The latest decisions as Atom 1.0 (RFC 4287); the library escapes every text. The same for everyone (no
    session, no form): a shared cache may keep it for CACHE_TTL seconds."""
    body = cache.cached_page(_key(), _feed_body, ttl=CACHE_TTL)
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    if cache.enabled():
        response.headers["Cache-Control"] = f"public, max-age={CACHE_TTL}"
    return response


def _feed_body() -> str:
    live = (select(DecisionItem.decision_id, func.count().label("n"))
            .join(AwardRecord, AwardRecord.id == DecisionItem.record_id)
            .where(~AwardRecord.revoked, AwardRecord.published)
            .group_by(DecisionItem.decision_id).subquery())
    rows = db.session.execute(select(Decision, func.coalesce(live.c.n, 0))
                              .outerjoin(live, live.c.decision_id == Decision.id)
                              .order_by(Decision.signed_on.desc(), Decision.id.desc()).limit(FEED_SIZE)).all()
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    self_url = public_url(".feed")
    _element(root, "id", self_url)
    _element(root, "title", _("Quyết định khen thưởng"))
    _element(root, "subtitle", _("Các quyết định khen thưởng mới nhất và số người, tập thể được khen thưởng."))
    updated = max((d.created_at for d, _n in rows), default=None) or utcnow()
    _element(root, "updated", _rfc3339(updated))
    _element(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _element(root, "link", rel="alternate", type="text/html", href=public_url(".results"))
    author = _element(root, "author")
    _element(author, "name", _("Hệ thống quản lý thi đua, khen thưởng"))
    for item, count in rows:
        url = public_url(".decision", decision_id=item.id)
        entry = _element(root, "entry")
        _element(entry, "id", url)
        _element(entry, "title", _("Quyết định số %(n)s ngày %(d)s", n=item.number,
                                   d=item.signed_on.strftime("%d/%m/%Y")))
        _element(entry, "updated", _rfc3339(item.created_at))
        _element(entry, "link", rel="alternate", type="text/html", href=url)
        entry_author = _element(entry, "author")
        _element(entry_author, "name", item.issuer)
        _element(entry, "summary", _("%(c)s cá nhân, tập thể được khen thưởng. Cơ quan ban hành: %(i)s.",
                                     c=count, i=item.issuer), type="text")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
