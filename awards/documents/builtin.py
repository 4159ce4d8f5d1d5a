"""The built-in templates, built once from the python-docx layout the documents had (awards.core.docx) and shipped
as .docx files in awards/documents/builtin/: `python -m awards.documents.builtin` writes them again.

Layout of Nghị định 30/2020/NĐ-CP, Phụ lục I (checked against the annex's text): A4, margins 20 mm top and bottom,
30 mm left, 20 mm right; Times New Roman; the national name in capitals, bold, 12–13 pt, the motto bold 13–14 pt
centred under it; the issuer and the number on the left; the place and date in italics under the motto; the kind
and the summary (trích yếu) in bold, centred; the recipients (Nơi nhận) on the left and the signer's title and full
name on the right. The signer's title and name are placeholders filled from the data, never a generic title."""

from pathlib import Path

from awards.core.docx import (
    BODY_PT,
    CENTRE,
    JUSTIFY,
    LANDSCAPE_CM,
    MOTTO,
    MOTTO_NATION,
    PORTRAIT_CM,
    SMALL_PT,
    TABLE_PT,
    TITLE_PT,
    cell_lines,
    header,
    indented,
    landscape_section,
    new_document,
    page_section,
    para,
    repeat_header,
    set_widths,
    tag,
    tag_row,
    to_bytes,
    write,
)

FOLDER = Path(__file__).with_name("builtin")
_DASH = "───────"


def _issuer_lines(*, with_number: bool = True, number: str = "Số: {{ number }}/{{ symbol }}") -> list[dict]:
    lines = [{"text": "{%p if issuer_parent %}", "size": BODY_PT},
             {"text": "{{ issuer_parent|upper }}", "size": BODY_PT, "align": CENTRE},
             {"text": "{%p endif %}", "size": BODY_PT},
             {"text": "{{ issuer|upper }}", "size": BODY_PT, "bold": True, "align": CENTRE},
             {"text": _DASH, "size": BODY_PT, "align": CENTRE, "space_after": 4}]
    if with_number:
        lines.append({"text": number, "size": BODY_PT, "align": CENTRE})
    return lines


def _header(document, *, usable_cm: float, number: str = "Số: {{ number }}/{{ symbol }}"):
    wide = usable_cm > 20
    header(document, _issuer_lines(number=number), date_text="{{ place_date }}", usable_cm=usable_cm,
           left_cm=10 if wide else 6.5, nation_pt=BODY_PT if wide else BODY_PT - 1)


def _signature(document, *, usable_cm: float, hint: bool):
    """'Nơi nhận:' and its lines on the left; the signer's title, room to sign and full name on the right."""
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [usable_cm / 2, usable_cm / 2])
    left, right = table.rows[0].cells
    cell_lines(left, [{"text": "Nơi nhận:", "size": TABLE_PT, "bold": True, "italic": True},
                      {"text": "{%p for line in recipients %}", "size": SMALL_PT},
                      {"text": "- {{ line }}", "size": SMALL_PT},
                      {"text": "{%p endfor %}", "size": SMALL_PT}])
    lines = [{"text": "{{ signer_title|upper }}", "bold": True, "align": CENTRE}]
    if hint:
        lines.append({"text": "(Ký, ghi rõ họ tên và đóng dấu)", "italic": True, "align": CENTRE})
    lines += [*({"text": ""} for _ in range(4)), {"text": "{{ signer_name }}", "bold": True, "align": CENTRE}]
    cell_lines(right, lines)


def _table(document, titles, cells, widths, *, groups: str, rows: str = "rows", size: float = TABLE_PT):
    """A bordered table: the header row, then for each group its heading row (when it has one) and its rows."""
    table = document.add_table(rows=1, cols=len(titles))
    table.style = document.styles["Table Grid"]
    for cell, title in zip(table.rows[0].cells, titles, strict=True):
        write(cell.paragraphs[0], title, size=size, bold=True, align=CENTRE)
    repeat_header(table.rows[0])
    if groups:
        tag_row(table, f"{{%tr for g in {groups} %}}")
        tag_row(table, "{%tr if g.heading %}")
        merged = table.add_row().cells
        write(merged[0].merge(merged[-1]).paragraphs[0], "{{ g.heading }}", size=size, bold=True)
        tag_row(table, "{%tr endif %}")
        tag_row(table, "{%tr for r in g.rows %}")
    else:
        tag_row(table, f"{{%tr for r in {rows} %}}")
    row = table.add_row().cells
    for index, (cell, value) in enumerate(zip(row, cells, strict=True)):
        write(cell.paragraphs[0], value, size=size, align=CENTRE if index == 0 else None)
    tag_row(table, "{%tr endfor %}")
    if groups:
        tag_row(table, "{%tr endfor %}")
    set_widths(table, list(widths))
    return table


# ---------------------------------------------------------------------------------------------- kinds

def proposal() -> bytes:
    document = new_document()
    _header(document, usable_cm=PORTRAIT_CM)
    para(document, "TỜ TRÌNH", size=TITLE_PT, bold=True, align=CENTRE, space_before=18)
    para(document, "Về việc đề nghị khen thưởng năm {{ year }}", size=TITLE_PT, bold=True, align=CENTRE,
         space_after=12)
    para(document, "Kính gửi: {{ addressee }}.", align=CENTRE, space_after=12)
    for line in ("Căn cứ Luật Thi đua, khen thưởng năm 2022;",
                 "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của "
                 "Luật Thi đua, khen thưởng;",
                 "Căn cứ kết quả thực hiện nhiệm vụ năm {{ year }} và đề nghị của Hội đồng Thi đua - Khen thưởng "
                 "{{ issuer }},"):
        indented(document, line, italic=True)
    tag(document, "{%p if groups %}")
    indented(document, "{{ issuer }} kính trình {{ addressee }} xem xét, khen thưởng cho {{ count_text }} đã có "
                       "thành tích xuất sắc trong năm {{ year }}, cụ thể như sau:")
    tag(document, "{%p for g in groups %}")
    indented(document, "- {{ g.award }}: {{ g.count }};").paragraph_format.space_after = 0
    tag(document, "{%p endfor %}")
    para(document, "(Có danh sách và tóm tắt thành tích kèm theo)", italic=True, align=CENTRE, space_before=6,
         space_after=6)
    _table(document, ("STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức đề nghị",
                      "Tóm tắt thành tích"),
           ("{{ r.no }}", "{{ r.name }}", "{{ r.position_unit }}", "{{ r.award }}", "{{ r.summary }}"),
           (1.1, 3.6, 3.4, 3.0, 4.9), groups="groups")
    tag(document, "{%p else %}")
    indented(document, "{{ issuer }} không có hồ sơ đề nghị khen thưởng nào trong năm {{ year }}.")
    tag(document, "{%p endif %}")
    indented(document, "{{ issuer }} kính trình {{ addressee }} xem xét, quyết định./.", space_before=12)
    _signature(document, usable_cm=PORTRAIT_CM, hint=True)
    return to_bytes(document)


def nominee_list() -> bytes:
    document = new_document(landscape=True)
    _header(document, usable_cm=LANDSCAPE_CM)
    para(document, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG", size=TITLE_PT, bold=True, align=CENTRE, space_before=12)
    para(document, "Năm {{ year }}", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, "(Kèm theo Tờ trình số {{ number }}/{{ symbol }} ngày {{ date_short }} của {{ issuer }})",
         italic=True, align=CENTRE, space_after=12)
    tag(document, "{%p if groups %}")
    _table(document, ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Danh hiệu/hình thức",
                      "Loại khen thưởng", "Ghi chú"),
           ("{{ r.no }}", "{{ r.name }}", "{{ r.gender }}", "{{ r.birth }}", "{{ r.position }}", "{{ r.unit }}",
            "{{ r.award }}", "{{ r.kind }}", "{{ r.note }}"),
           (1.1, 4.2, 1.7, 2.4, 3.2, 4.2, 3.6, 2.4, 1.9), groups="groups")
    para(document, "Tổng cộng: {{ total }} ({{ count_text }}).", bold=True, space_before=6, space_after=12)
    tag(document, "{%p else %}")
    para(document, "Không có hồ sơ đề nghị khen thưởng nào trong năm {{ year }}.", align=CENTRE, space_after=12)
    tag(document, "{%p endif %}")
    _signature(document, usable_cm=LANDSCAPE_CM, hint=True)
    return to_bytes(document)


def _members(document, name: str, heading: str):
    para(document, heading, space_before=3)
    tag(document, f"{{%p for m in {name} %}}")
    para(document, "- {{ m.name }} – {{ m.role }}")
    tag(document, "{%p else %}")
    para(document, "- Không có.")
    tag(document, "{%p endfor %}")


def minutes() -> bytes:
    document = new_document()
    issuer = [{"text": "{%p if unit_name %}", "size": BODY_PT - 1},
              {"text": "{{ unit_name|upper }}", "size": BODY_PT - 1, "align": CENTRE},
              {"text": "{%p endif %}", "size": BODY_PT - 1},
              {"text": "{{ council_name|upper }}", "size": BODY_PT - 1, "bold": True, "align": CENTRE},
              {"text": _DASH, "size": BODY_PT, "align": CENTRE}]
    header(document, issuer, date_text="{{ date_line }}", usable_cm=PORTRAIT_CM, size=BODY_PT)
    para(document, "BIÊN BẢN HỌP HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG VÀ KIỂM PHIẾU", size=TITLE_PT, bold=True,
         align=CENTRE, space_before=18, space_after=12)
    para(document, "Phiên họp: {{ title }}", space_after=3)
    para(document, "Vòng bỏ phiếu: {{ round }}", space_after=3)
    para(document, "Thời gian bỏ phiếu: từ {{ opened }} đến {{ closed }}.", space_after=3)
    para(document, "Hội đồng: {{ council_name }} (mã {{ council_code }}).", space_after=6)
    para(document, "I. THÀNH PHẦN", bold=True, space_before=6, space_after=3)
    para(document, "Tổng số thành viên Hội đồng: {{ total_members }}.", space_after=3)
    _members(document, "present", "Thành viên tham gia bỏ phiếu ({{ present|length }}):")
    _members(document, "absent", "Thành viên vắng mặt, không bỏ phiếu ({{ absent|length }}):")
    para(document, "{{ quorum_text }}", bold=True, align=JUSTIFY, space_before=6, space_after=6)
    para(document, "II. KẾT QUẢ KIỂM PHIẾU", bold=True, space_before=6, space_after=3)
    tag(document, "{%p if items %}")
    _table(document, ("STT", "Họ tên / Tập thể", "Đơn vị", "Danh hiệu/Hình thức", "Hình thức biểu quyết", "Đồng ý",
                      "Không đồng ý (trong đó bỏ trống)", "Cần đạt", "Kết quả"),
           ("{{ r.no }}", "{{ r.name }}", "{{ r.unit }}", "{{ r.award }}", "{{ r.ballot }}", "{{ r.yes }}",
            "{{ r.no_votes }}", "{{ r.needed }}", "{{ r.result }}"),
           (0.9, 3.0, 2.4, 2.4, 1.7, 1.2, 1.7, 1.1, 1.6), groups="", rows="items", size=SMALL_PT)
    document.tables[-1].rows[-2].cells[-1].paragraphs[0].runs[0].bold = True
    tag(document, "{%p else %}")
    para(document, "Không có hồ sơ nào trong chương trình phiên họp.", space_after=6)
    tag(document, "{%p endif %}")
    para(document, "III. TRÁNH XUNG ĐỘT LỢI ÍCH", bold=True, space_before=12, space_after=3)
    tag(document, "{%p for line in recusals %}")
    para(document, "{{ line }}", align=JUSTIFY, space_after=2)
    tag(document, "{%p else %}")
    para(document, "{{ no_recusal }}", space_after=6)
    tag(document, "{%p endfor %}")
    para(document, "{{ secrecy_note }}", size=SMALL_PT, italic=True, align=JUSTIFY, space_before=12)
    para(document, "Biên bản kết thúc lúc {{ closed }}./.", space_before=6, space_after=12)
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [PORTRAIT_CM / 2, PORTRAIT_CM / 2])
    for cell, title, name in zip(table.rows[0].cells, ("THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG"),
                                 ("secretary_name", "chair_name"), strict=True):
        cell_lines(cell, [{"text": title, "bold": True, "align": CENTRE},
                          {"text": "(Ký, ghi rõ họ tên)", "italic": True, "align": CENTRE},
                          *({"text": ""} for _ in range(4)),
                          {"text": f"{{{{ {name} }}}}", "bold": True, "align": CENTRE}])
    return to_bytes(document)


def decision() -> bytes:
    document = new_document()
    header(document, [{"text": "{{ issuer|upper }}", "bold": True, "align": CENTRE},
                      {"text": _DASH, "align": CENTRE, "space_after": 4},
                      {"text": "Số: {{ number }}", "align": CENTRE}],
           date_text="{{ place_date }}", usable_cm=PORTRAIT_CM)
    para(document, "QUYẾT ĐỊNH", size=TITLE_PT, bold=True, align=CENTRE, space_before=18)
    para(document, "{{ subject }}", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, _DASH, align=CENTRE, space_after=6)
    para(document, "{{ authority }}", size=TITLE_PT, bold=True, align=CENTRE, space_after=12)
    indented(document, "Căn cứ chức năng, nhiệm vụ, quyền hạn của {{ issuer }};", italic=True)
    tag(document, "{%p for line in legal_basis %}")
    indented(document, "{{ line }}", italic=True)
    tag(document, "{%p endfor %}")
    indented(document, "Xét đề nghị của Hội đồng Thi đua - Khen thưởng và cơ quan thường trực về thi đua, "
                       "khen thưởng,", italic=True)
    para(document, "QUYẾT ĐỊNH:", size=TITLE_PT, bold=True, align=CENTRE, space_before=6, space_after=6)
    for number, text in ((1, "{{ article_1 }}"), (2, "{{ article_2 }}"),
                         (3, "Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị có liên quan "
                             "và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")):
        paragraph = indented(document, f"Điều {number}. ", bold=True)
        write(paragraph, text, align=JUSTIFY, space_after=12 if number == 3 else 6)
    _signature(document, usable_cm=PORTRAIT_CM, hint=False)
    landscape_section(document)
    para(document, "{{ annex_title }}", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, "{{ annex_note }}", italic=True, align=CENTRE, space_after=12)
    _table(document, ("STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức", "Năm", "Số sổ vàng",
                      "Hệ số", "Tiền thưởng (đồng)"),
           ("{{ r.no }}", "{{ r.name }}", "{{ r.position_unit }}", "{{ r.award }}", "{{ r.year }}",
            "{{ r.gold_book }}", "{{ r.coefficient }}", "{{ r.prize }}"), (1.1, 4.8, 5.6, 4.6, 1.3, 2.2, 1.5, 3.6),
           groups="annex_groups")
    para(document, "{{ total_text }}", bold=True, space_before=6)
    para(document, "{{ prize_total_text }}", bold=True)
    return to_bytes(document)


def certificates() -> bytes:
    document = new_document(landscape=True)
    tag(document, "{%p for c in certificates %}")
    para(document, "{{ issuer|upper }}", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, MOTTO_NATION, size=TITLE_PT, bold=True, align=CENTRE, space_before=6)
    para(document, MOTTO, size=TITLE_PT, bold=True, align=CENTRE, space_after=24)
    para(document, "{{ c.award|upper }}", size=32, bold=True, align=CENTRE)
    tag(document, "{%p if c.year_line %}")
    para(document, "{{ c.year_line }}", size=TITLE_PT, bold=True, align=CENTRE)
    tag(document, "{%p endif %}")
    para(document, "Tặng: {{ c.name }}", size=18, bold=True, align=CENTRE, space_before=18)
    tag(document, "{%p if c.unit_line %}")
    para(document, "{{ c.unit_line }}", size=TITLE_PT, align=CENTRE, space_before=4)
    tag(document, "{%p endif %}")
    para(document, "{{ c.achievement }}", size=TITLE_PT, italic=True, align=CENTRE, space_before=12, space_after=18)
    table = document.add_table(rows=1, cols=2)
    set_widths(table, [LANDSCAPE_CM / 2, LANDSCAPE_CM / 2])
    left, right = table.rows[0].cells
    cell_lines(left, [{"text": "Quyết định số {{ decision_number }}, {{ decision_date }}", "align": CENTRE},
                      {"text": "Số sổ vàng: {{ c.gold_book }}", "align": CENTRE}])
    cell_lines(right, [{"text": "{{ place_date }}", "italic": True, "align": CENTRE},
                       {"text": "{{ signer_title|upper }}", "bold": True, "align": CENTRE},
                       *({"text": ""} for _ in range(3)),
                       {"text": "{{ signer_name }}", "bold": True, "align": CENTRE}])
    tag(document, "{%p if not loop.last %}")
    page_section(document)  # the paragraph ending this certificate's section: a new page for the next one
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    return to_bytes(document)


def notice() -> bytes:
    document = new_document()
    _header(document, usable_cm=PORTRAIT_CM)
    para(document, "THÔNG BÁO", size=TITLE_PT, bold=True, align=CENTRE, space_before=18)
    para(document, "Kết quả khen thưởng", size=TITLE_PT, bold=True, align=CENTRE)
    para(document, _DASH, align=CENTRE, space_after=6)
    para(document, "Kính gửi: {{ unit_name }}.", align=CENTRE, space_after=12)
    indented(document, "Theo Quyết định số {{ decision_number }} {{ decision_date }} của {{ decision_issuer }} về "
                       "việc khen thưởng, {{ issuer }} thông báo kết quả khen thưởng {{ count_text }} của "
                       "{{ unit_name }} như sau:")
    _table(document, ("STT", "Họ và tên / Tập thể", "Chức vụ, đơn vị", "Danh hiệu / hình thức", "Năm", "Số sổ vàng"),
           ("{{ r.no }}", "{{ r.name }}", "{{ r.position_unit }}", "{{ r.award }}", "{{ r.year }}",
            "{{ r.gold_book }}"), (1.1, 4.4, 3.6, 3.3, 1.2, 2.4), groups="")
    indented(document, "Đề nghị {{ unit_name }} thông báo đến các cá nhân, tập thể nêu trên và phối hợp tổ chức "
                       "trao tặng theo quy định./.", space_before=12)
    _signature(document, usable_cm=PORTRAIT_CM, hint=False)
    return to_bytes(document)


BUILDERS = {"to_trinh": proposal, "danh_sach": nominee_list, "bien_ban": minutes, "quyet_dinh": decision,
            "giay_chung_nhan": certificates, "thong_bao": notice}


def path_of(kind: str) -> Path:
    return FOLDER / f"{kind}.docx"


def build_all(folder: Path = FOLDER) -> list[Path]:
    """Write every built-in template into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, build in BUILDERS.items():
        target = folder / f"{kind}.docx"
        target.write_bytes(build())
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build_all():
        print(path)
