"""Cleaning: a list of named ``str -> str`` steps, each small and tested on its own.

Input is a reader's NFC text (pages separated by ``\\f``); output is the display text every
span points into: paragraphs one per line, body first, then footnotes under the
``FOOTNOTES_HEADING`` line. Tone-mark placement is left as the document wrote it (the index
normalises it separately, see ``ingest/tones.py``).

The rules come from the sample documents (``tests/data/seeds``): PDF text layers break lines
mid-sentence and put a blank line after every line, split document numbers (``224-\\n\\nKL/TU``),
start each page with a space, and leave footnotes in the body after a rule line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable

from core.records import FOOTNOTES_HEADING
from ingest.reflow import reflow

Step = Callable[[str], str]


def nfc(text: str) -> str:
    """Unicode NFC: decomposed tone marks (from Mac files, cp1258) become precomposed."""
    return unicodedata.normalize("NFC", text)


_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def normalize_whitespace(text: str) -> str:
    """Line ends to ``\\n``; no-break and other odd spaces to plain spaces; drop invisibles.

    Trailing spaces go, leading ones stay: a long indent still marks a centred page number.
    A line of ten or more spaces is how pypdf renders the rule above footnotes (seeds 000,
    001): it becomes ``__________`` so ``move_footnotes`` can see it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    text = re.sub(r"(?m)^ {10,}$", "_" * 10, text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")


def strip_emphasis_markup(text: str) -> str:
    """Drop Markdown emphasis left by DOCX-to-text converters (seed 004: ``**trước ngày …**``).

    A lone ``*`` (the decorative star under the issuer's name) is not emphasis and stays.
    """
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))


_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:[Tt]rang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?$")


def drop_page_numbers(text: str) -> str:
    """Remove page-number lines: at a page boundary (``\\f``) or deeply indented (centred).

    A bare ``1`` / ``2`` flush left is kept: it is a table row number (corpus: forms in
    Thông tư 23/2024/TT-BCT), not a page number.
    """
    pages = text.split("\f")
    out = []
    for page in pages:
        lines = page.split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(filled[:1] + filled[-1:])
        kept = [
            line
            for i, line in enumerate(lines)
            if not (
                _PAGE_NUMBER.match(line.strip())
                and (i in edges and len(pages) > 1 or len(line) - len(line.lstrip()) >= 8)
            )
        ]
        out.append("\n".join(kept))
    return "\f".join(out)


def drop_running_headers(text: str) -> str:
    """Remove a first or last line repeated on at least half the pages (three or more).

    Digits are ignored when comparing, so ``Trang 2 / Kế hoạch 152`` repeats across pages.
    """
    pages = text.split("\f")
    if len(pages) < 3:
        return text

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    edge_keys: Counter[str] = Counter()
    for page in pages:
        filled = [line for line in page.split("\n") if line.strip()]
        for line in {*(filled[:2]), *(filled[-2:])}:
            edge_keys[key(line)] += 1
    repeated = {k for k, n in edge_keys.items() if n >= max(3, len(pages) // 2) and len(k) > 3}
    if not repeated:
        return text
    out = []
    for page in pages:
        lines = page.split("\n")
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(filled[:2] + filled[-2:])
        out.append("\n".join(
            line for i, line in enumerate(lines) if not (i in edges and key(line) in repeated)
        ))
    return "\f".join(out)


_RULE_LINE = re.compile(r"^(?: {10,}|\s*[_─—-]{5,}\s*)$")
_NOTE_START = re.compile(
    r"^\s*(?:(\d{1,2})\s+(?=\S)|\((\d{1,2})\)\.?\s*(?=\S)|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*(?=\S))"
)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _note_number(match: re.Match[str]) -> int:
    return int((match.group(1) or match.group(2) or match.group(3)).translate(_FROM_SUPERSCRIPT))


def _take_rule_block(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """Footnotes after a rule line at ``lines[i]``: items and the index where the body resumes.

    The block ends at a page break, or at a line starting with one space that is not the next
    note (pypdf starts each page's text with a space: seed 000, " 1. Đảng ủy Sở Y tế …").
    """
    first = _NOTE_START.match(lines[i + 1]) if i + 1 < len(lines) else None
    if not first:
        return [], i
    items: list[list[str]] = [[lines[i + 1].strip()]]
    expected = _note_number(first) + 1
    j = i + 2
    while j < len(lines):
        line = lines[j]
        if "\f" in line:
            break
        if not line.strip():
            j += 1
            continue
        start = _NOTE_START.match(line)
        if start and _note_number(start) == expected:
            items.append([line.strip()])
            expected += 1
        elif line.startswith(" ") and not line.startswith("  "):
            break
        else:
            items[-1].append(line.strip())
        j += 1
    return items, j


def move_footnotes(text: str) -> str:
    """Move footnotes out of the body to the end, under ``FOOTNOTES_HEADING``.

    Two forms seen in the seeds: notes after a rule line at the foot of a page
    (``1 Các tác phẩm…``, ``(1). https://…``; seeds 000-002), and a paragraph starting with a
    superscript (``¹ Tổng kết 10 năm…``; seed 003). Each note becomes one line. A plain digit
    glued to a word in the body (``đơn vị1.``) is the note's marker and becomes superscript.
    """
    lines = text.replace("\f", "\n\f").split("\n")
    body: list[str] = []
    notes: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _RULE_LINE.match(line.replace("\f", "")):
            items, resume = _take_rule_block(lines, i)
            if items:
                notes.extend(" ".join(parts) for parts in items)
                i = resume
                continue
        elif re.match(r"^\s*[¹²³⁴⁵⁶⁷⁸⁹]", line):
            notes.append(line.strip())
            i += 1
            continue
        body.append(line)
        i += 1
    if not notes:
        return text
    body_text = "\n".join(body).replace("\n\f", "\f")
    for note in notes:
        start = _NOTE_START.match(note)
        if start and start.group(1):
            number = start.group(1)
            body_text = re.sub(
                rf"(?<=[^\W\d_]){number}(?=[\s.,;:)”\"]|$)",
                number.translate(_SUPERSCRIPT),
                body_text,
                count=1,
            )
    notes = [re.sub(r"\s{2,}", " ", note) for note in notes]
    return body_text.rstrip() + f"\n\n{FOOTNOTES_HEADING}\n" + "\n".join(notes)


_PARTY_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,5})\s*-\s*([A-ZĐ][A-Za-zĐđ]{0,4})\s*/\s*([A-ZĐ][A-ZĐ0-9]{0,9})(?![\w])"
)
_STATE_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z]{0,5})\s*-\s*([A-ZĐ][A-ZĐ0-9]{1,11})(?![\w])"
)


def repair_document_numbers(text: str) -> str:
    """Rejoin document numbers split by line breaks or spaces around the hyphen.

    ``224-\\n\\nKL/TU`` → ``224-KL/TU``, ``52- KH/ĐUK`` → ``52-KH/ĐUK`` (seed 000),
    ``Số 232 - KH/HU`` → ``Số 232-KH/HU`` (seed 003), ``1234/QĐ- UBND`` → ``1234/QĐ-UBND``.
    """
    text = _PARTY_NUMBER.sub(r"\1-\2/\3", text)
    return _STATE_NUMBER.sub(r"\1-\2", text)


def strip_star_prefix(text: str) -> str:
    """Drop the star glued before the place-date line (seed 000: ``* Lai Châu, ngày …``).

    Lines that are only rules or stars (``-----`` under the title) are left for ``reflow``,
    which reads them as paragraph breaks and drops them.
    """
    return re.sub(r"(?m)^(\s*)\*\s+(?=[^\n]{0,40},\s*ngày)", r"\1", text)


STEPS: tuple[tuple[str, Step], ...] = (
    ("nfc", nfc),
    ("normalize_whitespace", normalize_whitespace),
    ("strip_emphasis_markup", strip_emphasis_markup),
    ("drop_page_numbers", drop_page_numbers),
    ("drop_running_headers", drop_running_headers),
    ("move_footnotes", move_footnotes),
    ("strip_star_prefix", strip_star_prefix),
    ("repair_document_numbers", repair_document_numbers),
    ("reflow", reflow),
)


def clean(text: str) -> str:
    """Run every step in order.

    >>> clean("Kết luận số 224-\\n\\nKL/TU của\\n\\nTỉnh ủy.")
    'Kết luận số 224-KL/TU của Tỉnh ủy.'
    """
    for _name, step in STEPS:
        text = step(text)
    return text
