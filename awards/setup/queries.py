"""The first-run checklist's lines, in the order the guide (docs/guide/quan-tri.md, "Đưa dữ liệu sẵn có vào hệ
thống") loads a Department: units → people → ratings → disciplines and initiatives → past awards, then accounts,
mail, the catalogue and the calendar. A leaf: it reads every feature's tables, nothing imports it.

The counts over the large tables (the archive, people, their ratings of five years, disciplines, initiatives:
most of the page's time at full scale, issue 21) come from the page cache, keyed on the archive's version
(core.cache.ARCHIVE, moved by every append) and on COUNTS, which a flush that adds or removes a person, a rating, a
discipline or an initiative (or moves a rating to another year) bumps once its transaction commits — an import of
ten thousand people bumps it once and locks nothing meanwhile. The small counts (units, accounts, councils,
holidays) are read on every view."""

import json
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from awards.archive.models import AwardRecord
from awards.auth.models import User, UserRole
from awards.calendar.models import CalendarDay
from awards.catalog.services import award_types
from awards.core import cache, clock
from awards.council.models import Council
from awards.extensions import db
from awards.units.models import Discipline, Initiative, Person, PersonEvaluation, Unit, UnitEvaluation

YEARS = 5  # ratings of the last five years: the longest chain the rules read (BK TTg, HCLĐ hạng Ba)
OK, MISSING, OPTIONAL = "ok", "missing", "optional"
COUNTS = "setup_counts"  # cache version of the counts below other than the archive's
COUNTED = (Person, PersonEvaluation, UnitEvaluation, Discipline, Initiative)
TTL = 600  # seconds; every write that changes the counts changes the key, the TTL only frees memory


@dataclass
class Line:
    title: str
    detail: str
    status: str  # OK, MISSING (needed before the first campaign) or OPTIONAL (only if the Department has some)
    link: str
    link_text: str

    @property
    def ok(self) -> bool:
        return self.status == OK


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def _line(title, count, detail, link, link_text, *, optional=False) -> Line:
    return Line(title, detail, OK if count else (OPTIONAL if optional else MISSING), link, link_text)


def ratings_by_year(model, years: list[int]) -> dict[int, int]:
    rows = db.session.execute(select(model.year, func.count(model.id)).where(model.year.in_(years))
                              .group_by(model.year)).all()
    counts = {year: n for year, n in rows}
    return {year: counts.get(year, 0) for year in years}


def awarding_units() -> tuple[int, int, int]:
    """(deciding units, of them with a secretariat account bound to them, with a council)."""
    deciding = select(Unit.id).where(Unit.decides_awards.is_(True), Unit.active.is_(True))
    total = _count(select(func.count()).select_from(deciding.subquery()))
    with_staff = _count(select(func.count(func.distinct(User.unit_id))).join(UserRole, UserRole.user_id == User.id)
                        .where(UserRole.role == "staff", User.active.is_(True), User.unit_id.in_(deciding)))
    with_council = _count(select(func.count(func.distinct(Council.unit_id))).where(Council.unit_id.in_(deciding)))
    return total, with_staff, with_council


def _large_counts(years: list[int]) -> str:
    return json.dumps({
        "people": _count(select(func.count(Person.id))),
        "person-ratings": {str(y): n for y, n in ratings_by_year(PersonEvaluation, years).items()},
        "unit-ratings": {str(y): n for y, n in ratings_by_year(UnitEvaluation, years).items()},
        "disciplines": _count(select(func.count(Discipline.id))),
        "initiatives": _count(select(func.count(Initiative.id))),
        "awards": _count(select(func.count(AwardRecord.id))),
    })


def large_counts(years: list[int]) -> dict:
    """People, ratings by year (person-ratings, unit-ratings: year as text → count), disciplines, initiatives and
    archive records, from the cache while none of them has changed."""
    return json.loads(cache.cached_page(("setup.counts", *years), lambda: _large_counts(years), ttl=TTL,
                                        versions=(cache.ARCHIVE, COUNTS)))


def _moved(obj) -> bool:
    return isinstance(obj, PersonEvaluation | UnitEvaluation) and inspect(obj).attrs.year.history.has_changes()


@event.listens_for(Session, "before_flush")
def _counts_changed(session, flush_context, instances):
    """A person, a rating, a discipline or an initiative added or removed, or a rating moved to another year: the
    cached counts are out of date once this transaction commits."""
    if any(isinstance(o, COUNTED) for o in (*session.new, *session.deleted)) or any(map(_moved, session.dirty)):
        cache.bump_after_commit(session, COUNTS)


def checklist() -> list[Line]:
    this_year = clock.today().year
    years = list(range(this_year - YEARS, this_year))
    units = _count(select(func.count(Unit.id)))
    counted = large_counts(years)
    people = counted["people"]
    lines = [_line(_("Cây đơn vị"), units, _("%(n)s đơn vị.", n=units),
                   url_for("units.import_sheet", name="units"), _("Nhập cây đơn vị"))]
    deciding, with_staff, with_council = awarding_units()
    complete = deciding and with_staff == deciding and with_council == deciding
    lines.append(Line(_("Đơn vị có thẩm quyền khen thưởng"),
                      _("%(n)s đơn vị có thẩm quyền; %(s)s có tài khoản thư ký thi đua; %(c)s có hội đồng thi đua "
                        "– khen thưởng.", n=deciding, s=with_staff, c=with_council),
                      OK if complete else MISSING, url_for("council.councils"), _("Hội đồng")))
    lines.append(_line(_("Cá nhân"), people, _("%(n)s cá nhân.", n=people), url_for("units.import_people"),
                       _("Nhập cá nhân")))
    for title, kind in ((_("Xếp loại cá nhân"), "person-ratings"), (_("Xếp loại tập thể"), "unit-ratings")):
        counts = {year: counted[kind][str(year)] for year in years}
        detail = "; ".join(_("năm %(y)s: %(n)s", y=year, n=n) for year, n in counts.items())
        lines.append(Line(title, detail + ".", OK if all(counts.values()) else MISSING,
                          url_for("units.import_sheet", name=kind), _("Nhập xếp loại")))
    disciplines = counted["disciplines"]
    lines.append(_line(_("Kỷ luật"), disciplines, _("%(n)s quyết định kỷ luật (chỉ cần nếu đơn vị có).",
                                                    n=disciplines),
                       url_for("units.import_sheet", name="disciplines"), _("Nhập kỷ luật"), optional=True))
    initiatives = counted["initiatives"]
    lines.append(_line(_("Sáng kiến"), initiatives, _("%(n)s sáng kiến.", n=initiatives),
                       url_for("units.import_sheet", name="initiatives"), _("Nhập sáng kiến"), optional=True))
    awards = counted["awards"]
    lines.append(_line(_("Khen thưởng đã có"), awards, _("%(n)s bản ghi khen thưởng.", n=awards),
                       url_for("archive.import_form"), _("Nhập khen thưởng")))
    users = _count(select(func.count(User.id)).where(User.active.is_(True)))
    no_email = _count(select(func.count(User.id)).where(User.active.is_(True), User.email == ""))
    lines.append(Line(_("Địa chỉ thư điện tử của tài khoản"),
                      _("%(a)s tài khoản có địa chỉ thư điện tử, %(b)s tài khoản chưa có.", a=users - no_email,
                        b=no_email), OK if users and not no_email else MISSING, url_for("auth.users"),
                      _("Tài khoản")))
    mail = bool(current_app.config.get("MAIL_SERVER"))
    lines.append(Line(_("Máy chủ thư (MAIL_SERVER)"),
                      _("Đã cấu hình.") if mail else _("Chưa cấu hình: thông báo không gửi được qua thư điện tử."),
                      OK if mail else MISSING, url_for("help.index"), _("Hướng dẫn")))
    types = len(award_types())
    lines.append(_line(_("Danh mục khen thưởng"), types, _("%(n)s danh hiệu, hình thức khen thưởng.", n=types),
                       url_for("catalog.award_types"), _("Danh mục")))
    days = _count(select(func.count(CalendarDay.id)).where(CalendarDay.day.between(
        clock.today().replace(month=1, day=1), clock.today().replace(month=12, day=31))))
    lines.append(_line(_("Lịch ngày nghỉ"), days, _("%(n)s ngày nghỉ bù, làm bù năm %(y)s đã ghi.", n=days,
                                                    y=this_year), url_for("calendar.index"), _("Lịch ngày nghỉ"),
                       optional=True))
    return lines
