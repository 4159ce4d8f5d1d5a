"""A unit report's states: a draft is submitted; a submitted report may be submitted again (a replacement, before
the deadline — services.save_unit_report guards the date)."""

from awards.core.states import transition
from awards.reports.models import ReportStatus

TRANSITIONS = {
    ReportStatus.draft: (ReportStatus.submitted,),
    ReportStatus.submitted: (ReportStatus.submitted,),
}


def submit(report, *, by, note: str = "", extra: dict | None = None):
    """The one place a unit report's status changes (audited as unit_report.submitted)."""
    return transition(report, ReportStatus.submitted, table=TRANSITIONS, by=by, note=note,
                      action="unit_report.submitted", extra=extra)
