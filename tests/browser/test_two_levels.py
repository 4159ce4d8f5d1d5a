"""Two levels in a real browser (issue 18): a hospital's secretariat appraises a Bằng khen tỉnh dossier — an award
the hospital does not decide — and, once its own council passed it, proposes it to the Sở on the "Trình cấp trên"
page; the Sở's secretariat finds it in its queue with the hospital's steps, appraises it, proposes it to the
province, and records the province's answer with the decision's PDF; the proposing unit's officer sees the award,
and the public results show it under the province's decision. The other hospital's secretariat gets 403.

The councils' votes are seeded through the services (tests/browser/test_council.py drives a vote in the browser);
appraising, forwarding and recording the answer are clicked. Steps are ordered functions sharing one server: run
the module. With GUIDE_SCREENSHOTS=1 the steps refresh docs/guide/img/ for the unit secretariat's guide page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from awards.archive import services as archive_services
from awards.auth import services as auth_services
from awards.core import clock
from awards.council import services as council_services
from awards.council import voting
from awards.extensions import db
from awards.nominations import services as nominations
from awards.nominations.models import Nomination
from awards.units import services as units_services
from tests.browser.conftest import menu, migrated_app, serving
from tests.browser.test_year import DESKTOP, PDF, guide_shot

PASSWORD = "hai-cap-2026"
DESKS = {"BV1": ("thuky.bv1", "Trần Thị Thu"), "BV2": ("thuky.bv2", "Lê Văn Tâm"), "SYT": ("thuky.syt", "Phạm Thị Hà")}
OFFICER = ("canbo.bv1", "Đỗ Thị Lan")
NOMINEE = ("BV1-07", "Hoàng Văn Đức")
DECISION = "1234/QĐ-UBND"
ISSUER = "Chủ tịch UBND tỉnh Thái An"


class Journey:
    def __init__(self, app, base, browser):
        self.app, self.base, self.browser, self.ids, self.dialogs = app, base, browser, {}, []

    def page(self, username=None, full_name=None):
        context = self.browser.new_context(**DESKTOP, accept_downloads=True)
        page = context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append("browser: " + dialog.message), dialog.dismiss()))
        page.add_locator_handler(page.get_by_role("dialog", name="Xác nhận"), self._confirm)
        if username:
            page.goto(f"{self.base}/login")
            page.get_by_label("Tên đăng nhập").fill(username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", name=f"Xin chào, {full_name}")).to_be_visible()
            page.wait_for_load_state("load")
        return page

    def _confirm(self, dialog):
        self.dialogs.append(dialog.locator("#confirm-dialog-text").inner_text())
        dialog.get_by_role("button", name="Đồng ý").click()

    def council_passes(self, unit_code: str):
        """The level's own council votes the dossier through (one member: quorum and majority)."""
        with self.app.app_context():
            from awards.auth.models import User

            desk = db.session.scalar(db.select(User).where(User.username == DESKS[unit_code][0]))
            closes = clock.now() + timedelta(days=3)
            council = council_services.save_council(
                code=f"HD-{unit_code}", name=f"Hội đồng Thi đua – Khen thưởng {unit_code}", unit_code=unit_code,
                chair_username=f"hd.{unit_code.lower()}", members=[], by=desk)
            session = council_services.create_session(council=council, title="Phiên xét Bằng khen tỉnh",
                                                      nomination_ids=[self.ids["dossier"]], closes_at=closes, by=desk)
            voting.open_session(session, by=desk)
            chair = db.session.scalar(db.select(User).where(User.username == f"hd.{unit_code.lower()}"))
            voting.cast_ballot(session, votes={self.ids["dossier"]: "yes"}, by=chair)
            voting.close_session(session, by=desk)
            db.session.commit()
            status = db.session.get(Nomination, self.ids["dossier"]).status
            db.session.remove()
        assert status == "passed"


@pytest.fixture(scope="module")
def journey(browser, tmp_path_factory):
    """The Sở, two hospitals deciding their own awards, a secretariat bound to each, the hospital's officer and a
    nominee with two years of CSTĐCS (a Bằng khen tỉnh is due), whose dossier the officer has submitted."""
    app = migrated_app(tmp_path_factory, "browser-two-levels", LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        units_services.create_unit(code="SYT", name="Sở Y tế tỉnh Thái An", kind="other")
        units = {"SYT": None}
        for code, name in (("BV1", "Bệnh viện Đa khoa tỉnh"), ("BV2", "Bệnh viện Sản – Nhi tỉnh")):
            units[code] = units_services.create_unit(code=code, name=name, parent_code="SYT", kind="hospital",
                                                     decides_awards=True)
        from awards.units.queries import unit_by_code

        units["SYT"] = unit_by_code("SYT")
        for code, (username, name) in DESKS.items():
            auth_services.create_user(username, PASSWORD, ["staff"], full_name=name, unit=units[code])
            auth_services.create_user(f"hd.{code.lower()}", PASSWORD, ["council_member"],
                                      full_name=f"Chủ tịch Hội đồng {code}")
        officer = auth_services.create_user(OFFICER[0], PASSWORD, ["unit_officer"], full_name=OFFICER[1],
                                            unit=units["BV1"])
        person = units_services.create_person(code=NOMINEE[0], full_name=NOMINEE[1], unit_code="BV1", gender="male")
        for year in (2024, 2025):
            units_services.add_person_evaluation(person, year=year, rating="excellent", by=None)
            archive_services.record_award(subject_type="person", subject_code=NOMINEE[0], award_code="CSTDCS",
                                          year=year, decision_number=f"{year - 2000}/QĐ-BV1",
                                          decision_date=date(year, 12, 20), issuer="Giám đốc Bệnh viện Đa khoa tỉnh")
        dossier = nominations.create_nomination(subject_type="person", subject_code=NOMINEE[0], award_code="BK_TINH",
                                                year=2025, summary="Hai năm liền Chiến sĩ thi đua cơ sở.", by=officer)
        for kind in sorted(nominations.required_attachments(dossier)):
            nominations.add_attachment(dossier, data=PDF + kind.encode(), filename=f"{kind}.pdf", kind=kind,
                                       by=officer)
        nominations.submit(dossier, by=officer)
        db.session.commit()
        dossier_id = dossier.id
        db.session.remove()
    with serving(app) as base:
        world = Journey(app, base, browser)
        world.ids["dossier"] = dossier_id
        yield world


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def _appraise(page):
    menu(page, "Hồ sơ", "Thẩm định")
    page.get_by_role("link", name=NOMINEE[1]).click()
    expect(page.get_by_role("heading", name=re.compile("Thẩm định"))).to_be_visible()
    page.get_by_role("button", name="Thẩm định đạt").click()


def _forward(journey, page, desk_code):
    menu(page, "Xét duyệt", "Trình cấp trên")
    expect(page.get_by_role("heading", name="Trình cấp trên", exact=True)).to_be_visible()
    page.get_by_label(re.compile(f"Chọn hồ sơ #{journey.ids['dossier']}: ")).check()
    page.get_by_label("Ghi chú (số, ngày tờ trình…)").fill(f"Tờ trình số 15/TTr-{desk_code}")
    guide_shot(page, "trinh-cap-tren")
    page.get_by_role("button", name="Trình cấp trên").click()
    _alert(page, "Đã trình cấp trên 1 hồ sơ.")
    assert journey.dialogs[-1].startswith("Trình cấp trên các hồ sơ đã chọn?")
    expect(page.get_by_role("heading", name="Đã trình cấp trên 1 hồ sơ")).to_be_visible()


def test_01_the_hospital_appraises_and_proposes_to_the_so(journey):
    page = journey.page(*DESKS["BV1"])
    _appraise(page)
    _alert(page, f"Đã thẩm định đạt hồ sơ #{journey.ids['dossier']}.")
    # the dossier page says a council vote is still due before it can go upward
    page.goto(f"{journey.base}/nominations/{journey.ids['dossier']}")
    expect(page.locator("#forward-not-ready")).to_contain_text("chưa thể quyết định khen thưởng")
    journey.council_passes("BV1")
    _forward(journey, page, "BV1")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tờ trình (.docx)").click()
    assert download.value.suggested_filename.startswith("to-trinh-bv1-")
    guide_shot(page, "da-trinh-cap-tren")
    page.context.close()


def test_02_the_other_hospital_cannot_open_it(journey):
    page = journey.page(*DESKS["BV2"])
    response = page.goto(f"{journey.base}/nominations/{journey.ids['dossier']}")
    assert response.status == 403
    page.context.close()


def test_03_the_so_sees_the_hospitals_steps_and_appraises(journey):
    page = journey.page(*DESKS["SYT"])
    page.goto(f"{journey.base}/nominations/{journey.ids['dossier']}")
    levels = page.locator("#levels")
    expect(levels).to_contain_text("Bệnh viện Đa khoa tỉnh")
    expect(levels).to_contain_text("Sở Y tế tỉnh Thái An")
    history = page.locator("#history")
    expect(history).to_contain_text("thành viên đồng ý")  # the hospital council's count, never a ballot
    expect(history).to_contain_text("Tờ trình số 15/TTr-BV1")
    expect(page.locator("#attachments")).to_contain_text("report.pdf")
    guide_shot(page, "ho-so-tu-cap-duoi")
    _appraise(page)
    _alert(page, f"Đã thẩm định đạt hồ sơ #{journey.ids['dossier']}.")
    page.context.close()


def test_04_the_so_proposes_to_the_province_and_records_its_answer(journey, tmp_path):
    journey.council_passes("SYT")
    page = journey.page(*DESKS["SYT"])
    _forward(journey, page, "SYT")
    expect(page.get_by_role("cell", name="Cấp trên ngoài hệ thống")).to_be_visible()
    menu(page, "Xét duyệt", "Chờ kết quả cấp trên")
    expect(page.get_by_role("heading", name="Chờ kết quả cấp trên", exact=True)).to_be_visible()
    expect(page.locator("td.workdays")).to_have_text("0")
    page.get_by_label(re.compile(f"Chọn hồ sơ #{journey.ids['dossier']}: ")).check()
    page.get_by_label("Được khen thưởng", exact=True).check()
    page.get_by_label("Số quyết định (hoặc số văn bản trả lời)").fill(DECISION)
    page.get_by_label("Ngày quyết định").fill(clock.today().strftime("%d/%m/%Y"))
    page.get_by_label("Cơ quan, người ban hành").fill(ISSUER)
    decision = tmp_path / "quyet-dinh-1234.pdf"
    decision.write_bytes(PDF)
    page.get_by_label("Tệp quyết định (PDF hoặc ảnh)").set_input_files(str(decision))
    guide_shot(page, "ghi-ket-qua-cap-tren")
    page.get_by_role("button", name="Ghi kết quả").click()
    _alert(page, "Đã ghi kết quả cấp trên cho 1 hồ sơ.")
    assert journey.dialogs[-1].startswith("Ghi kết quả này cho các hồ sơ đã chọn?")
    page.goto(f"{journey.base}/nominations/{journey.ids['dossier']}")
    expect(page.locator("#outside-answer")).to_contain_text(f"Quyết định số {DECISION}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tệp quyết định").click()
    assert download.value.suggested_filename == "quyet-dinh-1234.pdf"
    page.context.close()


def test_05_the_officer_and_the_public_see_the_award(journey):
    page = journey.page(*OFFICER)
    page.goto(f"{journey.base}/nominations/{journey.ids['dossier']}")
    expect(page.locator("#status")).to_have_text("Đã khen thưởng")
    expect(page.locator("#outside-answer")).to_contain_text(ISSUER)
    page.context.close()
    public = journey.page()
    public.goto(f"{journey.base}/public/results")
    table = public.locator("table.results-table")
    expect(table).to_contain_text(NOMINEE[1])
    expect(table).to_contain_text(f"Quyết định số {DECISION}")
    expect(table).to_contain_text(ISSUER)
    public.context.close()


def test_06_no_confirmation_went_through_the_browsers_own_dialog(journey):
    assert not [d for d in journey.dialogs if d.startswith("browser: ")]
