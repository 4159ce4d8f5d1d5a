"""Campaign phases, computed from the dates (never stored), in Vietnam's time."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

PHASES = {
    "draft": _l("Chưa phát động"),
    "not_started": _l("Chưa bắt đầu"),
    "registering": _l("Đang đăng ký"),
    "running": _l("Đang triển khai"),
    "nominating": _l("Đang đề nghị khen thưởng"),
    "closed": _l("Đã kết thúc"),
}
NOMINATION_WINDOW_DAYS = 30  # nominations open this long before their deadline unless a date is set


def nominations_open_on(campaign) -> date:
    return campaign.nominations_open_on or campaign.nomination_deadline - timedelta(days=NOMINATION_WINDOW_DAYS)


def phase(campaign, today: date) -> str:
    """draft until launched; then not_started → registering (to the registration deadline, inclusive) →
    running → nominating (from nominations_open_on to the nomination deadline, inclusive) → closed."""
    if campaign.status == "draft":
        return "draft"
    if campaign.status == "closed":
        return "closed"
    if today < campaign.starts_on:
        return "not_started"
    if today <= campaign.registration_deadline:
        return "registering"
    if nominations_open_on(campaign) <= today <= campaign.nomination_deadline:
        return "nominating"
    if today > max(campaign.ends_on, campaign.nomination_deadline):
        return "closed"
    return "running"


# The rules date_problems checks, in words, shown beside each date field of the campaign form before saving.
DATE_RULES = {
    "starts_on": _l("Ngày phong trào bắt đầu; các đơn vị đăng ký thi đua từ ngày này."),
    "ends_on": _l("Phải sau ngày bắt đầu."),
    "registration_deadline": _l("Phải nằm trong thời gian phong trào (từ ngày bắt đầu đến ngày kết thúc). Các đơn vị "
                                "đăng ký được đến hết ngày này (giờ Việt Nam)."),
    "nomination_deadline": _l("Không được trước hạn đăng ký."),
    "nominations_open_on": _l("Giữa hạn đăng ký và hạn đề nghị. Để trống: mở trước hạn đề nghị %(n)s ngày.",
                              n=NOMINATION_WINDOW_DAYS),
}


def date_problems(starts_on, ends_on, registration_deadline, nomination_deadline, nominations_open=None):
    """(field, Vietnamese message) for each date out of order; an empty list when the plan holds together."""
    problems = []
    if ends_on < starts_on:
        problems.append(("ends_on", "Ngày kết thúc phải sau ngày bắt đầu."))
    if not starts_on <= registration_deadline <= ends_on:
        problems.append(("registration_deadline", "Hạn đăng ký phải nằm trong thời gian phong trào."))
    if nomination_deadline < registration_deadline:
        problems.append(("nomination_deadline", "Hạn đề nghị khen thưởng phải sau hạn đăng ký."))
    if nominations_open and not registration_deadline <= nominations_open <= nomination_deadline:
        problems.append(("nominations_open_on", "Ngày mở nhận hồ sơ phải giữa hạn đăng ký và hạn đề nghị."))
    return problems


REGISTRATION_BASIS = "Luật TĐKT 2022, Điều 84; quy định của phong trào (thiết lập của phong trào)"


def registration_line(campaign, registered: bool):
    """The checklist line a nomination gets when its campaign makes registration a precondition:
    None when the campaign does not require it."""
    from awards.catalog.rules import Basis, Check

    if not campaign.registration_required:
        return None
    detail = ("Đã đăng ký thi đua mục tiêu này trong phong trào." if registered
              else "Chưa đăng ký thi đua mục tiêu này trong phong trào (phong trào yêu cầu đăng ký trước).")
    return Check("registered_in_campaign", registered, detail,
                 Basis(REGISTRATION_BASIS, "Đăng ký thi đua là điều kiện để đề nghị khen thưởng", confirmed=False))
