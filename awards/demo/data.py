"""The demo province's fixed lists: its health units, Vietnamese names, positions, initiatives, logins.

The province (tỉnh Thái An) is invented; the shape is that of a mountainous northern province's
Department of Health: provincial hospitals and centres, district health centres, commune health stations.
"""

PROVINCE = "tỉnh Thái An"

# (code, name, parent code, kind, grassroots, number of people)
UNITS = [
    ("SYT", "Sở Y tế tỉnh Thái An", None, "department_of_health", False, 8),
    ("SYT-TCCB", "Phòng Tổ chức cán bộ", "SYT", "division", False, 6),
    ("SYT-NVY", "Phòng Nghiệp vụ Y", "SYT", "division", False, 6),
    ("BVDK", "Bệnh viện Đa khoa tỉnh Thái An", "SYT", "hospital", False, 16),
    ("BVDK-NOI", "Khoa Nội tổng hợp", "BVDK", "division", False, 18),
    ("BVDK-NGOAI", "Khoa Ngoại tổng hợp", "BVDK", "division", False, 18),
    ("BVDK-HSCC", "Khoa Hồi sức tích cực – Chống độc", "BVDK", "division", False, 14),
    ("BVYDCT", "Bệnh viện Y dược cổ truyền tỉnh Thái An", "SYT", "hospital", False, 22),
    ("BVPHOI", "Bệnh viện Phổi tỉnh Thái An", "SYT", "hospital", False, 20),
    ("BVSN", "Bệnh viện Sản – Nhi tỉnh Thái An", "SYT", "hospital", False, 24),
    ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh Thái An", "SYT", "centre", False, 20),
    ("TTKN", "Trung tâm Kiểm nghiệm Thuốc, Mỹ phẩm, Thực phẩm", "SYT", "centre", False, 10),
    ("TTGDYK", "Trung tâm Giám định y khoa", "SYT", "centre", False, 8),
    ("TTYT-TP", "Trung tâm Y tế thành phố Thái An", "SYT", "health_centre", False, 14),
    ("TTYT-YH", "Trung tâm Y tế huyện Yên Hòa", "SYT", "health_centre", False, 14),
    ("TTYT-BL", "Trung tâm Y tế huyện Bảo Lâm", "SYT", "health_centre", False, 14),
    ("TTYT-KV", "Trung tâm Y tế huyện Khau Vai", "SYT", "health_centre", False, 14),
    ("TYT-TP-01", "Trạm Y tế phường Đồng Tâm", "TTYT-TP", "station", True, 4),
    ("TYT-TP-02", "Trạm Y tế phường Minh Khai", "TTYT-TP", "station", True, 4),
    ("TYT-TP-03", "Trạm Y tế xã Tân Thành", "TTYT-TP", "station", True, 3),
    ("TYT-YH-01", "Trạm Y tế xã Yên Phú", "TTYT-YH", "station", True, 4),
    ("TYT-YH-02", "Trạm Y tế xã Hòa Bình", "TTYT-YH", "station", True, 4),
    ("TYT-YH-03", "Trạm Y tế xã Tiên Kiều", "TTYT-YH", "station", True, 4),
    ("TYT-YH-04", "Trạm Y tế xã Đức Thành", "TTYT-YH", "station", True, 4),
    ("TYT-BL-01", "Trạm Y tế xã Lý Bôn", "TTYT-BL", "station", True, 4),
    ("TYT-BL-02", "Trạm Y tế xã Nam Quang", "TTYT-BL", "station", True, 4),
    ("TYT-BL-03", "Trạm Y tế xã Mông Ân", "TTYT-BL", "station", True, 4),
    ("TYT-BL-04", "Trạm Y tế xã Quảng Lâm", "TTYT-BL", "station", True, 4),
    ("TYT-KV-01", "Trạm Y tế xã Khau Vai", "TTYT-KV", "station", True, 4),
    ("TYT-KV-02", "Trạm Y tế xã Sơn Vĩ", "TTYT-KV", "station", True, 4),
    ("TYT-KV-03", "Trạm Y tế xã Lũng Pù", "TTYT-KV", "station", True, 3),
]

# The two hospitals that decide awards themselves (đơn vị có thẩm quyền, issue 18): their own secretariat, council,
# decisions and gold book; the Sở handles every other unit's dossiers and proposes to the province.
DECIDING = ("BVDK", "BVSN")

# Share of ethnic-minority staff by where the unit sits: highland districts most.
MINORITY_SHARE = {"TTYT-BL": 0.55, "TTYT-KV": 0.65, "TTYT-YH": 0.3}
MINORITY_SHARE_DEFAULT = 0.1
FEMALE_SHARE = 0.6

# Kinh names
FAMILY_NAMES = ["Nguyễn"] * 8 + ["Trần"] * 4 + ["Lê"] * 3 + ["Phạm"] * 3 + [
    "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh",
    "Lương"]
MIDDLE_FEMALE = ["Thị"] * 5 + ["Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Phương", "Thùy", "Kim", "Bích"]
MIDDLE_MALE = ["Văn"] * 4 + ["Hữu", "Đức", "Thanh", "Minh", "Quang", "Xuân", "Công", "Mạnh", "Tiến", "Anh"]
GIVEN_FEMALE = ["An", "Chi", "Đào", "Giang", "Hạnh", "Linh", "Mai", "Nga", "Quỳnh", "Thảo", "Trang", "Vy",
                "Yến", "Hà", "Hương", "Lan", "Nhung", "Oanh", "Phương", "Thu", "Thủy", "Huyền", "Hằng",
                "Loan", "Ngân", "Nhàn", "Tâm", "Tuyết", "Uyên", "Xuân", "Hoa", "Dung", "Hiền", "Lệ", "Ánh",
                "Châu"]
GIVEN_MALE = ["An", "Bình", "Dũng", "Hùng", "Khánh", "Lộc", "Phúc", "Sơn", "Tuấn", "Cường", "Đức", "Hải",
              "Hiếu", "Long", "Minh", "Nam", "Quang", "Thắng", "Trung", "Việt", "Toàn", "Tùng", "Huy", "Kiên",
              "Đạt", "Thành", "Vinh", "Quý", "Hưng", "Khoa", "Lâm", "Nghĩa", "Giang"]

# Ethnic minorities of the northern highlands: family, middle (female, male) and given names as they
# are written on Vietnamese identity papers.
ETHNIC_NAMES = {
    "Tày": {"family": ["Nông", "Hoàng", "Ma", "Lục", "Hà", "Lương", "Đàm", "Hứa"],
            "middle": (["Thị"], ["Văn", "Đình"]),
            "female": ["Hà", "Huyền", "Nhài", "Thoa", "Mai", "Hiên", "Lan"],
            "male": ["Thắng", "Páo", "Quân", "Toản", "Khởi", "Hưng", "Lợi"]},
    "Nùng": {"family": ["Hoàng", "Lương", "Nông", "Lăng", "Chu", "Vi"],
             "middle": (["Thị"], ["Văn"]),
             "female": ["Sịnh", "Dìn", "Hoa", "Lụa", "Mỷ"],
             "male": ["Sinh", "Tài", "Pao", "Lìn", "Sáng"]},
    "Mông": {"family": ["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Vừ", "Ly", "Hầu"],
             "middle": (["Thị"], ["A", "Seo", "Mí", "Chúng"]),
             "female": ["Mỷ", "Dợ", "Say", "Chứ", "Pà", "Sua", "Mai"],
             "male": ["Páo", "Chá", "Sử", "Dình", "Chính", "Lử", "Súa"]},
    "Dao": {"family": ["Triệu", "Bàn", "Lý", "Đặng", "Phùng"],
            "middle": (["Thị", "Mùi"], ["Văn", "Tòn", "Tiến"]),
            "female": ["Mây", "Phấy", "Xuân", "Nái", "Kiều"],
            "male": ["Quẩy", "Phin", "Chàn", "Sành", "Thanh"]},
    "Thái": {"family": ["Lò", "Lường", "Cầm", "Quàng", "Vi"],
             "middle": (["Thị"], ["Văn"]),
             "female": ["Ánh", "Ban", "Ún", "Xuân", "Phương"],
             "male": ["Pâng", "Ngọc", "Ban", "Thương", "Hặc"]},
    "Mường": {"family": ["Bùi", "Đinh", "Quách", "Bạch", "Hà"],
              "middle": (["Thị"], ["Văn", "Công"]),
              "female": ["Hoa", "Nhung", "Mến", "Thúy", "Lương"],
              "male": ["Khương", "Tường", "Thuận", "Lực", "Dược"]},
}
ETHNIC_WEIGHTS = {"Tày": 30, "Mông": 25, "Dao": 18, "Nùng": 15, "Thái": 7, "Mường": 5}

# Positions by kind of unit: the heads first (one each), then the staff mix as (position, weight, clinical).
HEADS = {
    "department_of_health": [("Giám đốc Sở", False), ("Phó Giám đốc Sở", False),
                             ("Chánh Văn phòng Sở", False)],
    "hospital": [("Giám đốc bệnh viện", True), ("Phó Giám đốc bệnh viện", True),
                 ("Trưởng phòng Kế hoạch tổng hợp", False), ("Chuyên viên Phòng Tổ chức cán bộ", False)],
    "centre": [("Giám đốc trung tâm", False), ("Phó Giám đốc trung tâm", False)],
    "health_centre": [("Giám đốc trung tâm", True), ("Phó Giám đốc trung tâm", True)],
    "station": [("Trạm trưởng", True)],
    "division:SYT": [("Trưởng phòng", False), ("Phó Trưởng phòng", False)],
    "division": [("Trưởng khoa", True), ("Phó Trưởng khoa", True), ("Điều dưỡng trưởng khoa", True)],
}
STAFF = {
    "department_of_health": [("Chuyên viên", 6, False), ("Kế toán", 1, False), ("Văn thư", 1, False)],
    "hospital": [("Bác sĩ", 5, True), ("Điều dưỡng", 7, True), ("Kỹ thuật viên", 2, True),
                 ("Dược sĩ", 2, False), ("Chuyên viên", 2, False), ("Kế toán", 1, False)],
    "hospital:BVSN": [("Bác sĩ", 5, True), ("Điều dưỡng", 5, True), ("Hộ sinh", 4, True),
                      ("Kỹ thuật viên", 1, True), ("Dược sĩ", 1, False), ("Chuyên viên", 1, False)],
    "hospital:BVYDCT": [("Bác sĩ y học cổ truyền", 5, True), ("Điều dưỡng", 5, True),
                        ("Kỹ thuật viên vật lý trị liệu", 2, True), ("Dược sĩ", 2, False),
                        ("Chuyên viên", 1, False)],
    "centre": [("Bác sĩ", 3, False), ("Kỹ thuật viên xét nghiệm", 3, False), ("Chuyên viên", 3, False),
               ("Y sĩ", 1, False), ("Kế toán", 1, False)],
    "centre:TTKN": [("Kiểm nghiệm viên", 5, False), ("Dược sĩ", 3, False), ("Chuyên viên", 1, False)],
    "centre:TTGDYK": [("Bác sĩ giám định", 4, False), ("Chuyên viên", 2, False)],
    "health_centre": [("Bác sĩ", 4, True), ("Y sĩ", 2, True), ("Điều dưỡng", 4, True), ("Hộ sinh", 1, True),
                      ("Dược sĩ", 1, False), ("Kế toán", 1, False)],
    "station": [("Y sĩ", 3, True), ("Điều dưỡng", 2, True), ("Hộ sinh", 2, True), ("Dược sĩ", 1, False)],
    "division:SYT": [("Chuyên viên", 1, False)],
    "division": [("Bác sĩ", 4, True), ("Điều dưỡng", 6, True), ("Kỹ thuật viên", 1, True)],
}

# Yearly task-completion ratings: most staff good, a steady few excellent every year (the later
# Chiến sĩ thi đua candidates), some merely done, rarely not done.
PERSON_RATING_WEIGHTS = {"excellent": 18, "good": 66, "done": 13, "not_done": 3}
STAR_RATING_WEIGHTS = {"excellent": 80, "good": 20, "done": 0, "not_done": 0}
STAR_SHARE = 0.12
UNIT_RATING_WEIGHTS = {"excellent": 30, "good": 60, "done": 10, "not_done": 0}

# (unit code, title, scope, years ago): recognised sáng kiến and đề tài, given to a clinician of the unit.
INITIATIVES = [
    ("BVDK-NGOAI", "Áp dụng bảng kiểm an toàn phẫu thuật theo khuyến cáo của WHO tại Khoa Ngoại tổng hợp",
     "unit", 1),
    ("BVDK-NOI", "Cải tiến quy trình tiếp đón và phân loại người bệnh tại Khoa Nội tổng hợp", "unit", 2),
    ("BVDK-HSCC", "Ứng dụng kỹ thuật lọc máu liên tục trong điều trị ngộ độc cấp nặng tại tuyến tỉnh",
     "national", 2),
    ("BVDK-HSCC", "Đánh giá kết quả thở máy không xâm nhập ở người bệnh suy hô hấp cấp", "provincial", 1),
    ("BVYDCT", "Đánh giá hiệu quả điều trị đau thắt lưng bằng điện châm kết hợp xoa bóp bấm huyệt",
     "provincial", 3),
    ("BVPHOI", "Sàng lọc lao phổi chủ động bằng X-quang lưu động tại các xã vùng cao", "provincial", 2),
    ("BVSN", "Áp dụng phương pháp Kangaroo chăm sóc trẻ sinh non, nhẹ cân tại Khoa Sơ sinh", "national", 3),
    ("BVSN", "Tư vấn nuôi con bằng sữa mẹ hoàn toàn trong 6 tháng đầu qua nhóm Zalo của khoa", "unit", 1),
    ("CDC", "Giải pháp nâng cao tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi tại các xã đặc biệt khó khăn",
     "provincial", 1),
    ("TTYT-BL", "Ứng dụng hồ sơ sức khỏe điện tử trong quản lý bệnh không lây nhiễm tại trạm y tế xã",
     "unit", 2),
    ("TTYT-KV", "Mô hình cô đỡ thôn bản hỗ trợ sinh an toàn cho phụ nữ dân tộc thiểu số", "provincial", 4),
    ("TYT-YH-02", "Lồng ghép truyền thông phòng chống sốt xuất huyết vào sinh hoạt thôn, bản", "unit", 1),
    ("TTKN", "Xây dựng quy trình kiểm nghiệm nhanh dư lượng hóa chất bảo vệ thực vật trong rau", "unit", 3),
]

# (unit code, level, years ago, note): disciplinary decisions; that year's rating is lowered to match.
DISCIPLINES = [
    ("BVPHOI", "reprimand", 2, "Vi phạm quy định về thời gian làm việc."),
    ("TTYT-YH", "warning", 3, "Vi phạm quy trình chuyên môn trong kê đơn thuốc."),
    ("CDC", "reprimand", 1, "Chậm báo cáo số liệu giám sát dịch theo quy định."),
]

# One account per role. Passwords are for the demo only: change them on any shared machine.
# (username, password, role, unit code, person: (unit code, position) of the person the account is)
ACCOUNTS = [
    ("admin", "demo-admin-2026", "admin", None, None),
    ("staff", "demo-staff-2026", "staff", "SYT", ("SYT-TCCB", "Chuyên viên")),
    ("officer", "demo-officer-2026", "unit_officer", "BVDK", ("BVDK", "Chuyên viên Phòng Tổ chức cán bộ")),
    ("council", "demo-council-2026", "council_member", None, ("SYT", "Phó Giám đốc Sở")),
    # each deciding hospital's own secretariat (staff bound to it: its queue, its council, its decisions)
    ("staff-bvdk", "demo-staff-bvdk-2026", "staff", "BVDK", ("BVDK", "Trưởng phòng Kế hoạch tổng hợp")),
    ("staff-bvsn", "demo-staff-bvsn-2026", "staff", "BVSN", ("BVSN", "Trưởng phòng Kế hoạch tổng hợp")),
]
ADMIN_NAME = "Quản trị hệ thống"
