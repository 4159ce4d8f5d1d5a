"""Reading announcements, feedback and decisions; what the public may see of a nominee, and nothing more."""

from datetime import date, timedelta

from sqlalchemy import extract, func, select
from sqlalchemy.orm import joinedload

from awards.announcements.models import Announcement, Decision, DecisionItem, Feedback
from awards.catalog import services as catalog
from awards.catalog.types import DEFAULTS
from awards.core.text import name_sort_key
from awards.extensions import db
from awards.nominations.models import Nomination
from awards.nominations.picking import PickFilter, pick_stmt
from awards.units.models import Person
from awards.units.queries import load_with_ancestors

PICK_LIMIT = 300  # candidates shown at once: beyond that, the filters narrow the list
_AWARD_ORDER = {code: i for i, code in enumerate(DEFAULTS)}


def announcement_by_id(announcement_id: int) -> Announcement | None:
    return db.session.get(Announcement, announcement_id)


def ending_within(days: int, today: date) -> tuple:
    """The conditions of a list open for comment today whose period ends within `days` days (today included)."""
    return (Announcement.opens_on <= today, Announcement.closes_on >= today,
            Announcement.closes_on < today + timedelta(days=days))


def announcements_stmt(*, ending_days: int | None = None, today: date | None = None):
    """Every list, newest first; with `ending_days`, only the open ones closing within that many days."""
    stmt = select(Announcement).order_by(Announcement.id.desc())
    if ending_days:
        stmt = stmt.where(*ending_within(ending_days, today)).order_by(None).order_by(
            Announcement.closes_on, Announcement.id)
    return stmt


def nominee(nomination) -> dict:
    """The public face of a nominee: name, unit, award and the achievement summary. No birth date, contact,
    code or attachment."""
    return {"nomination_id": nomination.id, "subject_name": nomination.subject_name,
            "unit_name": nomination.unit.name, "award_code": nomination.award_code,
            "award_name": catalog.award_name(nomination.award_code), "summary": nomination.summary}


def announcement_out(announcement: Announcement) -> dict:
    return {"id": announcement.id, "title": announcement.title, "opens_on": announcement.opens_on,
            "closes_on": announcement.closes_on, "phase": announcement.phase,
            "nominees": [nominee(i.nomination) for i in announcement.items]}


def feedback_by_id(feedback_id: int) -> Feedback | None:
    return db.session.get(Feedback, feedback_id)


def feedback_stmt(*, announcement_id: int | None = None, status: str | None = None, nomination_id: int | None = None):
    stmt = select(Feedback).order_by(Feedback.id.desc())
    if announcement_id is not None:
        stmt = stmt.where(Feedback.announcement_id == announcement_id)
    if status:
        stmt = stmt.where(Feedback.status == status)
    if nomination_id is not None:
        stmt = stmt.where(Feedback.nomination_id == nomination_id)
    return stmt


def decision_by_id(decision_id: int) -> Decision | None:
    return db.session.get(Decision, decision_id)


def decisions_stmt(*, year: int | None = None):
    stmt = select(Decision).order_by(Decision.signed_on.desc(), Decision.id.desc())
    if year is not None:
        stmt = stmt.where(extract("year", Decision.signed_on) == year)
    return stmt


def recipient(item: DecisionItem) -> dict:
    nomination, record = item.nomination, item.record
    return {"nomination_id": nomination.id, "record_id": record.id, "gold_book_number": record.gold_book_number,
            "subject_type": nomination.subject_type, "subject_name": nomination.subject_name,
            "unit_name": nomination.unit.name, "award_code": nomination.award_code,
            "award_name": catalog.award_name(nomination.award_code), "year": nomination.year, "revoked": record.revoked}


def decision_out(decision: Decision, *, public: bool = False) -> dict:
    """A decision and its recipients; the public version leaves out awards since revoked."""
    recipients = [recipient(i) for i in decision.items]
    return {"id": decision.id, "number": decision.number, "signed_on": decision.signed_on, "signer": decision.signer,
            "issuer": decision.issuer, "unit_code": decision.unit.code if decision.unit else None,
            "recipients": [r for r in recipients if not (public and r["revoked"])]}


def candidates(statuses, filters: PickFilter, handling_unit_id: int | None = None, limit: int = PICK_LIMIT
               ) -> tuple[list[Nomination], bool]:
    """Dossiers in `statuses`, filtered by award, unit (with the units under it), year and folded name, and by the
    level handling them when given; at most `limit` of them (and whether more were left out), by year, award in
    catalog order, unit and name; each one's unit tied to the units above it (its name on the page names the one
    above: one read for the page, not one per unit)."""
    # the page's ids first, from the (status, year) index, then their rows: sorted with their people and units
    # joined, SQLite read all 9,300 candidates of the province at full scale (116 ms; the ids alone take 11 ms)
    ids = (_candidates_stmt(statuses, filters, handling_unit_id).with_only_columns(Nomination.id)
           .order_by(Nomination.year.desc(), Nomination.id).limit(limit + 1))
    # the rows show the subject's name, not the person's unit: not joined a second time (a third of the load)
    rows = list(db.session.scalars(select(Nomination).where(Nomination.id.in_(ids.scalar_subquery()))
                                   .options(joinedload(Nomination.person).lazyload(Person.unit))).unique())
    more = len(rows) > limit
    rows = sorted(rows, key=lambda n: (-n.year, n.id))[:limit]  # the one past the limit only says there are more
    load_with_ancestors([n.unit for n in rows])
    rows.sort(key=lambda n: (-n.year, _AWARD_ORDER.get(n.award_code, 99), n.unit.name_folded,
                             name_sort_key(n.subject_name), n.id))
    return rows, more


def candidate_groups(statuses, filters: PickFilter, handling_unit_id: int | None = None
                     ) -> list[tuple[int, str, int]]:
    """How many of `candidates` there are for each year and award, (year, award code, count), newest year first
    and awards in catalog order: one grouped count, whatever their number."""
    stmt = _candidates_stmt(statuses, filters, handling_unit_id)
    rows = db.session.execute(stmt.with_only_columns(Nomination.year, Nomination.award_code, func.count())
                              .group_by(Nomination.year, Nomination.award_code)).all()
    return sorted(((year, code, n) for year, code, n in rows),
                  key=lambda row: (-row[0], _AWARD_ORDER.get(row[1], 99), row[1]))


def _candidates_stmt(statuses, filters: PickFilter, handling_unit_id: int | None):
    stmt = pick_stmt(statuses, filters)
    if handling_unit_id is not None:
        stmt = stmt.where(Nomination.handling_unit_id == handling_unit_id)
    return stmt


def counts(column, ids: list[int], *where) -> dict[int, int]:
    """How many rows per id of `column` (nominees, cases, recipients of the listed items), in one query."""
    if not ids:
        return {}
    return dict(db.session.execute(select(column, func.count()).where(column.in_(ids), *where)
                                   .group_by(column)).all())
