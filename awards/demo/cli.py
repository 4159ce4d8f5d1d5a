"""`flask demo load`: a believable Department of Health to try the system with.

Units and people go through the real services (validated, one audit entry each); the ~1,650 yearly
ratings, initiatives and disciplines are added as rows with one `demo.load` audit entry, so the whole
load is one transaction of a few seconds. Campaigns and nominations in several states (CONTRACT §1)
are added here by the issues that build those features.
"""

import random
import sys
import time
from datetime import UTC, date, datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import exists, func, select

from awards.archive import services as archive_services
from awards.archive.models import AwardRecord
from awards.auth import services as auth_services
from awards.auth.models import User
from awards.campaigns import services as campaign_services
from awards.campaigns.models import Registration, RegistrationEntry
from awards.core import audit
from awards.core.permissions import ROLE_LABELS
from awards.demo import data, sector, workflow
from awards.demo.workflow import load_workflow
from awards.extensions import db
from awards.units import services
from awards.units.models import Discipline, Initiative, Person, PersonEvaluation, Unit, UnitEvaluation

SEED = 2026
URL = "http://127.0.0.1:5000"

cli = AppGroup("demo", help="Dữ liệu mẫu.")


def has_data(session) -> bool:
    """True once any unit or account exists: the demo never mixes into real data."""
    return bool(session.scalar(select(exists().where(Unit.id.isnot(None))))
                or session.scalar(select(exists().where(User.id.isnot(None)))))


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _lookup(table: dict, kind: str, code: str, parent: str | None):
    return table.get(f"{kind}:{code}") or table.get(f"{kind}:{parent}") or table[kind]


def _name(rng: random.Random, female: bool, ethnicity: str, taken: set) -> str:
    for _attempt in range(20):
        if ethnicity == "Kinh":
            family = rng.choice(data.FAMILY_NAMES)
            middle = rng.choice(data.MIDDLE_FEMALE if female else data.MIDDLE_MALE)
            given = rng.choice(data.GIVEN_FEMALE if female else data.GIVEN_MALE)
        else:
            names = data.ETHNIC_NAMES[ethnicity]
            family = rng.choice(names["family"])
            middle = rng.choice(names["middle"][0 if female else 1])
            given = rng.choice(names["female" if female else "male"])
        name = f"{family} {middle} {given}"
        if name not in taken:
            break
    taken.add(name)
    return name


def _birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days + 1))


def _people_rows(rng: random.Random):
    """(unit code, person fields) for every demo person, heads of each unit first."""
    taken: set[str] = set()
    parents = {code: parent for code, _n, parent, *_rest in data.UNITS}
    ethnic = list(data.ETHNIC_WEIGHTS)
    serial = 0
    for code, _unit_name, parent, kind, _grassroots, size in data.UNITS:
        heads = _lookup(data.HEADS, kind, code, parent)
        staff = _lookup(data.STAFF, kind, code, parent)
        share = data.MINORITY_SHARE.get(code, data.MINORITY_SHARE.get(parents[code] or "",
                                                                      data.MINORITY_SHARE_DEFAULT))
        for i in range(size):
            if i < len(heads):
                position, clinical = heads[i]
                head = True
            else:
                position, _weight, clinical = rng.choices(staff, weights=[w for _p, w, _c in staff])[0]
                head = False
            if position == "Hộ sinh":
                female = True
            elif position.startswith("Điều dưỡng"):
                female = rng.random() < 0.8
            else:
                female = rng.random() < (0.45 if head else data.FEMALE_SHARE)
            ethnicity = rng.choices(ethnic, weights=list(data.ETHNIC_WEIGHTS.values()))[0] \
                if rng.random() < share else "Kinh"
            serial += 1
            yield code, dict(
                code=f"CB{serial:05d}",
                full_name=_name(rng, female, ethnicity, taken),
                gender="female" if female else "male",
                birth_date=_birth_date(rng, 1965, 1980 if head else 2000),
                ethnicity=ethnicity,
                ethnic_minority=ethnicity != "Kinh",
                position=position,
                frontline=clinical,  # clinical work in a hospital, health centre or station
            )


def load_demo(session) -> dict:
    """Load the demo province into an empty database and commit; returns what was created, by kind."""
    if has_data(session):
        raise RuntimeError("the database already has data")
    rng = random.Random(SEED)
    this_year = date.today().year
    years = list(range(this_year - 5, this_year))

    units = {}
    for code, name, parent, kind, grassroots, _size in data.UNITS:
        units[code] = services.create_unit(code=code, name=name, parent_code=parent, kind=kind,
                                           grassroots=grassroots, decides_awards=code in data.DECIDING or None)

    people: list[Person] = []
    by_unit: dict[str, list[Person]] = {code: [] for code in units}
    for unit_code, fields in _people_rows(rng):
        person = services.create_person(unit_code=unit_code, **fields)
        people.append(person)
        by_unit[unit_code].append(person)

    # yearly ratings: a few "stars" excellent almost every year, the rest mostly good
    ratings: dict[tuple[int, int], str] = {}
    for person in people:
        weights = data.STAR_RATING_WEIGHTS if rng.random() < data.STAR_SHARE else data.PERSON_RATING_WEIGHTS
        for year in years:
            ratings[person.id, year] = _pick(rng, weights)
    stars = {p.id for p in people if all(ratings[p.id, y] == "excellent" for y in years[-2:])}

    disciplines = []
    for unit_code, level, years_ago, note in data.DISCIPLINES:
        person = rng.choice([p for p in by_unit[unit_code]
                             if not p.position.startswith(("Giám đốc", "Trưởng")) and p.id not in stars])
        year = this_year - years_ago
        ratings[person.id, year] = "not_done" if level != "reprimand" else "done"
        disciplines.append(Discipline(person_id=person.id, year=year, level=level, note=note,
                                      decided_on=date(year, rng.randint(3, 11), rng.randint(1, 28))))

    initiatives = []
    disciplined = {d.person_id for d in disciplines}
    for unit_code, title, scope, years_ago in data.INITIATIVES:
        pool = [p for p in by_unit[unit_code] if p.id not in disciplined]
        pool = [p for p in pool if p.id in stars] or [p for p in pool if p.frontline] or pool
        person = rng.choice(pool)
        initiatives.append(Initiative(person_id=person.id, year=this_year - years_ago, title=title,
                                      scope=scope))

    person_evaluations = [PersonEvaluation(person_id=pid, year=year, rating=rating)
                          for (pid, year), rating in ratings.items()]
    unit_evaluations = [UnitEvaluation(unit_id=u.id, year=year, rating=_pick(rng, data.UNIT_RATING_WEIGHTS))
                        for u in units.values() for year in years]
    session.add_all(person_evaluations + unit_evaluations + disciplines + initiatives)
    session.flush()
    records = _archive(rng, years, units, people, ratings, unit_evaluations, disciplines)
    campaigns = _campaigns(rng, units, by_unit)

    accounts = []
    for username, password, role, unit_code, person_key in data.ACCOUNTS:
        person = None
        if person_key:
            candidates = by_unit[person_key[0]]
            person = next(p for p in candidates if p.position == person_key[1])
        accounts.append(auth_services.create_user(
            username, password, [role], full_name=person.full_name if person else data.ADMIN_NAME,
            unit=units[unit_code] if unit_code else None, person=person))

    sector.give_start_dates(people, SEED + 25)  # ngày vào ngành (issue 25): its own random stream
    admin = next(a for a in accounts if a.has_role("admin"))
    award_types = sector.load_sector_awards(admin)  # the health sector's own awards as stored types
    workflow = load_workflow(rng, units, by_unit, accounts)
    counts = {"units": len(units), "people": len(people), "person_evaluations": len(person_evaluations),
              "unit_evaluations": len(unit_evaluations), "initiatives": len(initiatives),
              "disciplines": len(disciplines), "users": session.scalar(select(func.count()).select_from(User)),
              "records": records,
              "campaigns": campaigns, "nominations": sum(workflow.values()), "by_status": workflow,
              "award_types": award_types}
    audit.record("demo.load", object_type="demo", after={"seed": SEED, "years": years, **counts})
    session.commit()
    return counts


def _issuer(unit) -> object:
    """Who decides grassroots titles: the head of the unit directly under the Sở (or the Sở itself)."""
    chain = [*unit.ancestors(), unit]
    return chain[1] if len(chain) > 1 else chain[0]


def _archive(rng, years, units, people, ratings, unit_evaluations, disciplines) -> int:
    """Past awards as the units' own decisions gave them: LĐTT for good-or-better years, CSTĐCS for about half
    of the excellent ones, TTLĐTT for well-rated units, and one award later revoked. Returns the count."""
    frozen = {(d.person_id, d.year) for d in disciplines if d.level != "reprimand"}
    numbers: dict[tuple[str, int], int] = {}
    prev = archive_services.lock_chain()
    records = []

    def give(subject, person, award_code, year, issuer):
        nonlocal prev
        key = (issuer.code, year)
        numbers[key] = numbers.get(key, 0) + 1
        record = AwardRecord(
            entry="award", subject_type="person" if person else "unit", person=person,
            unit=person.unit if person else subject, subject_code=subject.code,
            subject_name=person.full_name if person else subject.name, award_code=award_code, year=year,
            kind="regular", decision_number=f"{numbers[key]}/QĐ-{issuer.code}",
            decision_date=date(year + 1, 1, rng.randint(5, 25)), issuer=issuer.name, gold_book_number="",
            source="imported", reason="", published=True)
        archive_services.append(record, prev_hash=prev)
        prev = record.hash
        records.append(record)

    for year in years:
        for person in people:
            rating = ratings[person.id, year]
            if rating in ("good", "excellent") and (person.id, year) not in frozen:
                give(person, person, "LDTT", year, _issuer(person.unit))
                if rating == "excellent" and rng.random() < 0.5:
                    give(person, person, "CSTDCS", year, _issuer(person.unit))
    top = next(u for u in units.values() if u.parent is None)
    for evaluation in unit_evaluations:
        if evaluation.rating in ("good", "excellent") and evaluation.unit.parent is not None:
            give(evaluation.unit, None, "TTLDTT", evaluation.year, top)
    archive_services.revoke_record(records[len(records) // 3], reason="Phát hiện kê khai thành tích không trung thực",
                                   decision_number=f"1/QĐ-{top.code}-TH", decision_date=date(years[-1] + 1, 3, 2),
                                   by=None)
    return len(records)


def _campaigns(rng, units, by_unit) -> int:
    """This year's regular campaign (most units registered, a few not, to show coverage) and a thematic one
    still open for registration."""
    today = date.today()
    top = next(u for u in units.values() if u.parent is None)
    yearly = campaign_services.create_campaign(
        title=f"Phong trào thi đua “Cán bộ y tế vì sức khỏe nhân dân” năm {today.year}", kind="regular",
        year=today.year, organizer_unit_code=top.code, starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31), registration_deadline=date(today.year, 3, 31),
        nomination_deadline=date(today.year, 12, 15), award_codes=["LDTT", "CSTDCS", "TTLDTT", "TTLDXS"],
        theme="Đổi mới phong cách, thái độ phục vụ, hướng tới sự hài lòng của người bệnh.",
        targets_html="<ul><li>100% đơn vị đăng ký thi đua</li><li>Ít nhất 70% cán bộ đạt Lao động tiên tiến</li></ul>",
        criteria_html="<p>Hoàn thành chỉ tiêu chuyên môn; không có sự cố y khoa nghiêm trọng.</p>", by=None,
        launch=True)
    thematic = campaign_services.create_campaign(
        title="Phong trào thi đua chuyên đề “Chuyển đổi số y tế”", kind="thematic", year=today.year,
        organizer_unit_code=top.code, starts_on=today - timedelta(days=7), ends_on=today + timedelta(days=365),
        registration_deadline=today + timedelta(days=21), nomination_deadline=today + timedelta(days=330),
        award_codes=["GIAY_KHEN", "BK_TINH"], theme="Bệnh án điện tử, thanh toán không dùng tiền mặt.",
        by=None, launch=True)
    expected = [u for u in units.values() if u.parent_id == top.id]
    for unit in expected[: len(expected) - 3]:  # three units have not registered: the coverage page shows them
        members = [p for code, people in by_unit.items() for p in people
                   if units[code].id in {unit.id, *(c.id for c in unit.children)}][:12]
        # made back before the March deadline: stored as history, like the ratings and the archive
        registered_at = datetime(today.year, 3, rng.randint(2, 30), 9, tzinfo=UTC)
        db.session.add(Registration(
            campaign=yearly, unit=unit, collective_award_codes=["TTLDTT"], submitted_at=registered_at,
            updated_at=registered_at, commitment="Đơn vị cam kết hoàn thành xuất sắc nhiệm vụ năm.",
            individuals=[RegistrationEntry(person=p, award_code="CSTDCS" if rng.random() < 0.15 else "LDTT")
                         for p in members]))
    return len([yearly, thematic])


def logins_table() -> str:
    """The demo accounts as a small table for the terminal."""
    rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò")]
    for username, password, role, unit_code, _person in data.ACCOUNTS:
        label = f"{ROLE_LABELS[role]} ({role})" + (f", đơn vị {unit_code}" if unit_code else "")
        rows.append((username, password, label))
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c}" for a, b, c in rows)


@cli.command("load")
@click.option("--if-empty", is_flag=True,
              help="Không coi là lỗi khi cơ sở dữ liệu đã có dữ liệu (make run dùng tùy chọn này).")
def load(if_empty):
    """Nạp tỉnh mẫu (đơn vị, cá nhân, xếp loại 5 năm, tài khoản mẫu) nếu cơ sở dữ liệu còn trống.

    Bị từ chối khi AWARDS_ENV=production (tài khoản mẫu có mật khẩu ai cũng biết); thoát với mã khác 0 khi
    không nạp gì, trừ khi có --if-empty."""
    if current_app.config["AWARDS_ENV"] == "production":
        click.echo("Lỗi: không nạp dữ liệu mẫu khi AWARDS_ENV=production: các tài khoản mẫu có mật khẩu công khai.",
                   err=True)
        sys.exit(1)
    if has_data(db.session):
        click.echo("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.", err=True)
        click.echo("Tài khoản mẫu (chỉ dùng được nếu chưa bị đổi mật khẩu hoặc xóa):")
        click.echo(logins_table())
        click.echo(f"Mở {URL}")
        sys.exit(0 if if_empty else 1)
    started = time.perf_counter()
    try:
        counts = load_demo(db.session)
    except Exception:
        db.session.rollback()
        raise
    elapsed = time.perf_counter() - started
    click.echo(
        f"Đã nạp dữ liệu mẫu ({data.PROVINCE}): {counts['units']} đơn vị, {counts['people']} cá nhân, "
        f"{counts['person_evaluations']} xếp loại cá nhân, {counts['unit_evaluations']} xếp loại tập thể, "
        f"{counts['initiatives']} sáng kiến, {counts['disciplines']} quyết định kỷ luật, "
        f"{counts['records']} khen thưởng trong kho lưu trữ, {counts['campaigns']} phong trào, "
        f"{counts['nominations']} hồ sơ đề nghị ở các bước, hội đồng của Sở Y tế và của hai bệnh viện, "
        f"{counts['users']} tài khoản ({elapsed:.1f} s).")
    click.echo("Tài khoản mẫu (mật khẩu chỉ để dùng thử; đổi ngay nếu máy dùng chung):")
    click.echo(logins_table())
    click.echo(f"  council2 … council5 ({workflow.COUNCIL_PASSWORD}): các thành viên khác của Hội đồng Sở Y tế")
    click.echo(f"  hd-bvdk-1 … hd-bvdk-3, hd-bvsn-1 … hd-bvsn-3 ({workflow.COUNCIL_PASSWORD}): Hội đồng của hai "
               "bệnh viện")
    click.echo(f"Mở {URL}")
    sys.stdout.flush()
