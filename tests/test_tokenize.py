"""Lexical tokens: underthesea words, document numbers whole, one tone placement."""

from __future__ import annotations

import pytest

from ingest.tokenize import tokenize


@pytest.mark.parametrize(("text", "expected"), [
    ("Thực hiện Kết luận số 01-KL/TW", ("thực_hiện", "kết_luận", "số", "01-kl/tw")),
    ("Quy định số 11-QĐi/TW", ("quy_định", "số", "11-qđi/tw")),
    ("Chương trình hành động số 04-CTr/TU", ("chương_trình", "hành_động", "số", "04-ctr/tu")),
    ("Nghị định 146/2025/NĐ-CP.", ("nghị_định", "146/2025/nđ-cp")),
    ("Chỉ thị 27/CT-TTg;", ("chỉ_thị", "27/ct-ttg")),
    ("Luật số 69/2025/QH15", ("luật", "số", "69/2025/qh15")),
    ("Quyết định số 2448-QĐ/BTGTW", ("quyết_định", "số", "2448-qđ/btgtw")),
])
def test_document_numbers_are_single_tokens(text, expected):
    assert tokenize(text) == expected


def test_tone_placement_is_one_key():
    assert tokenize("Đảng uỷ Sở Y tế") == tokenize("Đảng ủy Sở Y tế")
    assert "hóa" in "".join(tokenize("chuyển đổi số, văn hoá"))


def test_punctuation_is_dropped():
    assert tokenize("“Đẩy mạnh học tập”; (theo), ./.") == ("đẩy_mạnh", "học_tập", "theo")
