"""What a rule line is and what it cites: `Basis`, `Check`, `Case`, and the legal bases of each regime.

The substance of an award follows its achievement year (RULES §0): years up to 2023 are judged by the Luật
TĐKT 2003 (sửa đổi 2013) and NĐ 91/2017/NĐ-CP, 2024 – 30/06/2025 by the Luật TĐKT 2022 and NĐ 98/2023/NĐ-CP,
later years by the Luật TĐKT 2022 and NĐ 152/2025/NĐ-CP. Each regime has its own `Bases`, so a 2022 checklist
never cites NĐ 152/2025. `confirmed=False` marks a reading not confirmed in the text (shown "chưa xác minh").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from awards.catalog.history import PersonHistory, UnitHistory

History = PersonHistory | UnitHistory
KINDS = ("regular", "adhoc", "thematic")
# A nomination's route (RULES §4: "đạt một trong các tiêu chuẩn"); the default follows its kind.
ROUTES = ("chain", "campaign", "adhoc", "contribution", "other")
ROUTE_OF_KIND = {"regular": "chain", "thematic": "campaign", "adhoc": "adhoc"}


@dataclass(frozen=True)
class Basis:
    article: str
    text: str
    confirmed: bool = True  # False for RULES.md [check] items: shown as "chưa xác minh"


@dataclass(frozen=True)
class Check:
    rule: str  # stable snake_case id
    passed: bool
    detail: str
    basis: Basis
    manual: bool = False  # a line a person confirms: shown, never blocks
    period: tuple[int, int] | None = None  # the achievement years this line used (written into a decision)


@dataclass(frozen=True)
class Case:
    """What a rule function reads: pure data, nothing else."""

    history: History
    year: int
    kind: str = "regular"
    settings: Mapping[str, object] = field(default_factory=dict)
    route: str | None = None
    bases: Bases | None = None

    @property
    def path(self) -> str:
        """The route the nomination takes: as given, else the one its kind implies."""
        return self.route or ROUTE_OF_KIND.get(self.kind, "chain")

    @property
    def fresh_from(self) -> int | None:
        """First year whose achievements count: the first whole year after the execution period of the last
        discipline decided by the award year (any level, reprimand included: NĐ 152 Art 4.4)."""
        ends = [d.fresh_from for d in getattr(self.history, "disciplines", ()) or () if d.year <= self.year]
        return max(ends, default=None)

    @property
    def b(self) -> Bases:
        return self.bases or BASES_2022_152


@dataclass(frozen=True)
class Bases:
    """The legal bases one regime cites, by the role they play in the rules."""

    regime: str
    discipline: Basis
    frozen: Basis
    once: Basis  # one achievement, one award
    initiative_once: Basis
    ldtt: Basis
    cstdcs: Basis
    cstd_tinh: Basis
    cstd_tq: Basis
    ttldtt: Basis
    ttldxs: Basis
    co_tinh: Basis
    co_cp: Basis
    giay_khen: Basis
    bk_tinh: Basis
    bk_tinh_unit: Basis
    bk_ttg: Basis
    bk_ttg_unit: Basis
    hcld3: Basis
    hcld3_unit: Basis


LAW = "Luật TĐKT 2022"
OLD_LAW = "Luật TĐKT 2003 (sửa đổi 2013)"
ONE_USE = "CV 5007/BNV-TĐKT mục III.5.c"
T_DISCIPLINE = ("Không khen thưởng trong năm bị kỷ luật (kể cả khiển trách); thành tích chỉ được tính lại từ khi "
                "hết thời hạn thi hành kỷ luật.")
T_FROZEN = ("Chưa xét khen thưởng khi đang bị xem xét kỷ luật, điều tra, thanh tra, kiểm tra hoặc có đơn thư khiếu "
            "nại, tố cáo đang được xác minh, chưa có kết luận.")
T_ONCE = ("Không khen thưởng nhiều lần, nhiều hình thức cho một thành tích; thành tích đến đâu khen thưởng đến đó: "
          "thời gian tính thành tích của lần khen sau bắt đầu sau thời gian đã ghi trong quyết định lần trước.")
T_INITIATIVE_ONCE = ("Một sáng kiến không dùng để xét đồng thời danh hiệu thi đua và hình thức khen thưởng, hoặc hai "
                     "hình thức khen thưởng.")

_LAW_2022 = dict(
    ldtt=Basis(f"{LAW}, Điều 24", "Lao động tiên tiến: hoàn thành tốt nhiệm vụ trở lên; có tinh thần tự lực, tự "
                                  "cường; đoàn kết, tương trợ, tích cực tham gia phong trào thi đua."),
    cstdcs=Basis(f"{LAW}, Điều 23", "Chiến sĩ thi đua cơ sở: đạt tiêu chuẩn Lao động tiên tiến và hoàn thành xuất "
                                    "sắc nhiệm vụ hoặc có sáng kiến được cơ sở công nhận."),
    cstd_tinh=Basis(f"{LAW}, Điều 22", "Chiến sĩ thi đua cấp tỉnh: 03 lần liên tục đạt CSTĐCS; có sáng kiến có phạm "
                                       "vi ảnh hưởng cấp tỉnh trong thời gian đó."),
    cstd_tq=Basis(f"{LAW}, Điều 21", "Chiến sĩ thi đua toàn quốc: 02 lần liên tục đạt CSTĐ cấp tỉnh; có sáng kiến có "
                                     "phạm vi ảnh hưởng toàn quốc."),
    ttldtt=Basis(f"{LAW}, Điều 28", "Tập thể lao động tiên tiến: hoàn thành tốt nhiệm vụ; có ít nhất 70% cá nhân đạt "
                                    "LĐTT; không có cá nhân bị kỷ luật từ cảnh cáo trở lên."),
    ttldxs=Basis(f"{LAW}, Điều 27", "Tập thể lao động xuất sắc: hoàn thành xuất sắc nhiệm vụ; 100% cá nhân hoàn thành "
                                    "nhiệm vụ, ít nhất 70% đạt LĐTT; có cá nhân đạt CSTĐCS."),
    co_tinh=Basis(f"{LAW}, Điều 26", "Cờ thi đua cấp tỉnh: tập thể hoàn thành xuất sắc nhiệm vụ, tiêu biểu xuất sắc, "
                                     "dẫn đầu cụm, khối thi đua hoặc dẫn đầu phong trào thi đua theo chuyên đề từ 03 "
                                     "năm trở lên; không cần đạt TTLĐXS trước."),
    co_cp=Basis(f"{LAW}, Điều 25", "Cờ thi đua của Chính phủ: tiêu biểu xuất sắc nhất trong các tập thể được tặng Cờ "
                                   "thi đua cấp tỉnh.", confirmed=False),
    giay_khen=Basis(f"{LAW}, Điều 75", "Giấy khen: hoàn thành tốt nhiệm vụ và có thành tích; hoặc có thành tích đột "
                                       "xuất, thành tích trong phong trào thi đua."),
    bk_tinh=Basis(f"{LAW}, Điều 74 khoản 1", "Bằng khen cấp tỉnh (đạt một trong các tiêu chuẩn): thành tích trong "
                                             "phong trào thi đua; thành tích đột xuất; điểm d: 02 lần liên tục đạt "
                                             "CSTĐCS, hoặc 02 năm liên tục HTXSNV và có 02 sáng kiến trong thời gian "
                                             "đó."),
    bk_tinh_unit=Basis(f"{LAW}, Điều 74 khoản 2", "Bằng khen cấp tỉnh cho tập thể: 02 năm liên tục hoàn thành xuất "
                                                  "sắc nhiệm vụ (hoặc đạt TTLĐXS).", confirmed=False),
    bk_ttg=Basis(f"{LAW}, Điều 73 khoản 1", "Bằng khen Thủ tướng (đạt một trong các tiêu chuẩn); điểm b: đã được tặng "
                                            "Bằng khen cấp tỉnh, 05 năm trở lên tiếp theo liên tục hoàn thành tốt "
                                            "nhiệm vụ trở lên, trong thời gian đó có 03 lần đạt CSTĐCS."),
    bk_ttg_unit=Basis(f"{LAW}, Điều 73 khoản 2", "Bằng khen Thủ tướng cho tập thể: đã được tặng Bằng khen cấp tỉnh, "
                                                 "05 năm tiếp theo liên tục hoàn thành xuất sắc nhiệm vụ, trong đó có "
                                                 "01 lần Cờ thi đua cấp tỉnh hoặc 02 lần TTLĐXS.", confirmed=False),
    hcld3=Basis(f"{LAW}, Điều 44 khoản 1", "Huân chương Lao động hạng Ba (đạt một trong các tiêu chuẩn); điểm e: đã "
                                           "được tặng Bằng khen Thủ tướng, 05 năm trở lên tiếp theo liên tục hoàn "
                                           "thành tốt nhiệm vụ trở lên, trong thời gian đó có 01 năm trở lên hoàn "
                                           "thành xuất sắc nhiệm vụ và 03 lần đạt CSTĐCS."),
    hcld3_unit=Basis(f"{LAW}, Điều 44 khoản 2", "Huân chương Lao động hạng Ba cho tập thể: đã được tặng Bằng khen Thủ "
                                                "tướng, 05 năm tiếp theo liên tục hoàn thành xuất sắc nhiệm vụ, trong "
                                                "đó có 01 lần Cờ thi đua cấp tỉnh hoặc 02 lần Bằng khen cấp tỉnh.",
                     confirmed=False),
)

BASES_2022_152 = Bases(
    regime="NĐ 152/2025/NĐ-CP",
    discipline=Basis("NĐ 152/2025/NĐ-CP, Điều 4 khoản 4", T_DISCIPLINE),
    frozen=Basis("NĐ 152/2025/NĐ-CP, Điều 4 khoản 4", T_FROZEN),
    once=Basis(f"{LAW}, Điều 5 khoản 2 điểm c", T_ONCE),
    initiative_once=Basis(ONE_USE, T_INITIATIVE_ONCE),
    **_LAW_2022,
)

BASES_2022_98 = Bases(
    regime="NĐ 98/2023/NĐ-CP",
    discipline=Basis(f"{LAW}, Điều 5; NĐ 98/2023/NĐ-CP (nguyên tắc khen thưởng)", T_DISCIPLINE, confirmed=False),
    frozen=Basis(f"{LAW}, Điều 5; NĐ 98/2023/NĐ-CP (nguyên tắc khen thưởng)", T_FROZEN, confirmed=False),
    once=Basis(f"{LAW}, Điều 5 khoản 2 điểm c; NĐ 98/2023/NĐ-CP, Điều 30 khoản 9", T_ONCE),
    initiative_once=Basis(ONE_USE, T_INITIATIVE_ONCE),
    **_LAW_2022,
)

_NĐ91 = "NĐ 91/2017/NĐ-CP"
BASES_2013_91 = Bases(
    regime=_NĐ91,
    discipline=Basis(f"{OLD_LAW}; {_NĐ91} (nguyên tắc khen thưởng)", T_DISCIPLINE, confirmed=False),
    frozen=Basis(f"{OLD_LAW}; {_NĐ91} (nguyên tắc khen thưởng)", T_FROZEN, confirmed=False),
    once=Basis(f"{OLD_LAW} (nguyên tắc khen thưởng)", T_ONCE, confirmed=False),
    initiative_once=Basis(ONE_USE, T_INITIATIVE_ONCE, confirmed=False),
    ldtt=Basis(f"{OLD_LAW}, Điều 24", "Lao động tiên tiến: hoàn thành tốt nhiệm vụ; chấp hành tốt chủ trương, chính "
                                      "sách; có tinh thần tự lực, tự cường, đoàn kết, tương trợ.", confirmed=False),
    cstdcs=Basis(f"{OLD_LAW}, Điều 23; {_NĐ91}, Điều 9 khoản 3", "Chiến sĩ thi đua cơ sở: đạt tiêu chuẩn Lao động "
                                                                "tiên tiến và có sáng kiến được cơ sở công nhận hoặc "
                                                                "đề tài nghiên cứu khoa học đã nghiệm thu được áp "
                                                                "dụng (hoàn thành xuất sắc nhiệm vụ không thay được "
                                                                "sáng kiến)."),
    cstd_tinh=Basis(f"{OLD_LAW}, Điều 22", "Chiến sĩ thi đua cấp tỉnh: 03 lần liên tục đạt CSTĐCS; sáng kiến có phạm "
                                           "vi ảnh hưởng cấp tỉnh."),
    cstd_tq=Basis(f"{OLD_LAW}, Điều 21", "Chiến sĩ thi đua toàn quốc: 02 lần liên tục đạt CSTĐ cấp tỉnh; sáng kiến có "
                                         "phạm vi ảnh hưởng toàn quốc."),
    ttldtt=Basis(f"{OLD_LAW}, Điều 28", "Tập thể lao động tiên tiến: hoàn thành tốt nhiệm vụ; ít nhất 70% cá nhân đạt "
                                        "LĐTT; không có cá nhân bị kỷ luật từ cảnh cáo trở lên.", confirmed=False),
    ttldxs=Basis(f"{OLD_LAW}, Điều 27", "Tập thể lao động xuất sắc: hoàn thành xuất sắc nhiệm vụ; 100% cá nhân hoàn "
                                        "thành nhiệm vụ, ít nhất 70% đạt LĐTT; có cá nhân đạt CSTĐCS.",
                 confirmed=False),
    co_tinh=Basis(f"{OLD_LAW}, Điều 26", "Cờ thi đua cấp tỉnh: tập thể hoàn thành xuất sắc nhiệm vụ, dẫn đầu phong "
                                         "trào thi đua của cụm, khối.", confirmed=False),
    co_cp=Basis(f"{OLD_LAW}, Điều 25", "Cờ thi đua của Chính phủ: tiêu biểu xuất sắc nhất trong phong trào thi đua "
                                       "của cấp tỉnh."),
    giay_khen=Basis(f"{OLD_LAW}; {_NĐ91} (Giấy khen)", "Giấy khen: hoàn thành tốt nhiệm vụ và có thành tích; hoặc "
                                                       "có thành tích đột xuất.", confirmed=False),
    bk_tinh=Basis(f"{_NĐ91}, Điều 39 khoản 1", "Bằng khen cấp tỉnh (một trong các tiêu chuẩn): thành tích trong phong "
                                               "trào thi đua; thành tích có phạm vi ảnh hưởng; 02 năm liên tục hoàn "
                                               "thành xuất sắc nhiệm vụ, có 02 sáng kiến được công nhận trong thời "
                                               "gian đó.", confirmed=False),
    bk_tinh_unit=Basis(f"{_NĐ91}, Điều 39 khoản 2", "Bằng khen cấp tỉnh cho tập thể: 02 năm liên tục hoàn thành xuất "
                                                    "sắc nhiệm vụ.", confirmed=False),
    bk_ttg=Basis(f"{_NĐ91}, Điều 38 khoản 1", "Bằng khen Thủ tướng (một trong các tiêu chuẩn); điểm c: đã được tặng "
                                              "Bằng khen cấp tỉnh, 05 năm tiếp theo liên tục hoàn thành tốt nhiệm vụ, "
                                              "trong thời gian đó có 05 sáng kiến được công nhận và áp dụng hiệu quả "
                                              "trong phạm vi cơ sở.", confirmed=False),
    bk_ttg_unit=Basis(f"{_NĐ91}, Điều 38 khoản 2", "Bằng khen Thủ tướng cho tập thể: đã được tặng Bằng khen cấp tỉnh, "
                                                   "05 năm tiếp theo liên tục hoàn thành xuất sắc nhiệm vụ, trong đó "
                                                   "có 01 lần Cờ thi đua cấp tỉnh hoặc 02 lần TTLĐXS.",
                      confirmed=False),
    hcld3=Basis(f"{_NĐ91}, Điều 24 khoản 1", "Huân chương Lao động hạng Ba (một trong các tiêu chuẩn); điểm a: đã "
                                             "được tặng Bằng khen Thủ tướng và 05 năm tiếp theo trở lên liên tục lập "
                                             "được thành tích xuất sắc, trong thời gian đó có 02 sáng kiến được ứng "
                                             "dụng, có phạm vi ảnh hưởng trong tỉnh; hoặc thành tích đặc biệt xuất sắc "
                                             "đột xuất."),
    hcld3_unit=Basis(f"{OLD_LAW}, Điều 44 khoản 2", "Huân chương Lao động hạng Ba cho tập thể: 05 năm liên tục đạt "
                                                    "TTLĐXS và có 01 lần Cờ thi đua cấp tỉnh hoặc 01 lần Bằng khen Thủ "
                                                    "tướng; hoặc thành tích xuất sắc đột xuất.", confirmed=False),
)
