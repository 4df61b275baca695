"""Read a document's own metadata (number, type, issuer, date, signer…) from its raw text.

One public function, :func:`extract`. It works on the reader's raw text (lines broken as in
the PDF, columns of a two-column header side by side or one under the other, markdown
emphasis, either tone style) and relies on no other cleaning. A field it cannot find is
empty, never guessed.

>>> extract("ĐẢNG ỦY SỞ Y TẾ\\nSố 588-KH/ĐU\\nKẾ HOẠCH\\nCông tác năm 2025\\n-----").number
'588-KH/ĐU'
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from core.places import PROVINCES, province_key
from core.records import Metadata, Signer
from core.tones import normalize_tones

_HEAD_LINES = 40  # header block, title and trích yếu are always within the first lines

# Title line → normalised type. Longest first so "CHƯƠNG TRÌNH HÀNH ĐỘNG" wins.
_TITLES = {
    "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình hành động", "CHƯƠNG TRÌNH": "Chương trình",
    "KẾ HOẠCH": "Kế hoạch", "NGHỊ QUYẾT": "Nghị quyết", "CHỈ THỊ": "Chỉ thị",
    "KẾT LUẬN": "Kết luận", "QUY ĐỊNH": "Quy định", "QUYẾT ĐỊNH": "Quyết định",
    "HƯỚNG DẪN": "Hướng dẫn", "BÁO CÁO": "Báo cáo", "THÔNG BÁO": "Thông báo",
    "TỜ TRÌNH": "Tờ trình", "NGHỊ ĐỊNH": "Nghị định", "THÔNG TƯ": "Thông tư", "LUẬT": "Luật",
    "ĐỀ ÁN": "Đề án", "PHỤ LỤC": "Phụ lục", "BIÊN BẢN": "Biên bản", "CÔNG VĂN": "Công văn",
    "QUY CHẾ": "Quy chế", "PHƯƠNG ÁN": "Phương án", "PHIẾU TRÌNH": "Phiếu trình",
    "GIẤY CHỨNG NHẬN": "Giấy chứng nhận", "GIẤY PHÉP": "Giấy phép", "GIẤY MỜI": "Giấy mời",
}
# Type code inside the number: "588-KH/ĐU" (Party) or "1234/QĐ-UBND" (state).
_CODES = {
    "KH": "Kế hoạch", "NQ": "Nghị quyết", "CT": "Chỉ thị", "KL": "Kết luận", "QĐ": "Quyết định",
    "QĐi": "Quy định", "HD": "Hướng dẫn", "HDLN": "Hướng dẫn", "CTr": "Chương trình",
    "TB": "Thông báo", "BC": "Báo cáo", "TTr": "Tờ trình", "ĐA": "Đề án", "NĐ": "Nghị định",
    "TT": "Thông tư", "CV": "Công văn", "QC": "Quy chế", "BB": "Biên bản", "PA": "Phương án",
}
_TITLE_RE = re.compile(
    r"(" + "|".join(sorted(_TITLES, key=len, reverse=True)) + r")(?: LIÊN (?:NGÀNH|TỊCH))?")

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
# "Số", and how OCR misreads it ("Só:3036 /SCT-CN", corpus sct-laocai-3036); a lower-case
# "số" at a line start is a wrapped body phrase ("Nghị định\nsố 06/2021/NĐ-CP") unless a
# colon follows.
_NUMBER_HEAD_RE = re.compile(
    r"(?:^|\||\s{3,})\s*(?:Luật\s+)?(?:S[ốỐóÓôÔồỒổỔỗỖo6]|số(?=\s*:))\s*(?::|(?=[\d/]))")
# A symbol is letters/digits joined by "/", "-" or "."; a trailing joiner is not part of it.
_NUMBER_RE = re.compile(
    r"^[\s:^]*(\d+(?:\.\d+)?)\s*([-/])\s*([^\W_](?:[^\W_]|[/.\-](?=[^\W_]))*)")
_DATE_RE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_PLACE_DATE_RE = re.compile(r"(?:[A-ZĐ]\w*\s+)*[A-ZĐ]\w*\s*,\s*ngày.*?năm\s*\d{4}\.?")
_RULE_RE = re.compile(r"^[-_=*.]{3,}$")
# First words of a body sentence: the trích yếu ends before them (seed 003 has no rule line).
_BODY_RE = re.compile(r"^(?:- )?(Căn cứ|Thực hiện|Kính gửi|Theo đề nghị|Xét đề nghị|Trên cơ sở|"
                      r"Ngày \d|I[.-] |1[.-] |Điều \d|Chương [IVX\d]|Phần [IVX\d])")
_AUTHORITY_RE = re.compile(r"^(T/M|T\.M|TM\.?|KT\.?|K/T|Q\.|TL\.?|T/L|TUQ\.?)\s*\S")
_POSITION_RE = re.compile(
    r"^(PHÓ )?(BÍ THƯ|CHỦ TỊCH|GIÁM ĐỐC|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|TRƯỞNG BAN|TRƯỞNG ĐOÀN|"
    r"CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|VIỆN TRƯỞNG|CHÁNH ÁN|CHỦ NHIỆM|TỔNG BÍ THƯ)\b")
_RANKS = ("Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá",
          "Trung tá", "Thiếu tá")
_BULLET_RE = re.compile(r"^[-+•–]\s*")

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


def extract(text: str) -> Metadata:
    """Metadata of one document from its raw text; unknown fields stay empty."""
    lines = [ln for ln in unicodedata.normalize("NFC", text).replace("\f", "\n").split("\n")
             if ln.strip()]
    head = lines[:_HEAD_LINES]
    title_at, doc_type, title_rest = _title(head)
    number = _number(head)
    groups = _header_orgs(head[:title_at] if title_at >= 0 else head[:_body_start(head)])
    issuer = groups[-1] if groups else _issuer_from_body(head[max(title_at, 0):])
    parent = groups[0] if len(groups) > 1 else ""
    place, date = _place_date(head)
    level = _level(issuer, parent, number)
    province = "" if level == "TW" else (_province(parent) or _province(issuer)
                                         or PROVINCES.get(province_key(place), ""))
    signer, recipients = _signature(lines, title_at)
    return Metadata(
        number=number, doc_type=doc_type or _type_from_number(number, head), issuer=issuer,
        parent=parent, place=place, date=date, subject=_subject(head, title_at, title_rest),
        signer=signer, recipients=tuple(_addressees(head) + recipients), level=level,
        province=province)


def _cells(line: str) -> list[str]:
    """Columns of one line: table pipes, " | " from DOCX tables, or 3+ spaces from PDF layout."""
    line = re.sub(r"^\s*[*•]\s+", "- ", line.replace("\t", "    "))  # markdown bullets
    parts = re.split(r"\s*\|\s*|\s{3,}", line.strip().strip("|"))
    return [c for c in (_plain(p) for p in parts) if c]


def _plain(cell: str) -> str:
    """Drop markdown emphasis and heading marks that some transcriptions carry."""
    return re.sub(r"^[#\s]+|\*\*|^\*|\*$|`+", "", cell.strip()).strip(" *")


def _upper(cell: str) -> bool:
    letters = [ch for ch in cell if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _title(head: list[str]) -> tuple[int, str, str]:
    """Index of the type title line, the type, and any trích yếu on the same line.

    Searched only above the first body sentence, so a later "PHỤ LỤC" or a form's title in a
    short letter is not taken for the letter's type.
    """
    for i, line in enumerate(head):
        cells = [" ".join(normalize_tones(c).split()) for c in _cells(line)]
        if any(_BODY_RE.match(c) for c in cells):
            break
        for cell in cells:
            m = _TITLE_RE.match(cell)
            if m and (m.end() == len(cell) or (cell[m.end()] == " " and _upper(cell))):
                # "QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ": title and subject on one line
                rest = cell[m.end():].strip()
                return i, _TITLES[m.group(1)], "" if rest.startswith("CỦA ") else rest
    return -1, "", ""


def _number(head: list[str]) -> str:
    # The first "Số" in the header decides: a draft's blank "Số:      /QĐ-UBND" stays empty
    # rather than falling through to a number cited further down.
    stop = next((i for i, ln in enumerate(head[:25])
                 if any(_BODY_RE.match(c) for c in _cells(ln))), 25)
    for line in head[:stop]:  # never a number cited in the body
        m = _NUMBER_HEAD_RE.search(line)
        if m:
            n = _NUMBER_RE.match(line[m.end():])
            return f"{n.group(1)}{n.group(2)}{n.group(3)}" if n else ""
    return ""


def _type_from_number(number: str, head: list[str]) -> str:
    # "588-KH/ĐU" → KH; "1234/QĐ-UBND" → QĐ; "146/2025/NĐ-CP" → NĐ.
    party = re.match(r"\d[\d.]*-([^\W\d_]+)/", number)
    state = re.search(r"/([^\W\d_]+)-[^/]*$", number)
    code = (party or state).group(1) if (party or state) else ""
    if code in _CODES:
        return _CODES[code]
    # State letters carry "V/v …" instead of a title (Nghị định 30/2020).
    vv = any(re.match(r"(V/v|Về việc|về việc)\b", c) for ln in head[:20] for c in _cells(ln))
    return "Công văn" if vv else ""


def _header_orgs(lines: list[str]) -> list[str]:
    """Upper-case organisation lines of the header, re-joined where the PDF broke them."""
    groups: list[str] = []
    for line in lines:
        if _NUMBER_HEAD_RE.search(line):
            continue  # "Số: /SCT - CN  Lào Cai, ngày …" holds no organisation name
        for cell in _cells(line):
            cell = cell[:m.start()] if (m := _MOTTO_RE.search(cell)) else cell
            cell = re.sub(r"[–—_=-]{2,}\s*$", "", cell)  # a rule drawn under the name
            cell = " ".join(normalize_tones(cell).strip(" *").lstrip("/").split())
            if (not cell or not _upper(cell) or _RULE_RE.match(cell) or _TITLE_RE.fullmatch(cell)
                    or cell.startswith("SỐ")
                    or re.fullmatch(r"\S*\s?[-/]\s?\S*", cell)):  # a symbol off its number
                continue
            joined = groups and re.search(r"( VÀ| CÁC| CỦA|-|,)$", groups[-1])
            if _ORG_HEAD_RE.match(cell + " ") and not joined:
                if not groups or groups[-1] != cell:
                    groups.append(cell)
            elif groups:  # "DOANH NGHIỆP TỈNH LAI CHÂU", "TỈNH LÀO CAI": continuation
                groups[-1] += " " + cell
    return [_org_case(g.rstrip(" -,")) for g in groups]


def _body_start(head: list[str]) -> int:
    """Where the header of an untitled letter ends: its "V/v" line or first body line."""
    return next((i for i, ln in enumerate(head[:15]) if _vv_cell(ln)
                 or any(_BODY_RE.match(c) for c in _cells(ln))), min(len(head), 15))


def _org_case(upper: str) -> str:
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


def _issuer_from_body(lines: list[str]) -> str:
    # Seeds 002-004 have no issuer line; their first sentence names it: "…, Ban Thường vụ
    # Huyện ủy ban hành kế hoạch". The header names the committee, not its standing board
    # (seed 001: header "ĐẢNG ỦY SỞ Y TẾ", body "Ban Thường vụ Đảng ủy Sở Y tế ban hành"),
    # so "Ban Thường vụ" / "Ban Chấp hành" are dropped to match.
    body = " ".join(" ".join(_cells(ln)) for ln in lines[:15])
    for m in re.finditer(r"([^,;.()]+?)\s+(?:ban hành|xây dựng)\s+(?:kế hoạch|chương trình|"
                         r"hướng dẫn|nghị quyết|quy định|đề án)", body, re.IGNORECASE):
        org = re.sub(r"^Ban (Thường vụ|Chấp hành)\s+", "", normalize_tones(m.group(1).strip()))
        if _ORG_HEAD_RE.match(org.upper() + " "):
            return org
    return ""


def _place_date(head: list[str]) -> tuple[str, str]:
    for line in head[:30]:
        m = re.search(r"((?:[A-ZĐ][^\W\d_]*\s+)*[A-ZĐ][^\W\d_]*)\s*,\s*ngày", line.replace("*", ""))
        if not m:
            continue
        # Keep only the title-case run before the comma ("câp Hà Nội, ngày" → "Hà Nội").
        words = m.group(1).split()
        while words and not all(w[1:].islower() or len(w) == 1 for w in words):
            words.pop(0)
        d = _DATE_RE.search(line[m.end() - 4:])
        return " ".join(words), _iso_date(d)  # blank day in a draft: place known, date empty
    return "", ""


def _iso_date(match: re.Match[str] | None) -> str:
    """ISO date of a "ngày D tháng M năm Y" match; "" when OCR made it impossible (35/5)."""
    if not match:
        return ""
    try:
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _subject(head: list[str], title_at: int, first: str = "") -> str:
    """Trích yếu: the lines under the title, or a letter's "V/v …" lines, joined."""
    start = title_at + 1
    if title_at < 0:
        vv = [i for i, ln in enumerate(head[:20]) if _vv_cell(ln)]
        if not vv:
            return ""
        start = vv[0]
    parts = [first] if first else []
    for line in head[start:start + 8]:
        line = _PLACE_DATE_RE.sub("   ", line)
        cells = _cells(line)
        cell = _vv_cell(line) if not parts and title_at < 0 else (cells[0] if cells else "")
        if not parts and title_at >= 0 and _upper(cell) and cell.startswith("CỦA "):
            continue  # "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ": still the title
        if not cell:
            continue
        stop = (_RULE_RE.match(cell) or re.match(r"(Kính gửi|Nơi nhận|Số\b)", cell)
                or (parts and (_BODY_RE.match(cell) or len(cell) > 160
                               or _upper(cell) != _upper(parts[0]))))
        if stop:
            break
        parts.append(cell)
    return " ".join(" ".join(parts).split())


def _vv_cell(line: str) -> str:
    return next((c for c in _cells(line) if re.match(r"(V/v|Về việc|về việc)\b", c)), "")


def _level(issuer: str, parent: str, number: str) -> str:
    for name in (issuer, parent):
        key = normalize_tones(name).lower()
        for level, pattern in _LEVELS:
            if key and re.search(pattern, key):
                return level
    return next((lv for lv, p in _SUFFIX_LEVELS if re.search(p, number)), "")


def _province(name: str) -> str:
    key = province_key(name)
    hits = [(key.find(k), k) for k in PROVINCES if re.search(rf"(?<!\w){k}(?!\w)", key)]
    return PROVINCES[min(hits)[1]] if hits else ""


class _Items:
    """Items of a "Nơi nhận" / "Kính gửi" list, re-joined across broken lines."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.bulleted = False

    def add(self, cell: str) -> bool:
        """Take ``cell`` as a new item or a continuation; False when it belongs elsewhere."""
        if _BULLET_RE.match(cell):
            self.items.append(_BULLET_RE.sub("", cell))
            self.bulleted = True
        elif not self.items:
            self.items.append(cell)
        elif cell[0].islower() or (self.bulleted and not self.closed()):
            self.items[-1] += " " + cell  # "- VPCP: BTCN, …, Trợ lý TTg," / "các Vụ, Cục, …"
        else:
            return False
        return True

    def closed(self) -> bool:
        return not self.items or self.items[-1].rstrip().endswith((",", ";", ".", ":"))

    def result(self) -> list[str]:
        out = [" ".join(i.split()).rstrip(",;.: ") for i in self.items]
        return [i for i in out if i]


def _addressees(head: list[str]) -> list[str]:
    """The "Kính gửi:" list of a letter or report, in the header."""
    at = next((i for i, ln in enumerate(head) if re.search(r"Kính gửi\s*:", ln)), -1)
    if at < 0:
        return []
    items = _Items()
    first = re.split(r"Kính gửi\s*:", head[at], maxsplit=1)[1]
    for cell in _cells(first) + [c for ln in head[at + 1:at + 12] for c in _cells(ln)]:
        if _BODY_RE.match(cell) or len(cell) > 120 or not items.add(cell):
            break
    return items.result()


def _is_name(cell: str) -> bool:
    """"Nguyễn Thế Phong", "Thượng tướng Tô Lâm": 2-5 capitalised words, nothing else."""
    rank = next((r for r in _RANKS if cell.startswith(r + " ")), "")
    words = cell[len(rank):].split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def _signature(lines: list[str], title_at: int) -> tuple[Signer, list[str]]:
    """Signer and "Nơi nhận" list from the block after the body, wherever the columns fall."""
    body = lines[title_at + 1:]
    at = next((i for i, ln in enumerate(body)
               if any(re.match(r"Nơi nhận\s*:", c) for c in _cells(ln))), -1)
    if at < 0:  # laws and circulars often have no "Nơi nhận": start at the first position
        at = next((i for i, ln in enumerate(body) for c in _cells(ln)
                   if _upper(c) and (_AUTHORITY_RE.match(c) or _POSITION_RE.match(c))), -1)
    if at < 0:
        return Signer(), []
    at = max(at - 3, 0)  # a position may sit in the row above "Nơi nhận" (TT 32/2019/TT-BCT)
    authority: list[str] = []
    upper: list[str] = []
    name = ""
    items, listing = _Items(), False
    for line in body[at:at + 45]:
        if re.match(r"\s*(PHỤ LỤC|Phụ lục)\b", _plain(line)) or (name and len(line) > 120):
            break
        for cell in _cells(line):
            if m := re.match(r"Nơi nhận\s*:\s*", cell):
                listing, cell = True, cell[m.end():]
                if not cell:
                    continue
            if re.fullmatch(r"[\[(](đã ký|Đã ký|ký|Ký)[\])]", cell):
                continue
            if not name and _upper(cell) and not _BULLET_RE.match(cell):
                if _AUTHORITY_RE.match(cell):
                    authority.append(cell)
                elif authority or upper or _POSITION_RE.match(cell):
                    upper.append(cell)
            elif not name and _is_name(cell) and (authority or upper or items.closed()):
                name = cell
            elif listing and (_BULLET_RE.match(cell) or not _upper(cell)):
                items.add(cell)  # not the title line under a name ("PHÓ GIÁM ĐỐC SỞ …")
    if authority:
        authority += upper[:-1]
        upper = upper[-1:]
    signer = Signer(" ".join(authority), " ".join(upper), name)
    return signer, items.result()
