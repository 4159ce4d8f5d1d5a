"""The few objects of the generated province made through the app's own services, after the bulk inserts: those the
page crawl (benchmarks.pages) needs a real id of and that a bulk insert would fake badly — a launched campaign and
an advanced example, a public list with a piece of feedback, the Sở council's draft and open sessions, a finished
import and a finished report export — and, last, what the background job would have done by the time anyone
looks: the queue's stored outcomes of every open dossier (nominations.outcomes, issue 21), when the app has them.
Each is made on its own: one the services refuse (the tree is shared with work in progress) is reported as not
made, and the pages that need it are skipped with that reason."""

import io
import traceback
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bench.app import make_app


def make(url: str, info: dict, log=print) -> dict:
    """{placeholder: id} for the route matrix's placeholders (tests/test_routes.py), and `not_made` with why."""
    app = make_app(url)
    made: dict = {"not_made": {}}
    with app.app_context():
        from awards.auth.models import User
        from awards.extensions import db

        accounts = info["accounts"]
        staff = {name: db.session.scalar(select(User).where(User.username == accounts[name]))
                 for name in ("staff", "admin", "so_staff")}
        for name, step in (("job", _import_job), ("export_job", _export_job), ("campaign", _campaign),
                           ("session", _sessions), ("announcement", _announcement), ("outcomes", _outcomes)):
            try:
                made.update(step(db, staff, info))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - a refusal is reported, the crawl skips what needed it
                db.session.rollback()
                made["not_made"][name] = f"{type(exc).__name__}: {exc}"[:300]
                log(f"    not made: {name}: {traceback.format_exception_only(exc)[-1].strip()[:200]}")
        db.engine.dispose()
    return made


def _import_job(db, staff, info) -> dict:
    from awards.archive.models import ImportJob

    job = ImportJob(status="done", filename="khen-thuong-2025.xlsx", total_rows=1200, processed_rows=1200,
                    imported=1200, created_by_id=staff["staff"].id)
    db.session.add(job)
    db.session.flush()
    return {"job": job.id}


def _export_job(db, staff, info) -> dict:
    from awards.core.xlsx import workbook_bytes
    from awards.reports.exports import keep_file
    from awards.reports.models import ExportJob

    upload = keep_file(workbook_bytes({"Tổng hợp": (["Chỉ tiêu"], [])}), "bao-cao-nam-2025.xlsx", staff["staff"].id)
    job = ExportJob(kind="annual", year=2025, status="done", progress=100, upload=upload,
                    created_by_id=staff["staff"].id)
    db.session.add(job)
    db.session.flush()
    return {"export_job": job.id}


def _campaign(db, staff, info) -> dict:
    """The year's campaign of the Sở, launched, with an advanced example carried through its stages."""
    from PIL import Image

    from awards.campaigns import examples
    from awards.campaigns import services as campaigns

    today = date.today()
    plan = {"kind": "regular", "year": today.year, "organizer_unit_code": "SYT", "award_codes": ["LDTT", "TTLDTT"],
            "starts_on": today - timedelta(days=60), "registration_deadline": today + timedelta(days=10),
            "ends_on": today + timedelta(days=200), "nomination_deadline": today + timedelta(days=180)}
    campaign = campaigns.create_campaign(title=f"Phong trào thi đua ngành Y tế năm {today.year}", launch=True,
                                         by=staff["staff"], **plan)
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG")
    person = info["accounts"].get("example_person") or "CB000001"
    example = examples.create_example(campaign, subject_type="person", subject_code=person,
                                      title="Điển hình tiên tiến trong chăm sóc người bệnh",
                                      story_html="<p>Tận tụy với người bệnh.</p>",
                                      on=today - timedelta(days=30), photo=photo.getvalue(), photo_name="anh.jpg",
                                      by=staff["staff"])
    return {"campaign": campaign.id, "example": example.id, "example_stage": example.stages[0].id}


def _announcement(db, staff, info) -> dict:
    """The Sở's public list of the dossiers its council passed (or it appraised), open for comment, with one piece
    of feedback; in a province too small to have them at the Sở, those of another level."""
    from awards.announcements import services
    from awards.council.models import SessionItem
    from awards.nominations.models import Nomination
    from awards.units.models import Unit

    root = db.session.scalar(select(Unit.id).where(Unit.code == "SYT"))
    ready = select(Nomination.id).where(Nomination.status.in_(("passed", "appraised")),
                                        Nomination.id.not_in(select(SessionItem.nomination_id)))
    ids = db.session.scalars(ready.where(Nomination.handling_unit_id == root)
                             .order_by(Nomination.status.desc(), Nomination.id).limit(40)).all() \
        or db.session.scalars(ready.order_by(Nomination.id).limit(40)).all()
    today = date.today()
    announcement = services.publish(title=f"Danh sách đề nghị khen thưởng cấp tỉnh năm {today.year}",
                                    nomination_ids=list(ids), opens_on=today - timedelta(days=2),
                                    closes_on=today + timedelta(days=20), by=staff["so_staff"])
    feedback = services.submit_feedback(announcement, nomination_id=ids[0], name="Lê Văn Dân", contact="0912345678",
                                        content="Đề nghị làm rõ thành tích năm 2025 của người được đề nghị.")
    return {"announcement": announcement.id, "feedback": feedback.id}


def _sessions(db, staff, info) -> dict:
    """The Sở council's sessions: a draft one, and an open one on 20 dossiers the Sở appraised."""
    from awards.core import clock
    from awards.council import queries, services, voting
    from awards.nominations.models import Nomination
    from awards.units.models import Unit

    council = queries.council_by_code("HD-SYT")
    root = db.session.scalar(select(Unit.id).where(Unit.code == "SYT"))
    closes = datetime.combine(date.today() + timedelta(days=14), datetime.min.time(), tzinfo=clock.VIETNAM)
    draft = services.create_session(council=council, title="Phiên xét khen thưởng cấp tỉnh (dự kiến)",
                                    nomination_ids=[], closes_at=closes, by=staff["so_staff"])
    # voted on at the Sở's council; the national ones are left out: their list must be public 10 working days
    # before the council meets (NĐ 152/2025 Art 44.2), which these generated dossiers never were
    voted = ("CSTDCS", "CSTD_TINH", "BK_TINH", "TTLDXS", "CO_TINH")
    ids = db.session.scalars(select(Nomination.id).where(Nomination.status == "appraised",
                                                         Nomination.handling_unit_id == root,
                                                         Nomination.award_code.in_(voted))
                             .order_by(Nomination.id).limit(20)).all()
    opened = services.create_session(council=council, title="Phiên xét đề nghị Bằng khen, Chiến sĩ thi đua cấp tỉnh",
                                     nomination_ids=list(ids), closes_at=closes, by=staff["so_staff"])
    voting.open_session(opened, by=staff["so_staff"])
    return {"session": draft.id, "open_session": opened.id}


def _outcomes(db, staff, info) -> dict:
    """Every open dossier's stored checklist outcome and clock, as the periodic job leaves them (the bulk inserts
    left them stale); nothing when the app keeps no such copy."""
    try:
        from awards.nominations.outcomes import refresh_stale_job
    except ImportError:
        return {}
    refreshed = 0
    while done := refresh_stale_job(limit=2000):
        refreshed += done
        db.session.commit()
    return {"outcomes_refreshed": refreshed}
