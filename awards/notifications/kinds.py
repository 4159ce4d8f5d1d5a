"""Every kind of notice, what it is called on the account page, and whether it asks its recipient to act.

A member who chose "Chỉ việc cần tôi làm" (models.Preference.tasks) receives only the kinds in TASKS; the rest are
news. A kind not listed here (a test's, a new feature's) is news until it is added."""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l


class Kind(NamedTuple):
    label: object
    task: bool  # asks the recipient to do something (appraise, supplement, vote, handle, register, download)


KINDS: dict[str, Kind] = {
    # campaigns
    "campaign_launched": Kind(_l("Phong trào được phát động"), False),
    "registration_reminder": Kind(_l("Nhắc đăng ký thi đua"), True),
    "deadline_approaching": Kind(_l("Sắp hết hạn đăng ký thi đua"), True),
    "registration_reopened": Kind(_l("Mở lại đăng ký thi đua"), True),
    # a dossier's steps (nominations.notices)
    "nomination_submitted": Kind(_l("Hồ sơ được nộp, chờ thẩm định"), True),
    "nomination_returned": Kind(_l("Hồ sơ được trả lại để bổ sung"), True),
    "nomination_appraised": Kind(_l("Hồ sơ đạt thẩm định"), False),
    "nomination_rejected": Kind(_l("Hồ sơ không đạt"), False),
    "nomination_in_council": Kind(_l("Hồ sơ được đưa ra Hội đồng"), False),
    "nomination_passed": Kind(_l("Hội đồng thông qua hồ sơ"), False),
    "nomination_failed": Kind(_l("Hội đồng không thông qua hồ sơ"), False),
    "nomination_listed": Kind(_l("Hồ sơ được công khai lấy ý kiến"), False),
    "nomination_feedback": Kind(_l("Có ý kiến phản ánh về hồ sơ"), False),
    "nomination_forwarded": Kind(_l("Hồ sơ được trình cấp trên"), False),
    "nomination_answered": Kind(_l("Cấp trên trả lời hồ sơ"), False),
    "decision_issued": Kind(_l("Quyết định khen thưởng"), False),
    # public feedback (announcements)
    "feedback_received": Kind(_l("Ý kiến phản ánh mới"), True),
    "feedback_assigned": Kind(_l("Được giao xử lý ý kiến phản ánh"), True),
    # council sessions
    "council_session_opened": Kind(_l("Phiên họp mở bỏ phiếu"), True),
    "ballot_reminder": Kind(_l("Còn 24 giờ để bỏ phiếu"), True),
    "council_session_closed": Kind(_l("Phiên họp kết thúc bỏ phiếu"), False),
    # cụm, khối thi đua
    "cluster_scoring_opened": Kind(_l("Cụm, khối mở chấm điểm thi đua"), True),  # the unit scores itself
    "cluster_leader_voted": Kind(_l("Cụm, khối bình bầu đơn vị dẫn đầu"), False),
    # reports
    "report_ready": Kind(_l("Báo cáo đã lập xong"), True),  # its owner is waiting to download it
    "report_failed": Kind(_l("Không lập được báo cáo"), False),
}

TASKS = frozenset(kind for kind, spec in KINDS.items() if spec.task)


def is_task(kind: str) -> bool:
    return kind in TASKS
