"""The reports dashboard against a hand-counted archive, and the SVG chart functions on their own.

The archive is tests/reports/conftest.py's `province` plus, for 2025: a Bằng khen cấp tỉnh to C (provincial,
individual), a Cờ thi đua của Chính phủ to the Trạm (national, collective) and a Tập thể LĐTT to a unit named
`<b>X</b>` under the Sở. Counted by hand for 2025:
  by award   LDTT 4, CSTDCS 1, TTLDTT 2, BK_TINH 1, CO_CP 1 → 9 awards, 6 individual, 3 collective
  by level   grassroots 7, provincial 1, national 1
  shares     of 6 individual awards: women 4 (A, C, A, C), young 2 (A twice), ethnic minority 1 (B),
             frontline 2 (C twice), grassroots 3 (C, D, C)
  by unit    with descendants: SYT 9, BVA 8 (its own 3 + the Trạm's 5), TYT 5, XSS 1
"""

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from awards.archive import services as archive
from awards.campaigns.models import Campaign, Registration
from awards.nominations.models import Nomination, NominationEvent
from awards.reports import charts
from tests import factories

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def archive_2025(province, db):
    so, bva, tram = province
    xss = factories.unit(code="XSS", name="<b>X</b>", parent=so)
    for award_code, subject_type, code in (("BK_TINH", "person", "C"), ("CO_CP", "unit", "TYT"),
                                           ("TTLDTT", "unit", "XSS")):
        archive.record_award(subject_type=subject_type, subject_code=code, award_code=award_code, year=2025,
                             decision_number=f"{award_code}/QĐ", decision_date=date(2026, 1, 20), issuer="UBND tỉnh")
    plan = {"kind": "regular", "year": 2025, "starts_on": date(2025, 1, 1), "ends_on": date(2025, 12, 31),
            "registration_deadline": date(2025, 3, 31), "nomination_deadline": date(2025, 12, 15),
            "award_codes": ["LDTT"]}
    by_so = Campaign(title="Phong trào thi đua của Sở năm 2025", organizer_unit_id=so.id, status="launched", **plan)
    by_bva = Campaign(title="Phong trào của Bệnh viện A", organizer_unit_id=bva.id, status="closed", **plan)
    draft = Campaign(title="Phong trào nháp", organizer_unit_id=so.id, status="draft", **plan)
    older = Campaign(title="Phong trào năm 2024", organizer_unit_id=so.id, status="launched",
                     **{**plan, "year": 2024})
    db.session.add_all([by_so, by_bva, draft, older])
    db.session.flush()
    db.session.add(Registration(campaign_id=by_so.id, unit_id=bva.id))  # the Sở expects BVA and XSS: 1 of 2
    # a dossier submitted on Monday 03/03/2025 09:00 and appraised a week later: 5 working days (norm 20)
    dossier = Nomination(subject_type="person", person_id=_person_id(db, "B"), unit_id=bva.id, subject_code="B",
                         award_code="BK_TINH", year=2025, status="appraised")
    db.session.add(dossier)
    db.session.flush()
    db.session.add_all([
        NominationEvent(nomination_id=dossier.id, status="submitted", at=datetime(2025, 3, 3, 2, 0, tzinfo=UTC)),
        NominationEvent(nomination_id=dossier.id, status="appraised", at=datetime(2025, 3, 10, 2, 0, tzinfo=UTC)),
    ])
    db.session.commit()
    return {"so": so, "bva": bva, "tram": tram, "xss": xss, "by_so": by_so.id, "by_bva": by_bva.id}


def _person_id(db, code):
    from awards.units.models import Person

    return db.session.query(Person.id).filter_by(code=code).scalar()


def _section(html: str, panel: str) -> str:
    match = re.search(rf'<section[^>]*id="{panel}".*?</section>', html, re.S)
    assert match, f"no panel {panel}"
    return match.group(0)


def _svg(section: str) -> ET.Element:
    match = re.search(r"<svg.*?</svg>", section, re.S)
    assert match, "no SVG in the panel"
    return ET.fromstring(match.group(0))  # well-formed, or this raises


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def _rows(section: str) -> list[str]:
    """Each table row as its cells' text joined by single spaces."""
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_dashboard_shows_the_hand_counted_figures(archive_2025, client, login_as):
    login_as("staff")
    response = client.get("/reports/?year=2025")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'id="total-awards">9<', html) and re.search(r'id="individual-awards">6<', html)
    assert re.search(r'id="collective-awards">3<', html)

    awards = _section(html, "panel-awards")
    rows = _rows(awards)
    assert "Lao động tiên tiến Cấp cơ sở 4" in rows and "Tập thể lao động tiên tiến Cấp cơ sở 2" in rows
    assert "Bằng khen cấp tỉnh Cấp tỉnh 1" in rows and "Cờ thi đua của Chính phủ Cấp Nhà nước 1" in rows
    svg = _svg(awards)
    assert len(_bars(svg)) == 5
    assert {"Cấp cơ sở", "Cấp tỉnh", "Cấp Nhà nước"} <= set(_texts(svg))  # the level is written, not only coloured

    levels = _section(html, "panel-levels")
    assert _rows(levels)[1:] == ["Cấp cơ sở 7 77,8%", "Cấp tỉnh 1 11,1%", "Cấp Nhà nước 1 11,1%"]
    bars = _bars(_svg(levels))
    assert [b.get("data-value") for b in bars] == ["7", "1", "1"]
    assert float(bars[0].get("width")) == charts.WIDTH - 64  # the largest value fills the track

    shares = _section(html, "panel-shares")
    assert _rows(shares)[1:6] == ["Nữ 4 66,7%", "Dưới 40 tuổi (tính đến 31/12) 2 33,3%",
                                  "Người dân tộc thiểu số 1 16,7%", "Trực tiếp công tác tuyến đầu 2 33,3%",
                                  "Thuộc đơn vị cơ sở 3 50%"]
    svg = _svg(shares)
    assert len(_bars(svg)) == 5 and {"66,7%", "33,3%", "16,7%", "50%"} <= set(_texts(svg))
    cards = re.search(r'id="share-cards".*?</section>', html, re.S).group(0)
    assert all(p in cards for p in ("66,7%", "33,3%", "16,7%", "50%"))

    units = _section(html, "panel-units")
    assert _rows(units)[1:] == ["1 Sở Y tế SYT 9", "2 Bệnh viện A BVA 8", "3 Trạm Y tế xã Hòa An TYT 5",
                                "4 &lt;b&gt;X&lt;/b&gt; XSS 1"]
    svg = _svg(units)
    assert len(_bars(svg)) == 4 and "<b>X</b>" in _texts(svg)  # the parsed text: it was escaped in the markup
    assert "<b>X</b>" not in html and html.count("&lt;b&gt;X&lt;/b&gt;") >= 2

    coverage = _section(html, "panel-coverage")
    assert _rows(coverage)[1:] == ["Phong trào thi đua của Sở năm 2025 2 1 50%", "Phong trào của Bệnh viện A 1 0 0%"]
    svg = _svg(coverage)
    assert len(_bars(svg)) == 4 and "Cần đăng ký: 2" in _texts(svg) and "Đã đăng ký: 1" in _texts(svg)
    assert "Phong trào nháp" not in html and "Phong trào năm 2024" not in html

    processing = _section(html, "panel-processing")
    assert "Bằng khen cấp tỉnh 1 0 1 5 5 0 0 – 0" in _rows(processing)
    svg = _svg(processing)
    assert len(_bars(svg)) == 2 and {"Định mức: 20", "Trung vị: 5"} <= set(_texts(svg))


def test_every_chart_is_an_image_with_a_title_and_a_table(archive_2025, client, login_as):
    login_as("admin")
    html = client.get("/reports/?year=2025").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 6
    for markup in svgs:
        svg = ET.fromstring(markup)
        assert svg.get("role") == "img" and svg.get("aria-label")
        assert svg.find(f"{SVG}title").text == svg.get("aria-label")
        assert svg.get("viewBox").startswith(f"0 0 {charts.WIDTH} ")
        assert svg.get("width") is None and svg.get("style") is None  # sized by its container, no inline style
    assert html.count("<caption>") == 7  # the six charts' tables and the typical examples' table
    assert " style=" not in html and "<script>" not in html  # the CSP forbids both


def test_the_campaign_choice_narrows_the_coverage_panel(archive_2025, client, login_as):
    login_as("staff")
    html = client.get(f"/reports/?year=2025&campaign={archive_2025['by_bva']}").get_data(as_text=True)
    coverage = _section(html, "panel-coverage")
    assert _rows(coverage)[1:] == ["Phong trào của Bệnh viện A 1 0 0%"]
    assert re.search(r'id="total-awards">9<', html)  # the award figures stay the whole archive's
    # a campaign of another year (the year was changed in the form) is dropped, not an error
    html = client.get(f"/reports/?year=2024&campaign={archive_2025['by_bva']}").get_data(as_text=True)
    assert _rows(_section(html, "panel-coverage"))[1:] == ["Phong trào năm 2024 2 0 0%"]


def test_half_year_counts_decisions_signed_in_that_half(archive_2025, client, login_as):
    login_as("staff")
    html = client.get("/reports/?year=2026&half=1").get_data(as_text=True)
    assert "6 tháng đầu năm 2026" in html and re.search(r'id="total-awards">9<', html)
    html = client.get("/reports/?year=2025&half=1").get_data(as_text=True)
    assert re.search(r'id="total-awards">1<', html)  # the 2024 LĐTT, decided 05/05/2025
    assert 'data-export="half_year1"' in html and "Tạo báo cáo 6 tháng đầu năm 2025" in html
    assert 'data-export="half_year2"' not in html


def test_the_default_year_is_last_year_and_a_bad_year_is_refused(archive_2025, client, login_as, at):
    login_as("staff")
    html = client.get("/reports/").get_data(as_text=True)  # the clock says 10/03/2026
    assert re.search(r'id="total-awards">9<', html) and 'value="2025"' in html
    for bad in ("abc", "3000"):
        response = client.get(f"/reports/?year={bad}")
        assert response.status_code == 400 and "is-invalid" in response.get_data(as_text=True)
    assert client.get("/reports/?year=2025&half=3").status_code == 400


def test_an_empty_year_says_so_instead_of_drawing(db, client, login_as):
    login_as("staff")
    html = client.get("/reports/?year=2031").get_data(as_text=True)
    assert html.count("Chưa có số liệu.") == 6 and "<svg" not in html
    assert re.search(r'id="total-awards">0<', html) and "0%" in html


@pytest.mark.parametrize("role", ["unit_officer", "council_member"])
def test_only_managers_see_the_reports(db, client, login_as, role):
    login_as(role)
    assert client.get("/reports/?year=2025").status_code == 403
    assert client.get("/reports/annual.xlsx?year=2025").status_code == 403
    assert client.get("/reports/half-year.xlsx?year=2025&half=1").status_code == 403


def test_anonymous_visitors_are_sent_to_login(db, client):
    response = client.get("/reports/?year=2025")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_workbooks_download_with_the_session(archive_2025, client, login_as):
    login_as("staff")
    response = client.get("/reports/annual.xlsx?year=2025")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "bao-cao-khen-thuong-nam-2025.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert "Tổng hợp" in book.sheetnames
    response = client.get("/reports/half-year.xlsx?year=2026&half=1")
    assert response.status_code == 200 and "6-thang-dau" in response.headers["Content-Disposition"]
    load_workbook(io.BytesIO(response.data), read_only=True)
    assert client.get("/reports/annual.xlsx").status_code == 400
    assert client.get("/reports/half-year.xlsx?year=2025&half=3").status_code == 400


def test_managers_see_the_reports_link(db, client, login_as):
    login_as("staff")
    assert 'href="/reports/"' in client.get("/").get_data(as_text=True)


# --- the chart functions ---------------------------------------------------------------------------------

def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_no_data_is_a_sentence_not_a_broken_svg():
    for markup in (charts.bar_chart([], title="Theo cấp"), charts.hbar_shares([], title="Tỷ lệ"),
                   charts.grouped_bar_chart([("Cấp tỉnh", [])], title="Theo loại"),
                   charts.paired_bar_chart([], title="Đăng ký", series=("Cần", "Đã"))):
        assert "Chưa có số liệu." in markup and "<svg" not in markup
    assert "&lt;i&gt;" in charts.bar_chart([], title="<i>Tiêu đề</i>")


def test_bars_scale_to_the_largest_value_or_to_max_value():
    track = charts.WIDTH - 64
    svg = _parse(charts.bar_chart([("Một", 10), ("Hai", 5), ("Không", 0)], title="Thử", unit_label="hồ sơ"))
    assert [float(b.get("width")) for b in _bars(svg)] == [track, track / 2, 0]
    assert [t for t in _texts(svg) if t.isdigit()] == ["10", "5", "0"]
    svg = _parse(charts.bar_chart([("Một", 10), ("Quá", 30)], title="Thử", max_value=20))
    assert [float(b.get("width")) for b in _bars(svg)] == [track / 2, track]  # clipped at max_value
    svg = _parse(charts.bar_chart([("Không", 0)], title="Thử"))  # all zero: no division by zero
    assert [float(b.get("width")) for b in _bars(svg)] == [0]
    assert "hồ sơ" in charts.bar_chart([("Một", 1)], title="Thử", unit_label="hồ sơ")


def test_labels_and_titles_are_escaped():
    markup = charts.bar_chart([('<script>alert("x")</script> & co', 3)], title='<b>"Tiêu đề"</b>')
    assert "<script>" not in markup and "<b>" not in markup
    svg = _parse(markup)  # still well-formed XML
    assert svg.get("aria-label") == '<b>"Tiêu đề"</b>' and svg.find(f"{SVG}title").text == '<b>"Tiêu đề"</b>'
    assert '<script>alert("x")</script> & co' in _texts(svg)


def test_shares_are_percentages_on_a_fixed_scale():
    svg = _parse(charts.hbar_shares([("Nữ", 0.6), ("Trẻ", 1 / 3), ("Không", 0.0)], title="Tỷ lệ"))
    assert _texts(svg)[1::2] == ["60%", "33,3%", "0%"]
    assert [float(b.get("width")) for b in _bars(svg)] == [round((charts.WIDTH - 64) * 0.6, 1),
                                                           round((charts.WIDTH - 64) / 3, 1), 0]
    assert svg.get("role") == "img"


def test_grouped_and_paired_charts_write_their_groups_and_series():
    svg = _parse(charts.grouped_bar_chart([("Cấp cơ sở", [("LĐTT", 4)]), ("Cấp tỉnh", []),
                                           ("Cấp Nhà nước", [("Cờ", 1)])], title="Theo loại"))
    texts = _texts(svg)
    assert "Cấp cơ sở" in texts and "Cấp Nhà nước" in texts and "Cấp tỉnh" not in texts  # empty groups left out
    assert [b.get("fill") for b in _bars(svg)] == [charts.BLUE, charts.ORANGE]
    svg = _parse(charts.paired_bar_chart([("Phong trào", 4, 3)], title="Đăng ký", series=("Cần", "Đã")))
    assert [float(b.get("width")) for b in _bars(svg)] == [charts.WIDTH - 176, (charts.WIDTH - 176) * 3 / 4]
    assert {"Cần: 4", "Đã: 3"} <= set(_texts(svg))


def test_long_labels_are_shortened_with_the_full_text_in_the_tooltip():
    label = "Đơn vị " + "rất " * 30 + "dài"
    svg = _parse(charts.bar_chart([(label, 1)], title="Thử"))
    shown = _texts(svg)[0]
    assert shown.endswith("…") and len(shown) <= charts.LABEL_CHARS
    assert svg.find(f"{SVG}g/{SVG}title").text.startswith(label)


def test_the_statistics_forms_download_from_the_dashboard(archive_2025, client, login_as):
    import io

    import openpyxl

    login_as("staff")
    page = client.get("/reports/?year=2025").get_data(as_text=True)
    assert 'data-export="statistics"' in page and 'action="/reports/exports"' in page
    response = client.get("/reports/statistics.xlsx?year=2025")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames[0] == "0601.N"
    assert client.get("/reports/statistics.xlsx").status_code == 400
