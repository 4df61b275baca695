"""Fusion families of bench/fusion.py: a fusion function (query/fuse.py), the lexical leg's
input (the query as typed or its content words), and whether the dense leg's weight is one
for all queries or one per query shape (query/analyze.py), each chosen on training queries.

A query is scored as ``search`` scores it: the first 100 fused candidates, near-identical
passages collapsed into the hit before them (rapidfuzz ratio at ``duplicate_similarity``),
the first ten hits kept; MRR@10 and Recall@10 of the hits against the relevant passages.
"""

from __future__ import annotations

import itertools

from rapidfuzz import fuzz, process

from core import settings
from query.fuse import Fusion, fuse

WINDOW = 100
_SHAPE_MIN = 6  # fewer training queries of a shape than this: the shape takes the global weight
_CONVEX = tuple(round(0.05 * i, 2) for i in range(0, 21))
_RRF = tuple(Fusion("rrf", w, kl, kd) for kl, kd, w in itertools.product(
    (10, 30, 60), (10, 30, 60), (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)))
# name: (lexical input, candidate fusions, per shape)
FAMILIES = {
    "bm25": ("lexical", (Fusion("minmax", 0.0),), False),
    "dense": ("lexical", (Fusion("minmax", 1.0),), False),
    "rrf_today": ("lexical", (Fusion("rrf", 0.25, 30, 60),), False),
    "rrf": ("lexical", _RRF, False),
    "minmax": ("lexical", tuple(Fusion("minmax", a) for a in _CONVEX), False),
    "zscore": ("lexical", tuple(Fusion("zscore", a) for a in _CONVEX), False),
    "bm25_content": ("content", (Fusion("minmax", 0.0),), False),
    "rrf_content": ("content", _RRF, False),
    "minmax_content": ("content", tuple(Fusion("minmax", a) for a in _CONVEX), False),
    "zscore_content": ("content", tuple(Fusion("zscore", a) for a in _CONVEX), False),
    "minmax_content_shape": ("content", tuple(Fusion("minmax", a) for a in _CONVEX), True),
    "zscore_content_shape": ("content", tuple(Fusion("zscore", a) for a in _CONVEX), True),
}
_MEMO: dict[tuple, tuple[float, float]] = {}


def _hits(fused: list[tuple[int, float]], keys: dict[int, str]) -> list[set[int]]:
    cutoff = float(settings.get("duplicate_similarity")) * 100
    hits: list[set[int]] = []
    seen: list[str] = []
    for rowid, _score in fused[:WINDOW]:
        twin = process.extractOne(keys[rowid], seen, scorer=fuzz.ratio, score_cutoff=cutoff)
        if twin is not None:
            hits[twin[2]].add(rowid)
        elif len(hits) < 10:
            seen.append(keys[rowid])
            hits.append({rowid})
    return hits


def _one(source: str, fusion: Fusion, entry: dict) -> tuple[float, float]:
    key = (source, fusion, entry["set"], entry["qid"])
    if key not in _MEMO:
        hits = _hits(fuse(entry[source], entry["dense"], fusion), entry["keys"])
        first = next((i for i, h in enumerate(hits) if h & entry["relevant"]), None)
        _MEMO[key] = (0.0, 0.0) if first is None else (1.0 / (first + 1), 1.0)
    return _MEMO[key]


def _shape(entry: dict) -> str:
    return "numbers" if entry["numbers"] else entry["shape"]


def mrr_and_recall(family: str, params, entry: dict) -> tuple[float, float]:
    """MRR@10 and Recall@10 of one query under ``family`` with chosen ``params``."""
    source, _grid, per_shape = FAMILIES[family]
    fusion = params.get(_shape(entry), params["*"]) if per_shape else params
    return _one(source, fusion, entry)


def _best(source: str, grid, entries: list[dict]) -> Fusion:
    """The fusion of ``grid`` with the best mean MRR@10 (then Recall@10) on ``entries``."""
    def total(fusion):
        rows = [_one(source, fusion, e) for e in entries]
        return (sum(r[0] for r in rows), sum(r[1] for r in rows))
    return max(grid, key=total)


def choose(family: str, entries: list[dict]):
    """The parameters of ``family`` chosen on ``entries``: a Fusion, or for a per-shape
    family {shape: Fusion, "*": the global one}."""
    source, grid, per_shape = FAMILIES[family]
    best = _best(source, grid, entries)
    if not per_shape:
        return best
    params = {"*": best}
    for shape in sorted({_shape(e) for e in entries}):
        members = [e for e in entries if _shape(e) == shape]
        if len(members) >= _SHAPE_MIN:
            params[shape] = _best(source, grid, members)
    return params
