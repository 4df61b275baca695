"""Word shingles and their fingerprints: where has this wording been used before?

A passage's wording is the sequence of its words compared without case or tone marks (so
"uỷ"/"ủy" and text typed without diacritics still match) and without punctuation. A shingle
is a run of :data:`SHINGLE_WORDS` consecutive words, hashed to 48 bits (an SQLite integer
stored in 6 bytes). Storing every shingle of every passage would double the passage store,
so each passage keeps only its *winnowed* fingerprints (Schleimer, Wilkerson & Aiken 2003):
the smallest hash of every :data:`WINDOW` consecutive shingles. That keeps about 2/(WINDOW+1)
of them and still guarantees that any run of WINDOW + SHINGLE_WORDS - 1 words shared with a
query is found: the query side looks up all of its shingles.

The fingerprints live in the catalog's ``shingles`` table (index/catalog.py), written in the
same transaction as their passage.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from core.tones import fold

SHINGLE_WORDS = 4
WINDOW = 6  # any 9 shared consecutive words are found; ~29% of shingles are stored
_WORD = re.compile(r"[^\W_]+")
_BASE = np.uint64(1_000_003)


def folded_text(text: str) -> str:
    """``text`` without case or tone marks, each character where it was."""
    folded = fold(text)
    if len(folded) != len(text):  # a character folded to more or fewer: map one by one
        folded = "".join(fold(c) if len(fold(c)) == 1 else c for c in text)
    return folded


def words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The folded words of ``text`` and their character spans in it."""
    found = list(_WORD.finditer(folded_text(text)))
    return [m.group() for m in found], [m.span() for m in found]


def word_spans(folded: str) -> list[tuple[int, int]]:
    """The spans of the words of a :func:`folded_text`."""
    return [m.span() for m in _WORD.finditer(folded)]


def folded_words(folded: str) -> list[str]:
    """The words of a :func:`folded_text`."""
    return _WORD.findall(folded)


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    # blake2b, not hash(): fingerprints are stored, so they must not change between runs
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(folded_words: list[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """The 48-bit hash of every run of ``size`` words, in order (int64)."""
    if len(folded_words) < size:
        return np.zeros(0, dtype=np.int64)
    hashes = np.fromiter((_word_hash(w) for w in folded_words), dtype=np.uint64,
                         count=len(folded_words))
    combined = np.zeros(len(hashes) - size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for offset in range(size):
            combined = combined * _BASE + hashes[offset : offset + len(combined)]
    return (combined >> np.uint64(16)).astype(np.int64)


def fingerprints(text: str) -> list[int]:
    """The winnowed shingle hashes of ``text``, distinct, as stored for a passage."""
    hashes = shingle_hashes(words(text)[0])
    if len(hashes) <= WINDOW:
        return sorted(set(hashes.tolist()))
    windows = np.lib.stride_tricks.sliding_window_view(hashes, WINDOW)
    return sorted(set(windows.min(axis=1).tolist()))
