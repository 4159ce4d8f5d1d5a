"""The forwarding desk's pages in a fixed number of statements (issue 21, the slowest page of the crawl): "Trình cấp
trên", "Chờ kết quả cấp trên" and the decision page take as many statements for 30 dossiers as for 3, when the 30
come from 30 different units at different depths of the tree (a hospital, a department, its team, a team's group,
a district centre's) — each row names its unit with the one above it and where it goes next, read from one load
of the tree, not unit by unit. And the pages still list the right dossiers with the right destination."""

import itertools
import re
from datetime import datetime, timedelta

import pytest

from awards.auth import sessions
from awards.core import clock
from awards.extensions import db as _db
from awards.nominations import queries, services
from awards.nominations.models import Nomination
from awards.units import competence
from awards.units import services as unit_services
from tests import factories
from tests.web import count_statements, web

SYT = "Sở Y tế tỉnh Thái An"
SENT = datetime(2026, 2, 24, 9, 30, tzinfo=clock.VIETNAM)
DEPARTMENTS = ("Khoa Nội tổng hợp", "Khoa Ngoại chấn thương", "Khoa Nhi", "Khoa Sản", "Khoa Dược", "Khoa Hồi sức")


class Tree:
    """The Sở (deciding, the top); three deciding units under it (two hospitals, a district centre); under each,
    six departments (not deciding), each with a team, and every other team with a group under it: 49 units, four
    levels below the Sở. `pool`: the units dossiers come from, alternating depths and levels."""

    def __init__(self):
        def unit(code, name, parent=None, deciding=False, kind="other"):
            return unit_services.create_unit(code=code, name=name, parent_code=parent, kind=kind,
                                             decides_awards=deciding or None)

        self.syt = unit("SYT", SYT)
        self.levels = {code: unit(code, name, "SYT", True, "hospital") for code, name in (
            ("BVA", "Bệnh viện Đa khoa A"), ("BVB", "Bệnh viện Sản – Nhi B"), ("TTYT", "Trung tâm Y tế huyện Đông"))}
        by_depth: list[list] = [list(self.levels.values()), [], [], []]
        for i, name in enumerate(DEPARTMENTS, start=1):
            for code in self.levels:
                department = unit(f"{code}-K{i}", name, code, kind="division")
                team = unit(f"{code}-K{i}-T", f"Tổ điều dưỡng {name.lower()}", department.code)
                by_depth[1].append(department)
                by_depth[2].append(team)
                if i % 2:
                    by_depth[3].append(unit(f"{code}-K{i}-T-N", f"Nhóm chăm sóc {i}", team.code))
        # every depth and every level among the first few, so that three dossiers already reach each of them
        self.pool = [u for row in itertools.zip_longest(by_depth[3], by_depth[2], by_depth[1], by_depth[0])
                     for u in row if u is not None]
        self.staff = {"SYT": factories.user("staff", unit=self.syt),
                      "BVA": factories.user("staff", unit=self.levels["BVA"])}
        self.central = factories.user("staff")  # the secretariat with no unit: acts everywhere
        self.made: dict[str, list[int]] = {"up": [], "so": [], "out": [], "own": []}
        _db.session.commit()

    def dossiers(self, units):
        """For each unit four dossiers, of one of its people or (every other unit) of the collective: a Bằng khen
        its level's council passed (`up`: goes to the Sở), one the Sở's council passed (`so`: goes outside), one
        already sent outside (`out`), and a CSTĐCS the level decides itself (`own`: the decision page's)."""
        for i, unit in enumerate(units):
            person = factories.person(unit=unit)
            subject = unit if i % 2 else person
            for kind, award, year in (("up", "BK_TINH", 2025), ("so", "BK_TINH", 2024), ("out", "BK_TINH", 2023),
                                      ("own", "CSTDCS", 2025)):
                dossier = factories.nomination(subject if kind != "own" else person, award, year, status="draft",
                                               by=self.central)
                dossier.status = "passed"
                if kind in ("so", "out"):
                    dossier.handling_unit_id = self.syt.id  # the hospital's desk forwarded it to the Sở
                self.made[kind].append(dossier.id)
        _db.session.flush()
        _db.session.expire_all()
        for nid in self.made["out"][-len(units):]:
            dossier = services.forward(_db.session.get(Nomination, nid), by=self.staff["SYT"])
            dossier.events[-1].at = SENT  # the day it went out (the history's clock is the real one)
        _db.session.commit()


@pytest.fixture
def tree(db, at):
    at(datetime(2026, 3, 2, 9, 0, tzinfo=clock.VIETNAM))
    return Tree()


PAGES = [("BVA", "/nominations/forwarding"), ("SYT", "/nominations/forwarding"), ("central", "/nominations/forwarding"),
         ("SYT", "/nominations/forwarded"), ("central", "/nominations/forwarded"),
         ("BVA", "/decisions/new"), ("SYT", "/decisions/new"), ("central", "/decisions/new")]


def _ids(html) -> set[int]:
    return {int(i) for i in re.findall(r'name="ids" value="(\d+)"', html)}


def test_three_dossiers_or_thirty_from_thirty_units_take_the_same_statements(app, tree, monkeypatch):
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(days=1))  # "last seen" is written once a minute: on a
    # loaded machine making the dossiers takes longer, and that write would fall in one count and not the other
    desks = {"SYT": web(app, tree.staff["SYT"]), "BVA": web(app, tree.staff["BVA"]), "central": web(app, tree.central)}
    tree.dossiers(tree.pool[:3])
    for desk, path in PAGES:  # warm: the first request of each page loads what every later one finds cached
        count_statements(app, desks[desk], path)
    before = {(desk, path): count_statements(app, desks[desk], path) for desk, path in PAGES}
    tree.dossiers(tree.pool[3:30])
    after = {(desk, path): count_statements(app, desks[desk], path) for desk, path in PAGES}
    grew = {key: (before[key][0], count) for key, (count, _html) in after.items() if count != before[key][0]}
    assert not grew, f"statements (3 dossiers → 30): {grew}"
    for key, (count, html) in after.items():
        assert count <= 25, (key, count)
        assert len(html) > len(before[key][1]) + 2000, key  # the rows did grow

    # the right dossiers, each with its unit named with the one above it and the level it goes to
    up_a = {i for i in tree.made["up"] if _db.session.get(Nomination, i).handling_unit_id == tree.levels["BVA"].id}
    hospital = after[("BVA", "/nominations/forwarding")][1]
    assert _ids(hospital) == up_a and len(up_a) >= 8
    assert hospital.count(f"<td>{SYT}</td>") == len(up_a)
    outside = competence.level_outside("BK_TINH")
    so = after[("SYT", "/nominations/forwarding")][1]
    assert _ids(so) == set(tree.made["so"]) and so.count(f"<td>{outside}</td>") == 30
    assert "<td>Nhóm chăm sóc 1 — Tổ điều dưỡng khoa nội tổng hợp</td>" in so
    assert "<td>Khoa Nội tổng hợp — Trung tâm Y tế huyện Đông</td>" in so
    for nid in tree.made["so"]:  # each row names its subject: a person, or the collective
        assert f'">{_db.session.get(Nomination, nid).subject_name}</a></td>' in so
    assert so.count('">Nguyễn Thị Thử ') == 16  # and 14 collectives
    for unit in tree.pool[:30]:  # each row's unit with the one above it (the hospitals: their own name)
        named = unit.name if unit.parent.parent_id is None else f"{unit.name} — {unit.parent.name}"
        assert f"<td>{named}</td>" in so, named
    central = after[("central", "/nominations/forwarding")][1]
    assert _ids(central) == set(tree.made["so"]) | set(tree.made["up"])
    waiting = after[("SYT", "/nominations/forwarded")][1]
    assert _ids(waiting) == set(tree.made["out"]) and waiting.count("<td>24/02/2026 09:30</td>") == 30
    assert re.findall(r'<td class="workdays">(\S+)</td>', waiting) == ["4"] * 30  # 24/02 → 02/03/2026
    decisions = after[("BVA", "/decisions/new")][1]
    assert _ids(decisions) == {i for i in tree.made["own"]
                               if _db.session.get(Nomination, i).handling_unit_id == tree.levels["BVA"].id}


def test_next_levels_answers_as_next_level_dossier_by_dossier(tree):
    """The batch form of next_level (one read of the tree for a page of rows) gives each dossier's own answer:
    the Sở above a hospital, a centre or a department's team; nothing above the Sở."""
    tree.dossiers(tree.pool[:12])
    _db.session.expire_all()
    nominations = list(_db.session.scalars(_db.select(Nomination).order_by(Nomination.id)))
    single = {n.id: queries.next_level(n) for n in nominations}
    _db.session.expire_all()
    nominations = list(_db.session.scalars(_db.select(Nomination).order_by(Nomination.id)))
    assert queries.next_levels(nominations) == single
    assert {u.name if u else None for u in single.values()} == {SYT, None}
