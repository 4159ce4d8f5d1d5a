"""Certificates on calibrated blanks: each field's text at its calibrated place (read back with pdfplumber,
within 1 mm), a long Vietnamese name fitting its width, one page per recipient, the scanned blank under the test
print only; the calibration page's validation in Vietnamese and its guard."""

import io
from datetime import date
from types import SimpleNamespace

import pdfplumber
import pytest
from PIL import Image

from awards.signing import certificates, services
from tests import factories

MM = 72 / 25.4
LONG_NAME = "Nguyễn Thị Phương Thảo Huyền Trân Tôn Nữ Hoàng Kim Quỳnh Như Ý Lê Phạm Đức Trọng Nghĩa Khuê Mỹ"[:80]


def _lines(page) -> list[dict]:
    """The page's text lines: their text, first and last character's x (mm) and baseline (mm from the top)."""
    lines: dict[float, list] = {}
    for char in page.chars:
        baseline = round((page.height - char["matrix"][5]) / MM, 1)
        lines.setdefault(baseline, []).append(char)
    found = []
    for baseline, chars in sorted(lines.items()):
        chars.sort(key=lambda c: c["x0"])
        found.append({"text": "".join(c["text"] for c in chars), "y": baseline, "x0": chars[0]["x0"] / MM,
                      "x1": chars[-1]["x1"] / MM, "size": chars[0]["size"]})
    return found


def _layout(**fields):
    spec = {k: dict(v) for k, v in certificates.DEFAULT_FIELDS.items()}
    for name, changes in fields.items():
        spec[name].update(changes)
    return SimpleNamespace(width=297.0, height=210.0, fields=spec)


def _sheet(name="Trần Văn Bình"):
    return certificates.Sheet(name=name, unit="Khoa Nội — Bệnh viện Đa khoa tỉnh", award="Lao động tiên tiến năm 2025",
                              decision="Quyết định số 125/QĐ-SYT ngày 15/01/2026", gold_book="Số sổ vàng: 42",
                              place_date="Hà Giang, ngày 15 tháng 01 năm 2026")


def test_each_field_is_printed_at_its_calibrated_place_within_1_mm():
    layout = _layout(decision={"x": 31.5, "y": 181.2, "align": "left"}, gold_book={"x": 240.0, "y": 25.0,
                     "width": 40.0, "align": "right"}, place_date={"x": 150.0, "y": 160.0, "width": 120.0})
    data = certificates.render([(_sheet(), layout)])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (297, 210)
        lines = {line["text"]: line for line in _lines(page)}
    sheet = _sheet()
    for field, spec in layout.fields.items():
        line = lines[sheet.text(field)]
        assert abs(line["y"] - spec["y"]) <= 1, field
        left, right = spec["x"], spec["x"] + spec["width"]
        if spec["align"] == "left":
            assert abs(line["x0"] - left) <= 1, field
        elif spec["align"] == "right":
            assert abs(line["x1"] - right) <= 1, field
        else:
            assert abs((line["x0"] + line["x1"]) / 2 - (left + right) / 2) <= 1, field
        assert left - 1 <= line["x0"] and line["x1"] <= right + 1, field


def test_an_80_character_vietnamese_name_shrinks_then_wraps_within_its_width():
    assert len(LONG_NAME) == 80
    wide = _layout(name={"x": 20.0, "width": 257.0, "size": 22})
    narrow = _layout(name={"x": 60.0, "width": 120.0, "size": 22})
    for layout, wraps in ((wide, False), (narrow, True)):
        data = certificates.render([(_sheet(LONG_NAME), layout)])
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            lines = [line for line in _lines(pdf.pages[0]) if line["y"] < 105]
        spec = layout.fields["name"]
        assert " ".join(line["text"] for line in lines) == LONG_NAME  # whole, diacritics intact
        assert all(spec["x"] - 1 <= line["x0"] and line["x1"] <= spec["x"] + spec["width"] + 1 for line in lines)
        assert all(line["size"] < spec["size"] for line in lines)  # shrunk first
        assert (len(lines) > 1) is wraps
        assert abs(lines[0]["y"] - spec["y"]) <= 1


@pytest.fixture
def staff(db):
    user = factories.user("staff")
    db.session.commit()
    return user


def test_a_decisions_certificates_are_one_page_per_recipient_without_the_blank(client, db, decision, login_as):
    login_as("staff")
    services.save_layout("LDTT", page="A4", landscape=True, place="Hà Giang", fields=certificates.DEFAULT_FIELDS,
                         blank=_blank_png(), blank_name="phoi.png", by=factories.user("admin"))
    db.session.commit()
    response = client.get(f"/decisions/{decision.id}/blank-certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.data)) as pdf:
        assert len(pdf.pages) == len(decision.items) == 2
        texts = [page.extract_text() for page in pdf.pages]
        assert all(not page.images for page in pdf.pages)  # the real print: text only
    for item, text in zip(decision.items, texts, strict=True):
        assert item.record.subject_name in text and f"Số sổ vàng: {item.record.gold_book_number}" in text
        assert "Quyết định số 125/QĐ-SYT ngày 15/01/2026" in text and "Lao động tiên tiến năm 2025" in text
        assert "Hà Giang, ngày 15 tháng 01 năm 2026" in text


def _blank_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (297, 210), (250, 240, 200)).save(out, "PNG")
    return out.getvalue()


def test_the_calibration_page_saves_and_the_test_print_draws_over_the_scanned_blank(client, db, login_as,
                                                                                   csrf_token):
    login_as("staff")
    page = client.get("/certificates/layouts/LDTT")
    assert page.status_code == 200 and "Chân chữ y (mm)" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token("/certificates/layouts/LDTT"), "page": "A5", "landscape": "y", "place": "Hà Giang",
            "blank": (io.BytesIO(_blank_png()), "phoi-lao-dong-tien-tien.png")}
    for name in certificates.DEFAULT_FIELDS:
        form.update({f"{name}-x": "10", f"{name}-y": str(20 + len(form)), f"{name}-width": "150",
                     f"{name}-size": "14", f"{name}-align": "center"})
    response = client.post("/certificates/layouts/LDTT", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    test_print = client.get("/certificates/layouts/LDTT/test.pdf")
    with pdfplumber.open(io.BytesIO(test_print.data)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (210, 148)
        assert len(page.images) == 1  # the scanned blank under the sample text
        assert "Hà Giang, ngày" in page.extract_text()
    assert "Đã căn chỉnh (210 × 148 mm)" in client.get("/certificates/layouts").get_data(as_text=True)


def test_a_field_off_the_page_is_refused_in_vietnamese(client, db, login_as, csrf_token):
    login_as("staff")
    form = {"csrf_token": csrf_token("/certificates/layouts/LDTT"), "page": "A5", "landscape": "y", "place": ""}
    for name in certificates.DEFAULT_FIELDS:
        form.update({f"{name}-x": "10", f"{name}-y": "20", f"{name}-width": "100", f"{name}-size": "12",
                     f"{name}-align": "left"})
    form["name-y"] = "180"  # below an A5 landscape blank (148 mm)
    response = client.post("/certificates/layouts/LDTT", data=form)
    assert response.status_code == 400 and "nằm ngoài trang (210 × 148 mm)" in response.get_data(as_text=True)
    form["name-y"], form["unit-size"] = "20", "chữ"
    response = client.post("/certificates/layouts/LDTT", data=form)
    assert response.status_code == 400 and "is-invalid" in response.get_data(as_text=True)


def test_only_the_secretariat_calibrates_and_only_the_issuers_prints(client, db, decision, login_as):
    from awards.core.db import DomainError

    officer = factories.user("unit_officer", unit=factories.unit())
    with pytest.raises(DomainError) as refused:
        services.save_layout("LDTT", page="A4", landscape=True, place="", fields=certificates.DEFAULT_FIELDS,
                             by=officer)
    assert refused.value.status == 403
    outsider = factories.user("staff", unit=factories.unit(code="BVZ"))
    with pytest.raises(DomainError) as refused:
        services.print_certificates(decision, by=outsider)
    assert refused.value.status == 403
    db.session.rollback()
    login_as("staff", unit=factories.unit(code="BVQ"))
    assert client.get(f"/decisions/{decision.id}/blank-certificates.pdf").status_code == 403


def test_revoked_awards_are_left_out_of_the_print(db, decision):
    from awards.archive.services import revoke_record

    revoke_record(decision.items[0].record, reason="Khai man thành tích", decision_number="3/QĐ-SYT",
                  decision_date=date(2026, 1, 18), by=None)
    data = services.print_certificates(decision, by=factories.user("admin"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 and decision.items[1].record.subject_name in pdf.pages[0].extract_text()
