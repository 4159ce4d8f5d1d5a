"""The document kinds a template can be made for, the placeholders each may use (and must use), and sample data
for the preview. Plain data: no database, no Flask.

A placeholder is a top-level Jinja name of the template (`{{ issuer }}`, `{%tr for row in rows %}`); the required
ones are those without which the document would not be the document (NĐ 30/2020 Phụ lục I: the issuer, the number,
the place and date, the signer's title and full name; and the list it exists to carry)."""

from dataclasses import dataclass, field

HEADER = {
    "issuer_parent": "Tên cơ quan chủ quản (dòng trên tên đơn vị; có thể rỗng)",
    "issuer": "Tên cơ quan, đơn vị ban hành",
    "number": "Số của văn bản (có thể để trống để ghi tay)",
    "symbol": "Ký hiệu của văn bản, ví dụ TTr-BVA",
    "place": "Địa danh",
    "date_long": "Ngày tháng năm viết đủ: ngày 05 tháng 02 năm 2025",
    "place_date": "Địa danh và ngày tháng năm: Hòa Bình, ngày 05 tháng 02 năm 2025",
    "signer_title": "Chức vụ người ký (in hoa trong mẫu)",
    "signer_name": "Họ tên người ký",
    "recipients": "Nơi nhận: danh sách các dòng",
}
SIGNED = ("issuer", "place_date", "signer_title", "signer_name")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    filename: str  # the download name of the built-in template
    declared: dict[str, str]  # placeholder → what it holds (shown on the template page)
    required: tuple[str, ...]
    sample: dict = field(default_factory=dict, hash=False, compare=False)


# 80 characters with diacritics: long enough to wrap in a table cell and on a certificate line
LONG_NAME = "Nguyễn Thị Phương Thảo Hoàng Lê Bảo Ngọc Huyền Trân Đặng Quỳnh Như Ý Vũ Khánh An"
assert len(LONG_NAME) == 80

_SAMPLE_HEADER = {
    "issuer_parent": "Sở Y tế tỉnh Hòa Bình", "issuer": "Bệnh viện Đa khoa tỉnh Hòa Bình", "number": "12",
    "symbol": "TTr-BVDK", "place": "Hòa Bình", "date_long": "ngày 05 tháng 02 năm 2025",
    "place_date": "Hòa Bình, ngày 05 tháng 02 năm 2025", "signer_title": "Giám đốc",
    "signer_name": "Trần Quốc Việt", "recipients": ["Như trên;", "Lưu: VT, TĐKT."],
}
_ROW = {"no": "1", "name": LONG_NAME, "position_unit": "Điều dưỡng trưởng, Khoa Hồi sức tích cực",
        "award": "Lao động tiên tiến", "summary": "Hoàn thành xuất sắc nhiệm vụ, tận tình với người bệnh.",
        "gender": "Nữ", "birth": "25/12/1991", "position": "Điều dưỡng trưởng", "unit": "Khoa Hồi sức tích cực",
        "kind": "Thường xuyên", "note": "", "year": "2025", "gold_book": "125", "coefficient": "0,3",
        "prize": "710.000"}
_GROUPS = [{"heading": "I. Lao động tiên tiến (1 cá nhân)", "award": "Lao động tiên tiến", "count": "1 cá nhân",
            "rows": [_ROW]}]

PROPOSAL = Kind(
    "to_trinh", "Tờ trình đề nghị khen thưởng", "mau-to-trinh.docx",
    {**HEADER, "year": "Năm đề nghị khen thưởng", "addressee": "Kính gửi (cơ quan quyết định khen thưởng)",
     "count_text": "Số cá nhân, tập thể: 2 cá nhân, 1 tập thể",
     "groups": "Các nhóm theo danh hiệu: heading, award, count, rows (no, name, position_unit, award, summary)"},
    ("issuer", "place_date", "addressee", "groups", "signer_title", "signer_name"),
    {**_SAMPLE_HEADER, "year": 2025, "addressee": "Sở Y tế tỉnh Hòa Bình", "count_text": "1 cá nhân",
     "groups": _GROUPS})
NOMINEE_LIST = Kind(
    "danh_sach", "Danh sách đề nghị khen thưởng", "mau-danh-sach.docx",
    {**HEADER, "year": "Năm đề nghị khen thưởng", "date_short": "Ngày của tờ trình: 05/02/2025",
     "count_text": "Số cá nhân, tập thể", "total": "Tổng số hồ sơ",
     "groups": "Các nhóm: heading, rows (no, name, gender, birth, position, unit, award, kind, note)"},
    ("issuer", "place_date", "groups", "signer_title", "signer_name"),
    {**_SAMPLE_HEADER, "year": 2025, "date_short": "05/02/2025", "count_text": "1 cá nhân", "total": 1,
     "groups": _GROUPS})
MINUTES = Kind(
    "bien_ban", "Biên bản họp Hội đồng và kiểm phiếu", "mau-bien-ban.docx",
    {"unit_name": "Đơn vị có Hội đồng", "council_name": "Tên Hội đồng", "council_code": "Mã Hội đồng",
     "date_line": "Ngày tháng năm kết thúc bỏ phiếu (có địa danh)", "title": "Tên phiên họp", "round": "Vòng",
     "opened": "Giờ mở bỏ phiếu", "closed": "Giờ đóng bỏ phiếu", "total_members": "Tổng số thành viên",
     "present": "Thành viên bỏ phiếu: name, role", "absent": "Thành viên vắng: name, role",
     "quorum_text": "Câu về số thành viên tham gia", "items": "Kết quả: no, name, unit, award, ballot, yes, no_votes, "
     "needed, result", "recusals": "Các dòng tránh xung đột lợi ích", "no_recusal": "Câu khi không ai tránh",
     "secrecy_note": "Ghi chú về phiếu kín", "secretary_name": "Họ tên thư ký", "chair_name": "Họ tên chủ tịch"},
    ("council_name", "date_line", "items", "quorum_text", "chair_name"),
    {"unit_name": "Sở Y tế tỉnh Hòa Bình", "council_name": "Hội đồng Thi đua – Khen thưởng Sở Y tế",
     "council_code": "HD-SYT", "date_line": "Hòa Bình, ngày 10 tháng 3 năm 2026", "title": "Phiên xét năm 2025",
     "round": 1, "opened": "09 giờ 00 ngày 10/03/2026", "closed": "16 giờ 00 ngày 10/03/2026", "total_members": 9,
     "present": [{"name": "Trần Quốc Việt", "role": "Chủ tịch"}], "absent": [],
     "quorum_text": "Số thành viên tham gia: 9/9 (tỷ lệ 100%), đạt tỷ lệ tối thiểu 2/3 (6 thành viên).",
     "items": [{"no": "1", "name": LONG_NAME, "unit": "Bệnh viện Đa khoa tỉnh", "award": "Chiến sĩ thi đua cơ sở",
                "ballot": "Bỏ phiếu kín", "yes": "9", "no_votes": "0", "needed": "8", "result": "Đạt"}],
     "recusals": [], "no_recusal": "Không có thành viên nào tránh xung đột lợi ích.",
     "secrecy_note": "Ghi chú: phiếu kín được kiểm theo tổng số phiếu của từng hồ sơ.",
     "secretary_name": "Lê Thu Hà", "chair_name": "Trần Quốc Việt"})
DECISION = Kind(
    "quyet_dinh", "Quyết định khen thưởng (kèm danh sách)", "mau-quyet-dinh.docx",
    {**HEADER, "subject": "Trích yếu: Về việc khen thưởng…", "authority": "Thẩm quyền ban hành (in hoa): GIÁM ĐỐC "
     "SỞ Y TẾ", "legal_basis": "Các dòng Căn cứ", "article_1": "Nội dung Điều 1", "article_2": "Nội dung Điều 2",
     "annex_title": "Tên danh sách kèm theo", "annex_note": "Dòng (Kèm theo Quyết định số …)",
     "annex_groups": "Nhóm trong danh sách: heading, rows (no, name, position_unit, award, year, gold_book, "
     "coefficient, prize)", "total_text": "Dòng tổng cộng",
     "prize_total_text": "Dòng tổng tiền thưởng: Tổng số tiền thưởng: 710.000 đồng"},
    ("issuer", "number", "place_date", "subject", "annex_groups", "signer_title", "signer_name"),
    {**_SAMPLE_HEADER, "number": "125/QĐ-SYT", "subject": "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025",
     "authority": "GIÁM ĐỐC SỞ Y TẾ", "legal_basis": ["Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;"],
     "article_1": "Tặng danh hiệu “Lao động tiên tiến” cho 1 cá nhân có tên trong danh sách kèm theo.",
     "article_2": "Cá nhân có tên tại Điều 1 được nhận Giấy chứng nhận và tiền thưởng theo quy định.",
     "annex_title": "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
     "annex_note": "(Kèm theo Quyết định số 125/QĐ-SYT ngày 05 tháng 02 năm 2025 của Sở Y tế)",
     "annex_groups": [{"heading": "", "rows": [_ROW]}], "total_text": "Tổng cộng: 1 (1 cá nhân).",
     "prize_total_text": "Tổng số tiền thưởng: 710.000 đồng."})
CERTIFICATE = Kind(
    "giay_chung_nhan", "Giấy chứng nhận / Bằng khen, Giấy khen", "mau-giay-chung-nhan.docx",
    {**HEADER, "decision_number": "Số quyết định", "decision_date": "Ngày quyết định viết đủ",
     "certificates": "Mỗi người nhận một trang: award, year_line, name, unit_line, achievement, gold_book"},
    ("issuer", "certificates", "decision_number", "signer_title", "signer_name"),
    {**_SAMPLE_HEADER, "decision_number": "125/QĐ-SYT", "decision_date": "ngày 05 tháng 02 năm 2025",
     "certificates": [{"award": "Lao động tiên tiến", "year_line": "Năm 2025", "name": LONG_NAME,
                       "unit_line": "Điều dưỡng trưởng, Khoa Hồi sức tích cực",
                       "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua năm 2025.",
                       "gold_book": "125"}]})
NOTICE = Kind(
    "thong_bao", "Thông báo kết quả khen thưởng cho đơn vị", "mau-thong-bao.docx",
    {**HEADER, "unit_name": "Đơn vị nhận thông báo", "decision_number": "Số quyết định",
     "decision_date": "Ngày quyết định viết đủ", "decision_issuer": "Cơ quan ban hành quyết định",
     "count_text": "Số cá nhân, tập thể của đơn vị được khen thưởng",
     "rows": "Người nhận của đơn vị: no, name, position_unit, award, year, gold_book"},
    ("issuer", "number", "place_date", "unit_name", "decision_number", "rows", "signer_title", "signer_name"),
    {**_SAMPLE_HEADER, "symbol": "TB-SYT", "unit_name": "Bệnh viện Đa khoa tỉnh Hòa Bình",
     "decision_number": "125/QĐ-SYT", "decision_date": "ngày 05 tháng 02 năm 2025", "decision_issuer": "Sở Y tế",
     "count_text": "1 cá nhân", "rows": [_ROW]})

KINDS: dict[str, Kind] = {k.code: k for k in (PROPOSAL, NOMINEE_LIST, MINUTES, DECISION, CERTIFICATE, NOTICE)}
KIND_LABELS = {code: kind.label for code, kind in KINDS.items()}
