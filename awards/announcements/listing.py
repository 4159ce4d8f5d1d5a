"""The public listing that must come BEFORE the council for Huân chương and state honorary titles.

NĐ 98/2023 Art 46.2: "Người có thẩm quyền đề nghị xét tặng hình thức khen thưởng huân chương và danh hiệu vinh dự
nhà nước quy định tại khoản 5 Điều 84 của Luật Thi đua, khen thưởng có trách nhiệm công khai danh sách cá nhân, tập
thể … ít nhất 10 ngày làm việc trước khi họp hội đồng thi đua – khen thưởng bộ, ban, ngành, tỉnh". Its successor
from 01/07/2025 is NĐ 152/2025 Art 44.2 (cited for the same 10-working-day listing in the notices published
under it; its wording not read here). Before 2024 NĐ 91/2017 Art 45.10 asked for the people's opinion "trước khi
trình khen thưởng". The text that applies is the one in force on the day the dossier was received (NĐ 152 Art
60.3), not the achievement year. So: a session opens with such a dossier only once a listing of ≥ 10 working days
has closed (council/voting.py asks through COUNCIL_GUARDS), and no decision is issued without one."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from awards.announcements.models import Announcement, AnnouncementItem
from awards.catalog import services as catalog
from awards.core import clock, workdays
from awards.council.services import COUNCIL_GUARDS
from awards.extensions import db
from awards.nominations.models import Nomination

LISTING_DAYS = 10  # working days, fixed by the decree (the award's review_days setting may ask for more)
ND152_FROM, ND98_FROM = date(2025, 7, 1), date(2024, 1, 1)


def listing_basis(received_on: date) -> str:
    """The article requiring the listing, in the decree in force on the day the dossier was received."""
    if received_on >= ND152_FROM:
        return "Nghị định 152/2025/NĐ-CP, Điều 44 khoản 2"
    if received_on >= ND98_FROM:
        return "Nghị định 98/2023/NĐ-CP, Điều 46 khoản 2"
    return "Nghị định 91/2017/NĐ-CP, Điều 45 khoản 10"


def received_on(nomination: Nomination) -> date:
    """The day the dossier was first received by the secretariat (its first submission), Vietnam time."""
    firsts = [e.at for e in nomination.events if e.status == "submitted"]
    moment = min(firsts) if firsts else nomination.submitted_at or nomination.created_at
    return moment.astimezone(clock.VIETNAM).date() if moment else clock.today()


def listed_days(announcement: Announcement) -> int:
    """Working days the list was public, both ends included."""
    opens, closes = announcement.opens_on, announcement.closes_on
    return workdays.working_days_between(opens, closes) + workdays.is_working_day(opens)


def listings(nomination: Nomination) -> list[Announcement]:
    return list(db.session.scalars(select(Announcement).join(AnnouncementItem).where(
        AnnouncementItem.nomination_id == nomination.id).order_by(Announcement.id)))


def listings_of(nomination_ids) -> dict[int, list[Announcement]]:
    """`listings` for many dossiers in one query: each one's lists, oldest first (absent: never listed)."""
    found: dict[int, list[Announcement]] = {}
    if not nomination_ids:
        return found
    rows = db.session.execute(select(AnnouncementItem.nomination_id, Announcement).join(
        Announcement, Announcement.id == AnnouncementItem.announcement_id).where(
        AnnouncementItem.nomination_id.in_(list(nomination_ids))).order_by(Announcement.id))
    for nomination_id, announcement in rows:
        found.setdefault(nomination_id, []).append(announcement)
    return found


def why_not_listed(nomination: Nomination, *, award=None, found: list[Announcement] | None = None) -> str | None:
    """Why the dossier may not go before the council or into a decision yet: its award must be listed publicly
    for ≥ 10 working days first and no such listing has closed. None when listed, or not such an award.
    `award` and `found` (its award type and its lists, oldest first): what a page of many dossiers read at once
    (decisions.why_not_decidable_many); the dossier's own reads otherwise."""
    award = award or catalog.award_type(nomination.award_code)
    if not award.listing_before_council:
        return None
    found = listings(nomination) if found is None else found
    if any(a.phase == "closed" and listed_days(a) >= LISTING_DAYS for a in found):
        return None
    basis = listing_basis(received_on(nomination))
    running = [a for a in found if a.phase != "closed"]
    if running:
        return _("Hồ sơ #%(i)s (%(a)s) đang công khai danh sách đến hết ngày %(d)s: chỉ đưa ra Hội đồng và quyết "
                 "định sau khi hết thời gian công khai (%(b)s).", i=nomination.id, a=award.name,
                 d=running[-1].closes_on.strftime("%d/%m/%Y"), b=basis)
    return _("Hồ sơ #%(i)s (%(a)s) phải được công khai danh sách ít nhất %(n)s ngày làm việc trước khi họp Hội đồng "
             "(%(b)s); hồ sơ chưa được công khai đủ thời gian.", i=nomination.id, a=award.name, n=LISTING_DAYS,
             b=basis)


COUNCIL_GUARDS.append(why_not_listed)
