"""Citation extraction on real sentences (seeds and corpus): every spelling, details, relations."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.metadata import extract
from ingest.numbers import canonical

SEEDS = sorted(Path("tests/data/seeds").glob("*.txt"))
EXCERPTS = Path(__file__).parent / "data" / "corpus-citation-paragraphs.json.gz"


def keys(text: str) -> list[str]:
    return [c.key for c in extract_citations("t", text) if c.kind != "named"]


@pytest.mark.parametrize(("text", "expected"), [
    # Party numbering, every spelling seen in the seeds
    ("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021", ["01-KL/TW"]),
    ("về thực hiện Kết luận số 01- KL/TW, ngày 18/5/2021 của Bộ Chính trị", ["01-KL/TW"]),
    ("Kế hoạch thực hiện Kết luận số 01/KL/TW năm 2025 như sau", ["01-KL/TW"]),
    ("Kế hoạch số 52- KH/ĐUK, ngày 21/01/2022", ["52-KH/ĐUK"]),
    ("thực hiện Kết luận số 224-\n\nKL/TU;", ["224-KL/TU"]),
    ("kế hoạch số 122-KH/HU, ngày 25/4/2022", ["122-KH/HU"]),
    ("KẾ HOẠCH SỐ 122 - KH/HU", ["122-KH/HU"]),
    ("Quy định số 11-QĐi/TW, ngày 18/02/2019 của Bộ Chính trị", ["11-QĐi/TW"]),
    ("Chương trình hành động số 04-CTr/TU, ngày 04/11/2025", ["04-CTr/TU"]),
    ("Quyết định số 2448-QĐ/BTGTW, ngày 26/5/2023", ["2448-QĐ/BTGTW"]),
    ("Kết luận số 09-KL/BCĐ, ngày 24/11/2024 và Công văn số 22-CV/BCĐ, ngày 05/12/2024",
     ["09-KL/BCĐ", "22-CV/BCĐ"]),
    ("Đề án số 06-ĐA/TU ngày 31/5/2022", ["06-ĐA/TU"]),
    ("Hướng dẫn số 211-HD/BTGTU, ngày 23/12/2024", ["211-HD/BTGTU"]),
    ("Kế hoạch số 3260-KH/ĐĐQH15", ["3260-KH/ĐĐQH15"]),
    ("Kế hoạch 85-KH/ĐUK, ngày 13/3/2023", ["85-KH/ĐUK"]),  # no "số"
    # State numbering
    ("Nghị định số 146/2025/NĐ-CP ngày 12/6/2025", ["146/2025/NĐ-CP"]),
    ("Thông tư số 23/2024/TT-BCT ngày 07/11/2024", ["23/2024/TT-BCT"]),
    ("Chỉ thị số 27/CT-TTg", ["27/CT-TTg"]),
    ("Nghị quyết số 03/NQ-CP ngày 09/01/2025", ["03/NQ-CP"]),
    ("Nghị quyết 3/NQ-CP", ["03/NQ-CP"]),
    ("Quyết định số 1234/QĐ-UBND ngày 04/5/2026", ["1234/QĐ-UBND"]),
    ("Luật Hóa chất số 69/2025/QH15", ["69/2025/QH15"]),
    ("Luật Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân số 85/2015/QH13",
     ["85/2015/QH13"]),
    ("Nghị quyết liên tịch số 102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN",
     ["102/2025/NQLT-UBTVQH15-CP-ĐCTUBTWMTTQVN"]),
    # not document numbers
    ("nhiệm kỳ 2020 - 2025, ngày 18/5/2021, tỷ lệ 30/40", []),
    ("Điều 5, khoản 2; Sở Lao động - Thương binh và Xã hội", []),
])
def test_spellings(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(("written", "key"), [
    ("01-KL/TW", "01-KL/TW"), ("1-KL/TW", "01-KL/TW"), ("kl 01/tw", ""),
    ("01/KL/TW", "01-KL/TW"), ("11-QĐI/TW", "11-QĐi/TW"), ("27/CT-TTG", "27/CT-TTg"),
    ("146/2025/NĐ-CP", "146/2025/NĐ-CP"), ("69/2025/QH15", "69/2025/QH15"), ("", ""),
    # issue 16's classes: "&" and several hyphens in a symbol; a Party number typed
    # state-style, with a stray space; a type run into its issuer
    ("123/BNV-CTTN&BĐG", "123/BNV-CTTN&BĐG"), ("45/TTr-CAT-ANCTNB", "45/TTr-CAT-ANCTNB"),
    ("27/NQ- TW", "27-NQ/TW"), ("35/QĐ-TW", "35-QĐ/TW"), ("05/CT-TU", "05-CT/TU"),
    ("08/HD-BTGTU", "08-HD/BTGTU"), ("27/CTTg", "27/CT-TTg"), ("15/QĐUBND", "15/QĐ-UBND"),
    ("12/KH-UBND", "12/KH-UBND"), ("12/BCTC", "12/BCTC"),
])
def test_canonical(written, key):
    assert canonical(written) == key


def test_details_of_a_full_mention():
    text = ("Đẩy mạnh thực hiện Nghị quyết số 37-NQ/TW, ngày 09/10/2014 của Bộ Chính trị khóa XI "
            "về công tác lý luận và định hướng nghiên cứu đến năm 2030; Quy định số 285-QĐ/TW")
    first = extract_citations("t", text)[0]
    assert (first.type_word, first.type_code, first.number, first.issuer_code) == (
        "Nghị quyết", "NQ", "37", "TW")
    assert (first.date, first.issuer, first.term) == ("2014-10-09", "Bộ Chính trị", "XI")
    assert first.subject == "công tác lý luận và định hướng nghiên cứu đến năm 2030"
    assert text[first.start : first.end] == "Nghị quyết số 37-NQ/TW"


@pytest.mark.parametrize(("text", "date"), [
    ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", "2021-05-18"),
    ("Quy định số 144-QĐ/TW, ngày 9/5/2024", "2024-05-09"),
    ("Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị", "2024-12-22"),
    ("Kết luận số 01-KL/TW của Bộ Chính trị", ""),
])
def test_dates(text, date):
    assert extract_citations("t", text)[0].date == date


def test_issuer_stops_where_a_merged_heading_begins():
    # seed 000: the heading "… theo Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị"
    # runs straight into its first sentence "Các cấp ủy, tổ chức đảng …"
    text = "theo Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị Các cấp ủy, tổ chức đảng"
    assert extract_citations("t", text)[0].issuer == "Bộ Chính trị"


def test_short_back_references_resolve_to_the_earlier_full_reference():
    text = ("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị. Gắn việc thực hiện "
            "Kết luận 01 với Chỉ thị 05 và Kế hoạch 2025.")
    cites = extract_citations("t", text)
    assert [(c.kind, c.key) for c in cites] == [("party", "01-KL/TW"), ("short", "01-KL/TW")]


def test_own_number_is_not_a_citation():
    text = "Số 588-KH/ĐU\nKẾ HOẠCH\nThực hiện Kế hoạch số 152-KH/ĐUK"
    assert [c.key for c in extract_citations("t", text, own_number="588 - KH/ĐU")] == [
        "152-KH/ĐUK"]


def test_named_references_are_their_own_kind():
    text = ("thực hiện thắng lợi Nghị quyết Đại hội XIII của Đảng và Nghị quyết Hội nghị "
            "Trung ương 4 khóa XII")
    cites = extract_citations("t", text)
    assert [c.kind for c in cites] == ["named", "named"]
    assert cites[0].key == "Nghị quyết Đại hội XIII của Đảng"


def _seed_citations(index: int):
    raw = SEEDS[index].read_text(encoding="utf-8")
    return extract_citations("s", clean(raw), extract(raw).number)


def test_relations_in_seed_002_opening():
    cites = [c for c in _seed_citations(2) if c.kind == "party"]
    implements = [c.key for c in cites if c.relation == "implements"]
    # title "Thực hiện Kết luận số 01-KL/TW", opening "Thực hiện Kế hoạch số 301-KH/TU …;
    # Hướng dẫn số 211-HD/BTGTU …; Kế hoạch số 44-KH/ĐUK …, … ban hành Kế hoạch thực hiện
    # Kết luận số 01/KL/TW"
    assert implements == ["01-KL/TW", "301-KH/TU", "211-HD/BTGTU", "44-KH/ĐUK", "01-KL/TW"]
    nested = next(c for c in cites if c.inside == "301-KH/TU")
    assert (nested.key, nested.relation) == ("01-KL/TW", "mentions")


def test_relations_in_seed_000():
    cites = _seed_citations(0)
    assert [c.key for c in cites if c.relation == "implements"] == ["152-KH/ĐUK"]
    assert all(c.relation == "mentions" for c in cites[1:])
    assert next(c for c in cites if c.key == "05-CT/TW").inside == "01-KL/TW"


def test_basis_clauses():
    text = ("Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\nCăn cứ Nghị định số 146/2025/NĐ-CP "
            "ngày 12/6/2025 của Chính phủ;\nChính phủ ban hành Nghị định.\nĐiều 1. Theo "
            "Thông tư số 23/2024/TT-BCT")
    assert [(c.key, c.relation) for c in extract_citations("t", text)] == [
        ("63/2025/QH15", "basis"), ("146/2025/NĐ-CP", "basis"), ("23/2024/TT-BCT", "mentions")]


@pytest.mark.parametrize(("text", "expected"), [
    # the document itself, or an article of it, changes the cited one (issue 16)
    ("Điều 3. Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 12/QĐ-UBND "
     "ngày 5/1/2020 của Ủy ban nhân dân tỉnh.", [("12/QĐ-UBND", "replaces")]),
    ("Điều 2. Sửa đổi, bổ sung một số điều của Nghị định số 32/2024/NĐ-CP ngày 15/3/2024 của "
     "Chính phủ", [("32/2024/NĐ-CP", "amends")]),
    ("Luật này sửa đổi, bổ sung một số điều của Luật Địa chất và khoáng sản số 54/2024/QH15.",
     [("54/2024/QH15", "amends")]),
    ("Điều 5. Hiệu lực thi hành. Bãi bỏ Thông tư số 16/2018/TT-BCA ngày 15/5/2018 của Bộ Công "
     "an.", [("16/2018/TT-BCA", "abolishes")]),
    # an amending law's enacting formula; a law or circular whose end the document sets
    ("Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Bầu cử đại biểu Quốc hội và "
     "đại biểu Hội đồng nhân dân số 85/2015/QH13.", [("85/2015/QH13", "amends")]),
    ("Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ số 14/2017/QH14 đã được sửa "
     "đổi, bổ sung một số điều theo Luật số 50/2019/QH14 hết hiệu lực kể từ ngày Luật này có "
     "hiệu lực thi hành.", [("14/2017/QH14", "replaces"), ("50/2019/QH14", "mentions")]),
    ("2. Thông tư số 32/2017/TT-BCT ngày 28 tháng 12 năm 2017 của Bộ trưởng Bộ Công Thương hết "
     "hiệu lực kể từ ngày Thông tư này có hiệu lực thi hành.", [("32/2017/TT-BCT", "replaces")]),
    ("2. Bãi bỏ Thông tư số 13/2018/TT-BCT ngày 15 tháng 6 năm 2018 của Bộ trưởng Bộ Công "
     "Thương.", [("13/2018/TT-BCT", "abolishes")]),
    ("Luật Hóa chất số 06/2007/QH12 quy định về hoạt động hóa chất.",
     [("06/2007/QH12", "mentions")]),
    # a basis that names an amending law is a basis; a plan implementing is not changing it
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ số 47/2019/QH14;",
     [("47/2019/QH14", "basis")]),
    ("Đề nghị các đơn vị nghiên cứu việc sửa đổi, bổ sung quy trình, phối hợp thực hiện Quyết "
     "định số 1074/QĐ-BXD ngày 29/6/2026.", [("1074/QĐ-BXD", "implements")]),
])
def test_changing_relations(text, expected):
    assert [(c.key, c.relation) for c in extract_citations("t", text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_never_raises_on_random_text(text):
    for cite in extract_citations("t", text):
        assert 0 <= cite.start < cite.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Kết luận", "số", "01", "-", "KL", "/", "TW", "ngày", "18/5",
                                 "/2021", "của", "về", "\n", ";", ",", "Căn cứ", "146/2025/NĐ-CP",
                                 "Thực hiện", "Đại hội XIII", "Nghị quyết", " "]), max_size=60))
def test_never_raises_on_citation_like_noise(parts):
    text = " ".join(parts)
    for cite in extract_citations("t", text):
        assert text[cite.start : cite.end]


def test_every_corpus_file_extracts_without_error():
    """Every corpus TXT file, from excerpts that run without the corpus: per file its first
    40 paragraphs holding a citation, cleaned (tests/data/corpus-citation-paragraphs.json.gz)."""
    excerpts = json.loads(gzip.decompress(EXCERPTS.read_bytes()))["files"]
    assert len(excerpts) > 200
    total = 0
    for name, excerpt in sorted(excerpts.items()):
        text = clean(excerpt)
        for cite in extract_citations(Path(name).stem, text):
            assert text[cite.start : cite.end].strip()
            total += 1
    assert total > 3000
