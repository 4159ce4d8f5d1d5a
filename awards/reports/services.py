"""A unit's report upward (issue 18): saved as a draft, submitted with the workbook of its subtree, resubmitted
before the deadline; the stored workbook read back; the deadline of each period set by the Sở. Every guard is
here; callers commit."""

import hashlib
from datetime import date

from flask_babel import gettext as _

from awards.core import audit, clock, uploads
from awards.core.db import DomainError, Invalid
from awards.extensions import db
from awards.reports import exports, permissions, queries, rules, states, unit_workbooks
from awards.reports.models import ReportStatus, UnitReport, UnitReportDeadline

MAX_NARRATIVE = 20_000


def save_unit_report(unit, year: int, half: int, narrative: str, *, submit: bool = True, by) -> UnitReport:
    """Write the unit's report for the period (half 1 or 2, or 0 for the annual report) and, with `submit`, send
    it to the Sở with the workbook of the unit's subtree built now and kept under its SHA-256. One report per unit
    and period: a resubmission before the deadline replaces the text and the workbook (the audit log keeps the
    earlier text and the earlier workbook's SHA-256); after the deadline a submitted report stays as it is."""
    if not permissions.may_report_for(by, unit):
        raise DomainError(_("Chỉ cán bộ thường trực thi đua của %(unit)s hoặc của Sở nộp báo cáo của đơn vị này.",
                            unit=unit.name), status=403, code="forbidden")
    if not unit.decides_awards:
        raise Invalid(_("%(unit)s không phải đơn vị có thẩm quyền khen thưởng nên không nộp báo cáo riêng; báo cáo "
                        "của đơn vị nằm trong báo cáo của đơn vị quản lý.", unit=unit.name), field="unit_code")
    _check_period(year, half)
    narrative = (narrative or "").strip()
    if len(narrative) > MAX_NARRATIVE:
        raise Invalid(_("Phần đánh giá dài quá %(n)s ký tự.", n=f"{MAX_NARRATIVE:,}".replace(",", ".")),
                      field="narrative")
    if submit and not narrative:
        raise Invalid(_("Hãy viết phần đánh giá ngắn về công tác thi đua, khen thưởng của kỳ trước khi nộp."),
                      field="narrative")
    report = queries.report_for(unit, year, half)
    due = queries.deadline_for(year, half)
    if report is not None and report.status == ReportStatus.submitted:
        if clock.today() > due:
            raise DomainError(_("Báo cáo kỳ này đã nộp và đã quá hạn nộp (%(d)s) nên không thể thay thế.",
                                d=due.strftime("%d/%m/%Y")), code="deadline_passed")
        if not submit:
            raise DomainError(_("Báo cáo kỳ này đã nộp; chỉ có thể nộp lại bản thay thế."), code="wrong_state")
    before = ({"narrative": report.narrative, "workbook_sha256": report.workbook_sha256} if report is not None
              else None)
    now = clock.now()
    if report is None:
        report = UnitReport(unit_id=unit.id, year=year, half=half, status=ReportStatus.draft, narrative="",
                            submissions=0, created_at=now)
        db.session.add(report)
    report.narrative = narrative
    report.updated_at = now
    if submit:
        _keep_workbook(report, unit, by)
        report.submitted_at = now
        report.submitted_by_id = getattr(by, "id", None)
        report.submissions = (report.submissions or 0) + 1
        db.session.flush()
        states.submit(report, by=by, extra={"unit": unit.code, "year": year, "half": half,
                                            "submissions": report.submissions, "late": now.date() > due,
                                            "narrative": narrative, "workbook_sha256": report.workbook_sha256,
                                            "awards_reported": report.awards_reported, "replaced": before})
    else:
        db.session.flush()
        audit.record("unit_report.saved", report, by=by, before=before, after={"narrative": narrative})
    return report


def _check_period(year, half) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not 1945 <= year <= 2100:
        raise Invalid(_("Năm phải từ 1945 đến 2100."), field="year")
    if half not in (0, 1, 2) or isinstance(half, bool):
        raise Invalid(_("Kỳ báo cáo phải là 6 tháng đầu năm, 6 tháng cuối năm hoặc cả năm."), field="half")


def _keep_workbook(report: UnitReport, unit, by) -> None:
    """Build the unit's workbook of the period now and keep it (its bytes under their SHA-256) with the report."""
    data, total = unit_workbooks.unit_workbook(unit, report.year, report.half)
    upload = exports.keep_file(data, unit_workbooks.filename(unit.code, report.year, report.half),
                               getattr(by, "id", None))
    report.workbook, report.workbook_sha256, report.awards_reported = upload, upload.sha256, total


def submitted_workbook(unit, year: int, half: int, *, by) -> tuple[uploads.Upload, str]:
    """The workbook a unit submitted for the period, for its own secretariat or the Sở, checked against the
    SHA-256 recorded at submission: (its Upload, its download name)."""
    if not permissions.may_read_report(by, unit):
        raise DomainError(_("Chỉ cán bộ thường trực thi đua của %(unit)s hoặc của Sở xem báo cáo của đơn vị này.",
                            unit=unit.name), status=403, code="forbidden")
    _check_period(year, half)
    report = queries.report_for(unit, year, half)
    if report is None or report.status != ReportStatus.submitted:
        raise DomainError(_("%(unit)s chưa nộp báo cáo %(p)s.", unit=unit.name, p=queries.period_label(year, half)),
                          status=404, code="not_found")
    if report.workbook is None:
        raise DomainError(_("Báo cáo này nộp trước khi hệ thống lưu kèm bảng số liệu; đơn vị nộp lại (khi còn hạn) "
                            "để có bảng số liệu."), status=404, code="not_found")
    path = uploads.path_for(report.workbook.sha256)
    if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != report.workbook_sha256:
        raise DomainError(_("Tệp bảng số liệu đã lưu không còn khớp mã SHA-256 ghi lúc nộp; hãy báo quản trị hệ "
                            "thống."), status=409, code="integrity_error")
    return report.workbook, unit_workbooks.filename(unit.code, year, half)


def set_report_deadline(year: int, half: int, due_on: date, *, by) -> UnitReportDeadline:
    """The Sở sets the day a period's unit reports are due (the default of reports.rules until then); whether a
    report is late follows it, and a submitted report can be replaced until it."""
    if not permissions.may_set_deadlines(by):
        raise DomainError(_("Chỉ quản trị hoặc cán bộ thường trực thi đua của Sở đặt hạn nộp báo cáo; thường trực "
                            "của một đơn vị trực thuộc thì không."), status=403, code="forbidden")
    _check_period(year, half)
    if not isinstance(due_on, date):
        raise Invalid(_("Ngày không hợp lệ."), field="deadline")
    first, last = rules.deadline_bounds(year, half)
    if not first <= due_on <= last:
        raise Invalid(_("Hạn nộp báo cáo %(p)s phải từ %(a)s đến %(b)s.", p=queries.period_label(year, half),
                        a=first.strftime("%d/%m/%Y"), b=last.strftime("%d/%m/%Y")), field="deadline")
    row = queries.deadline_row(year, half)
    before = queries.deadline_for(year, half)
    if row is None:
        row = UnitReportDeadline(year=year, half=half)
        db.session.add(row)
    row.due_on, row.set_at, row.set_by_id = due_on, clock.now(), getattr(by, "id", None)
    db.session.flush()
    audit.record("unit_report.deadline_set", row, by=by, before={"year": year, "half": half, "due_on": before},
                 after={"year": year, "half": half, "due_on": due_on})
    return row


def consolidated_workbook(year: int, half: int, *, by) -> tuple[bytes, str]:
    """The Sở's report to the province for the period, built now from the units' reports and its own offices
    (reports.unit_workbooks): (the workbook, its download name). The Sở's managers only."""
    if not permissions.may_read_all_reports(by):
        raise DomainError(_("Chỉ quản trị hoặc cán bộ thường trực thi đua của Sở lập báo cáo tổng hợp của các đơn "
                            "vị."), status=403, code="forbidden")
    _check_period(year, half)
    return unit_workbooks.combined_workbook(year, half), unit_workbooks.combined_filename(year, half)
