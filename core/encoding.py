"""What an embedding model looks like to the rest of the code, written once.

``models/encoder.py`` is the real one; plumbing tests pass a small fake with the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, dim) float32, L2-normalised


class TextEncoder(Protocol):
    """Encodes passages and queries (e5 reads them with different prompts). ``model_id``
    names the weights, for the vector index's manifest."""

    model_id: str
    dimension: int

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...
