"""Document types, written once: names, header titles, citation words, symbol codes.

Every module that recognises a document type derives its lookup from :data:`TYPES`:
``ingest/header.py`` (title line and number code → type), ``ingest/segment.py`` (the title
that keeps the subject in the header), ``ingest/citations.py`` (the type word before a cited
number, and the codes spelled in mixed case) and ``query/refquery.py`` (the type a user types).

>>> CODE_TYPES["QĐi"], TITLE_TYPES["KẾ HOẠCH"]
('Quy định', 'Kế hoạch')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocType:
    """One document type and how each part of the pipeline recognises it.

    A header writes the type as its name in capitals ("KẾ HOẠCH"), a citation as the name
    itself ("Kế hoạch số 52-KH/ĐUK"); ``codes`` are the letters for the type inside a number
    ("588-KH/ĐU", "1234/QĐ-UBND"), the first one the type's own.
    """

    name: str
    title: bool  # a header's title line names it ("KẾ HOẠCH"): metadata reads the type there
    subject: bool  # segment: the lines under this title are the subject, still the header
    cited: bool  # citations take it for the type word before a number or a back-reference
    codes: tuple[str, ...]
    typed: str  # the code a reference typed with this word looks up ("" = not recognised)


# Columns differ on purpose, each as its module had it:
# - title / subject: segment's list is the older, shorter one; metadata also reads appendix,
#   record, form and permit titles ("PHỤ LỤC", "BIÊN BẢN", "GIẤY MỜI"), which segment leaves
#   to its other rules. "CHƯƠNG TRÌNH HÀNH ĐỘNG" needs no row of its own in segment, whose
#   pattern takes any capitals after "CHƯƠNG TRÌNH".
# - cited: citations also know types that never head a document in the corpus ("Pháp lệnh",
#   "Hiến pháp", "Văn bản") and the joint ones ("Nghị quyết liên tịch"), which a header
#   writes as the base title plus "LIÊN TỊCH" (metadata reads that as the base type).
# - typed: a typed "quy định" looks up QĐ, not its code QĐi: recent Party regulations are
#   numbered "-QĐ/TW" (Quy định 144-QĐ/TW of 2024); a typed "qđi" finds the older "-QĐi/TW"
#   ones. Reference parsing knows the common types only; others are found by full number.
# Row order is the citation pattern's alternation order: a longer word before the word it
# starts with ("Nghị quyết liên tịch" before "Nghị quyết").
TYPES: tuple[DocType, ...] = tuple(DocType(*row) for row in (
    # name                     title  subject cited  codes            typed
    ("Nghị quyết liên tịch",   False, False, True,  (),               ""),
    ("Thông tư liên tịch",     False, False, True,  (),               ""),
    ("Chương trình hành động", True,  False, True,  (),               "CTr"),
    ("Chương trình",           True,  True,  True,  ("CTr",),         "CTr"),
    ("Nghị quyết",             True,  True,  True,  ("NQ",),          "NQ"),
    ("Chỉ thị",                True,  True,  True,  ("CT",),          "CT"),
    ("Kết luận",               True,  True,  True,  ("KL",),          "KL"),
    ("Quy định",               True,  True,  True,  ("QĐi",),         "QĐ"),
    ("Quyết định",             True,  True,  True,  ("QĐ",),          "QĐ"),
    ("Hướng dẫn",              True,  True,  True,  ("HD", "HDLN"),   "HD"),
    ("Kế hoạch",               True,  True,  True,  ("KH",),          "KH"),
    ("Đề án",                  True,  True,  True,  ("ĐA",),          "ĐA"),
    ("Thông báo",              True,  True,  True,  ("TB",),          "TB"),
    ("Báo cáo",                True,  True,  True,  ("BC",),          "BC"),
    ("Công văn",               True,  True,  True,  ("CV",),          "CV"),
    ("Văn bản",                False, False, True,  (),               ""),
    ("Tờ trình",               True,  True,  True,  ("TTr",),         "TTr"),
    ("Nghị định",              True,  True,  True,  ("NĐ",),          "NĐ"),
    ("Thông tư",               True,  True,  True,  ("TT",),          "TT"),
    ("Luật",                   True,  True,  True,  (),               ""),
    ("Pháp lệnh",              False, False, True,  (),               ""),
    ("Thông tri",              False, False, True,  (),               ""),
    ("Quy chế",                True,  False, True,  ("QC",),          ""),
    ("Giấy mời",               True,  False, True,  (),               ""),
    ("Công điện",              False, False, True,  (),               ""),
    ("Điều lệ",                False, False, True,  (),               ""),
    ("Hiến pháp",              False, False, True,  (),               ""),
    ("Biên bản",               True,  False, True,  ("BB",),          ""),
    ("Giấy đề nghị",           False, False, True,  (),               ""),
    ("Giấy chứng nhận",        True,  False, True,  (),               ""),
    ("Giấy phép",              True,  False, True,  (),               ""),
    ("Phụ lục",                True,  False, False, (),               ""),
    ("Phương án",              True,  False, False, ("PA",),          ""),
    ("Phiếu trình",            True,  False, False, (),               ""),
))

# Header title line (capitals) → type name.
TITLE_TYPES = {t.name.upper(): t.name for t in TYPES if t.title}
# Titles that keep the subject under them in the header (segment).
SUBJECT_TITLES = tuple(t.name.upper() for t in TYPES if t.subject)
# Type words of citations, in alternation order.
CITED_WORDS = tuple(t.name for t in TYPES if t.cited)
# Symbol code inside a number → type name.
CODE_TYPES = {code: t.name for t in TYPES for code in t.codes}
# Codes written in mixed case by convention, by their upper-case spelling; everything else
# is upper case. "TTg" is an issuer (the Prime Minister, "27/CT-TTg"), not a type.
MIXED_CASE_CODES = {code.upper(): code for code in (*CODE_TYPES, "TTg") if code != code.upper()}
