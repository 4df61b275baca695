"""Small stand-ins the plumbing tests pass where the real thing is slow or absent."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

DIM = 16


def fake_encode(texts: Sequence[str]) -> np.ndarray:
    """A deterministic stand-in for e5: a hashed bag of syllables, L2-normalised."""
    out = np.zeros((len(texts), DIM), dtype="float32")
    for row, text in enumerate(texts):
        for word in text.lower().split():
            out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


class FakeEncoder:
    """A ``core.encoding.TextEncoder`` over ``fake_encode``; ``seen`` records the texts each
    side was asked to encode, in order."""

    model_id = "fake"
    dimension = DIM

    def __init__(self) -> None:
        self.seen: dict[str, list[str]] = {"passages": [], "queries": []}

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.seen["passages"].extend(texts)
        return fake_encode(texts)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.seen["queries"].extend(texts)
        return fake_encode(texts)
