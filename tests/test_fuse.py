"""Query shapes and fusion functions, table-driven on real queries (issue 14)."""

from __future__ import annotations

import pytest

from query.analyze import analyze
from query.fuse import Fusion, fuse

SHAPES = [  # query, shape, content words, names a document number
    ("Tỉnh ủy Lào Cai giao ai chủ trì việc sơ kết Nghị quyết 10?", "question",
     "Tỉnh ủy Lào Cai giao chủ trì việc sơ kết Nghị quyết 10", False),
    ("đảng viên mới phải học lớp gì?", "question", "đảng viên mới phải học lớp", False),
    ("Kết luận 01-KL/TW yêu cầu học tập chuyên đề hằng năm, đúng hay sai?", "truefalse",
     "Kết luận 01-KL/TW yêu cầu học tập chuyên đề hằng năm", True),
    ("Hãy liệt kê các nhiệm vụ chuyển đổi số", "request", "các nhiệm vụ chuyển đổi số", False),
    ("Cơ quan nào chủ trì? A. Ban Tuyên giáo B. Văn phòng C. Ban Tổ chức", "choice",
     "Cơ quan chủ trì Ban Tuyên giáo Văn phòng Ban Tổ chức", False),
    ("Nghị quyết 57-NQ/TW đặt mục tiêu gì về chuyển đổi số?", "question",
     "Nghị quyết 57-NQ/TW đặt mục tiêu về chuyển đổi số", True),
    ("phát triển kinh tế tư nhân", "plain", "phát triển kinh tế tư nhân", False),
    # typed without diacritics: scaffolding is not recognised, the text is kept whole
    ("chuyen doi so la gi", "plain", "chuyen doi so la gi", False),
    # nothing but scaffolding: the text itself is searched
    ("là gì?", "question", "là gì?", False),
]


@pytest.mark.parametrize(("query", "shape", "content", "numbers"), SHAPES)
def test_a_query_has_a_shape_and_content_words(query, shape, content, numbers):
    found = analyze(query)
    assert (found.shape, found.content, found.numbers) == (shape, content, numbers)


LEXICAL = [(1, 12.0), (2, 11.5), (3, 4.0)]
DENSE = [(3, 0.91), (4, 0.80), (1, 0.79)]
FUSIONS = [  # fusion, the order expected
    # ranks only: 1 is first in one list and third in the other, 3 first and third
    (Fusion("rrf", 0.25, 30, 60), [1, 3, 2, 4]),
    # all on the lexical leg: its order, the dense leg's own candidates after it
    (Fusion("minmax", 0.0), [1, 2, 3, 4]),
    # all on the dense leg
    (Fusion("minmax", 1.0), [3, 4, 1, 2]),
    # even shares: 3 is the dense leg's clear winner and in the lexical list too
    (Fusion("minmax", 0.5), [1, 3, 2, 4]),
    # z-scores: the dense leg's 3 stands 1.4 deviations above its list, the lexical leg's
    # 1 only 0.8, so 3 wins at even shares and loses when the lexical leg weighs more
    (Fusion("zscore", 0.5), [3, 1, 2, 4]),
    (Fusion("zscore", 0.2), [1, 2, 3, 4]),
]


@pytest.mark.parametrize(("fusion", "order"), FUSIONS)
def test_fusion_orders_the_candidates_of_both_legs(fusion, order):
    assert [rowid for rowid, _s in fuse(LEXICAL, DENSE, fusion)] == order


@pytest.mark.parametrize("method", ["rrf", "minmax", "zscore"])
def test_one_leg_empty_gives_the_other_legs_order(method):
    assert [r for r, _s in fuse(LEXICAL, [], Fusion(method, 0.5))] == [1, 2, 3]
    assert [r for r, _s in fuse([], DENSE, Fusion(method, 0.5))] == [3, 4, 1]


def test_equal_scores_do_not_divide_by_zero():
    flat = [(7, 1.0), (8, 1.0)]
    assert {r for r, _s in fuse(flat, flat, Fusion("zscore", 0.5))} == {7, 8}
    assert {r for r, _s in fuse(flat, flat, Fusion("minmax", 0.5))} == {7, 8}
