"""Reflow: join the lines a PDF or text layer broke inside a paragraph, one paragraph a line.

The last cleaning step (``ingest/clean.py``). Text layers break lines mid-sentence and put a
blank line after every line (seeds 000-002); converters from DOCX and antiword write one
paragraph per line. Headings, list items, table rows and short lines keep their breaks.

>>> reflow("Thực hiện Kết luận số 224-KL/TU của\\n\\ntỉnh ủy về công tác.\\n\\nI. MỤC ĐÍCH")
'Thực hiện Kết luận số 224-KL/TU của tỉnh ủy về công tác.\\nI. MỤC ĐÍCH'
"""

from __future__ import annotations

import re

from core.records import FOOTNOTES_HEADING
from core.tones import LOWER

_DECORATION = re.compile(r"^\s*[-_*=~.·•─—]{1,}\s*$")
_MARKER = re.compile(
    r"^(?:[IVXLC]{1,6}\s*[.\-–)]\s*"  # I. / I- / II)
    r"|\d{1,2}(?:\.\d{1,2}){0,3}[.\-–)]\s+"  # 1. / 1- / 1.1. / 1.1.1.
    r"|\d{1,2}(?:\.\d{1,2}){1,3}\s+"  # 1.1 without the final dot
    r"|[a-zđ][.)]\s+"  # a) / a. / đ)
    r"|[-+•–]\s*"  # list items
    r"|\(\d{1,3}\)"  # (1)
    r"|(?:Điều|Chương|Mục|Phần|Phụ lục)\s+[\dIVXLC]+"
    r"|(?:Nơi nhận|Kính gửi|Căn cứ)\b"
    r"|(?:T/M|TM\.|KT\.|TL\.|TUQ\.|Q\.)\s)"
)
_TERMINAL = re.compile(r"(?:[.:;!?…]|\./\.)[\"”’»)\]]*$")
_SENTENCE_END = re.compile(r"(?:[.!?…]|\./\.)[\"”’»)\]]*$")
_CONNECTIVE_END = re.compile(r"(?:\b(?:VÀ|CỦA|VỀ|CÁC|TRONG|VỚI|CHO|ĐỐI|TẠI|THEO)|[,\-–])$")
_CONNECTIVE_START = re.compile(r"^(?:VÀ|CỦA|VỀ|TRONG|VỚI|CHO|TẠI|THEO)\b")
_CONTINUES = re.compile(rf"^[\"“'(]*[{LOWER},;:.)”]")
# "… được xác định tại / Phụ lục 2 kèm theo …": a line ending in a preposition is followed
# by what it points at, so a word marker there is a reference, not a heading (corpus:
# Chương trình 104-CTr/TU, whose "Phụ lục 2" line had closed section III)
_WORD_MARKER = re.compile(r"^(?:Điều|Chương|Mục|Phần|Phụ lục|Khoản|Điểm)\s+[\dIVXLC]+")
_POINTS_AT = re.compile(r"(?<!\w)(?:tại|theo|của|và|với|trong|thuộc|ở|từ|đến|hoặc|như|là)$")


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _joins(prev: str, cur: str, width: float) -> bool:
    """Whether ``cur`` continues the paragraph ending with ``prev`` (both stripped)."""
    if " | " in prev or " | " in cur:
        return False  # table rows from the DOCX/DOC readers stay rows
    if _is_upper(prev) or _is_upper(cur):
        both = _is_upper(prev) and _is_upper(cur)
        return both and bool(_CONNECTIVE_END.search(prev) or _CONNECTIVE_START.match(cur))
    if _MARKER.match(cur):
        return bool(_WORD_MARKER.match(cur) and _POINTS_AT.search(prev))
    pdf_like = width <= 140  # text-layer lines are ~60-100 chars; DOCX lines are paragraphs
    if _CONTINUES.match(cur) or (pdf_like and cur[:1].isdigit()):
        return not _SENTENCE_END.search(prev)
    if not pdf_like or len(prev) < 0.7 * width:
        return False  # a short line ends a paragraph or a heading
    # A full-width line ending in ";" continues: enumerations run on inside a paragraph
    # (seed 000: "…Kết luận số 224-KL/TU; ;" / "Kế hoạch số 345-KH/ĐU, …").
    return not _TERMINAL.search(prev) or prev.endswith(";")


def reflow(text: str) -> str:
    """Join lines broken inside a paragraph; keep paragraph and heading breaks.

    Output has one paragraph per line and no blank lines. Footnotes (after
    ``FOOTNOTES_HEADING``) are already one per line and are left alone.
    """
    marker = f"\n{FOOTNOTES_HEADING}\n"
    body, sep, notes = text.partition(marker)
    raw = [line.strip() for line in body.replace("\f", "\n").split("\n")]
    lines = [line for line in raw if line]
    if not lines:
        return text.strip()
    lengths = sorted(len(line) for line in lines if not _DECORATION.match(line))
    width = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    # pypdf puts a blank line after every line (seeds 000-002), so there a blank line means
    # nothing; where blank lines are sparse (antiword, pdftotext) they end paragraphs.
    after_blank = sum(1 for a, b in zip(raw, raw[1:], strict=False) if a and not b)
    blank_breaks = after_blank < 0.5 * len(lines)
    paragraphs: list[str] = []
    last = ""  # the previous physical line: its length says whether it was full
    gap = False
    for line in raw:
        if not line:
            gap = True
            continue
        if _DECORATION.match(line):  # "-----" under the title: a break, not text
            last = ""
            continue
        broken = blank_breaks and gap and not _CONTINUES.match(line)
        if last and not broken and _joins(last, line, width):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        last, gap = line, False
    out = "\n".join(re.sub(r" {2,}", " ", p) for p in paragraphs)
    if sep:
        out += f"\n\n{FOOTNOTES_HEADING}\n" + notes.strip()
    return out
