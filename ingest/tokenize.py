"""Lexical tokens of a passage: underthesea word segmentation, document numbers kept whole.

underthesea splits ``01-KL/TW`` into ``01 - KL / TW`` (FINDINGS.md), which would make a search
for the number match every "01" and "TW"; so numbers are cut out first, tokenised as one term,
and the text between them is segmented. Tokens are lower-case with one tone-mark placement
(``ingest/tones.py``) and multi-syllable words joined by ``_`` (``kế_hoạch``).
"""

from __future__ import annotations

import re

# Importing core sets HF_HUB_OFFLINE before underthesea loads: its models ship in the wheel.
from core.tones import normalize_tones

# Party "01-KL/TW", "11-QĐi/TW", "04-CTr/TU"; state "146/2025/NĐ-CP", "27/CT-TTg", "69/2025/QH15".
DOCUMENT_NUMBER = re.compile(
    r"(?<![\w/])(?:\d{1,5}-[A-ZĐ][A-Za-zĐđ]{0,4}/[A-ZĐ][A-ZĐ0-9]{0,9}"
    r"|\d{1,5}(?:/\d{4})?/[A-ZĐ][A-ZĐa-z0-9]{0,9}(?:-[A-ZĐ][A-ZĐa-z0-9]{0,11})*)(?![\w/])"
)
_PUNCT_ONLY = re.compile(r"^[\W_]+$")


def _segment(text: str) -> list[str]:
    from underthesea import word_tokenize  # imported lazily: loading takes ~2 s

    return word_tokenize(text)


def tokenize(text: str) -> tuple[str, ...]:
    """Index tokens of ``text``.

    >>> tokenize("Thực hiện Kết luận số 01-KL/TW của Đảng uỷ")
    ('thực_hiện', 'kết_luận', 'số', '01-kl/tw', 'của', 'đảng', 'ủy')
    """
    tokens: list[str] = []
    cursor = 0
    pieces: list[tuple[str, bool]] = []
    for match in DOCUMENT_NUMBER.finditer(text):
        pieces.append((text[cursor : match.start()], False))
        pieces.append((match.group(0), True))
        cursor = match.end()
    pieces.append((text[cursor:], False))
    for piece, is_number in pieces:
        if is_number:
            tokens.append(piece.lower())
            continue
        if not piece.strip():
            continue
        for word in _segment(piece):
            word = word.strip(".,;:!?…\"“”'()[]")
            if word and not _PUNCT_ONLY.match(word):
                tokens.append(normalize_tones(word.lower()).replace(" ", "_"))
    return tuple(tokens)
