"""BM25 ranking with precomputed scores (``bm25s``), for speed at scale.

FTS5 computes BM25 for every row that matches any query term: with ~30 terms per query that
took 32 ms at 19,500 passages and 1.8 s at 1M (bench/search.py). ``bm25s`` stores each
term's BM25 weight per passage in a sparse matrix, so a query sums a few columns: 0.1 ms at
corpus size, ~6 ms at 1M. FTS5 stays the store (transactional with each document) and still
answers quoted phrases; this index is derived from it after every ingest, like the citation
index, and saved under ``<data>/bm25/`` (the folder ``store/store.py`` names).

Two models mirror FTS5's columns and weights: one over words (counted twice, as FTS5 weighs
that column 2.0), syllables and context; one over the folded columns, for queries typed
without diacritics. FTS5's own bm25 sums weighted term frequencies over the row's columns with
one row length, which is this same bag-of-tokens model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import IndexDamagedError
from core.folders import current, staging, swap_in
from store.catalog import passage_changes

_K1, _B = 1.2, 0.75  # FTS5's bm25 constants and (below) its IDF: a term in most rows weighs 0
# The FTS5 columns each model reads: words twice, as FTS5 weighs that column 2.0.
_COLUMNS = {"accented": "words, words, syl, context", "folded": "folded, context_folded"}
_MODELS = tuple(_COLUMNS)


@dataclass(frozen=True)
class Bm25Index:
    """The two models, the passage rowid of each model row, and the catalog state they
    were built from."""

    models: dict
    rowids: np.ndarray
    state: tuple[int, ...]


def _bm25s():
    import logging

    import bm25s  # imported on use: only search and ingest need it

    # bm25s sets its own logger to DEBUG ("Building index from IDs objects" on every build)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _state(db) -> tuple[int, ...]:
    """The catalog's passage change counter: O(1) to read per query."""
    return (passage_changes(db),)


def rebuild(db, target: Path) -> int:
    """Recompute both models from the lexical index and save them in the folder ``target``;
    the passages indexed."""
    bm25s = _bm25s()

    state = _state(db)
    built = staging(target)
    # One model at a time, rows streamed and turned into vocabulary ids at once: holding every
    # row's token strings ran a 1M-passage rebuild out of 24 GB (bench/search.py).
    for name, columns in _COLUMNS.items():
        vocab: dict[str, int] = {}
        ids: list[list[int]] = []
        rowids: list[int] = []
        for rowid, *values in db.execute(
                f"SELECT rowid, {columns} FROM passages_fts ORDER BY rowid"):
            rowids.append(rowid)
            ids.append([vocab.setdefault(token, len(vocab))
                        for value in values for token in value.split()])
        if not vocab:  # an empty catalog still gets a (trivial) model
            vocab, ids = {"": 0}, [[0]]
        model = bm25s.BM25(k1=_K1, b=_B, method="robertson")
        model.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
        del ids
        model.save(str(built / name), show_progress=False)
        del model
    np.save(built / "rowids.npy", np.array(rowids, dtype="int64"))
    (built / "state.json").write_text(json.dumps(list(state)), encoding="utf-8")
    swap_in(built, target)
    _CACHE.pop(str(target), None)
    return len(rowids)


_CACHE: dict[str, Bm25Index] = {}


def load(db, directory: Path) -> Bm25Index | None:
    """The models saved in ``directory`` if they match the catalog as it is now, else None
    (the caller ranks with FTS5: slower, never stale). Loaded once per process,
    memory-mapped. Raises ``IndexDamagedError`` for files that do not load: the caller
    ranks with FTS5 and the next ingest rebuilds them."""
    bm25s = _bm25s()

    state = _state(db)
    cached = _CACHE.get(str(directory))
    if cached is not None and cached.state == state:
        return cached
    found = current(directory)  # a writer killed mid-swap left the previous version aside
    try:
        saved = tuple(json.loads((found / "state.json").read_text(encoding="utf-8")))
    except OSError:
        return None
    except ValueError as error:
        raise IndexDamagedError(found, f"state.json: {error}") from error
    if saved != state:
        return None
    try:
        models = {name: bm25s.BM25.load(str(found / name), mmap=True, show_progress=False)
                  for name in _MODELS}
        rowids = np.load(found / "rowids.npy")
    except Exception as error:  # bm25s/numpy raise anything from garbage: all mean damaged
        raise IndexDamagedError(found, f"{type(error).__name__}: {error}") from error
    if any(model.scores["num_docs"] != len(rowids) for model in models.values()):
        raise IndexDamagedError(found, "số đoạn của mô hình BM25 khác rowids.npy")
    index = Bm25Index(models, rowids, state)
    _CACHE[str(directory)] = index
    return index


def rank(index: Bm25Index, terms: list[str], *, folded: bool, k: int,
         allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(passage rowid, score) of the ``k`` best passages holding any of ``terms``;
    ``allowed`` (sorted rowids) restricts them."""
    model = index.models["folded" if folded else "accented"]
    known = [t for t in dict.fromkeys(terms) if t in model.vocab_dict]
    if not known:
        return []
    # A term in half the passages or more has an IDF of zero (clamped, as FTS5 does): it
    # adds nothing to any score, yet "của", "và", "quy định" hold three quarters of the
    # postings a query reads at 1M passages (bench/search.py). Skipped.
    indptr, half = model.scores["indptr"], model.scores["num_docs"] / 2
    known = [t for t in known if indptr[model.vocab_dict[t] + 1]
             - indptr[model.vocab_dict[t]] < half]
    if not known:
        return []
    scores = model.get_scores(known)
    if allowed is not None:
        scores = np.where(np.isin(index.rowids, allowed), scores, 0.0)
    matched = np.flatnonzero(scores > 0)
    if len(matched) > k:
        matched = matched[np.argpartition(-scores[matched], k - 1)[:k]]
    order = matched[np.argsort(-scores[matched], kind="stable")]
    return [(int(index.rowids[i]), float(scores[i])) for i in order]
