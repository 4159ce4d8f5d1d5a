"""The health sector's own awards for the demo (issue 25), stored as award types with composed conditions, and
the demo people's start dates in the sector.

What was verified and what was not (the search tool of the session that wrote this, December 2026):
- Thầy thuốc Nhân dân: Luật Thi đua, khen thưởng 2022, Điều 65 khoản 2 điểm a–c and Nghị định 25/2024/NĐ-CP
  (from 15/4/2024), read in a summary of the decree (thuvienphapluat.vn, 01/03/2024), not in the Công báo: already
  Thầy thuốc Ưu tú; ≥ 20 years of direct professional work in the sector (managers: ≥ 25 years in the sector with
  ≥ 15 of direct work); talent in research (a ministerial or provincial research task…). The years are marked
  unconfirmed; the app cannot tell direct professional work from other years in the sector, so the line reads the
  start date in the sector and the appraiser confirms the direct part.
- Thầy thuốc Ưu tú: the Law's Điều 65 khoản 3 and NĐ 25/2024 were not read; the 15 years of direct professional
  work come from the earlier NĐ 41/2015/NĐ-CP as the Ministry's 2019 letter 2925/BYT-TT-KT quotes it: [check].
- Kỷ niệm chương “Vì sức khỏe nhân dân”: once, to a person with ≥ 20 years in the health sector (men) or ≥ 15
  (women), as a hospital's page (bvndtp.org.vn, 2020) quotes the Minister's rules; the Thông tư in force and its
  article could not be found: [check]. Earlier award for the shorter specialities and the five-year reductions
  (Bằng khen TTg, CSTĐ…) are not modelled: they are lines the appraiser confirms.
- Bằng khen của Bộ trưởng Bộ Y tế: the Ministry's Thông tư on emulation and commendation in the health sector in
  force could not be found with the search tool. The conditions below follow the pattern the Law sets for a
  Minister's Bằng khen (Luật TĐKT 2022, Điều 74: two consecutive years of excellent task completion, or a
  campaign / ad-hoc achievement) and are all marked unconfirmed.
No prize coefficient is set: none was verified.
"""

import random
from datetime import date

from awards.catalog import services as catalog

UNVERIFIED = False

SECTOR_AWARDS = (
    {"code": "BK_BYT", "name": "Bằng khen của Bộ trưởng Bộ Y tế", "subject": "both", "form": "commendation",
     "level": "ministerial", "decided_by": "Bộ trưởng Bộ Y tế", "ballot": "open", "threshold": None,
     "period_years": 2, "required_attachments": ["proposal", "report", "minutes"],
     "basis": "Luật TĐKT 2022, Điều 74 (Bằng khen cấp bộ); Thông tư của Bộ Y tế về TĐKT ngành Y tế [check]",
     "notes": "Điều kiện theo khuôn mẫu Bằng khen cấp bộ của Luật; chưa đối chiếu được Thông tư của Bộ Y tế.",
     "conditions": [
         {"rule": "rating_years", "params": {"minimum": "excellent", "years": 2},
          "basis": {"article": "Luật TĐKT 2022, Điều 74 khoản 1 điểm d (áp dụng cho Bằng khen cấp bộ) [check]",
                    "text": "02 năm liên tục hoàn thành xuất sắc nhiệm vụ.", "confirmed": UNVERIFIED}},
         {"rule": "no_discipline", "params": {"years": 2},
          "basis": {"article": "Luật TĐKT 2022, Điều 5 (nguyên tắc khen thưởng) [check]",
                    "text": "Không bị kỷ luật trong thời gian tính thành tích.", "confirmed": UNVERIFIED}},
         {"rule": "confirm", "params": {"text": "có thành tích xuất sắc được bình xét trong phong trào thi đua của "
                                                "ngành Y tế"},
          "basis": {"article": "Thông tư của Bộ Y tế về TĐKT ngành Y tế [check]",
                    "text": "Thành tích xuất sắc trong phong trào thi đua do Bộ Y tế phát động.",
                    "confirmed": UNVERIFIED}},
     ]},
    {"code": "KNC_VSKND", "name": "Kỷ niệm chương “Vì sức khỏe nhân dân”", "subject": "individual",
     "form": "commendation", "level": "ministerial", "decided_by": "Bộ trưởng Bộ Y tế", "ballot": "none",
     "threshold": None, "period_years": 1, "required_attachments": ["proposal", "report"],
     "basis": "Quy chế xét tặng Kỷ niệm chương “Vì sức khỏe nhân dân” của Bộ trưởng Bộ Y tế [check]",
     "notes": "Tặng một lần. Chuyên ngành đặc thù và thời gian ưu tiên (Bằng khen Thủ tướng, CSTĐ…) chưa mô hình hóa.",
     "conditions": [
         {"rule": "years_of_service", "params": {"min_years": 20, "min_years_women": 15},
          "basis": {"article": "Quy chế xét tặng Kỷ niệm chương “Vì sức khỏe nhân dân” [check]",
                    "text": "Thời gian công tác trong ngành y tế từ 20 năm trở lên đối với nam, 15 năm trở lên "
                            "đối với nữ.", "confirmed": UNVERIFIED}},
         {"rule": "confirm", "params": {"text": "chưa được tặng Kỷ niệm chương “Vì sức khỏe nhân dân” (tặng một lần)"},
          "basis": {"article": "Quy chế xét tặng Kỷ niệm chương “Vì sức khỏe nhân dân” [check]",
                    "text": "Kỷ niệm chương tặng một lần cho cá nhân.", "confirmed": UNVERIFIED}},
     ]},
    {"code": "TTUT", "name": "Thầy thuốc Ưu tú", "subject": "individual", "form": "title", "level": "national",
     "decided_by": "Chủ tịch nước", "ballot": "secret", "threshold": None, "period_years": 1,
     "required_attachments": ["proposal", "report", "minutes"],
     "basis": "Luật TĐKT 2022, Điều 65 khoản 3; Nghị định 25/2024/NĐ-CP [check]",
     "notes": "Danh hiệu vinh dự Nhà nước, xét hai năm một lần; đơn vị đề nghị, Chủ tịch nước quyết định.",
     "conditions": [
         {"rule": "years_of_service", "params": {"min_years": 15},
          "basis": {"article": "Luật TĐKT 2022, Điều 65 khoản 3; Nghị định 25/2024/NĐ-CP [check]",
                    "text": "Thời gian trực tiếp làm chuyên môn kỹ thuật trong ngành y tế từ 15 năm trở lên (theo "
                            "NĐ 41/2015/NĐ-CP; chưa đối chiếu văn bản hiện hành).", "confirmed": UNVERIFIED}},
         {"rule": "confirm", "params": {"text": "thời gian trên là thời gian trực tiếp làm chuyên môn kỹ thuật"},
          "basis": {"article": "Luật TĐKT 2022, Điều 65 khoản 3 [check]",
                    "text": "Thời gian trực tiếp làm chuyên môn kỹ thuật.", "confirmed": UNVERIFIED}},
         {"rule": "confirm", "params": {"text": "có phẩm chất đạo đức tốt, tận tụy với nghề, có nhiều thành tích "
                                                "trong phòng bệnh, chữa bệnh"},
          "basis": {"article": "Luật TĐKT 2022, Điều 65 khoản 3 [check]",
                    "text": "Tiêu chuẩn về phẩm chất, tài năng, thành tích.", "confirmed": UNVERIFIED}},
     ]},
    {"code": "TTND", "name": "Thầy thuốc Nhân dân", "subject": "individual", "form": "title", "level": "national",
     "decided_by": "Chủ tịch nước", "ballot": "secret", "threshold": None, "period_years": 1,
     "required_attachments": ["proposal", "report", "minutes"],
     "basis": "Luật TĐKT 2022, Điều 65 khoản 2; Nghị định 25/2024/NĐ-CP",
     "notes": "Danh hiệu vinh dự Nhà nước; cán bộ quản lý y tế: 25 năm trong ngành, trong đó 15 năm trực tiếp làm "
              "chuyên môn kỹ thuật (dòng xác nhận).",
     "conditions": [
         {"rule": "prior_award", "params": {"award": "TTUT", "times": 1},
          "basis": {"article": "Nghị định 25/2024/NĐ-CP (Thầy thuốc Nhân dân)",
                    "text": "Đã được Chủ tịch nước phong tặng danh hiệu “Thầy thuốc Ưu tú”.",
                    "confirmed": UNVERIFIED}},
         {"rule": "years_of_service", "params": {"min_years": 20},
          "basis": {"article": "Luật TĐKT 2022, Điều 65 khoản 2 điểm c",
                    "text": "Có thời gian trực tiếp làm chuyên môn kỹ thuật trong ngành y tế từ 20 năm trở lên; "
                            "cán bộ quản lý y tế: 25 năm trong ngành, trong đó 15 năm trực tiếp làm chuyên môn kỹ "
                            "thuật.", "confirmed": UNVERIFIED}},
         {"rule": "confirm", "params": {"text": "có tài năng xuất sắc trong nghiên cứu, phát triển khoa học, kỹ "
                                                "thuật, công nghệ về y tế (chủ nhiệm nhiệm vụ khoa học cấp bộ, tỉnh "
                                                "đã nghiệm thu, …)"},
          "basis": {"article": "Nghị định 25/2024/NĐ-CP (Thầy thuốc Nhân dân)",
                    "text": "Tài năng xuất sắc trong nghiên cứu, phát triển khoa học, kỹ thuật, công nghệ về y tế.",
                    "confirmed": UNVERIFIED}},
     ]},
)


def load_sector_awards(by) -> int:
    """The sector's awards as stored types (the admin `by` adds them); returns how many."""
    for values in SECTOR_AWARDS:
        catalog.create_award_type(by=by, **values)
    return len(SECTOR_AWARDS)


def give_start_dates(people, seed: int) -> None:
    """Each demo person's start date in the sector: at 21–27 after their birth (or 1990–2020 with no birth date),
    never in the future; a random stream of its own, so the rest of the demo stays as it was."""
    rng = random.Random(seed)
    today = date.today()
    for person in people:
        if person.birth_date is not None:
            year = person.birth_date.year + rng.randint(21, 27)
        else:
            year = rng.randint(1990, 2020)
        start = date(min(year, today.year - 1), rng.choice((7, 8, 9, 10)), 1)
        person.sector_start_date = start
