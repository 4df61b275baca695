"""Points are whole units of the source: markers left out, shortened only at a clause
boundary, the span covering exactly the text shown (issue 15)."""

from __future__ import annotations

import pytest

from query.units import shown, unit

LONG = ("Tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan đảng, phát triển hạ tầng số đồng "
        "bộ, hiện đại; phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc "
        "gia theo tinh thần Nghị quyết số 57-NQ/TW của Bộ Chính trị")
ROWS = [  # source text, limit, the unit's text, shortened
    ("- - Quán triệt sâu sắc các chủ trương của Đảng.", 320,
     "Quán triệt sâu sắc các chủ trương của Đảng.", False),
    ("## Ban hành Chương trình hành động thực hiện Nghị quyết", 320,
     "Ban hành Chương trình hành động thực hiện Nghị quyết", False),
    ("V/v xin ý kiến dự thảo báo cáo tổng kết", 320, "xin ý kiến dự thảo báo cáo tổng kết", False),
    ("2. Tổ chức nghiên cứu, học tập, quán triệt", 320, "Tổ chức nghiên cứu, học tập, quán triệt",
     False),
    ("**Mục tiêu chung**", 320, "Mục tiêu chung", False),
    ("a) Đẩy mạnh tuyên truyền trên không gian mạng;", 320,
     "Đẩy mạnh tuyên truyền trên không gian mạng;", False),
    ("| Sở Nội vụ | chủ trì |", 320, "Sở Nội vụ | chủ trì", False),
    ("+ Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", 320,
     "Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", False),
    # long: trailing clauses dropped at the last "; " or ", " before the limit
    (LONG, 120, "Tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan đảng, phát triển hạ tầng số "
     "đồng bộ, hiện đại; phát triển khoa học", True),
    # no boundary before the limit: the unit runs to the first one after it, never mid-clause
    (LONG, 50, "Tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan đảng", True),
    ("Các cơ quan đơn vị tổ chức học tập chuyên đề năm 2026 cho toàn thể cán bộ đảng viên", 30,
     "Các cơ quan đơn vị tổ chức học tập chuyên đề năm 2026 cho toàn thể cán bộ đảng viên", False),
]


@pytest.mark.parametrize(("source", "limit", "text", "shortened"), ROWS)
def test_a_unit_is_whole_and_its_span_is_its_text(source, limit, text, shortened):
    found = unit(source, 0, len(source), limit)
    assert source[found.start : found.end] == text
    assert found.shortened == shortened


def test_offsets_are_those_of_the_document():
    document = "Tiêu đề\n- Quán triệt các chủ trương.\n"
    found = unit(document, 8, len(document) - 1, 320)
    assert document[found.start : found.end] == "Quán triệt các chủ trương."


@pytest.mark.parametrize(("text", "flag", "expected"), [
    ("phát triển khoa học", True, "phát triển khoa học …"),
    ("Quán triệt các chủ trương.", False, "Quán triệt các chủ trương."),
])
def test_a_shortened_unit_is_shown_with_an_ellipsis(text, flag, expected):
    assert shown(text, flag) == expected


def test_nothing_but_markers_is_no_unit():
    assert unit("- - ", 0, 4, 320) is None
