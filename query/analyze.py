"""What a query is shaped like, and the words of it that carry content.

A question's scaffolding ("… là gì?", "… đúng hay sai?", "Hãy liệt kê …", the letters of
multiple-choice options) is rarely in the passage that answers it: to BM25 those words are
noise that can match other passages ("sai" in "sai phạm", "đúng" in "đúng quy định"). The
lexical leg ranks on ``content``; the dense leg reads the query as typed (e5 was trained on
questions). The shape also picks the fusion's weights (``query/fuse.py``): the two legs are
not equally good on every shape (tests/data/qrels.md, qrels2.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.citations import extract_citations
from store.fts import has_diacritics

SHAPES = ("choice", "truefalse", "question", "request", "long", "plain")

# Two or more options "A." / "B)" each after a space or the start: a multiple-choice question.
_OPTION = re.compile(r"(?:^|\s)([A-D])[.)]\s")
_TRUEFALSE = re.compile(r"\b(?:đúng\s+hay\s+sai|đúng\s+hay\s+không|có\s+đúng\s+không|"
                        r"đúng\s+không|phải\s+không)\b\s*\??", re.IGNORECASE)
# Interrogatives and request verbs, longest first so "như thế nào" goes before "nào".
_ASKING = ("như thế nào", "thế nào", "ra sao", "là gì", "là ai", "bao nhiêu", "bao giờ",
           "bao lâu", "khi nào", "lúc nào", "ở đâu", "vì sao", "tại sao", "có phải", "hay không",
           "những gì", "những ai", "gì", "nào", "ai", "mấy", "đâu")
_REQUEST = ("cho tôi biết", "cho biết", "hãy", "liệt kê", "tóm tắt", "trình bày", "nêu rõ",
            "nêu", "giải thích", "tìm", "chọn đáp án đúng", "chọn phương án đúng",
            "đáp án nào đúng", "phương án nào đúng")
_WORDS = re.compile(r"[^\W_]+")


def _phrases(words: tuple[str, ...]) -> re.Pattern:
    alternatives = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                                   for w in alternatives) + r")(?![^\W_])",
                      re.IGNORECASE)


_ASKING_RE = _phrases(_ASKING)
_REQUEST_START = re.compile(r"^\s*(?:" + _phrases(_REQUEST).pattern + r")", re.IGNORECASE)
_REQUEST_RE = _phrases(_REQUEST)


@dataclass(frozen=True)
class QueryShape:
    """A query's shape and its content words (for the lexical leg)."""

    text: str  # as typed
    content: str  # scaffolding removed; the text itself when nothing would be left
    shape: str  # one of SHAPES
    numbers: bool  # names a document by its number ("01-KL/TW", "Luật 69/2025/QH15")
    folded: bool  # typed without diacritics


def _shape(text: str, folded: bool) -> str:
    if len(_OPTION.findall(text)) >= 2:
        return "choice"
    if folded:  # scaffolding is recognised in its written form only
        return "long" if len(_WORDS.findall(text)) >= 30 else "plain"
    if _TRUEFALSE.search(text):
        return "truefalse"
    if text.rstrip().endswith("?") or _ASKING_RE.search(text):
        return "question" if len(_WORDS.findall(text)) < 30 else "long"
    if _REQUEST_START.search(text):
        return "request"
    return "long" if len(_WORDS.findall(text)) >= 30 else "plain"


def _content(text: str, shape: str) -> str:
    if shape in ("plain", "long"):
        return text
    stripped = _OPTION.sub(" ", text) if shape == "choice" else text
    stripped = _TRUEFALSE.sub(" ", stripped)
    stripped = _REQUEST_RE.sub(" ", _ASKING_RE.sub(" ", stripped))
    stripped = re.sub(r"\s+", " ", stripped.replace("?", " ")).strip(" ,.:;")
    return stripped if _WORDS.search(stripped) else text


def analyze(text: str) -> QueryShape:
    """The shape of ``text`` and its content words."""
    folded = not has_diacritics(text)
    shape = _shape(text, folded)
    numbers = any(c.kind in ("party", "state", "short") for c in extract_citations("query", text))
    return QueryShape(text=text, content=_content(text, shape), shape=shape, numbers=numbers,
                      folded=folded)
