"""Who issued a document: the organisation lines of its header, their level and province.

Part of :func:`ingest.metadata.extract`. The header names the issuer under its parent body
("ĐẢNG BỘ TỈNH LAI CHÂU" / "ĐẢNG ỦY SỞ Y TẾ"), in capitals, with the motto block beside or
between them; untitled plans name it in their first sentence instead.

>>> org_case("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
'Sở Lao động - Thương binh và Xã hội'
"""

from __future__ import annotations

import re
import unicodedata

from core.places import PROVINCES, province_key
from core.tones import normalize_tones
from ingest.header import NUMBER_HEAD_RE, RULE_RE, TITLE_RE
from ingest.layout import cells, is_upper

# The motto block sits beside or between the issuer lines (seed 000 puts "ĐẢNG CỘNG SẢN VIỆT
# NAM" between parent and issuer; OCR merges "BỘ CÔNG THƯƠNG CỘNG HOÀ XÃ…" on one line).
# Case and one odd letter tolerated: "CỘNG HÕA XÃ HỘI" (corpus sct-laocai-1178), OCR'd "cộng hõa".
_MOTTO_RE = re.compile(
    r"ĐẢNG CỘNG SẢN|(?i:cộng\s+h\w{1,2}a\s+x)|CỘNG\s+H[OÒ]|Đ[ộo]\w?c\s+l[ậa]|Tự do\s*[-–]\s*Hạnh")
# Words that open an organisation name in the header; other upper-case lines continue one.
_ORG_HEAD_RE = re.compile(
    r"(ĐẢNG (BỘ|ỦY|ĐOÀN)|BAN |CHI BỘ|ỦY BAN|UBND|HĐND|HỘI ĐỒNG|SỞ |BỘ |CỤC |CHI CỤC|TỔNG CỤC|"
    r"VỤ |VĂN PHÒNG|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|THỊ ỦY|QUẬN ỦY|CHÍNH PHỦ|QUỐC HỘI|THỦ TƯỚNG|"
    r"MẶT TRẬN|ĐOÀN |TRUNG TÂM|PHÒNG |VIỆN |TÒA ÁN|KHỐI |CÔNG AN)")
# Level, tried on the issuer, then the parent; first match wins. A Party committee of a Sở
# is a đảng bộ cơ sở: seed 002 (the Khối committee) addresses them as "Các chi, đảng bộ cơ
# sở", and seed 000 is such a committee, so "Đảng ủy Sở Y tế" is "cơ sở" while the state
# "Sở Công Thương" is "tỉnh". A Khối committee without "Trung ương" is provincial (seed 002
# reports to the Tỉnh ủy).
_LEVELS = (
    ("cơ sở", r"\b(xã|phường|thị trấn|chi bộ|cơ sở)\b|^đảng (ủy|bộ) sở\b"),
    ("huyện", r"huyện|quận|thị xã|thị ủy"),
    ("TW", r"trung ương|chính phủ|quốc hội|thủ tướng|^bộ\b|bộ chính trị|ban bí thư"),
    ("tỉnh", r"tỉnh|thành ủy|^sở\b|đảng (ủy|bộ) khối"),
)
_SUFFIX_LEVELS = (("TW", r"/TW$|-CP$|/QH\d+$|-TTg$"), ("tỉnh", r"/TU$"), ("huyện", r"/HU$"))

# Casing of organisation names from upper-case headers (Nghị định 30/2020, Phụ lục II).
_PHRASES = {
    "ủy ban nhân dân": "Ủy ban nhân dân", "hội đồng nhân dân": "Hội đồng nhân dân",
    "ban chấp hành": "Ban Chấp hành", "ban thường vụ": "Ban Thường vụ",
    "ban thường trực": "Ban Thường trực", "trung ương": "Trung ương", "quốc hội": "Quốc hội",
    "chính phủ": "Chính phủ", "việt nam": "Việt Nam", "công thương": "Công Thương",
    "bộ chính trị": "Bộ Chính trị", "ban bí thư": "Ban Bí thư", "đảng đoàn": "Đảng đoàn",
    "mặt trận tổ quốc": "Mặt trận Tổ quốc", "đảng ủy": "Đảng ủy", "đảng bộ": "Đảng bộ",
    "tỉnh ủy": "Tỉnh ủy", "huyện ủy": "Huyện ủy", "thành ủy": "Thành ủy", "ủy ban": "Ủy ban",
    **{k: v for k, v in PROVINCES.items() if " " in k},
}
_NAMED_HEADS = {"sở", "bộ", "cục", "khối", "ban", "vụ", "phòng", "viện", "ủy ban", "văn phòng"}
# Heads capitalised even mid-name ("Đảng ủy Sở Y tế"); not "vụ"/"phòng" ("Bộ Nội vụ").
_SELF_CAPITAL = _NAMED_HEADS - {"vụ", "phòng"}
_PLACE_WORDS = {"tỉnh", "huyện", "xã", "phường", "quận", "thôn", "tỉnh ủy", "huyện ủy"}
_FUNCTION_WORDS = {"các", "của", "và", "về", "những", "theo", "số"}
_ACRONYMS = {"UBND", "UBMTTQ", "UBTVQH"}


def header_orgs(lines: list[str]) -> list[str]:
    """Upper-case organisation lines of the header, re-joined where the PDF broke them."""
    groups: list[str] = []
    for line in lines:
        if NUMBER_HEAD_RE.search(line):
            continue  # "Số: /SCT - CN  Lào Cai, ngày …" holds no organisation name
        for cell in cells(line):
            cell = cell[:m.start()] if (m := _MOTTO_RE.search(cell)) else cell
            cell = re.sub(r"[–—_=-]{2,}\s*$", "", cell)  # a rule drawn under the name
            cell = " ".join(normalize_tones(cell).strip(" *").lstrip("/").split())
            if (not cell or not is_upper(cell) or RULE_RE.match(cell) or TITLE_RE.fullmatch(cell)
                    or cell.startswith("SỐ")
                    or re.fullmatch(r"\S*\s?[-/]\s?\S*", cell)):  # a symbol off its number
                continue
            joined = groups and re.search(r"( VÀ| CÁC| CỦA|-|,)$", groups[-1])
            if _ORG_HEAD_RE.match(cell + " ") and not joined:
                if not groups or groups[-1] != cell:
                    groups.append(cell)
            elif groups:  # "DOANH NGHIỆP TỈNH LAI CHÂU", "TỈNH LÀO CAI": continuation
                groups[-1] += " " + cell
    return [org_case(g.rstrip(" -,")) for g in groups]


def org_case(upper: str) -> str:
    """"SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" → "Sở Lao động - Thương binh và Xã hội"."""
    tokens, out, i = upper.split(), [], 0
    after_head = field_list = place = False
    while i < len(tokens):
        for n in (4, 3, 2, 1):  # longest fixed phrase first
            phrase = " ".join(tokens[i:i + n]).lower()
            if n > 1 and phrase in _PHRASES:
                word, i = _PHRASES[phrase], i + n
                break
        else:
            raw, i = tokens[i], i + 1
            phrase, word = raw.lower(), raw.lower()
            vowel = re.search(r"[aăâeêioôơuưy]", unicodedata.normalize("NFD", phrase))
            if not vowel or raw in _ACRONYMS or re.search(r"[\d/]", raw):
                word = raw
            elif (not out or place or phrase in _SELF_CAPITAL
                  or (after_head and phrase not in _FUNCTION_WORDS)
                  or (field_list and out[-1] in {"-", "và", ","})):
                word = raw.capitalize()
        if not out and word == phrase:
            word = word.capitalize()
        field_list = (field_list or after_head) and phrase not in _FUNCTION_WORDS - {"và"}
        after_head = phrase in _NAMED_HEADS
        # "tỉnh Lai Châu": a lower-case level word, not the "Xã" of "Xã hội"
        place = place or phrase in _PLACE_WORDS and (word.islower() or " " in phrase)
        out.append(word)
    return " ".join(out).replace(" ,", ",")


def issuer_from_body(lines: list[str]) -> str:
    # Seeds 002-004 have no issuer line; their first sentence names it: "…, Ban Thường vụ
    # Huyện ủy ban hành kế hoạch". The header names the committee, not its standing board
    # (seed 001: header "ĐẢNG ỦY SỞ Y TẾ", body "Ban Thường vụ Đảng ủy Sở Y tế ban hành"),
    # so "Ban Thường vụ" / "Ban Chấp hành" are dropped to match.
    body = " ".join(" ".join(cells(ln)) for ln in lines[:15])
    for m in re.finditer(r"([^,;.()]+?)\s+(?:ban hành|xây dựng)\s+(?:kế hoạch|chương trình|"
                         r"hướng dẫn|nghị quyết|quy định|đề án)", body, re.IGNORECASE):
        org = re.sub(r"^Ban (Thường vụ|Chấp hành)\s+", "", normalize_tones(m.group(1).strip()))
        if _ORG_HEAD_RE.match(org.upper() + " "):
            return org
    return ""


def level(issuer: str, parent: str, number: str) -> str:
    for name in (issuer, parent):
        key = normalize_tones(name).lower()
        for found, pattern in _LEVELS:
            if key and re.search(pattern, key):
                return found
    return next((lv for lv, p in _SUFFIX_LEVELS if re.search(p, number)), "")


def province(name: str) -> str:
    key = province_key(name)
    hits = [(key.find(k), k) for k in PROVINCES if re.search(rf"(?<!\w){k}(?!\w)", key)]
    return PROVINCES[min(hits)[1]] if hits else ""
