"""Issue 25: an award type an admin composes from the rule blocks, checked against tables of cases (pure), years
of service with the women's minimum, and a stored type nominated end to end: dossier → checklist → decision →
archive."""

from datetime import date

import pytest

from awards.catalog import blocks, rules
from awards.catalog.history import AwardHeld, DisciplineFact, InitiativeFact, MemberYear, PersonHistory, UnitHistory
from awards.catalog.types import AwardType
from awards.core.db import Invalid


def stored(*conditions, subject="individual", period_years=1, code="KT_THU"):
    """A stored award type as catalog.services builds it from its row (conditions already validated)."""
    clean = blocks.validate(list(conditions), subjects=("individual", "collective") if subject == "both"
                            else (subject,), award_codes=["LDTT", "CSTDCS", "BK_TINH", code],
                            default_basis="Thông tư thử, Điều 1")
    return AwardType(code, "Khen thưởng thử", subject, "commendation", "ministerial", "Bộ trưởng", "none", None,
                     ("proposal", "report"), 5, "Thông tư thử", builtin=False, conditions=tuple(clean),
                     period_years=period_years)


def line(award, history, year, rule):
    found = [c for c in rules.check(award, history, year) if c.rule == rule]
    assert len(found) == 1, [c.rule for c in rules.check(award, history, year)]
    return found[0]


RATING_2 = {"rule": "rating_years", "params": {"minimum": "excellent", "years": 2}}
CSTDCS_2 = {"rule": "consecutive_titles", "params": {"award": "CSTDCS", "times": 2}}
PRIOR = {"rule": "prior_award", "params": {"award": "BK_TINH", "times": 1, "within": 5}}
INITIATIVE = {"rule": "initiative", "params": {"scope": "provincial", "within": 3}}
SERVICE = {"rule": "years_of_service", "params": {"min_years": 25, "min_years_women": 20}}
CLEAN_3 = {"rule": "no_discipline", "params": {"years": 3}}
SHARE = {"rule": "member_share", "params": {"title": "LDTT", "percent": 70}}


def person(**kw):
    return PersonHistory(name="Nguyễn Thị Thử", **kw)


CASES = [
    pytest.param(RATING_2, person(ratings={2024: "excellent", 2025: "excellent"}), "rating_years", True,
                 id="rating-two-excellent-years"),
    pytest.param(RATING_2, person(ratings={2024: "good", 2025: "excellent"}), "rating_years", False,
                 id="rating-one-good-year-fails"),
    pytest.param(CSTDCS_2, person(awards=[AwardHeld("CSTDCS", 2024), AwardHeld("CSTDCS", 2025)]),
                 "consecutive_titles", True, id="two-cstdcs-in-a-row"),
    pytest.param(CSTDCS_2, person(awards=[AwardHeld("CSTDCS", 2023), AwardHeld("CSTDCS", 2025)]),
                 "consecutive_titles", False, id="a-gap-breaks-the-run"),
    pytest.param(CSTDCS_2, person(awards=[AwardHeld("CSTDCS", 2024), AwardHeld("CSTDCS", 2025, revoked=True)]),
                 "consecutive_titles", False, id="a-revoked-title-does-not-count"),
    pytest.param(PRIOR, person(awards=[AwardHeld("BK_TINH", 2022)]), "prior_award", True,
                 id="bk-tinh-within-five-years"),
    pytest.param(PRIOR, person(awards=[AwardHeld("BK_TINH", 2019)]), "prior_award", False,
                 id="bk-tinh-too-long-ago"),
    pytest.param(INITIATIVE, person(initiatives=[InitiativeFact(1, 2024, "provincial", "Quy trình mới")]),
                 "initiative", True, id="provincial-initiative-in-three-years"),
    pytest.param(INITIATIVE, person(initiatives=[InitiativeFact(1, 2024, "unit", "Cải tiến nhỏ")]),
                 "initiative", False, id="unit-initiative-too-narrow"),
    pytest.param(INITIATIVE, person(initiatives=[InitiativeFact(1, 2024, "provincial", used_by=("BK_TINH",))]),
                 "initiative", False, id="initiative-already-used-for-a-form"),
    pytest.param(CLEAN_3, person(disciplines=[DisciplineFact(2021, "reprimand", date(2021, 3, 1))]),
                 "no_discipline", True, id="discipline-before-the-window"),
    pytest.param(CLEAN_3, person(disciplines=[DisciplineFact(2023, "reprimand", date(2023, 3, 1))]),
                 "no_discipline", False, id="discipline-in-the-window"),
]


@pytest.mark.parametrize(("condition", "history", "rule", "passed"), CASES)
def test_each_block_against_its_cases(condition, history, rule, passed):
    award = stored(condition)
    found = line(award, history, 2025, rule)
    assert found.passed is passed, found.detail
    assert found.basis.article == "Thông tư thử, Điều 1" and found.basis.confirmed is False


def test_a_composed_type_has_the_common_lines_the_period_line_and_its_conditions_in_order():
    award = stored(RATING_2, CSTDCS_2, {"rule": "confirm", "params": {"text": "có đóng góp cho ngành"}},
                   period_years=2)
    history = person(ratings={2024: "excellent", 2025: "excellent"},
                     awards=[AwardHeld("CSTDCS", 2024), AwardHeld("CSTDCS", 2025)])
    verdict = rules.evaluate(award, history, 2025)
    assert [c.rule for c in verdict.checks] == ["not_frozen", "no_discipline_in_year", "period_unused",
                                                "rating_years", "consecutive_titles", "confirm"]
    assert verdict.eligible and verdict.period == (2024, 2025)
    assert verdict.checks[-1].manual and "có đóng góp cho ngành" in verdict.checks[-1].detail


def test_one_achievement_one_award_over_the_stored_period():
    award = stored(RATING_2, period_years=2)
    history = person(ratings={2024: "excellent", 2025: "excellent"},
                     awards=[AwardHeld("KT_THU", 2024, period_from=2023, period_to=2024)])
    once = line(award, history, 2025, "period_unused")
    assert not once.passed and "xét sớm nhất năm 2026" in once.detail


def test_a_collective_block_and_the_subject_line():
    award = stored(SHARE, subject="collective")
    unit = UnitHistory(name="Khoa Nội", members={2025: [MemberYear("good", frozenset({"LDTT"}))] * 7
                                                 + [MemberYear("done")] * 3})
    assert line(award, unit, 2025, "member_share").passed
    unit.members[2025][0] = MemberYear("done")
    assert not line(award, unit, 2025, "member_share").passed
    wrong = line(award, person(), 2025, "subject_matches")
    assert not wrong.passed and "không xét tặng cho cá nhân" in wrong.detail


def test_a_type_for_both_leaves_out_the_person_blocks_for_a_unit():
    award = stored(SERVICE, RATING_2, subject="both")
    lines = [c.rule for c in rules.check(award, UnitHistory(ratings={2024: "excellent", 2025: "excellent"}), 2025)]
    assert "years_of_service" not in lines and "rating_years" in lines


SERVICE_CASES = [
    pytest.param(False, date(2000, 12, 31), True, id="man-25-years-on-31-december"),
    pytest.param(False, date(2001, 1, 1), False, id="man-one-day-short"),
    pytest.param(True, date(2005, 12, 31), True, id="woman-20-years"),
    pytest.param(True, date(2006, 1, 1), False, id="woman-one-day-short-of-20"),
    pytest.param(False, date(2005, 6, 1), False, id="man-20-years-is-not-enough"),
]


@pytest.mark.parametrize(("female", "start", "passed"), SERVICE_CASES)
def test_years_of_service_with_the_womens_minimum(female, start, passed):
    found = line(stored(SERVICE), person(service_start=start, female=female), 2025, "years_of_service")
    assert found.passed is passed, found.detail
    assert ("(nữ)" in found.detail) is female


def test_years_of_service_without_a_start_date_fails_and_says_so():
    found = line(stored(SERVICE), person(), 2025, "years_of_service")
    assert not found.passed and "Chưa có ngày vào ngành" in found.detail
    same = line(stored({"rule": "years_of_service", "params": {"min_years": 25}}),
                person(service_start=date(2005, 1, 1), female=True), 2025, "years_of_service")
    assert not same.passed and "cần 25 năm" in same.detail  # no women's minimum set: the same for everyone


@pytest.mark.parametrize(("condition", "message"), [
    ({"rule": "fly"}, "Điều kiện 1: không có khối điều kiện “fly”."),
    ({"rule": "rating_years", "params": {"minimum": "good"}},
     "Điều kiện 1 (Xếp loại liên tục nhiều năm): cần nhập “Số năm liên tục (tính đến năm xét)”."),
    ({"rule": "rating_years", "params": {"minimum": "best", "years": 2}},
     "Điều kiện 1 (Xếp loại liên tục nhiều năm): “Mức xếp loại tối thiểu” không hợp lệ."),
    ({"rule": "prior_award", "params": {"award": "HC_KHONG_CO"}},
     "Điều kiện 1 (Đã được khen thưởng trước đó): không có danh hiệu, hình thức khen thưởng mã “HC_KHONG_CO”."),
    ({"rule": "member_share", "params": {"title": "LDTT", "percent": 70}},
     "Điều kiện 1 (Tỷ lệ thành viên đạt danh hiệu (tập thể)) không áp dụng cho đối tượng của loại khen thưởng này."),
    ({"rule": "confirm", "params": {"text": "x", "extra": 1}},
     "Điều kiện 1 (Tiêu chuẩn do người thẩm định xác nhận): không có tham số “extra”."),
])
def test_bad_conditions_name_the_condition(condition, message):
    with pytest.raises(Invalid) as refused:
        stored(condition)
    assert refused.value.message == message and refused.value.field == "conditions"


def test_built_in_types_are_checked_as_before():
    history = person(ratings={2025: "good"})
    assert [c.rule for c in rules.check("LDTT", history, 2025)] == [
        "not_frozen", "no_discipline_in_year", "rating_good_or_better", "self_reliance_solidarity"]


def test_a_person_nominated_for_a_stored_type_goes_to_the_archive(db):
    """Dossier → checklist (its composed lines) → appraisal → decision → archive record with the type's period."""
    from awards.announcements.decisions import issue_decision
    from awards.archive.models import AwardRecord
    from awards.catalog import services as catalog
    from awards.nominations.eligibility import checklist_of
    from awards.units import services as units
    from tests import factories

    admin = factories.user("admin")
    catalog.create_award_type(code="KNC_THU", name="Kỷ niệm chương thử", subject="individual", ballot="none",
                              threshold=None, level="ministerial", period_years=2, by=admin,
                              conditions=[SERVICE, {"rule": "rating_years",
                                                    "params": {"minimum": "good", "years": 2}}])
    department = factories.unit(code="SYT_THU", name="Sở Y tế thử")
    units.set_competence(department, ["LDTT", "KNC_THU"], by=admin)
    nurse = factories.person(unit=department, gender="female")
    units.update_person(nurse, sector_start_date=date(2004, 9, 1), by=admin)
    for year in (2024, 2025):
        units.add_person_evaluation(nurse, year=year, rating="good", by=admin)
    dossier = factories.nomination(nurse, "KNC_THU", 2025, status="submitted", by=admin)
    lines = {c.rule: c for c in checklist_of(dossier).checks}
    assert lines["years_of_service"].passed and "21 năm" in lines["years_of_service"].detail
    assert lines["rating_years"].passed and not checklist_of(dossier).blockers

    from awards.nominations import services as nominations
    nominations.appraise(dossier, result="pass", note="", by=admin)
    decision = issue_decision(number="3/QĐ-SYT", signed_on=date(2026, 1, 10), signer="Giám đốc",
                              issuer="Sở Y tế thử", nomination_ids=[dossier.id], by=admin)
    db.session.commit()
    record = db.session.query(AwardRecord).filter_by(award_code="KNC_THU").one()
    assert dossier.status == "awarded" and record.decision_number == decision.number
    assert (record.period_from, record.period_to) == (2024, 2025)
    assert catalog.award_name("KNC_THU") == "Kỷ niệm chương thử"


def test_a_used_type_is_deactivated_not_deleted(db):
    from awards.catalog import services as catalog
    from awards.core.db import DomainError
    from tests import factories

    admin = factories.user("admin")
    catalog.create_award_type(code="KT_CU", name="Khen thưởng cũ", subject="individual", ballot="none",
                              threshold=None, conditions=[], by=admin)
    factories.nomination(factories.person(), "KT_CU", 2025, status="draft", by=admin)
    with pytest.raises(DomainError) as refused:
        catalog.delete_award_type("KT_CU", by=admin)
    assert refused.value.status == 409 and "chỉ ngừng sử dụng" in refused.value.message
    catalog.set_award_type_active("KT_CU", False, by=admin)
    assert "KT_CU" not in catalog.award_types() and catalog.award_type("KT_CU").active is False
    with pytest.raises(DomainError):
        factories.nomination(factories.person(), "KT_CU", 2025, status="draft", by=admin)


def test_reports_and_documents_name_a_stored_ministerial_type(db):
    """The dashboard's rows and the decision's wording know a stored type (its name, its level 'Cấp bộ')."""
    from awards.announcements.documents import _award_phrase
    from awards.catalog import services as catalog
    from awards.reports.views import award_rows, level_rows
    from tests import factories

    catalog.create_award_type(code="BK_BYT", name="Bằng khen của Bộ trưởng Bộ Y tế", subject="both", ballot="open",
                              threshold=None, level="ministerial", conditions=[], by=factories.user("admin"))
    rows = award_rows({"BK_BYT": 3, "LDTT": 5})
    assert [(r["code"], r["name"], r["level"]) for r in rows] == [
        ("LDTT", "Lao động tiên tiến", "grassroots"), ("BK_BYT", "Bằng khen của Bộ trưởng Bộ Y tế", "ministerial")]
    assert {r["level"]: (r["label"], r["count"]) for r in level_rows(rows)}["ministerial"] == ("Cấp bộ", 3)
    assert _award_phrase("BK_BYT") == "Bằng khen của Bộ trưởng Bộ Y tế"


def test_an_initiative_that_supported_a_stored_commendation_supports_no_other_form():
    """CV 5007/BNV-TĐKT III.5.c with a stored commendation: the caller names the forms (built-in + stored)."""
    used = person(initiatives=[InitiativeFact(1, 2024, "provincial", "Quy trình", used_by=("KT_THU",))],
                  ratings={2024: "excellent", 2025: "excellent"})
    award = stored(INITIATIVE, code="KT_KHAC")
    free = line(award, used, 2025, "initiative")
    assert free.passed  # without the forms named, a stored code reads as a title
    forms = frozenset({"GIAY_KHEN", "BK_TINH", "BK_TTG", "HCLD3", "KT_THU", "KT_KHAC"})
    checked = [c for c in rules.check(award, used, 2025, settings={"forms": forms}) if c.rule == "initiative"][0]
    assert not checked.passed and "đã dùng cho KT_THU" in checked.detail
