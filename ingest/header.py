"""The header block of a document's raw text: number, type, trích yếu, place and date.

Part of :func:`ingest.metadata.extract`; the organisation lines of the same block are read
by ``ingest/issuer.py``, the recipients of a letter ("Kính gửi") here too. Functions take
the first lines of the raw text (``head``) and return "" for a field they cannot find.

>>> find_number(["ĐẢNG ỦY SỞ Y TẾ", "Số 588-KH/ĐU", "KẾ HOẠCH"])
'588-KH/ĐU'
"""

from __future__ import annotations

import datetime
import re

from core.tones import normalize_tones
from core.vocabulary import CODE_TYPES, TITLE_TYPES
from ingest.layout import BODY_RE, Items, cells, is_upper

# Title line → normalised type; longest first so "CHƯƠNG TRÌNH HÀNH ĐỘNG" wins.
TITLE_RE = re.compile(
    r"(" + "|".join(sorted(TITLE_TYPES, key=len, reverse=True)) + r")(?: LIÊN (?:NGÀNH|TỊCH))?")
# "Số", and how OCR misreads it ("Só:3036 /SCT-CN", corpus sct-laocai-3036); a lower-case
# "số" at a line start is a wrapped body phrase ("Nghị định\nsố 06/2021/NĐ-CP") unless a
# colon follows.
NUMBER_HEAD_RE = re.compile(
    r"(?:^|\||\s{3,}|\s(?=Số\s*:?\s*\d))\s*(?:Luật\s+)?(?:S[ốỐóÓôÔồỒổỔỗỖo6]|số(?=\s*:))\s*"
    r"(?::|(?=[\d/]))")
# (a header pasted as one line: "… Lai Châu, ngày 15 tháng 01 năm 2025 Số 588-KH/ĐU")
# A symbol is letters/digits joined by "/", "-" or "."; a trailing joiner is not part of it.
_NUMBER_RE = re.compile(
    r"^[\s:^]*(\d+(?:\.\d+)?)\s*([-/])\s*([^\W_](?:[^\W_]|[/.\-&](?=[^\W_]))*)")
_DATE_RE = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_PLACE_DATE_RE = re.compile(r"(?:[A-ZĐ]\w*\s+)*[A-ZĐ]\w*\s*,\s*ngày.*?năm\s*\d{4}\.?")
RULE_RE = re.compile(r"^[-_=*.]{3,}$")


def find_title(head: list[str]) -> tuple[int, str, str]:
    """Index of the type title line, the type, and any trích yếu on the same line.

    Searched only above the first body sentence, so a later "PHỤ LỤC" or a form's title in a
    short letter is not taken for the letter's type.
    """
    for i, line in enumerate(head):
        row = [" ".join(normalize_tones(c).split()) for c in cells(line)]
        if any(BODY_RE.match(c) for c in row):
            break
        for cell in row:
            m = TITLE_RE.match(cell)
            if m and (m.end() == len(cell) or (cell[m.end()] == " " and is_upper(cell))):
                # "QUYẾT ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ": title and subject on one line
                rest = cell[m.end():].strip()
                return i, TITLE_TYPES[m.group(1)], "" if rest.startswith("CỦA ") else rest
    return -1, "", ""


def find_number(head: list[str]) -> str:
    # The first "Số" in the header decides: a draft's blank "Số:      /QĐ-UBND" stays empty
    # rather than falling through to a number cited further down.
    stop = next((i for i, ln in enumerate(head[:25])
                 if any(BODY_RE.match(c) for c in cells(ln))), 25)
    for line in head[:stop]:  # never a number cited in the body
        m = NUMBER_HEAD_RE.search(line)
        if m:
            n = _NUMBER_RE.match(line[m.end():])
            return f"{n.group(1)}{n.group(2)}{n.group(3)}" if n else ""
    return ""


def type_from_number(number: str, head: list[str]) -> str:
    # "588-KH/ĐU" → KH; "1234/QĐ-UBND" → QĐ; "146/2025/NĐ-CP" → NĐ.
    party = re.match(r"\d[\d.]*-([^\W\d_]+)/", number)
    state = re.search(r"/([^\W\d_]+)-[^/]*$", number)
    code = (party or state).group(1) if (party or state) else ""
    if code in CODE_TYPES:
        return CODE_TYPES[code]
    # State letters carry "V/v …" instead of a title (Nghị định 30/2020).
    vv = any(re.match(r"(V/v|Về việc|về việc)\b", c) for ln in head[:20] for c in cells(ln))
    return "Công văn" if vv else ""


def body_start(head: list[str]) -> int:
    """Where the header of an untitled letter ends: its "V/v" line or first body line."""
    return next((i for i, ln in enumerate(head[:15]) if _vv_cell(ln)
                 or any(BODY_RE.match(c) for c in cells(ln))), min(len(head), 15))


def place_date(head: list[str]) -> tuple[str, str]:
    for line in head[:30]:
        m = re.search(r"((?:[A-ZĐ][^\W\d_]*\s+)*[A-ZĐ][^\W\d_]*)\s*,\s*ngày", line.replace("*", ""))
        if not m:
            continue
        # Keep only the title-case run before the comma ("câp Hà Nội, ngày" → "Hà Nội").
        words = m.group(1).split()
        while words and not all(w[1:].islower() or len(w) == 1 for w in words):
            words.pop(0)
        at = head.index(line)
        # "*Hà Nội, ngày 19" / "tháng 11 năm 2025*": a date broken across lines, inside
        # emphasis or a table cell, is read on the lines joined, without their markup
        joined = " ".join(re.sub(r"^[\s|*_]+|[\s|*_]+$", "", ln) for ln in head[at + 1 : at + 3])
        tail = re.sub(r"[*_|]", " ", line[m.end() - 4:]).lstrip()
        d = _DATE_RE.search(line[m.end() - 4:]) or _DATE_RE.match(f"{tail} {joined}")
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


def subject(head: list[str], title_at: int, first: str = "") -> str:
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
        row = cells(line)
        cell = _vv_cell(line) if not parts and title_at < 0 else (row[0] if row else "")
        if not parts and title_at >= 0 and is_upper(cell) and cell.startswith("CỦA "):
            continue  # "NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ": still the title
        if not cell:
            continue
        stop = (RULE_RE.match(cell) or re.match(r"(Kính gửi|Nơi nhận|Số\b)", cell)
                or (parts and (BODY_RE.match(cell) or len(cell) > 160
                               or is_upper(cell) != is_upper(parts[0]))))
        if stop:
            break
        parts.append(cell)
    return " ".join(" ".join(parts).split())


def _vv_cell(line: str) -> str:
    return next((c for c in cells(line) if re.match(r"(V/v|Về việc|về việc)\b", c)), "")


def addressees(head: list[str]) -> list[str]:
    """The "Kính gửi:" list of a letter or report, in the header."""
    at = next((i for i, ln in enumerate(head) if re.search(r"Kính gửi\s*:", ln)), -1)
    if at < 0:
        return []
    items = Items()
    first = re.split(r"Kính gửi\s*:", head[at], maxsplit=1)[1]
    for cell in cells(first) + [c for ln in head[at + 1:at + 12] for c in cells(ln)]:
        if BODY_RE.match(cell) or len(cell) > 120 or not items.add(cell):
            break
    return items.result()
