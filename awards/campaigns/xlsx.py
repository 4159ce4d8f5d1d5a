"""A campaign's registrations as an Excel workbook: one row per target, text never read as a formula."""

from flask_babel import gettext as _

from awards.catalog import services as catalog
from awards.core import clock
from awards.core.xlsx import workbook_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [_("Đơn vị"), _("Mã đơn vị"), _("Loại"), _("Mã cá nhân"), _("Họ và tên"), _("Danh hiệu đăng ký"),
            _("Cam kết"), _("Cập nhật lúc")]


def _award(code: str) -> str:
    return catalog.award_name(code)


def target_rows(registrations) -> list[list]:
    """Collective targets first, then each member's, for every registration (a unit with no target keeps
    one row, so that it still shows as registered)."""
    rows = []
    for registration in registrations:
        unit = registration.unit
        updated = registration.updated_at.astimezone(clock.VIETNAM).strftime("%d/%m/%Y %H:%M")
        common = (registration.commitment or None, updated)
        targets = [[unit.name, unit.code, _("Tập thể"), None, None, _award(code), *common]
                   for code in registration.collective_award_codes or []]
        targets += [[unit.name, unit.code, _("Cá nhân"), entry.person.code, entry.person.full_name,
                     _award(entry.award_code), *common] for entry in registration.individuals]
        rows += targets or [[unit.name, unit.code, None, None, None, None, *common]]
    return rows


def registrations_workbook(registrations) -> bytes:
    return workbook_bytes({_("Đăng ký thi đua"): (headers(), target_rows(registrations))})
