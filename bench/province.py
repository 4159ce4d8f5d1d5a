"""A province written straight into the database: units, people, 21 years of ratings, disciplines and
initiatives, 20 years of archive records in one hash chain, this year's nominations, a staff account.

Deterministic for a (scale, seed); bulk Core `insert()` executemany in batches, never one service call per row.
The archive rows are built as plain dicts and linked with `awards.archive.models.content_hash`, the function the
app itself uses, so `flask archive verify` passes. Scale 1.0: ~2,000 units, ~100,000 people, ~1,000,000 records,
~30,000 nominations; every count scales linearly (the unit tree keeps its shape down to 1/10)."""

import hashlib
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import MetaData, Table, create_engine, event, insert, text
from sqlalchemy.engine import make_url

from awards.announcements.models import Decision, DecisionItem
from awards.archive.models import AwardRecord, RecordInitiative, content_hash
from awards.auth.models import User, UserRole
from awards.core.text import fold, normalize
from awards.council.models import Council, CouncilMember
from awards.nominations.models import Nomination, NominationEvent, OutsideAnswer, OutsideAnswerItem
from awards.units.competence import UNIT_DEFAULTS
from awards.units.models import (
    Discipline,
    Initiative,
    Person,
    PersonEvaluation,
    Unit,
    UnitCompetence,
    UnitEvaluation,
)
from bench import names

ROOT = Path(__file__).resolve().parent.parent
# the generator's own source: any change to it makes cached databases stale, and they are rebuilt
VERSION = hashlib.sha256(b"".join((ROOT / "bench" / name).read_bytes()
                                  for name in ("province.py", "names.py", "extras.py"))).hexdigest()[:12]
FIRST_YEAR, LAST_ARCHIVE_YEAR, CURRENT_YEAR = 2006, 2025, 2026  # 20 archive years; nominations for 2026
DECIDED_FROM = 2024  # decisions from this year on were taken in the system: dossiers, decisions and their items
BATCH = 10_000
CREATED = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
STAFF_USERNAME, STAFF_PASSWORD = "bench-staff", "bench-mat-khau-2026"

HOSPITALS = ["Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản – Nhi", "Bệnh viện Phổi", "Bệnh viện Y dược cổ truyền",
             "Bệnh viện Phục hồi chức năng", "Bệnh viện Tâm thần", "Bệnh viện Mắt", "Bệnh viện Nội tiết",
             "Bệnh viện Ung bướu", "Bệnh viện Da liễu"]
PLACES = ["Yên Hòa", "Bảo Lâm", "Khau Vai", "Tân Lạc", "Mường La", "Đồng Văn", "Quảng Bạ", "Hòa An", "Thạch An",
          "Trùng Khánh", "Bắc Quang", "Vị Xuyên", "Hà Quảng", "Nguyên Bình", "Lục Yên", "Văn Chấn", "Yên Bình",
          "Trạm Tấu", "Mù Cang Chải", "Lạc Sơn", "Kim Bôi", "Mai Châu", "Đà Bắc", "Cao Phong", "Lương Sơn",
          "Sơn Động", "Lục Ngạn", "Tiên Yên", "Bình Liêu", "Đầm Hà"]
CENTRES = ["Trung tâm Kiểm soát bệnh tật", "Trung tâm Kiểm nghiệm", "Trung tâm Giám định y khoa",
           "Trung tâm Pháp y", "Trung tâm Cấp cứu 115", "Trung tâm Truyền thông giáo dục sức khỏe"]
DEPARTMENTS = ["Khoa Nội tổng hợp", "Khoa Ngoại tổng hợp", "Khoa Hồi sức tích cực – Chống độc", "Khoa Cấp cứu",
               "Khoa Nhi", "Khoa Phụ sản", "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh", "Khoa Dược",
               "Khoa Gây mê hồi sức", "Khoa Truyền nhiễm", "Khoa Tim mạch", "Khoa Thần kinh", "Khoa Tiêu hóa",
               "Khoa Thận – Tiết niệu", "Khoa Răng Hàm Mặt", "Khoa Tai Mũi Họng", "Khoa Mắt", "Khoa Y học cổ truyền",
               "Khoa Dinh dưỡng", "Khoa Kiểm soát nhiễm khuẩn", "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức cán bộ",
               "Phòng Điều dưỡng", "Phòng Tài chính kế toán", "Phòng Quản lý chất lượng", "Phòng Hành chính quản trị"]
DIVISIONS = ["Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính", "Khoa Kiểm soát dịch bệnh",
             "Khoa An toàn thực phẩm", "Khoa Dân số", "Khoa Khám bệnh", "Khoa Xét nghiệm", "Khoa Dược – Vật tư",
             "Khoa Sức khỏe sinh sản", "Khoa Y tế công cộng", "Phòng Điều dưỡng", "Khoa Nội – Nhi – Nhiễm"]
SYT_DIVISIONS = ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược",
                 "Phòng Kế hoạch – Tài chính", "Thanh tra Sở", "Chi cục Dân số", "Chi cục An toàn thực phẩm"]
COMMUNE_A = ["Tân", "Hòa", "Yên", "Phú", "Minh", "Đồng", "Thạch", "Sơn", "Nam", "Bắc", "Trung", "Quang", "Vĩnh",
             "Thanh", "Xuân", "Hưng", "Phúc", "An", "Bình", "Lâm"]
COMMUNE_B = ["Thành", "Lợi", "Tiến", "Hải", "Phong", "Khánh", "Lạc", "Thịnh", "Tâm", "Hà", "Lộc", "Long", "Sơn",
             "Phú", "Hòa", "Bình", "Quý", "Cường", "Trung", "Đức"]
INITIATIVES = ["Ứng dụng phần mềm quản lý hồ sơ bệnh án điện tử", "Cải tiến quy trình tiếp đón người bệnh",
               "Giải pháp giảm thời gian chờ khám", "Quy trình chăm sóc người bệnh sau mổ",
               "Nâng cao tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi", "Kiểm soát nhiễm khuẩn bệnh viện",
               "Sàng lọc sơ sinh tại tuyến xã", "Quản lý bệnh không lây nhiễm tại cộng đồng",
               "Tiết kiệm vật tư tiêu hao trong phẫu thuật", "Truyền thông phòng chống sốt xuất huyết"]
RATINGS = ("excellent", "good", "done", "not_done")
# every level (CONTRACT §5): these kinds of unit decide awards (the four of units.competence.UNIT_DEFAULTS) and have
# their own secretariat and council; everything else goes up to the Sở, and from the Sở to the province
DECIDING = ("department_of_health", "hospital", "centre", "health_centre")
COUNCIL_SEATS = ("chair", "vice_chair", "secretary", "member", "member", "member", "member")
TALENT = {  # share of people, then rating weights excellent/good/done/not_done
    "high": (0.12, (0.55, 0.42, 0.03, 0.0)),
    "mid": (0.58, (0.10, 0.70, 0.18, 0.02)),
    "low": (0.30, (0.02, 0.50, 0.42, 0.06)),
}
P_LDTT = 0.78  # good or better, no blocking discipline → LĐTT this often
P_CSTDCS = {"high": 0.8, "mid": 0.5, "low": 0.5}  # LĐTT and (excellent or an initiative) → CSTĐCS
NOMINATION_MIX = [("LDTT", 52), ("CSTDCS", 16), ("GIAY_KHEN", 8), ("BK_TINH", 5), ("CSTD_TINH", 2.5),
                  ("BK_TTG", 1.2), ("HCLD3", 0.3), ("CSTD_TQ", 0.1)]
NOMINATION_STATUS = [("draft", 8), ("submitted", 48), ("returned", 6), ("appraised", 30), ("rejected", 3),
                     ("withdrawn", 2)]


def _aware(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _pick(rng: random.Random, pairs) -> str:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


class Writer:
    """Buffers rows per table and inserts them with executemany in batches of BATCH, into the table as the migrated
    database has it (reflected): the models' Python-side defaults of columns a migration has not added yet (other
    work in the same tree) are not sent, the database's own defaults apply."""

    def __init__(self, conn):
        self.conn, self.buffers, self.counts = conn, defaultdict(list), Counter()
        self.reflected: dict[str, Table] = {}
        self.meta = MetaData()

    def _table(self, model_table) -> Table:
        if model_table.name not in self.reflected:
            self.reflected[model_table.name] = Table(model_table.name, self.meta, autoload_with=self.conn)
        return self.reflected[model_table.name]

    def add(self, table, row: dict) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush()  # every table, in the order they were first written to: parents before children

    def flush(self, table=None) -> None:
        for name in [table] if table is not None else list(self.buffers):
            rows = self.buffers[name]
            if rows:
                self.conn.execute(insert(self._table(name)), rows)
                self.counts[name.name] += len(rows)
                rows.clear()


# --- the database --------------------------------------------------------------------------------------------

def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def marker(url: str) -> dict | None:
    """What the bench_marker table says (scale, seed, version, counts), or None when there is no finished
    generation in that database."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT k, v FROM bench_marker")).all())
    except Exception:
        return None
    finally:
        engine.dispose()
    return json.loads(rows["info"]) if "info" in rows else None


def _recreate(url: str) -> None:
    path = sqlite_path(url)
    if path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def migrate(url: str) -> None:
    """`flask --app wsgi db upgrade` on that database: the schema exactly as production builds it."""
    env = {**os.environ, "DATABASE_URL": url, "AWARDS_ENV": "development"}
    flask = Path(sys.executable).parent / "flask"
    subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def schema_heads() -> tuple[str, ...]:
    """The migrations' head(s): two while another branch of work has not been rebased onto the other yet."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory(str(ROOT / "migrations")).get_heads())


def schema_current(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        return None
    finally:
        engine.dispose()


def ensure(url: str, scale: float, seed: int = 2026, log=print) -> dict:
    """The province at this scale in that database: reused when its marker matches (migrated to the newest
    schema if migrations were added since), else the database is recreated, migrated and generated."""
    info = marker(url)
    if info and info.get("scale") == scale and info.get("seed") == seed and info.get("version") == VERSION:
        heads = schema_heads()
        if len(heads) == 1 and schema_current(url) != heads[0]:
            log(f"  migrating the cached database to {heads[0]}")
            migrate(url)
        elif len(heads) > 1:
            log(f"  the migrations have {len(heads)} heads ({', '.join(heads)}): the cached database is used as it is")
        info["reused"] = True
        return info
    started = time.perf_counter()
    _recreate(url)
    migrate(url)
    log(f"  schema migrated in {time.perf_counter() - started:.1f}s; generating scale {scale}")
    info = generate(url, scale, seed, log=log)
    from bench import extras

    info["extras"] = extras.make(url, info, log=log)
    finish(url, info)
    info["reused"] = False
    return info


# --- generation ----------------------------------------------------------------------------------------------

class Province:
    def __init__(self, scale: float, seed: int):
        self.scale, self.rng = scale, random.Random(seed)
        self.units: list[dict] = []
        self.agency: dict[int, dict] = {}  # unit id → the unit whose head decides its grassroots awards
        self.people: list[dict] = []
        self.next_id = Counter()

    def new_id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    # the tree: Sở Y tế → its divisions, hospitals → departments, centres → divisions,
    # district health centres → divisions and commune stations
    def build_units(self) -> None:
        s, rng = self.scale, self.rng
        shape = min(1.0, s * 10)  # at 1/10 and above the tree has its full depth; smaller scales thin it

        def unit(code, name, parent, kind, weight, grassroots=False):
            # đơn vị có thẩm quyền (legal status, Luật TĐKT 2022 Art 80.1): the Sở, hospitals and centres
            row = {"id": self.new_id("units"), "code": code, "name": normalize(name), "name_folded": fold(name),
                   "parent_id": parent["id"] if parent else None, "kind": kind, "grassroots": grassroots,
                   "active": True, "created_at": CREATED, "weight": weight, "decides_awards": kind in DECIDING}
            self.units.append(row)
            return row

        root = unit("SYT", "Sở Y tế tỉnh Thái An", None, "department_of_health", 10)
        self.agency[root["id"]] = root
        for n, name in enumerate(SYT_DIVISIONS, start=1):
            self.agency[unit(f"SYT-{n:02d}", name, root, "division", 8)["id"]] = root
        for h in range(max(1, round(30 * s))):
            base = HOSPITALS[h % len(HOSPITALS)]
            name = f"{base} tỉnh Thái An" if h < len(HOSPITALS) else f"{base} khu vực {PLACES[h % len(PLACES)]}"
            hospital = unit(f"BV{h + 1:02d}", name, root, "hospital", 10)
            self.agency[hospital["id"]] = hospital
            for d in range(max(3, round(25 * shape))):
                dep = unit(f"BV{h + 1:02d}-K{d + 1:02d}", DEPARTMENTS[d % len(DEPARTMENTS)], hospital, "division", 60)
                self.agency[dep["id"]] = hospital
        for c in range(max(1, round(12 * s))):
            centre = unit(f"TT{c + 1:02d}", f"{CENTRES[c % len(CENTRES)]} tỉnh Thái An"
                          + (f" (cơ sở {c // len(CENTRES) + 1})" if c >= len(CENTRES) else ""), root, "centre", 8)
            self.agency[centre["id"]] = centre
            for d in range(max(2, round(8 * shape))):
                self.agency[unit(f"TT{c + 1:02d}-P{d + 1:02d}", DIVISIONS[d % len(DIVISIONS)], centre, "division",
                                 15)["id"]] = centre
        for t in range(max(1, round(15 * s))):
            place = PLACES[t % len(PLACES)]
            centre = unit(f"TTYT{t + 1:02d}", f"Trung tâm Y tế huyện {place}", root, "health_centre", 10)
            self.agency[centre["id"]] = centre
            for d in range(max(2, round(12 * shape))):
                self.agency[unit(f"TTYT{t + 1:02d}-P{d + 1:02d}", DIVISIONS[d % len(DIVISIONS)], centre,
                                 "division", 25)["id"]] = centre
            communes = set()
            for k in range(max(2, round(60 * shape))):
                commune = f"{rng.choice(COMMUNE_A)} {rng.choice(COMMUNE_B)}"
                while commune in communes:
                    commune = f"{rng.choice(COMMUNE_A)} {rng.choice(COMMUNE_B)}"
                communes.add(commune)
                kind_word = "phường" if k < 3 else "thị trấn" if k == 3 else "xã"
                station = unit(f"TYT{t + 1:02d}-{k + 1:03d}", f"Trạm Y tế {kind_word} {commune}", centre, "station", 6,
                               grassroots=True)
                self.agency[station["id"]] = centre

    def build_people(self) -> None:
        rng = self.rng
        total = max(50, round(100_000 * self.scale))
        weights = [u["weight"] for u in self.units]
        unit_of = rng.choices(self.units, weights=weights, k=total)
        highland = {u["id"] for u in self.units if u["kind"] in ("health_centre", "station")}
        talents = [(name, share) for name, (share, _w) in TALENT.items()]
        for n in range(total):
            unit = unit_of[n]
            gender = "female" if rng.random() < 0.65 else "male"
            minority = unit["id"] in highland and rng.random() < 0.35 or rng.random() < 0.03
            if minority:
                ethnicity, full_name = names.minority_name(rng, gender)
            else:
                ethnicity, full_name = "Kinh", names.kinh_name(rng, gender)
            talent = _pick(rng, talents)
            born = rng.randint(1966, 2001)
            joined = born + rng.randint(22, 28)
            retires = born + (60 if gender == "female" else 62)
            active = retires > CURRENT_YEAR and rng.random() > 0.03
            if joined >= CURRENT_YEAR:
                joined, active = CURRENT_YEAR, True
            last = CURRENT_YEAR if active else min(retires - 1, rng.randint(max(FIRST_YEAR, joined), CURRENT_YEAR))
            self.people.append({
                "id": self.new_id("people"), "code": f"CB{n + 1:06d}", "full_name": normalize(full_name),
                "name_folded": fold(full_name), "gender": gender,
                "birth_date": date(born, rng.randint(1, 12), rng.randint(1, 28)), "ethnicity": ethnicity,
                "ethnic_minority": ethnicity != "Kinh", "unit_id": unit["id"],
                "position": rng.choice(("Bác sĩ", "Điều dưỡng", "Dược sĩ", "Kỹ thuật viên", "Y sĩ", "Hộ sinh",
                                        "Chuyên viên", "Kế toán", "Trưởng khoa", "Phó trưởng khoa")),
                "frontline": unit["kind"] in ("station", "health_centre") or rng.random() < 0.2, "active": active,
                "created_at": CREATED,
                # not columns: what the yearly simulation reads
                "_from": max(FIRST_YEAR, joined), "_to": last,
                "_talent": talent, "_rating_weights": TALENT[talent][1],
            })


PERSON_COLUMNS = ("id", "code", "full_name", "name_folded", "gender", "birth_date", "ethnicity", "ethnic_minority",
                  "unit_id", "position", "frontline", "active", "created_at")
UNIT_COLUMNS = ("id", "code", "name", "name_folded", "parent_id", "kind", "grassroots", "active", "created_at",
                "decides_awards")


class Chain:
    """Award records in chain order: ids and hashes assigned as they are appended, inserted in batches."""

    def __init__(self, writer: Writer, province: Province):
        self.writer, self.province, self.prev, self.count = writer, province, "0" * 64, 0
        self.table = AwardRecord.__table__
        self.decisions: dict[tuple, tuple[str, date, str]] = {}
        self.recipients: dict[tuple, list[tuple]] = defaultdict(list)  # decisions taken in the system
        self.counters = Counter()
        self.kinds = Counter()

    def decision(self, year: int, award: str, agency: dict, level: str) -> tuple[tuple, tuple[str, date, str]]:
        """(key, (number, date, issuer)) of the decision that gave `award` for `year` to this agency's people;
        numbers run on across years per issuer, so each is unique."""
        rng = self.province.rng
        if level == "grassroots":
            key, issuer, suffix = (year, award, agency["code"]), f"Giám đốc {agency['name']}", agency["code"]
            months = (1, 2)
        elif level == "provincial":
            key, issuer, suffix = (year, award, agency["code"]), "Chủ tịch UBND tỉnh Thái An", "UBND"
            months = (3, 5)
        else:
            issuer = "Chủ tịch nước" if award == "HCLD3" else "Thủ tướng Chính phủ"
            key, suffix, months = (year, award), "CTN" if award == "HCLD3" else "TTg", (6, 10)
        if key not in self.decisions:
            self.counters[suffix] += 1
            decided = date(year + 1, rng.randint(*months), rng.randint(1, 28))
            self.decisions[key] = (f"{self.counters[suffix] * 7 + 11}/QĐ-{suffix}", decided, issuer)
        return key, self.decisions[key]

    def append(self, values: dict, *, person_id, unit_id) -> int:
        record_id = self.province.new_id("award_records")
        digest = content_hash(self.prev, values)
        row = dict(values, id=record_id, person_id=person_id, unit_id=unit_id, name_folded=fold(values["subject_name"]),
                   decision_folded=fold(values["decision_number"]), created_at=CREATED, created_by_id=None,
                   prev_hash=self.prev, hash=digest)
        self.prev = digest
        self.writer.add(self.table, row)
        self.count += 1
        self.kinds[values["entry"]] += 1
        return record_id


def _record(entry, subject_type, code, name, award, year, kind, decision, source, *, target_id=None, reason="",
            gold="", published=True) -> dict:
    number, decided, issuer = decision
    return {"entry": entry, "target_id": target_id, "subject_type": subject_type, "subject_code": code,
            "subject_name": name, "award_code": award, "year": year, "kind": kind, "decision_number": number,
            "decision_date": decided, "issuer": issuer, "gold_book_number": gold, "source": source,
            "reason": reason, "published": published}


def _history(province: Province, writer: Writer, log) -> dict:
    """Year by year: ratings, disciplines and initiatives of every person and unit, the awards they lead to
    (chains included: CSTĐCS streaks → Bằng khen, CSTĐ cấp tỉnh → …), and some revocations and corrections."""
    rng, chain = province.rng, Chain(writer, province)
    agency, root = province.agency, province.units[0]
    state = {p["id"]: {"streak": 0, "tinh": 0, "bk_tinh": None, "bk_ttg": None, "hcld3": None, "prov_init": None,
                       "nat_init": None, "ratings": {}, "cstdcs": set()} for p in province.people}
    ustate = {u["id"]: {"excellent_run": 0, "bk": None} for u in province.units}
    gold = Counter()
    revocable: list[tuple[int, dict, int | None, int]] = []
    evaluations, disciplines, initiatives = PersonEvaluation.__table__, Discipline.__table__, Initiative.__table__
    links = RecordInitiative.__table__

    def award(subject, subject_type, code, year, level, kind="regular", gold_no=""):
        person = subject_type == "person"
        key, decision = chain.decision(year, code, agency[subject["unit_id"]] if person else
                                       (agency[subject["id"]] if agency[subject["id"]] is not subject else root), level)
        values = _record("award", subject_type, subject["code"], subject["full_name" if person else "name"], code,
                         year, kind, decision, "imported" if year < 2020 else "decided", gold=gold_no,
                         published=rng.random() > 0.02)
        person_id, unit_id = (subject["id"], subject["unit_id"]) if person else (None, subject["id"])
        record_id = chain.append(values, person_id=person_id, unit_id=unit_id)
        if year >= DECIDED_FROM and code not in ("LDTT", "TTLDTT"):
            chain.recipients[key].append((record_id, subject_type, person_id, unit_id, subject["code"], code, year,
                                          kind))
        if rng.random() < 0.004:
            revocable.append((record_id, values, person_id, unit_id))
        return record_id

    for year in range(FIRST_YEAR, CURRENT_YEAR + 1):
        archive = year <= LAST_ARCHIVE_YEAR
        five = set(range(year - 4, year + 1))
        for person in province.people:
            if not person["_from"] <= year <= person["_to"]:
                continue
            st, pid = state[person["id"]], person["id"]
            rating = rng.choices(RATINGS, weights=person["_rating_weights"])[0]
            if year == CURRENT_YEAR and rng.random() < 0.1:
                continue  # this year's review not entered yet for some
            writer.add(evaluations, {"id": province.new_id("pe"), "person_id": pid, "year": year, "rating": rating,
                                     "created_at": CREATED})
            st["ratings"][year] = rating
            blocked = False
            if rng.random() < 0.004:
                level = _pick(rng, (("reprimand", 60), ("warning", 30), ("dismissal", 10)))
                writer.add(disciplines, {"id": province.new_id("disc"), "person_id": pid, "year": year, "level": level,
                                         "decided_on": date(year, rng.randint(1, 12), 15),
                                         "note": "Vi phạm quy chế chuyên môn", "created_at": CREATED})
                if level != "reprimand":
                    blocked, st["streak"] = True, 0
            initiative = None
            if rating == "excellent" and rng.random() < 0.35 or rng.random() < 0.02:
                scope = _pick(rng, (("unit", 68), ("provincial", 29), ("national", 3)))
                initiative = {"id": province.new_id("init"), "person_id": pid, "year": year,
                              "title": f"{rng.choice(INITIATIVES)} ({year})", "scope": scope, "created_at": CREATED}
                writer.add(initiatives, initiative)
                if scope != "unit":
                    st["prov_init" if scope == "provincial" else "nat_init"] = (year, initiative["id"])
            if not archive:
                continue
            good = rating in ("excellent", "good")
            ldtt = good and not blocked and rng.random() < P_LDTT
            if ldtt:
                award(person, "person", "LDTT", year, "grassroots")
            cstdcs = ldtt and (rating == "excellent" or initiative is not None) \
                and rng.random() < P_CSTDCS[person["_talent"]]
            st["streak"] = st["streak"] + 1 if cstdcs else 0
            if not cstdcs:
                pass
            elif st["streak"] >= 3 and st["prov_init"] and st["prov_init"][0] >= year - 2 and rng.random() < 0.5:
                award(person, "person", "CSTDCS", year, "grassroots")
                record_id = award(person, "person", "CSTD_TINH", year, "provincial")
                writer.add(links, {"id": province.new_id("ri"), "record_id": record_id,
                                   "initiative_id": st["prov_init"][1]})
                st["prov_init"], st["streak"], st["tinh"] = None, 0, st["tinh"] + 1
                if st["tinh"] >= 2 and st["nat_init"] and rng.random() < 0.4:
                    gold["tq"] += 1
                    award(person, "person", "CSTD_TQ", year, "national", gold_no=f"{year + 1}/TQ{gold['tq']:05d}")
                    st["tinh"], st["nat_init"] = 0, None
            else:
                award(person, "person", "CSTDCS", year, "grassroots")
                if st["streak"] >= 2 and (st["bk_tinh"] is None or year - st["bk_tinh"] >= 5) and rng.random() < 0.3:
                    award(person, "person", "BK_TINH", year, "provincial")
                    st["bk_tinh"] = year
            if cstdcs:
                st["cstdcs"].add(year)
            steady = all(st["ratings"].get(y) in ("excellent", "good") for y in five)
            if steady and len(st["cstdcs"] & five) >= 3 and rng.random() < 0.5:
                if st["bk_tinh"] and year - st["bk_tinh"] >= 5 and st["bk_ttg"] is None:
                    gold["ttg"] += 1
                    award(person, "person", "BK_TTG", year, "national", gold_no=f"{year + 1}/BK{gold['ttg']:05d}")
                    st["bk_ttg"] = year
                elif st["bk_ttg"] and year - st["bk_ttg"] >= 5 and st["hcld3"] is None:
                    gold["hc"] += 1
                    award(person, "person", "HCLD3", year, "national", gold_no=f"{year + 1}/HC{gold['hc']:05d}")
                    st["hcld3"] = year
            if good and rng.random() < 0.055:
                award(person, "person", "GIAY_KHEN", year, "grassroots",
                      _pick(rng, (("regular", 60), ("adhoc", 30), ("thematic", 10))))
        for unit in province.units:
            us = ustate[unit["id"]]
            rating = _pick(rng, (("excellent", 30), ("good", 55), ("done", 13), ("not_done", 2)))
            writer.add(UnitEvaluation.__table__, {"id": province.new_id("ue"), "unit_id": unit["id"], "year": year,
                                                  "rating": rating, "created_at": CREATED})
            us["excellent_run"] = us["excellent_run"] + 1 if rating == "excellent" else 0
            if not archive or unit["parent_id"] is None:
                continue
            if rating in ("excellent", "good") and rng.random() < 0.7:
                award(unit, "unit", "TTLDTT", year, "grassroots")
                if rating == "excellent" and rng.random() < 0.5:
                    award(unit, "unit", "TTLDXS", year, "provincial")
                    if unit["kind"] in ("hospital", "centre", "health_centre") and rng.random() < 0.12:
                        award(unit, "unit", "CO_TINH", year, "provincial")
            if us["excellent_run"] >= 2 and (us["bk"] is None or year - us["bk"] >= 5) and rng.random() < 0.15:
                award(unit, "unit", "BK_TINH", year, "provincial")
                us["bk"] = year
            if rng.random() < 0.08:
                award(unit, "unit", "GIAY_KHEN", year, "grassroots",
                      _pick(rng, (("regular", 50), ("adhoc", 35), ("thematic", 15))))
        if not archive:
            continue
        # a few decisions of earlier years revoked or corrected now: new rows in the chain, never edits
        rng.shuffle(revocable)
        cut = max(1, len(revocable) // 3)
        for record_id, values, person_id, unit_id in revocable[:cut]:
            if rng.random() < 0.4:
                values = dict(values, entry="revocation", target_id=record_id, gold_book_number="",
                              reason="Thu hồi do phát hiện vi phạm sau khi khen thưởng",
                              decision_number=f"{rng.randint(1, 900)}/QĐ-TH", decision_date=date(year + 1, 4, 2))
            else:
                values = dict(values, entry="correction", target_id=record_id,
                              reason="Đính chính số quyết định theo bản gốc",
                              decision_number=values["decision_number"].replace("QĐ", "QĐ-ĐC"))
            chain.append(values, person_id=person_id, unit_id=unit_id)
        revocable = revocable[cut:]
        if year % 5 == 0 or year == LAST_ARCHIVE_YEAR:
            log(f"    {year}: {chain.count:,} records")
    return {"records": chain.count, "entries": dict(chain.kinds), "state": state, "chain": chain}


def _decisions(province: Province, writer: Writer, chain: Chain) -> int:
    """The decisions of the last archive years as the system took them: each recipient's awarded dossier, the
    decision (number, date, issuer, signer) and its items linking dossier and archive record (the public
    results page reads these)."""
    rng, count = province.rng, 0
    nominations, decisions, items = Nomination.__table__, Decision.__table__, DecisionItem.__table__
    plan = []
    unit_ids, root = {u["code"]: u["id"] for u in province.units}, province.units[0]["id"]
    for key, recipients in chain.recipients.items():
        number, signed_on, issuer = chain.decisions[key]
        decision_id = province.new_id("decisions")
        # an awarding unit's own decision (the four it decides); the rest came from outside, handled by the Sở
        own = key[1] in LEVEL_AWARDS and len(key) == 3
        plan.append((decision_id, {"id": decision_id, "number": number, "signed_on": signed_on, "year": signed_on.year,
                                   "signer": names.kinh_name(rng, rng.choice(("female", "male"))), "issuer": issuer,
                                   "unit_id": unit_ids[key[2]] if own else None,
                                   "created_at": _aware(signed_on), "created_by_id": None}, recipients))
        for _record_id, subject_type, person_id, unit_id, code, award, year, kind in recipients:
            submitted = _aware(signed_on - timedelta(days=rng.randint(20, 60)))
            writer.add(nominations, {
                "id": province.new_id("nominations"), "campaign_id": None, "subject_type": subject_type,
                "person_id": person_id, "unit_id": unit_id, "subject_code": code, "award_code": award, "year": year,
                "handling_unit_id": unit_ids[key[2]] if own else root,
                "kind": kind, "summary": "Hoàn thành xuất sắc nhiệm vụ được giao.", "status": "awarded",
                "created_at": submitted - timedelta(days=3), "created_by_id": None, "submitted_at": submitted})
    writer.flush()
    nomination_id = province.next_id["nominations"] - sum(len(r) for _d, _row, r in plan)
    for _decision_id, row, _recipients in plan:
        writer.add(decisions, row)
    writer.flush()
    for decision_id, _row, recipients in plan:
        for position, recipient in enumerate(recipients, start=1):
            nomination_id += 1
            writer.add(items, {"id": province.new_id("decision_items"), "decision_id": decision_id,
                               "position": position, "nomination_id": nomination_id, "record_id": recipient[0]})
            count += 1
    writer.flush()
    return count


# the awards a level decides itself (units.competence.UNIT_DEFAULTS, Art 80.1); others are proposed upward
LEVEL_AWARDS = frozenset(UNIT_DEFAULTS)
FORWARD_SHARE = 0.55  # of the dossiers for an award their level does not decide: already sent up to the Sở
AT_UPPER = [("submitted", 45), ("appraised", 20), ("rejected", 4), ("passed", 10), ("forwarded", 13),
            ("not_awarded", 5), ("withdrawn", 3)]
LOCAL_PATHS = {"draft": [], "withdrawn": [("draft", "withdrawn")], "submitted": [("draft", "submitted")],
               "returned": [("draft", "submitted"), ("submitted", "returned")],
               "appraised": [("draft", "submitted"), ("submitted", "appraised")],
               "rejected": [("draft", "submitted"), ("submitted", "rejected")]}
PASSED = [("draft", "submitted"), ("submitted", "appraised"), ("appraised", "in_council"), ("in_council", "passed")]
UPPER_PATHS = {"submitted": [], "withdrawn": [("submitted", "withdrawn")],
               "appraised": [("submitted", "appraised")], "rejected": [("submitted", "rejected")],
               "passed": PASSED[1:], "forwarded": [*PASSED[1:], ("passed", "forwarded")],
               "not_awarded": [*PASSED[1:], ("passed", "forwarded"), ("forwarded", "not_awarded")]}
NOTES = {"returned": "Cần bổ sung biên bản họp xét", "rejected": "Chưa đủ tiêu chuẩn theo quy định",
         "withdrawn": "Đơn vị rút hồ sơ", "not_awarded": "Ủy ban nhân dân tỉnh không khen thưởng: chưa đủ tiêu chuẩn"}


def _steps(rng, status: str, start: datetime, level: int, upper: int | None, upper_status: str | None):
    """The history that brought a dossier to its status: (from, to, at, handling unit id, note) and the time its
    clock starts at the level holding it now. Sent up: passed by its own level's council, proposed to the Sở
    (`submitted` there, the clock restarting), then on from there (to the province: `forwarded`, answered)."""
    gap = (1, 5) if upper is not None else (1, 12)
    at, steps = start, []
    path = [(*s, level) for s in (PASSED if upper is not None else LOCAL_PATHS[status])]
    if upper is not None:
        path += [("passed", "submitted", upper)] + [(*s, upper) for s in UPPER_PATHS[upper_status]]
    clock_from = None
    for n, (before, after, unit_id) in enumerate(path):
        at = at + timedelta(days=rng.randint(*gap), hours=rng.randint(0, 6)) if n else at
        note = "Trình Sở Y tế tỉnh Thái An" if unit_id == upper and after == "submitted" else NOTES.get(after, "")
        steps.append((before, after, at, unit_id, note))
        if after == "submitted":
            clock_from = at
    return steps, clock_from


def _nominations(province: Province, writer: Writer, state: dict) -> Counter:
    """This year's dossiers: candidates chosen mostly where the history fits (some do not: their checklists
    fail), in every state of the workflow, with the events that brought them there. Every level: each dossier is
    handled by its unit's awarding unit (a hospital, a centre, the Sở); one for an award that level does not decide
    is, more than half the time, already passed by that level's council and proposed to the Sở, where it waits,
    is appraised, or went on to the province (`forwarded`, some answered `not_awarded`)."""
    rng = province.rng
    total = max(30, round(30_000 * province.scale))
    year = CURRENT_YEAR
    people = [p for p in province.people if p["active"] and p["_to"] >= year]
    units = [u for u in province.units if u["parent_id"] is not None]
    unit_wanted = {"TTLDTT": 0.6, "TTLDXS": 0.2, "CO_TINH": 0.3, "BK_TINH": 0.04, "GIAY_KHEN": 0.05}
    plan: list[tuple[str, str, dict]] = []
    for award, share in unit_wanted.items():
        pool = [u for u in units if award != "CO_TINH" or u["kind"] in ("hospital", "centre", "health_centre")]
        plan += [("unit", award, unit) for unit in rng.sample(pool, round(len(pool) * share))]
    plan = plan[: total // 2]
    persons_needed = max(0, total - len(plan))
    fits = {
        "LDTT": lambda st: st["ratings"].get(year) in ("excellent", "good"),
        "CSTDCS": lambda st: st["ratings"].get(year) == "excellent",
        "GIAY_KHEN": lambda st: st["ratings"].get(year) in ("excellent", "good"),
        "BK_TINH": lambda st: {year - 1, year - 2} <= st["cstdcs"],
        "CSTD_TINH": lambda st: {year - 1, year - 2} <= st["cstdcs"],
        "BK_TTG": lambda st: st["bk_tinh"] is not None and st["bk_ttg"] is None,
        "HCLD3": lambda st: st["bk_ttg"] is not None,
        "CSTD_TQ": lambda st: st["tinh"] >= 1,
    }
    weight_total = sum(w for _a, w in NOMINATION_MIX)
    for award, weight in NOMINATION_MIX:
        want = round(persons_needed * weight / weight_total)
        good = [p for p in people if fits[award](state[p["id"]])]
        chosen = rng.sample(good, min(len(good), round(want * 0.8)))
        taken = {p["id"] for p in chosen}
        rest = [p for p in rng.sample(people, min(len(people), want * 2)) if p["id"] not in taken]
        chosen += rest[: max(0, want - len(chosen))]
        plan += [("person", award, p) for p in chosen]
    rng.shuffle(plan)
    statuses = Counter()
    root = province.units[0]
    table, events = Nomination.__table__, NominationEvent.__table__
    refused: list[tuple[int, datetime]] = []
    for subject_type, award, subject in plan:
        level = province.agency[subject["unit_id"] if subject_type == "person" else subject["id"]]
        upper = upper_status = None
        if award not in LEVEL_AWARDS and level is not root and rng.random() < FORWARD_SHARE:
            upper, upper_status = root, _pick(rng, AT_UPPER)
            status = upper_status
            created = _aware(date(2026, 9, 1) + timedelta(days=rng.randint(0, 30)), rng.randint(1, 9))
        else:
            status = _pick(rng, NOMINATION_STATUS)
            created = _aware(date(2026, 9, 1) + timedelta(days=rng.randint(0, 60)), rng.randint(1, 9))
        statuses[status] += 1
        statuses["at_upper_level" if upper is not None else "at_own_level"] += 1
        nomination_id = province.new_id("nominations")
        submitted = created + timedelta(days=rng.randint(0, 20 if upper is None else 10), hours=rng.randint(0, 8))
        steps, clock_from = _steps(rng, status, submitted, level["id"], upper and upper["id"], upper_status)
        handling = (upper or level)["id"]
        writer.add(table, {
            "id": nomination_id, "campaign_id": None, "subject_type": subject_type,
            "person_id": subject["id"] if subject_type == "person" else None,
            "unit_id": subject["unit_id"] if subject_type == "person" else subject["id"],
            "handling_unit_id": handling,
            "subject_code": subject["code"], "award_code": award, "year": year, "kind": "regular",
            "summary": "Hoàn thành xuất sắc nhiệm vụ được giao; tích cực tham gia phong trào thi đua.",
            "status": status, "created_at": created, "created_by_id": None, "submitted_at": clock_from})
        for before, after, at, unit_id, note in steps:
            writer.add(events, {"id": province.new_id("events"), "nomination_id": nomination_id,
                                "from_status": before, "status": after, "at": at, "by_id": None, "note": note,
                                "handling_unit_id": unit_id})
        if status == "not_awarded":
            refused.append((nomination_id, steps[-1][2]))
    _answers(province, writer, refused)
    return statuses


def _answers(province: Province, writer: Writer, refused: list[tuple[int, datetime]]) -> None:
    """The province's answers to the dossiers it did not award: one letter for up to 20 dossiers."""
    answers, items = OutsideAnswer.__table__, OutsideAnswerItem.__table__
    for start in range(0, len(refused), 20):
        batch = refused[start:start + 20]
        answer_id, answered = province.new_id("outside_answers"), batch[-1][1]
        writer.add(answers, {"id": answer_id, "result": "not_awarded", "decision_number": f"{answer_id}/UBND-TĐKT",
                             "decision_date": answered.date(), "issuer": "Ủy ban nhân dân tỉnh Thái An",
                             "reason": NOTES["not_awarded"], "upload_id": None, "created_at": answered,
                             "created_by_id": None})
        for nomination_id, _at in batch:
            writer.add(items, {"id": province.new_id("outside_answer_items"), "answer_id": answer_id,
                               "nomination_id": nomination_id, "record_id": None})


def _accounts(province: Province, writer: Writer) -> dict[str, str]:
    """The accounts the benchmarks sign in with: the province-wide secretariat (`bench-staff`, no unit: acts
    everywhere) and an admin; every awarding unit's secretariat (`tk-<code>`, staff bound to it) and council
    (`HD-<code>`: seven members bound to people of that level); an officer of the first hospital. Returns the
    usernames by role as the route matrix names them (tests/test_routes.py)."""
    from werkzeug.security import generate_password_hash

    hashed = generate_password_hash(STAFF_PASSWORD, "pbkdf2:sha256:1000")
    users, roles = User.__table__, UserRole.__table__
    councils, seats = Council.__table__, CouncilMember.__table__

    def account(username, full_name, role, unit_id=None, person_id=None) -> int:
        user_id = province.new_id("users")
        writer.add(users, {"id": user_id, "username": username, "full_name": full_name, "email": "",
                           "password_hash": hashed, "session_token": f"bench{user_id:015d}", "active": True,
                           "unit_id": unit_id, "person_id": person_id, "created_at": CREATED, "last_login_at": None})
        writer.add(roles, {"id": province.new_id("user_roles"), "user_id": user_id, "role": role})
        return user_id

    account(STAFF_USERNAME, "Văn thư Thi đua (bench)", "staff")  # id 1: the benchmarks before every level
    account("bench-admin", "Quản trị hệ thống (bench)", "admin")
    staff_of: dict[int, list[dict]] = defaultdict(list)
    for person in province.people:
        if person["active"]:
            staff_of[province.agency[person["unit_id"]]["id"]].append(person)
    deciding = [u for u in province.units if u["decides_awards"]]
    for unit in deciding:
        account(f"tk-{unit['code'].lower()}", f"Thường trực Thi đua – {unit['name']}", "staff", unit_id=unit["id"])
    for unit in deciding:
        council_id = province.new_id("councils")
        writer.add(councils, {"id": council_id, "code": f"HD-{unit['code']}", "unit_id": unit["id"],
                              "name": f"Hội đồng Thi đua – Khen thưởng {unit['name']}", "term_from": date(2026, 1, 1),
                              "term_to": date(2030, 12, 31), "recusal_scope": "unit", "recused_count": True,
                              "created_at": CREATED})
        for n, (seat, person) in enumerate(zip(COUNCIL_SEATS, staff_of[unit["id"]], strict=False), start=1):
            user_id = account(f"hd-{unit['code'].lower()}-{n}", person["full_name"], "council_member",
                              person_id=person["id"])
            writer.add(seats, {"id": province.new_id("council_members"), "council_id": council_id,
                               "user_id": user_id, "role": seat})
    first_hospital = next(u for u in province.units if u["kind"] == "hospital")
    account(f"cb-{first_hospital['code'].lower()}", f"Cán bộ {first_hospital['name']}", "unit_officer",
            unit_id=first_hospital["id"])
    root = province.units[0]
    return {"staff": STAFF_USERNAME, "admin": "bench-admin", "so_staff": f"tk-{root['code'].lower()}",
            "hospital_staff": f"tk-{first_hospital['code'].lower()}",
            "unit_officer": f"cb-{first_hospital['code'].lower()}", "council_member": f"hd-{root['code'].lower()}-1",
            "hospital": first_hospital["code"], "deciding_units": len(deciding)}


def _competences(province: Province, writer: Writer) -> None:
    """Each awarding unit's competence table: the four it decides by default (units.competence)."""
    for unit in province.units:
        if unit["decides_awards"]:
            for code in sorted(LEVEL_AWARDS):
                writer.add(UnitCompetence.__table__, {"id": province.new_id("unit_competences"),
                                                      "unit_id": unit["id"], "award_code": code})


def generate(url: str, scale: float, seed: int = 2026, log=print) -> dict:
    started = time.perf_counter()
    province = Province(scale, seed)
    province.build_units()
    province.build_people()
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        @event.listens_for(engine, "connect")
        def _fast(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous = OFF")  # generation only: a crash means generating again anyway
            cursor.execute("PRAGMA cache_size = -200000")
            cursor.close()

    with engine.begin() as conn:
        writer = Writer(conn)
        for row in province.units:
            writer.add(Unit.__table__, {k: row[k] for k in UNIT_COLUMNS})
        writer.flush()  # parents are inserted before children: units are in tree order
        _competences(province, writer)
        for row in province.people:
            writer.add(Person.__table__, {k: row[k] for k in PERSON_COLUMNS})
        writer.flush()
        accounts = _accounts(province, writer)
        writer.flush()
        log(f"    {len(province.units):,} units ({accounts['deciding_units']} deciding awards), "
            f"{len(province.people):,} people")
        history = _history(province, writer, log)
        writer.flush()
        decided = _decisions(province, writer, history["chain"])
        statuses = _nominations(province, writer, history["state"])
        writer.flush()
        if not sqlite:
            for table in ("units", "people", "person_evaluations", "unit_evaluations", "disciplines", "initiatives",
                          "award_records", "award_record_initiatives", "nominations", "nomination_events", "users",
                          "user_roles", "decisions", "decision_items", "unit_competences", "councils",
                          "council_members", "outside_answers", "outside_answer_items"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        info = {"scale": scale, "seed": seed, "version": VERSION, "units": len(province.units),
                "people": len(province.people), "records": history["records"], "entries": history["entries"],
                "nominations": sum(v for k, v in statuses.items() if not k.startswith("at_")),
                "statuses": dict(statuses), "decided": decided, "accounts": accounts,
                "rows": dict(writer.counts), "seconds": round(time.perf_counter() - started, 1)}
    engine.dispose()
    log(f"  generated in {info['seconds']}s: {info['records']:,} records, {info['nominations']:,} nominations")
    return info


def finish(url: str, info: dict) -> None:
    """The marker that says the province is complete (written last: an interrupted generation is redone), and on
    PostgreSQL the statistics autovacuum would have gathered by the time people search."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_marker (k VARCHAR(40) PRIMARY KEY, v TEXT)"))
        conn.execute(text("INSERT INTO bench_marker (k, v) VALUES ('info', :v)"), {"v": json.dumps(info)})
    if engine.dialect.name != "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
