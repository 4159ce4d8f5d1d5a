"""The dashboard's figures from the page cache (issue 21): a view between two writes reads the cached counts, and
every write that changes them — an award recorded, decided or imported, a revocation, a correction, a unit moved,
a person's or a unit's attribute the shares count — shows on the very next view. The archive is the hand-counted
one of test_dashboard.py (2025: 9 awards, 6 individual; women 4; SYT 9, BVA 8, TYT 5, XSS 1)."""

import re
from datetime import date

from awards.archive import imports
from awards.archive import services as archive
from awards.archive.models import AwardRecord
from awards.reports import cached
from awards.units import services as units
from awards.units.models import Person
from tests import factories
from tests.archive.test_import import workbook
from tests.reports import test_dashboard
from tests.reports.test_dashboard import _rows, _section

archive_2025 = test_dashboard.archive_2025  # the hand-counted archive, shared with the dashboard's own tests






def _logout(client, csrf_token):
    assert client.post("/logout", data={"csrf_token": csrf_token("/")}).status_code == 302


def _figures(client, query="year=2025") -> dict:
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    number = {name: int(re.search(rf'id="{name}">(\d+)<', html).group(1))
              for name in ("total-awards", "individual-awards", "collective-awards")}
    return {**number, "awards": _rows(_section(html, "panel-awards"))[1:],
            "shares": _rows(_section(html, "panel-shares"))[1:6], "units": _rows(_section(html, "panel-units"))[1:]}


def _counted_over_the_archive(seen: list[str]) -> list[str]:
    return [s for s in seen if "FROM award_records" in s and "count(" in s]


def test_a_view_between_two_writes_reads_the_cached_figures(archive_2025, warm_page_cache, client, login_as, statements,
                                                            csrf_token):
    login_as("staff")
    first = _figures(client)
    assert first["total-awards"] == 9 and len(_counted_over_the_archive(statements)) == 3  # award, unit, shares
    statements.clear()
    assert _figures(client) == first
    assert _counted_over_the_archive(statements) == []
    _logout(client, csrf_token)
    login_as("admin")  # another manager: the same province's figures, from the same entry
    statements.clear()
    assert _figures(client) == first and _counted_over_the_archive(statements) == []


def test_every_write_to_the_archive_shows_on_the_next_view(archive_2025, warm_page_cache, client, login_as, db):
    staff = login_as("staff")
    assert _figures(client)["total-awards"] == 9

    record = archive.record_award(subject_type="person", subject_code="D", award_code="CSTDCS", year=2025,
                                  decision_number="50/QĐ", decision_date=date(2026, 2, 2), issuer="Sở Y tế")
    db.session.commit()
    seen = _figures(client)
    assert seen["total-awards"] == 10 and "Chiến sĩ thi đua cơ sở Cấp cơ sở 2" in seen["awards"]

    archive.revoke_record(record, reason="Ghi nhầm", decision_number="TH/2", decision_date=date(2026, 2, 3),
                          by=staff)
    db.session.commit()
    seen = _figures(client)
    assert seen["total-awards"] == 9 and "Chiến sĩ thi đua cơ sở Cấp cơ sở 1" in seen["awards"]

    # the Bằng khen's decision was signed in July, not January: it leaves the first half-year's report
    first_half = _figures(client, "year=2026&half=1")
    assert first_half["total-awards"] == 9 and "Bằng khen cấp tỉnh Cấp tỉnh 1" in first_half["awards"]
    bk = db.session.query(AwardRecord).filter_by(award_code="BK_TINH").one()
    archive.correct_record(bk, reason="Sai ngày quyết định", by=staff, decision_date=date(2026, 7, 6))
    db.session.commit()
    seen = _figures(client, "year=2026&half=1")
    assert seen["total-awards"] == 8 and not any(row.startswith("Bằng khen cấp tỉnh") for row in seen["awards"])
    assert "Bằng khen cấp tỉnh Cấp tỉnh 1" in _figures(client, "year=2026&half=2")["awards"]
    assert _figures(client)["total-awards"] == 9  # the corrected record counts once

    result = imports.import_records(workbook(
        ["Năm", "Số quyết định", "Mã đối tượng", "Loại đối tượng", "Danh hiệu", "Ngày quyết định", "Cơ quan ban hành"],
        [[2025, "77/QĐ-SYT", "B", "Cá nhân", "CSTDCS", date(2026, 3, 1), "Sở Y tế"],
         [2025, "78/QĐ-SYT", "XSS", "Tập thể", "GIAY_KHEN", date(2026, 3, 1), "Sở Y tế"]]), dry_run=False, by=staff)
    assert result.ok, result.errors
    db.session.commit()
    seen = _figures(client)
    assert seen["total-awards"] == 11 and seen["individual-awards"] == 7 and seen["collective-awards"] == 4
    assert "4 &lt;b&gt;X&lt;/b&gt; XSS 2" in seen["units"] and "Chiến sĩ thi đua cơ sở Cấp cơ sở 2" in seen["awards"]


def test_a_decision_shows_on_the_next_view(archive_2025, warm_page_cache, client, login_as, db):
    from awards.announcements.decisions import issue_decision

    staff = login_as("staff")
    assert _figures(client)["total-awards"] == 9
    nurse = factories.person(code="E", unit=archive_2025["tram"], gender="male")
    dossier = factories.nomination(nurse, "LDTT", 2025, by=staff)
    issue_decision(number="9/QĐ-SYT", signed_on=date(2026, 1, 10), signer="Giám đốc", issuer="Sở Y tế",
                   nomination_ids=[dossier.id], by=staff)
    db.session.commit()
    seen = _figures(client)
    assert seen["total-awards"] == 10 and "Lao động tiên tiến Cấp cơ sở 5" in seen["awards"]
    assert seen["shares"][4] == "Thuộc đơn vị cơ sở 4 57,1%"


def test_unit_and_person_changes_show_on_the_next_view(archive_2025, warm_page_cache, client, login_as, db):
    staff = login_as("staff")
    seen = _figures(client)
    assert seen["shares"][0] == "Nữ 4 66,7%" and seen["shares"][4] == "Thuộc đơn vị cơ sở 3 50%"
    assert seen["units"][:2] == ["1 Sở Y tế SYT 9", "2 Bệnh viện A BVA 8"]

    # a unit moved under the hospital: the hospital's roll-up counts its award
    xss = archive_2025["xss"]
    units.update_unit(xss, name="Khoa X", parent_code="BVA", kind=xss.kind, grassroots=xss.grassroots, by=staff)
    db.session.commit()
    assert _figures(client)["units"][:2] == ["1 Bệnh viện A BVA 9", "2 Sở Y tế SYT 9"]  # a tie: by name

    # B (2025: LDTT) recorded as a woman
    units.update_person(db.session.query(Person).filter_by(code="B").one(), gender="female", by=staff)
    db.session.commit()
    assert _figures(client)["shares"][0] == "Nữ 5 83,3%"

    # the hospital becomes grassroots: A's and B's three awards now count there too
    bva = archive_2025["bva"]
    units.update_unit(bva, name=bva.name, parent_code="SYT", kind=bva.kind, grassroots=True, by=staff)
    db.session.commit()
    assert _figures(client)["shares"][4] == "Thuộc đơn vị cơ sở 6 100%"


def test_a_rolled_back_change_leaves_the_cached_figures(archive_2025, warm_page_cache, client, login_as, db,
                                                        statements):
    staff = login_as("staff")
    before = _figures(client)
    units.update_person(db.session.query(Person).filter_by(code="B").one(), gender="female", by=staff)
    archive.record_award(subject_type="person", subject_code="D", award_code="CSTDCS", year=2025,
                         decision_number="51/QĐ", decision_date=date(2026, 2, 2), issuer="Sở Y tế")
    db.session.rollback()
    statements.clear()
    assert _figures(client) == before and _counted_over_the_archive(statements) == []


def test_only_managers_see_the_cached_figures(archive_2025, warm_page_cache, client, login_as, csrf_token):
    login_as("staff")
    assert _figures(client)["total-awards"] == 9
    _logout(client, csrf_token)
    login_as("unit_officer", unit=archive_2025["bva"])
    assert client.get("/reports/?year=2025").status_code == 403
    _logout(client, csrf_token)
    login_as("council_member")
    assert client.get("/reports/?year=2025").status_code == 403


def test_the_summary_equals_the_uncached_one(archive_2025, warm_page_cache, app):
    """reports.cached.summary gives what reports.figures.summary(descendants=True) computes, cached or not."""
    from awards.reports import figures

    with app.test_request_context():
        for period in (figures.Period(2025), figures.Period(2026, 1), figures.Period(2024)):
            direct = figures.summary(period, descendants=True)
            assert cached.summary(period) == direct and cached.summary(period) == direct
