"""The public archive search: no login, published and unrevoked awards only, nothing private."""

from datetime import date

import pytest

from awards.archive import services
from tests import factories


def award(subject_code, award_code="LDTT", year=2024, subject_type="person", **kw):
    values = dict(decision_number=f"{year}-{len(subject_code)}/QĐ-SYT", decision_date=date(year + 1, 1, 15),
                  issuer="Sở Y tế tỉnh")
    values.update(kw)
    return services.record_award(subject_type=subject_type, subject_code=subject_code, award_code=award_code,
                                 year=year, **values)


@pytest.fixture
def archive(db):
    so = factories.unit(code="SYT", name="Sở Y tế")
    bvdk = factories.unit(code="BVDK", name="Bệnh viện Đa khoa tỉnh", parent=so)
    ttyt = factories.unit(code="TTYT", name="Trung tâm Y tế huyện", parent=so)
    factories.person(code="CN001", full_name="Nguyễn Văn An", unit=bvdk, birth_date=date(1985, 5, 17))
    factories.person(code="CN002", full_name="Đào Thị Hạnh", unit=bvdk, birth_date=date(1990, 3, 8))
    factories.person(code="CN003", full_name="Lò Văn Páo", unit=ttyt, birth_date=date(1979, 12, 1))
    factories.person(code="CN004", full_name="Trần Thị Bí Mật", unit=ttyt)
    award("CN001", decision_number="125/QĐ-UBND")
    award("CN001", "CSTDCS", year=2023)
    revoked = award("CN002")
    award("CN003", "GIAY_KHEN", year=2022)
    award("CN004", published=False)
    award("TTYT", "TTLDTT", subject_type="unit")
    services.revoke_record(revoked, reason="Khai man", decision_number="9/QĐ-SYT", decision_date=date(2025, 6, 1),
                           by=None)
    db.session.commit()


def test_anyone_sees_published_awards_without_private_data(client, archive):
    response = client.get("/public/archive")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for text in ("Nguyễn Văn An", "Bệnh viện Đa khoa tỉnh", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở",
                 "125/QĐ-UBND", "15/01/2025", "Sở Y tế tỉnh", "Lò Văn Páo", "Giấy khen", "Trung tâm Y tế huyện",
                 "Tập thể lao động tiên tiến", "Tìm thấy 4 khen thưởng."):
        assert text in body, text
    assert "Đào Thị Hạnh" not in body  # revoked
    assert "Bí Mật" not in body  # not published
    for private in ("17/05/1985", "1985-05-17", "08/03/1990", "01/12/1979", "CN001", "Ngày sinh"):
        assert private not in body, private
    assert "Đăng xuất" not in body and "/people" not in body  # no menu for visitors


def test_search_by_folded_name_decision_award_year_and_unit(client, archive):
    def names(**args):
        body = client.get("/public/archive", query_string=args).get_data(as_text=True)
        return [n for n in ("Nguyễn Văn An", "Lò Văn Páo", "Trung tâm Y tế huyện") if f'fw-semibold">{n}<' in body]

    assert names(q="nguyen van") == ["Nguyễn Văn An"]
    assert names(q="NGUYỄN") == ["Nguyễn Văn An"]
    assert names(q="125/qđ") == ["Nguyễn Văn An"]
    assert names(award="GIAY_KHEN") == ["Lò Văn Páo"]
    assert names(year=2023) == ["Nguyễn Văn An"]
    assert names(unit="TTYT") == ["Lò Văn Páo", "Trung tâm Y tế huyện"]
    assert names(q="hanh") == []  # the revoked award stays hidden when searched for
    empty = client.get("/public/archive?q=khong+ai").get_data(as_text=True)
    assert "Không tìm thấy khen thưởng nào." in empty


def test_results_are_paginated(client, db):
    unit = factories.unit(code="DV1", name="Đơn vị một")
    for n in range(55):
        factories.person(code=f"P{n:03d}", full_name=f"Người thứ {n:03d}", unit=unit)
        award(f"P{n:03d}", "GIAY_KHEN", decision_number=f"{n}/QĐ")
    db.session.commit()
    first = client.get("/public/archive").get_data(as_text=True)
    second = client.get("/public/archive?page=2").get_data(as_text=True)
    assert first.count("Người thứ") == 50 and second.count("Người thứ") == 5
    assert "Tìm thấy 55 khen thưởng." in first and 'href="/public/archive?page=2"' in first


def test_an_empty_archive_says_so(client, db):
    body = client.get("/public/archive").get_data(as_text=True)
    assert "Chưa có khen thưởng nào được công bố." in body
