"""Vietnamese names with realistic frequencies, drawn from a seeded `random.Random`.

Family-name shares follow the usual national estimates (Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, …); Hoàng and
Huỳnh are one family name written the northern and the southern way, as are Vũ and Võ. Middle and given names
keep their diacritics, so the folded search (`nguyen thi hanh`) has real work to do."""

import random
from itertools import accumulate

# (family name, share in %)
FAMILY = [
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1), ("Huỳnh", 2.0), ("Phan", 4.5),
    ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
    ("Lý", 0.5), ("Đinh", 0.9), ("Trịnh", 0.7), ("Lương", 0.6), ("Mai", 0.6), ("Cao", 0.5), ("Đoàn", 0.5),
    ("Trương", 0.5), ("Lưu", 0.4), ("Tạ", 0.3), ("Hà", 0.4), ("Chu", 0.3), ("Kiều", 0.2), ("Tô", 0.2),
    ("Quách", 0.2), ("Vương", 0.2), ("Thái", 0.2), ("Lâm", 0.3),
]
MIDDLE_FEMALE = [("Thị", 42), ("Ngọc", 8), ("Thu", 6), ("Thanh", 6), ("Minh", 4), ("Hồng", 5), ("Phương", 3),
                 ("Thùy", 4), ("Kim", 4), ("Bích", 3), ("Diệu", 2), ("Mỹ", 3), ("Hoài", 2), ("Khánh", 2),
                 ("Quỳnh", 2), ("Bảo", 2), ("Thảo", 2)]
MIDDLE_MALE = [("Văn", 36), ("Đức", 8), ("Hữu", 7), ("Minh", 7), ("Quang", 6), ("Thanh", 4), ("Công", 5),
               ("Xuân", 4), ("Ngọc", 3), ("Đình", 6), ("Quốc", 5), ("Trọng", 4), ("Anh", 3), ("Tiến", 3),
               ("Mạnh", 2), ("Hoàng", 2), ("Bá", 2), ("Gia", 2)]
GIVEN_FEMALE = ["An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Dung", "Duyên", "Đào", "Giang", "Hà", "Hạnh", "Hằng",
                "Hiền", "Hoa", "Huế", "Hương", "Huyền", "Khánh", "Lan", "Liên", "Linh", "Loan", "Lụa", "Mai", "My",
                "Nga", "Ngân", "Ngọc", "Nhàn", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thắm",
                "Thu", "Thủy", "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Hậu", "Lệ",
                "Diệp", "Nguyệt", "Thơ", "Hồng"]
GIVEN_MALE = ["An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hòa", "Hoàng",
              "Hùng", "Hưng", "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Linh", "Lộc", "Long", "Luân", "Mạnh", "Minh",
              "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Quân", "Quý", "Sơn", "Tài", "Tâm", "Thắng", "Thành",
              "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hậu", "Tiến", "Trí", "Đông"]
# ethnic minorities of the north, with the names their identity papers carry: (ethnicity, share %, family names,
# female middle names, male middle names, female given, male given)
ETHNIC = [
    ("Tày", 35, ["Nông", "Hoàng", "Ma", "Lục", "Hà", "Đàm", "Hứa"], ["Thị"], ["Văn", "Đình"],
     ["Nhài", "Thoa", "Hiên", "Lan", "Huyền"], ["Páo", "Toản", "Khởi", "Lợi", "Thắng"]),
    ("Thái", 20, ["Lò", "Cầm", "Quàng", "Lường", "Tòng"], ["Thị"], ["Văn"],
     ["Ỏn", "Xiêm", "Pánh", "Ún"], ["Pọm", "Xuân", "Ơn", "Thoong"]),
    ("Nùng", 15, ["Lăng", "Chu", "Vi", "Nông", "Lương"], ["Thị"], ["Văn"],
     ["Sịnh", "Dìn", "Mỷ", "Lụa"], ["Sinh", "Pao", "Lìn", "Sáng"]),
    ("Mường", 12, ["Bùi", "Đinh", "Quách", "Hà"], ["Thị"], ["Văn"], ["Mơ", "Thiêm", "Lường"], ["Khản", "Thương"]),
    ("Mông", 10, ["Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Vừ"], ["Thị"], ["A", "Seo", "Mí"],
     ["Mỷ", "Dợ", "Say", "Chứ", "Pà"], ["Páo", "Chá", "Sử", "Dình", "Súa"]),
    ("Dao", 8, ["Triệu", "Bàn", "Lý", "Phùng"], ["Thị", "Mùi"], ["Văn", "Tòn"],
     ["Mây", "Phấy", "Nái", "Kiều"], ["Chòi", "Quẩy", "Tạ", "Vần"]),
]


class Weighted:
    """random.choices with the cumulative weights computed once (fast in a 100,000-name loop)."""

    def __init__(self, pairs):
        self.values = [v for v, _w in pairs]
        self.cum = list(accumulate(w for _v, w in pairs))

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


_FAMILY = Weighted(FAMILY)
_MIDDLE = {"female": Weighted(MIDDLE_FEMALE), "male": Weighted(MIDDLE_MALE)}
_ETHNIC = Weighted([(e, e[1]) for e in ETHNIC])


def kinh_name(rng: random.Random, gender: str) -> str:
    """'Nguyễn Thị Thu Hà': a family name, one middle name (one in six women has two), a given name."""
    parts = [_FAMILY.pick(rng), _MIDDLE[gender].pick(rng)]
    if gender == "female" and rng.random() < 0.17:
        parts.append(rng.choice(("Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Kim", "Phương")))
    parts.append(rng.choice(GIVEN_FEMALE if gender == "female" else GIVEN_MALE))
    if parts[-1] == parts[-2]:
        parts[-1] = rng.choice(GIVEN_FEMALE if gender == "female" else GIVEN_MALE)
    return " ".join(parts)


def minority_name(rng: random.Random, gender: str) -> tuple[str, str]:
    """(ethnicity, full name) of an ethnic-minority person."""
    ethnicity, _share, families, middle_f, middle_m, given_f, given_m = _ETHNIC.pick(rng)
    female = gender == "female"
    name = " ".join((rng.choice(families), rng.choice(middle_f if female else middle_m),
                     rng.choice(given_f if female else given_m)))
    return ethnicity, name
