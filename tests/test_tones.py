"""One tone-mark placement for the index (old style: ủy, hóa, thủy)."""

from __future__ import annotations

import unicodedata

import pytest

from core.tones import normalize_tones


@pytest.mark.parametrize(("given", "expected"), [
    ("uỷ", "ủy"), ("ủy", "ủy"), ("hoá", "hóa"), ("hóa", "hóa"), ("thuỷ", "thủy"),
    ("hoà", "hòa"), ("khoẻ", "khỏe"), ("tuỳ", "tùy"),
    ("Đảng uỷ Sở Y tế", "Đảng ủy Sở Y tế"),  # seed 000 writes both
    ("Tỉnh uỷ, thành uỷ", "Tỉnh ủy, thành ủy"),  # seed 001
    ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
    ("Chuyên đề toàn khoá", "Chuyên đề toàn khóa"),  # seed 002
    # already canonical or unambiguous: unchanged
    ("quý", "quý"), ("giữ", "giữ"), ("người", "người"), ("thuở", "thuở"), ("khuỷu", "khuỷu"),
    ("ngoài", "ngoài"), ("toán", "toán"), ("hoàng", "hoàng"), ("quốc", "quốc"),
    ("nghĩa", "nghĩa"), ("gìn", "gìn"), ("giường", "giường"), ("xoáy", "xoáy"),
    ("Kết luận số 01-KL/TW", "Kết luận số 01-KL/TW"),
    ("COVID-19, email", "COVID-19, email"),
])
def test_normalize_tones(given, expected):
    assert normalize_tones(given) == expected


@pytest.mark.parametrize("word", ["uỷ", "hoá", "Thuỷ", "người"])
def test_decomposed_input_gives_the_same_key(word):
    nfd = unicodedata.normalize("NFD", word)
    assert normalize_tones(nfd) == normalize_tones(word)
    assert unicodedata.is_normalized("NFC", normalize_tones(nfd))
