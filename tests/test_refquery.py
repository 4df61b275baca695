"""What users type for a reference, parsed."""

from __future__ import annotations

import pytest

from query.refquery import parse_ref


@pytest.mark.parametrize(("typed", "key", "parts"), [
    ("01-KL/TW", "01-KL/TW", ("", "", "", "")),
    ("Kết luận 01-KL/TW", "01-KL/TW", ("", "", "", "")),
    ("Kết luận số 01/KL/TW", "01-KL/TW", ("", "", "", "")),
    ("146/2025/NĐ-CP", "146/2025/NĐ-CP", ("", "", "", "")),
    ("kl 01/tw", "", ("KL", "01", "", "TW")),
    ("ket luan 01", "", ("KL", "01", "", "")),
    ("Kết luận số 1", "", ("KL", "01", "", "")),
    ("nd 146/2025", "", ("NĐ", "146", "2025", "")),
    ("nghị định 146/2025", "", ("NĐ", "146", "2025", "")),
    ("chuong trinh hanh dong 04/tu", "", ("CTr", "04", "", "TU")),
    ("kh 07/đu", "", ("KH", "07", "", "DU")),
])
def test_parse(typed, key, parts):
    query = parse_ref(typed)
    assert query.key == key
    assert (query.type_code, query.number, query.year, query.issuer_code) == parts
    assert query.usable


@pytest.mark.parametrize("typed", ["", "xin chào", "Nghị quyết Đại hội", "KL/TW"])
def test_no_number_is_not_usable(typed):
    assert not parse_ref(typed).usable
