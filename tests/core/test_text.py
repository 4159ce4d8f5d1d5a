"""Folding decides how every name search matches: real Vietnamese names, both Unicode forms."""

import unicodedata

import pytest

from awards.core.text import fold, normalize


@pytest.mark.parametrize("name, folded", [
    ("Nguyễn Văn An", "nguyen van an"),
    ("Đào Thị Hạnh", "dao thi hanh"),
    ("ĐẶNG ĐỨC ĐẠT", "dang duc dat"),
    ("Hoàng Thị Thuỳ Dương", "hoang thi thuy duong"),
    ("  Lý   Thị  Ánh  ", "ly thi anh"),
    ("Hờ A Chá", "ho a cha"),
    ("Phạm Quỳnh Ngọc Ưng", "pham quynh ngoc ung"),
    ("", ""),
    (None, ""),
])
def test_fold(name, folded):
    assert fold(name) == folded


def test_decomposed_input_folds_and_normalizes_like_composed():
    composed = "Nguyễn Thị Ánh"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed)
    assert normalize(decomposed) == composed


def test_names_sort_by_given_name_then_family_in_vietnamese_letter_order():
    from awards.core.text import name_sort_key

    names = ["Nguyễn Văn Bình", "Lê Thị Ăn", "Trần Văn Ánh", "Phạm Thị Anh", "Đỗ Văn Đức", "Hoàng Văn Dũng",
             "Bùi Thị Ơn", "Vũ Văn Ông", "Lò Văn Ư", "Hà Thị Uyên", "Nguyễn Thị Anh"]
    assert sorted(names, key=name_sort_key) == [
        "Nguyễn Thị Anh", "Phạm Thị Anh", "Trần Văn Ánh", "Lê Thị Ăn", "Nguyễn Văn Bình", "Hoàng Văn Dũng",
        "Đỗ Văn Đức", "Vũ Văn Ông", "Bùi Thị Ơn", "Hà Thị Uyên", "Lò Văn Ư"]


def test_name_sort_key_copes_with_one_word_empty_and_decomposed_names():
    from awards.core.text import name_sort_key

    assert name_sort_key("") < name_sort_key("An")
    assert name_sort_key(unicodedata.normalize("NFD", "Đặng Thị Ánh")) == name_sort_key("Đặng Thị Ánh")
    assert sorted(["Ê", "E", "Ế", "Ề"], key=name_sort_key) == ["E", "Ê", "Ề", "Ế"]
