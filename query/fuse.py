"""Fusion of the two legs' ranked candidates into one order.

Three functions, compared on both labelled sets by ``bench/fusion.py``: weighted reciprocal
rank (ranks only), and convex combinations of scores normalised per query, by min-max or by
z-score (Bruch et al. 2023, "An Analysis of Fusion Functions for Hybrid Retrieval"). A
convex combination keeps how far apart a leg's candidates are, which ranks throw away: a
dense leg sure of one passage can outvote a lexical leg that is not sure of any.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHODS = ("rrf", "minmax", "zscore")


@dataclass(frozen=True)
class Fusion:
    """How one query's legs are fused: the method and the dense leg's share."""

    method: str  # one of METHODS
    dense: float  # convex: the dense leg's weight in [0, 1]; rrf: its weight, lexical's is 1
    k_lexical: int = 30  # rrf's rank constants
    k_dense: int = 60


def _normalised(scores: np.ndarray, method: str) -> tuple[np.ndarray, float]:
    """The scores normalised, and the value a candidate the leg did not return gets: the
    leg's lowest, since it ranked below all of them."""
    if method == "minmax":
        low, span = scores.min(), scores.max() - scores.min()
        out = (scores - low) / span if span > 0 else np.ones_like(scores)
        return out, 0.0
    spread = scores.std()
    out = (scores - scores.mean()) / spread if spread > 0 else np.zeros_like(scores)
    return out, float(out.min())


def _rrf(legs: list[tuple[list[int], float, int]]) -> dict[int, float]:
    scores: dict[int, float] = {}
    for ranked, weight, constant in legs:
        for rank, rowid in enumerate(ranked):
            scores[rowid] = scores.get(rowid, 0.0) + weight / (constant + rank + 1)
    return scores


def fuse(lexical: list[tuple[int, float]], dense: list[tuple[int, float]],
         fusion: Fusion) -> list[tuple[int, float]]:
    """(row id, fused score) of every candidate of either leg, best first. Each leg is a
    list of (row id, score), best first; either may be empty."""
    if fusion.method == "rrf":
        scores = _rrf([([r for r, _s in lexical], 1.0, fusion.k_lexical),
                       ([r for r, _s in dense], fusion.dense, fusion.k_dense)])
        return sorted(scores.items(), key=lambda item: -item[1])
    if not dense:
        return list(lexical)
    if not lexical:
        return list(dense)
    combined: dict[int, float] = {}
    for leg, weight in ((lexical, 1.0 - fusion.dense), (dense, fusion.dense)):
        values, missing = _normalised(np.array([s for _r, s in leg], dtype="float64"),
                                      fusion.method)
        for rowid, value in zip((r for r, _s in leg), values.tolist(), strict=True):
            combined[rowid] = combined.get(rowid, 0.0) + weight * (value - missing)
    return sorted(combined.items(), key=lambda item: -item[1])
