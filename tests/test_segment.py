"""Heading tree and passages on the cleaned seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.segment import segment

SEEDS = sorted(Path("tests/data/seeds").glob("*.txt"))


def _segmented(path: Path):
    text = clean(path.read_text(encoding="utf-8"))
    sections, passages = segment(path.stem, text)
    return text, sections, passages


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.stem[:3])
def seed(request):
    return _segmented(request.param)


def test_spans_point_into_the_cleaned_text(seed):
    text, sections, passages = seed
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
    for section in sections:
        assert text[section.start : section.end] == section.title


def test_passages_are_ordered_and_do_not_overlap(seed):
    _text, _sections, passages = seed
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    for before, after in zip(passages, passages[1:], strict=False):
        assert before.end <= after.start


def test_body_passages_stay_within_size(seed):
    _text, _sections, passages = seed
    body = [p for p in passages if p.kind == "body"]
    assert body
    assert max(len(p.text.split()) for p in body) <= 180
    sizes = sorted(len(p.text.split()) for p in body)
    assert sizes[len(sizes) // 2] >= 60  # the typical passage is a real paragraph, not a line


def test_passages_stay_inside_the_section_their_heading_names(seed):
    text, sections, passages = seed
    cut = [s for s in sections if not s.label.startswith(("-", "+", "(", "–", "•"))]
    for passage in passages:
        depth = len(passage.heading.split(" > ")) if passage.heading else 0
        inside = [s for s in cut if passage.start <= s.start < passage.end]
        # only headings below the passage's own section may start inside it, except a parent
        # heading with no text of its own carried to the front of its first child
        lead = True
        for section in inside:
            before = text[passage.start : section.start].strip()
            lead = lead and all(any(line == s.title for s in cut)
                                for line in before.split("\n") if line)
            assert section.level > depth or lead, (passage.heading, section.title)


def test_seed_000_structure():
    text, sections, passages = _segmented(SEEDS[0])
    top = [s.title for s in sections if s.level == 1]
    assert top == ["I- MỤC ĐÍCH, YÊU CẦU", "II- NỘI DUNG", "III- TỔ CHỨC THỰC HIỆN"]
    kinds = [p.kind for p in passages]
    assert kinds[0] == "header" and "signature" in kinds and kinds[-1] == "footnote"
    assert passages[0].text.startswith("ĐẢNG BỘ KHỐI CÁC CƠ QUAN")
    signature = next(p for p in passages if p.kind == "signature")
    assert signature.text.startswith("Nơi nhận:") and signature.text.endswith("Nguyễn Thế Phong")
    content = next(p for p in passages if "Đẩy mạnh học tập và làm theo" in p.text
                   and p.kind == "body")
    assert content.heading.startswith("II- NỘI DUNG > 2. Đẩy mạnh học tập")
    assert all(p.heading == "CHÚ THÍCH" for p in passages if p.kind == "footnote")


def test_seed_002_subject_starting_with_thuc_hien_stays_in_header():
    _text, _sections, passages = _segmented(SEEDS[2])
    assert passages[0].kind == "header"
    assert "Chuyên đề năm 2025" in passages[0].text
    assert passages[1].text.startswith("Thực hiện Kế hoạch số 301-KH/TU")


def test_seed_001_appendix_after_signature_is_body_again():
    _text, sections, passages = _segmented(SEEDS[1])
    appendix = [p for p in passages if "Danh mục các văn bản tuyên truyền" in p.text]
    assert appendix and appendix[0].kind == "body"
    assert any(s.title.startswith("Phụ lục") for s in sections) or appendix[0].heading == ""


def test_nested_numbering_builds_a_path():
    text = clean(
        "KẾ HOẠCH\nThử\nThực hiện Kế hoạch số 1-KH/TU, ban hành như sau:\n"
        "II. NỘI DUNG\n1. Tổ chức học tập, quán triệt\n1.1. Học tập Chuyên đề năm 2025\n"
        "1.1.1. Nội dung\n- Kết luận số 01-KL/TW; Chuyên đề toàn khóa.\n"
        "a) Cấp cơ sở\n+ Báo cáo viên: phân công " + "các đồng chí trong cấp ủy " * 12 + ".\n"
        "b) Cấp huyện\n+ Thời gian: " + "hoàn thành trong tháng 01/2025 " * 12 + ".\n")
    sections, passages = segment("t", text)
    assert [(s.level, s.label) for s in sections] == [
        (1, "II."), (2, "1."), (3, "1.1."), (4, "1.1.1."), (5, "-"), (5, "a)"), (6, "+"),
        (5, "b)"), (6, "+")]
    assert passages[-1].heading == (
        "II. NỘI DUNG > 1. Tổ chức học tập, quán triệt > 1.1. Học tập Chuyên đề năm 2025 > "
        "1.1.1. Nội dung > b) Cấp huyện")


def test_short_sibling_clauses_share_a_passage_under_their_parent():
    # a law's clauses, one line each (corpus: Luật Xây dựng, Nghị định 144/2025)
    text = clean(
        "LUẬT\nXây dựng\nCăn cứ Hiến pháp;\nĐiều 5. Hồ sơ đề nghị\n"
        "a) Đơn đề nghị cấp giấy phép;\nb) Bản sao giấy tờ về quyền sử dụng đất;\n"
        "c) Bản vẽ thiết kế xây dựng;\nd) Dự thảo Quyết định phê duyệt quy hoạch.\n"
        "Điều 6. Thời hạn\nThời hạn giải quyết là 20 ngày.\n")
    _sections, passages = segment("t", text)
    body = [p for p in passages if p.kind == "body"]
    clauses = next(p for p in body if "a) Đơn đề nghị" in p.text)
    assert "d) Dự thảo Quyết định" in clauses.text and "Điều 6" not in clauses.text
    assert clauses.heading == "Điều 5. Hồ sơ đề nghị"


def test_a_footnote_that_swallowed_an_appendix_is_split():
    """A footnote marker before an appendix pulls the whole appendix into the footnote
    (a corpus decree's ran to 169,000 characters); past the size limit it is packed."""
    from ingest.clean import FOOTNOTES_HEADING

    appendix = " ".join(f"Mẫu số {i:02d} ghi rõ tên cơ quan, tổ chức đề nghị cấp phép."
                        for i in range(80))
    text = (f"KẾ HOẠCH\nTriển khai thực hiện\nI. MỤC ĐÍCH\n{'Bảo đảm thực hiện. ' * 30}\n"
            f"{FOOTNOTES_HEADING}\n1 Ghi chú ngắn.\n2 {appendix}")
    _sections, passages = segment("doc", text)
    notes = [p for p in passages if p.kind == "footnote"]
    assert len(notes) > 3 and notes[0].text == "1 Ghi chú ngắn."
    assert all(len(p.text.split()) <= 180 for p in passages)
    assert all(text[p.start : p.end] == p.text for p in passages)
