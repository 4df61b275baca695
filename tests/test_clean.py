"""Each cleaning step on real strings from the seeds (tests/data/seeds)."""

from __future__ import annotations

import unicodedata

import pytest

from core.records import FOOTNOTES_HEADING
from ingest import clean as c
from ingest.reflow import reflow


@pytest.mark.parametrize(("given", "expected"), [
    (unicodedata.normalize("NFD", "Đảng ủy Sở Y tế"), "Đảng ủy Sở Y tế"),
    ("Nguyễn Thế Phong", "Nguyễn Thế Phong"),
])
def test_nfc(given, expected):
    assert c.nfc(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    ("Lai\u00a0Châu,\tngày 15 \r\n", "Lai Châu, ngày 15\n"),
    ("Kế\u200bhoạch\u00ad", "Kếhoạch"),
    ("trong tình hình mới\n" + " " * 43 + "\n1 Các tác phẩm", "trong tình hình mới\n"
     + "_" * 10 + "\n1 Các tác phẩm"),  # seed 000: the footnote rule as pypdf renders it
])
def test_normalize_whitespace(given, expected):
    assert c.normalize_whitespace(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    ("Báo cáo kết quả về Đảng uỷ **trước ngày 15/11/2024**.",
     "Báo cáo kết quả về Đảng uỷ trước ngày 15/11/2024."),
    ("(*sinh hoạt chi bộ, chi hội, chi đoàn*)", "(sinh hoạt chi bộ, chi hội, chi đoàn)"),
    ("**T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ**", "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ"),
    ("*\nSố 232 - KH/HU", "*\nSố 232 - KH/HU"),  # the lone decorative star stays
])
def test_strip_emphasis_markup(given, expected):
    assert c.strip_emphasis_markup(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    # corpus laocai-tinh-uy-ctr-104: a centred page number between two halves of a sentence
    ("phát huy\n                                         2\n\nvai trò quản lý",
     "phát huy\n\nvai trò quản lý"),
    ("Kết luận 01\n- 3 -\fTrang sau", "Kết luận 01\fTrang sau"),
    ("Trang 4\fnội dung\f", "\fnội dung\f"),
    ("STT | Tên\n1\n2\n…", "STT | Tên\n1\n2\n…"),  # flush-left row numbers of a form stay
])
def test_drop_page_numbers(given, expected):
    assert c.drop_page_numbers(given) == expected


def test_drop_running_headers_removes_a_line_repeated_on_most_pages():
    bodies = ["Thực hiện Kế hoạch số 152-KH/ĐUK", "Tổ chức học tập, quán triệt",
              "Công tác tuyên truyền", "Kiểm tra, giám sát"]
    pages = [f"ĐẢNG BỘ TỈNH LAI CHÂU - Kế hoạch 152 - trang {i}\n{body}\nnội dung {body.lower()}"
             for i, body in enumerate(bodies, 1)]
    out = c.drop_running_headers("\f".join(pages))
    assert "ĐẢNG BỘ TỈNH" not in out
    assert all(body in out for body in bodies)


def test_drop_running_headers_keeps_text_of_short_documents():
    text = "ĐẢNG ỦY SỞ Y TẾ\nA\fĐẢNG ỦY SỞ Y TẾ\nB"
    assert c.drop_running_headers(text) == text


SEED_000_FOOT = (
    "vào thực tiễn của cơ quan, đơn vị1.  \n\nTiếp tục đẩy mạnh thực hiện có hiệu quả công "
    "tác bảo vệ nền tảng tư \n\ntưởng của Đảng trong tình hình mới2. Chủ động nắm\n\n"
    "III- TỔ CHỨC THỰC HIỆN \n\n" + "_" * 10 + "\n1 Các tác phẩm: “Một số vấn đề lý luận và "
    "thực tiễn về chủ nghĩa xã \n\nhội ở Việt Nam”; \n \n 2 Theo Kế hoạch số 209-KH/TU, ngày "
    "10/6/2019 của Ban Thường vụ Tỉnh ủy \n\nvề thực hiện Nghị quyết số 35-NQ/TW\n"
    " 1. Đảng ủy Sở Y tế triển khai, thực hiện công tác giáo dục lý luận chính \n\ntrị theo "
    "kế hoạch."
)


def test_move_footnotes_after_rule_line():
    out = c.move_footnotes(SEED_000_FOOT)
    body, notes = out.split(f"\n{FOOTNOTES_HEADING}\n")
    assert "Các tác phẩm" not in body and "209-KH/TU" not in body
    assert " 1. Đảng ủy Sở Y tế triển khai" in body  # the page after the notes is body again
    assert notes.split("\n") == [
        "1 Các tác phẩm: “Một số vấn đề lý luận và thực tiễn về chủ nghĩa xã hội ở Việt Nam”;",
        "2 Theo Kế hoạch số 209-KH/TU, ngày 10/6/2019 của Ban Thường vụ Tỉnh ủy về thực hiện "
        "Nghị quyết số 35-NQ/TW",
    ]
    assert "đơn vị¹." in body and "tình hình mới². Chủ động" in body  # markers, not digits


@pytest.mark.parametrize(("given", "body_has", "note"), [
    # seed 001: "(1)." notes after the rule, the next page starts with a space
    ("địa phương, đơn vị(1). Các cấp ủy\n" + "_" * 10 + "\n(1). https://drive.google.com/x \n"
     " triệt, học tập thì không phải", " triệt, học tập", "(1). https://drive.google.com/x"),
    # seed 003: a superscript note as its own paragraph, in the middle of a sentence
    ("hiệu quả học tập,\n\n¹ Tổng kết 10 năm thực hiện Nghị quyết số 37-NQ/TW\n\nngiên cứu",
     "hiệu quả học tập,\n\n\nngiên cứu", "¹ Tổng kết 10 năm thực hiện Nghị quyết số 37-NQ/TW"),
])
def test_move_footnotes_other_forms(given, body_has, note):
    body, notes = c.move_footnotes(given).split(f"\n{FOOTNOTES_HEADING}\n")
    assert body_has in body
    assert notes == note


def test_move_footnotes_leaves_title_rule_and_numbered_list_alone():
    # seed 000: "-----" under the title is followed by body text, not by a note
    text = "KẾ HOẠCH\nCông tác giáo dục\n-----\nThực hiện Kế hoạch số 152-KH/ĐUK\n(1) Chỉ thị"
    assert c.move_footnotes(text) == text


@pytest.mark.parametrize(("given", "expected"), [
    ("Kết luận số 224-\n\nKL/TU; ;", "Kết luận số 224-KL/TU; ;"),  # seed 000
    ("Kế hoạch số 52- KH/ĐUK, ngày", "Kế hoạch số 52-KH/ĐUK, ngày"),  # seed 000
    ("Số 232 - KH/HU", "Số 232-KH/HU"),  # seed 003
    ("Kết luận số 01- KL/TW, ngày 18/5/2021", "Kết luận số 01-KL/TW, ngày 18/5/2021"),  # 002
    ("Chỉ thị số 53-\n\nCT/TW, ngày 26/10/2025", "Chỉ thị số 53-CT/TW, ngày 26/10/2025"),  # 001
    ("Quy định số 11-QĐi/TW", "Quy định số 11-QĐi/TW"),
    ("Quyết định số 1234/QĐ- UBND", "Quyết định số 1234/QĐ-UBND"),
    ("Nghị định 146/2025/NĐ-\nCP", "Nghị định 146/2025/NĐ-CP"),
    ("nhiệm kỳ 2020 - 2025 và", "nhiệm kỳ 2020 - 2025 và"),  # a year range is not a number
    ("Sở Lao động - Thương binh", "Sở Lao động - Thương binh"),
])
def test_repair_document_numbers(given, expected):
    assert c.repair_document_numbers(given) == expected


@pytest.mark.parametrize(("given", "expected"), [
    ("ĐẢNG ỦY SỞ Y TẾ\n\n* Lai Châu, ngày 15 tháng 01 năm 2025",
     "ĐẢNG ỦY SỞ Y TẾ\n\nLai Châu, ngày 15 tháng 01 năm 2025"),
    ("* Kế hoạch năm", "* Kế hoạch năm"),
])
def test_strip_star_prefix(given, expected):
    assert c.strip_star_prefix(given) == expected


WRAPPED = (  # seed 000, as pypdf gives it: a blank line after every line
    "Thực hiện Kế hoạch số 152-KH/ĐUK, ngày 09/01/2025 của Ban \n\n"
    "Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh về công tác giáo \n\n"
    "dục lý luận chính trị năm 2025, Đảng uỷ Sở Y tế ban hành kế hoạch thực hiện \n\n"
    "như sau: \n\nI- MỤC ĐÍCH, YÊU CẦU \n\n"
    "1. Triển khai nghiêm túc, có hiệu quả công tác giáo dục lý luận chính \n\n"
    "trị và các nội dung về công tác lý luận chính trị tại Kết luận số 224-KL/TU; ; \n\n"
    "Kế hoạch số 345-KH/ĐU, ngày 25/6/2021 của Đảng bộ Sở Y tế về thực hiện \n\n"
    "công tác giáo dục chính trị, tư tưởng cho cán bộ, đảng viên. \n\n"
    "2. Nêu cao trách nhiệm của các cấp ủy, tổ chức đảng, bí thư cấp ủy \n\n"
    "trong triển khai thực hiện công tác giáo dục lý luận chính trị. \n\n"
    "Nơi nhận: \n- Đảng ủy khối (b/c), \n\n- Lưu VT, ĐB. \n\nT/M ĐẢNG ỦY \n\n PHÓ BÍ THƯ \n\n"
    "Nguyễn Thế Phong"
)


def test_reflow_joins_broken_lines_and_keeps_structure():
    assert reflow(WRAPPED).split("\n") == [
        "Thực hiện Kế hoạch số 152-KH/ĐUK, ngày 09/01/2025 của Ban Thường vụ Đảng ủy Khối các "
        "cơ quan và doanh nghiệp tỉnh về công tác giáo dục lý luận chính trị năm 2025, Đảng uỷ "
        "Sở Y tế ban hành kế hoạch thực hiện như sau:",
        "I- MỤC ĐÍCH, YÊU CẦU",
        "1. Triển khai nghiêm túc, có hiệu quả công tác giáo dục lý luận chính trị và các nội "
        "dung về công tác lý luận chính trị tại Kết luận số 224-KL/TU; ; Kế hoạch số 345-KH/ĐU, "
        "ngày 25/6/2021 của Đảng bộ Sở Y tế về thực hiện công tác giáo dục chính trị, tư tưởng "
        "cho cán bộ, đảng viên.",
        "2. Nêu cao trách nhiệm của các cấp ủy, tổ chức đảng, bí thư cấp ủy trong triển khai "
        "thực hiện công tác giáo dục lý luận chính trị.",
        "Nơi nhận:", "- Đảng ủy khối (b/c),", "- Lưu VT, ĐB.", "T/M ĐẢNG ỦY", "PHÓ BÍ THƯ",
        "Nguyễn Thế Phong",
    ]


@pytest.mark.parametrize(("given", "expected"), [
    # header lines: the two halves of the parent body join, the motto does not
    ("ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ \n\nDOANH NGHIỆP TỈNH LAI CHÂU \n\nĐẢNG CỘNG SẢN VIỆT NAM",
     "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH LAI CHÂU\nĐẢNG CỘNG SẢN VIỆT NAM"),
    # DOCX text (one paragraph per line) broken by a page: seed 003 "phát / động"
    ("x " * 120 + "thế hệ trẻ, phát\n\nđộng các phong trào thi đua.\n\nTham mưu Ban " + "y " * 90,
     "x " * 119 + "x thế hệ trẻ, phát động các phong trào thi đua.\nTham mưu Ban " + "y " * 89
     + "y"),
    # the rule under the title separates subject and body (seed 002)
    ("Chuyên đề năm 2025 \n\n----- \n\nThực hiện Kế hoạch số 301-KH/TU",
     "Chuyên đề năm 2025\nThực hiện Kế hoạch số 301-KH/TU"),
    ("TT | Tên đơn vị\n1 | Sở Y tế", "TT | Tên đơn vị\n1 | Sở Y tế"),  # table rows stay rows
    # a word marker after a preposition is what the sentence points at (corpus 104-CTr/TU)
    ("Các nhiệm vụ cần làm ngay trong năm 2026 được xác định tại\n\nPhụ lục 2 kèm theo "
     "Chương trình hành động.",
     "Các nhiệm vụ cần làm ngay trong năm 2026 được xác định tại Phụ lục 2 kèm theo "
     "Chương trình hành động."),
    ("Hồ sơ gồm các giấy tờ quy định theo\nĐiều 5 Nghị định này.",
     "Hồ sơ gồm các giấy tờ quy định theo Điều 5 Nghị định này."),
    # after a heading or a sentence's end it is still a heading
    ("III. NHIỆM VỤ VÀ GIẢI PHÁP\nPhụ lục 2", "III. NHIỆM VỤ VÀ GIẢI PHÁP\nPhụ lục 2"),
    ("Các nhiệm vụ được giao.\nĐiều 5. Hồ sơ", "Các nhiệm vụ được giao.\nĐiều 5. Hồ sơ"),
    # antiword (corpus sct-laocai-2019-cv): blank lines are rare there, so they end paragraphs
    ("          Kính gửi:  Sở Giao thông vận tải - Xây dựng tỉnh Lào Cai\n\n\n"
     "     Sở Công Thương nhận được văn bản số 1650/SGTVTXD-KT&VL ngày  09/5/2019\n"
     "của Sở Giao thông vận tải - Xây dựng về việc tham gia thẩm định thiết kế  cơ\n"
     "sở Dự án khai thác đá làm VLXD thông thường tại mỏ đá Sâu Chua,  xã  Sa  Pả,\n"
     "huyện Sa Pa, tỉnh Lào Cai.",
     "Kính gửi: Sở Giao thông vận tải - Xây dựng tỉnh Lào Cai\nSở Công Thương nhận được văn "
     "bản số 1650/SGTVTXD-KT&VL ngày 09/5/2019 của Sở Giao thông vận tải - Xây dựng về việc "
     "tham gia thẩm định thiết kế cơ sở Dự án khai thác đá làm VLXD thông thường tại mỏ đá Sâu "
     "Chua, xã Sa Pả, huyện Sa Pa, tỉnh Lào Cai."),
])
def test_reflow_cases(given, expected):
    assert reflow(given) == expected


def test_reflow_leaves_footnotes_alone():
    text = f"Nội dung chính\n\n{FOOTNOTES_HEADING}\n1 Ghi chú một\n2 ghi chú hai"
    assert reflow(text) == text


def test_clean_seed_000_end_to_end():
    with open("tests/data/seeds/000_2eff75776fabfddb.txt", encoding="utf-8") as handle:
        text = c.clean(handle.read())
    body, notes = text.split(f"\n{FOOTNOTES_HEADING}\n")
    assert "Kết luận số 224-KL/TU" in body and "Kế hoạch số 52-KH/ĐUK" in body
    assert "Kế hoạch số 509-KH/ĐUK" in body
    assert "\n\n" not in body and "  " not in body
    assert body.split("\n")[:3] == [
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH LAI CHÂU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY SỞ Y TẾ",
    ]
    assert "Lai Châu, ngày 15 tháng 01 năm 2025" in body.split("\n")
    assert len(notes.split("\n")) == 2
    assert "Đảng uỷ Sở Y tế ban hành" in body  # the document's own tone placement is kept
    assert text == unicodedata.normalize("NFC", text)
