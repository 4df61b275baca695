"""Hybrid search: the lexical leg (BM25) and the dense leg (FAISS), fused by normalised
scores with the dense leg's weight set by the query's shape (``query/fuse.py``,
``query/analyze.py``), filtered by document facts, with near-identical passages collapsed.

A single search is a batch of one for the encoder. The dense leg never depends on the
lexical one matching: each leg ranks its own candidates.
"""

from __future__ import annotations

import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from rapidfuzz import fuzz, process

from core import settings
from core.results import Hit
from core.tones import fold
from query.analyze import QueryShape, analyze
from query.filters import NONE, Filters
from query.fuse import Fusion, fuse
from query.lexical import search_lexical
from query.restore import restore_diacritics
from store.store import PassageRow, Store, snapshot

_WORD = re.compile(r"[^\W_]+")
CANDIDATES = 200  # per leg, before fusion and duplicate collapse
_DUPLICATE_WINDOW = 100  # fused candidates searched for copies of the hits
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vankien-encode")


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


def _fetch(store: Store, ids: list[int], where: str, params: list,
           into: dict[int, tuple[PassageRow, str]]) -> None:
    """Add the rows of ``ids`` not yet in ``into`` (those the filters allow), each with its
    duplicate key."""
    ids = [rowid for rowid in ids if rowid not in into]
    if ids:
        for rowid, row in store.passage_rows(ids, where, params).items():
            into[rowid] = (row, _key(row.text))


def _dense_leg(store: Store, query: str):
    """The query's embedding, under way in a thread; None without an encoder or vectors.

    e5 reads text without diacritics as another language (FINDINGS.md: MRR 0.02), so it
    reads the query with the corpus's own diacritics put back. The encoder runs in a thread
    while SQLite ranks the lexical leg: both release the GIL, and the query is answered in
    about the longer of the two, not their sum."""
    if store.encoder is None or store.dense() is None:
        return None
    return _POOL.submit(store.encoder.queries, [restore_diacritics(store, query)])


def _collapse(window: list[tuple[int, float]], rows: dict[int, tuple[PassageRow, str]],
              query: str, k: int) -> list[Hit]:
    """The first ``k`` hits of the fused ``window``, copies of a hit listed in it."""
    marker = _marker(query)
    hits: list[Hit] = []
    keys: list[str] = []
    cutoff = float(settings.get("duplicate_similarity")) * 100
    for rowid, score in window:
        if rowid not in rows:
            continue  # filtered out
        row, key = rows[rowid]
        twin = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if twin is not None:  # boilerplate copied from plan to plan: one hit, listed
            first = hits[twin[2]]
            hits[twin[2]] = Hit(**{**first.__dict__,
                                   "duplicates": (*first.duplicates, row.passage_id)})
            continue
        if len(hits) == k:
            continue
        keys.append(key)
        hits.append(Hit(**row.found(), score=round(score, 6), marks=_marks(row.text, marker)))
    return hits


def fusion_for(shape: QueryShape) -> Fusion:
    """The fusion a query of this shape gets (settings ``fusion``, ``fusion_dense_weight``
    and ``fusion_dense_by_shape``; a query naming a document number counts as "numbers")."""
    weight = float(settings.get("fusion_dense_weight"))
    by_shape = dict(item.split("=") for item in str(settings.get("fusion_dense_by_shape")).split())
    key = "numbers" if shape.numbers else shape.shape
    return Fusion(str(settings.get("fusion")), float(by_shape.get(key, weight)),
                  int(settings.get("fusion_k_lexical")), int(settings.get("fusion_k_dense")))


@snapshot
def search(store: Store, query: str, *, k: int = 10, filters: Filters = NONE
           ) -> list[Hit]:
    """The ``k`` best passages for ``query``; the dense leg runs when the store has an
    encoder and vectors. Filters apply inside each leg, so a narrow filter still gets its
    best passages. Both legs read the query as typed: ranking the lexical leg on its content
    words alone (``QueryShape.content``) lost more on multiple-choice questions than it won
    on requests (bench/fusion.py, README "Search quality")."""
    where, params = filters.sql()
    within = filters.within()
    shape = analyze(query)
    embedding = _dense_leg(store, query)
    lexical = search_lexical(store, query, CANDIDATES, within=within)
    window_size = max(5 * k, _DUPLICATE_WINDOW)
    rows: dict[int, tuple[PassageRow, str]] = {}
    # The lexical leg's first candidates are fetched and keyed while the encoder is still
    # running, which leaves only the dense leg's own candidates for after (bench/search.py).
    _fetch(store, [rowid for rowid, _s in lexical[:window_size]], where, params, rows)
    nearest: list[tuple[int, float]] = []
    if embedding is not None:
        allowed = None if within is None else store.passage_ids(where, params)
        nearest = store.dense().search(embedding.result(), CANDIDATES, allowed=allowed)[0]
    # Copies of a passage rank next to each other (same words, same vector), so duplicates
    # are looked for among the first candidates only: fetching and comparing all 400 cost
    # more than the query's embedding (bench/search.py).
    window = fuse(lexical, nearest, fusion_for(shape))[:window_size]
    _fetch(store, [rowid for rowid, _s in window], where, params, rows)
    return _collapse(window, rows, query, k)
