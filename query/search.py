"""Hybrid search: the lexical leg (FTS5 BM25) and the dense leg (FAISS), fused by weighted
reciprocal rank, filtered by document facts, with near-identical passages collapsed.

A single search is a batch of one for the encoder. The dense leg never depends on the
lexical one matching: each leg ranks its own candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from core import settings
from core.records import Hit
from core.tones import fold
from query.lexical import search_lexical
from query.restore import restore_diacritics
from store.dense import DenseIndex

_WORD = re.compile(r"[^\W_]+")
Encoder = Callable[[Sequence[str]], np.ndarray]
CANDIDATES = 200  # per leg, before fusion and duplicate collapse
_DUPLICATE_WINDOW = 100  # fused candidates searched for copies of the hits
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vankien-encode")


@dataclass(frozen=True)
class Filters:
    doc_type: str = ""
    issuer: str = ""
    level: str = ""
    province: str = ""
    year_from: int | None = None
    year_to: int | None = None
    # Documents allowed, e.g. those citing a reference (``query.cites.cites``); None: all.
    doc_ids: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        return self != Filters()

    def sql(self) -> tuple[str, list]:
        """A WHERE fragment on ``documents d`` and its parameters."""
        parts, params = [], []
        if self.doc_ids is not None:
            parts.append(f"d.doc_id IN ({','.join('?' * len(self.doc_ids))})")
            params += sorted(self.doc_ids)
        # compared without case or tone marks ("ke hoach" is "Kế hoạch"); ``fold`` is the
        # SQL function the catalog registers
        for column, value in (("doc_type", self.doc_type), ("level", self.level),
                              ("province", self.province)):
            if value:
                value = fold(value.strip())
                parts.append(f"fold(json_extract(d.metadata, '$.{column}')) = ?")
                params.append("tw" if column == "level" and value == "trung uong" else value)
        if self.issuer:
            parts.append("instr(fold(d.issuer), ?) > 0")
            params.append(fold(self.issuer.strip()))
        if self.year_from is not None:
            parts.append("d.date != '' AND CAST(substr(d.date, 1, 4) AS INTEGER) >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            parts.append("d.date != '' AND CAST(substr(d.date, 1, 4) AS INTEGER) <= ?")
            params.append(self.year_to)
        return " AND ".join(parts) or "1", params


def _fuse(legs: list[tuple[list[int], float, int]]) -> list[tuple[int, float]]:
    """Weighted reciprocal-rank fusion of ranked id lists, each with its rank constant."""
    scores: dict[int, float] = {}
    for ranked, weight, constant in legs:
        for rank, rowid in enumerate(ranked):
            scores[rowid] = scores.get(rowid, 0.0) + weight / (constant + rank + 1)
    return sorted(scores.items(), key=lambda item: -item[1])


def _marker(query: str) -> re.Pattern | None:
    """A pattern finding, in tone-folded text, the whole words the query has (of two
    letters or more). One C-level scan per passage: splitting each passage into words in
    Python cost a millisecond per search (bench/search.py)."""
    wanted = sorted({fold(w) for w in _WORD.findall(query) if len(w) > 1}, key=len, reverse=True)
    if not wanted:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, wanted)) + r")(?![^\W_])")


def _marks(text: str, marker: re.Pattern | None) -> tuple[tuple[int, int], ...]:
    """Spans of the passage's words the query has, compared without tone marks so a query
    typed without diacritics marks the words it matched."""
    if marker is None:
        return ()
    folded = fold(text)  # once for the whole passage: folding keeps NFC text's offsets
    if len(folded) != len(text):
        folded = "".join(fold(c) or c for c in text)
    return tuple(match.span() for match in marker.finditer(folded))


_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """What near-duplicates share: the letters without case or marks. Letters outside
    Vietnamese's (footnote markers ¹, Cyrillic) are dropped, which a comparison of copies
    does not miss. Cached by text: a user refining a query meets the same passages again."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return _NOT_LETTERS.sub(" ", text.encode("ascii", "ignore").decode("ascii")).strip()


_ROW_SQL = ("SELECT p.id, p.doc_id, p.ordinal, p.start, p.end, p.text, p.heading, d.source,"
            " d.number, d.date, d.issuer FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
            " WHERE p.id IN ({marks}) AND {where}")


def _fetch(db, ids: list[int], where: str, params: list, into: dict[int, tuple]) -> None:
    """Add the rows of ``ids`` not yet in ``into`` (those the filters allow), each with its
    duplicate key appended."""
    ids = [rowid for rowid in ids if rowid not in into]
    if ids:
        for row in db.execute(_ROW_SQL.format(marks=",".join("?" * len(ids)), where=where),
                              [*ids, *params]):
            into[row[0]] = (*row, _key(row[5]))


def search(db, query: str, *, k: int = 10, encoder: Encoder | None = None,
           dense: DenseIndex | None = None, filters: Filters = Filters()) -> list[Hit]:
    """The ``k`` best passages for ``query``; the dense leg runs when an encoder is given.
    Filters apply inside each leg, so a narrow filter still gets its best passages."""
    where, params = filters.sql()
    within = (f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
              f" WHERE {where}", params) if filters.active else None
    embedding = None
    if encoder is not None and dense is not None:
        # e5 reads text without diacritics as another language (FINDINGS.md: MRR 0.02), so
        # it reads the query with the corpus's own diacritics put back. The encoder runs
        # in a thread while SQLite ranks the lexical leg here: both release the GIL, and
        # the query is answered in about the longer of the two, not their sum.
        embedding = _POOL.submit(encoder, [restore_diacritics(db, query)])
    lexical = [rowid for rowid, _s in search_lexical(db, query, CANDIDATES, within=within)]
    window_size = max(5 * k, _DUPLICATE_WINDOW)
    rows: dict[int, tuple] = {}
    # The lexical leg decides most of the fused order (it weighs four times the dense
    # leg): its first candidates are fetched and keyed while the encoder is still running,
    # which leaves only the dense leg's own candidates for after (bench/search.py).
    _fetch(db, lexical[:window_size], where, params, rows)
    legs = [(lexical, float(settings.get("fusion_weight_lexical")),
             int(settings.get("fusion_k_lexical")))]
    if embedding is not None:
        allowed = None if within is None else [r for (r,) in db.execute(*within)]
        nearest = dense.search(embedding.result(), CANDIDATES, allowed=allowed)[0]
        legs.append(([rowid for rowid, _s in nearest], float(settings.get("fusion_weight_dense")),
                     int(settings.get("fusion_k_dense"))))
    fused = _fuse(legs)
    if not fused:
        return []
    # Copies of a passage rank next to each other (same words, same vector), so duplicates
    # are looked for among the first candidates only: fetching and comparing all 400 cost
    # more than the query's embedding (bench/search.py).
    window = fused[:window_size]
    _fetch(db, [rowid for rowid, _s in window], where, params, rows)
    marker = _marker(query)
    hits: list[Hit] = []
    keys: list[str] = []
    cutoff = float(settings.get("duplicate_similarity")) * 100
    for rowid, score in window:
        row = rows.get(rowid)
        if row is None:
            continue  # filtered out
        _id, doc_id, ordinal, start, end, text, heading, source, number, date, issuer, key = row
        twin = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if twin is not None:  # boilerplate copied from plan to plan: one hit, listed
            first = hits[twin[2]]
            hits[twin[2]] = Hit(**{**first.__dict__,
                                   "duplicates": (*first.duplicates, f"{doc_id}:{ordinal}")})
            continue
        if len(hits) == k:
            continue
        keys.append(key)
        hits.append(Hit(doc_id, f"{doc_id}:{ordinal}", start, end, text, heading,
                        round(score, 6), source, number, date, issuer, _marks(text, marker)))
    return hits
