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
