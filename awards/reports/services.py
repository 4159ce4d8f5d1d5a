"""A unit's report upward (issue 18): saved as a draft, submitted, resubmitted before the deadline. Every guard is
here; callers commit."""

from flask_babel import gettext as _

from awards.core import audit, clock
from awards.core.db import DomainError, Invalid
from awards.extensions import db
from awards.reports import permissions, queries, rules, states
from awards.reports.models import ReportStatus, UnitReport

MAX_NARRATIVE = 20_000


def save_unit_report(unit, year: int, half: int, narrative: str, *, submit: bool = True, by) -> UnitReport:
    """Write the unit's report for the period (half 1 or 2, or 0 for the annual report) and, with `submit`, send
    it to the Sở. One report per unit and period: a resubmission before the deadline replaces the text (the audit
    log keeps the earlier one); after the deadline a submitted report stays as it is."""
    if not permissions.may_report_for(by, unit):
        raise DomainError(_("Chỉ cán bộ thường trực thi đua của %(unit)s hoặc của Sở nộp báo cáo của đơn vị này.",
                            unit=unit.name), status=403, code="forbidden")
    if not unit.decides_awards:
        raise Invalid(_("%(unit)s không phải đơn vị có thẩm quyền khen thưởng nên không nộp báo cáo riêng; báo cáo "
                        "của đơn vị nằm trong báo cáo của đơn vị quản lý.", unit=unit.name), field="unit_code")
    if not isinstance(year, int) or not 1945 <= year <= 2100:
        raise Invalid(_("Năm phải từ 1945 đến 2100."), field="year")
    if half not in (0, 1, 2):
        raise Invalid(_("Kỳ báo cáo phải là 6 tháng đầu năm, 6 tháng cuối năm hoặc cả năm."), field="half")
    narrative = (narrative or "").strip()
    if len(narrative) > MAX_NARRATIVE:
        raise Invalid(_("Phần đánh giá dài quá %(n)s ký tự.", n=f"{MAX_NARRATIVE:,}".replace(",", ".")),
                      field="narrative")
    if submit and not narrative:
        raise Invalid(_("Hãy viết phần đánh giá ngắn về công tác thi đua, khen thưởng của kỳ trước khi nộp."),
                      field="narrative")
    report = queries.report_for(unit, year, half)
    due = rules.deadline(year, half)
    if report is not None and report.status == ReportStatus.submitted:
        if clock.today() > due:
            raise DomainError(_("Báo cáo kỳ này đã nộp và đã quá hạn nộp (%(d)s) nên không thể thay thế.",
                                d=due.strftime("%d/%m/%Y")), code="deadline_passed")
        if not submit:
            raise DomainError(_("Báo cáo kỳ này đã nộp; chỉ có thể nộp lại bản thay thế."), code="wrong_state")
    before = {"narrative": report.narrative} if report is not None else None
    now = clock.now()
    if report is None:
        report = UnitReport(unit_id=unit.id, year=year, half=half, status=ReportStatus.draft, narrative="",
                            submissions=0, created_at=now)
        db.session.add(report)
    report.narrative = narrative
    report.updated_at = now
    if submit:
        report.submitted_at = now
        report.submitted_by_id = getattr(by, "id", None)
        report.submissions = (report.submissions or 0) + 1
        db.session.flush()
        states.submit(report, by=by, extra={"unit": unit.code, "year": year, "half": half,
                                            "submissions": report.submissions, "late": now.date() > due,
                                            "narrative": narrative, "replaced": before})
    else:
        db.session.flush()
        audit.record("unit_report.saved", report, by=by, before=before, after={"narrative": narrative})
    return report
