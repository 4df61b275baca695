"""The sentence encoder on onnxruntime: the int8 export of ``models/onnx_export.py``.

Same contract as ``models/encoder.Encoder`` (L2-normalised float32 vectors, the folder's
``passage: `` / ``query: `` prompts, truncation at the model's max sequence length, mean
pooling over the attention mask), without torch: about 2x the passages per second on
2 cores, vectors within cosine ~0.997 of torch fp32 (bench/encoder.py). Those vectors are
not the fp32 ones, so ``model_id`` carries ``:onnx-int8`` and an index never mixes the two.

>>> encoder = OnnxEncoder()  # doctest: +SKIP
>>> encoder.queries(["Nghị quyết 57-NQ/TW"]).shape  # doctest: +SKIP
(1, 384)
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.encoder import ModelMissingError, model_path, weights_digest
from models.onnx_export import export_problem, onnx_file

VARIANT = "onnx-int8"
_FIX = "chạy `make setup` hoặc `.venv/bin/python -m models.onnx_export`"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def max_seq_length(folder: Path) -> int:
    """Tokens a text is cut to, as sentence-transformers reads it: sentence_bert_config.json,
    else the tokenizer's ``model_max_length``, else the model's position count."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"),
                      ("tokenizer_config.json", "model_max_length"),
                      ("config.json", "max_position_embeddings")):
        value = _read_json(folder / name).get(key)
        if isinstance(value, int) and 0 < value < 1_000_000:  # HF writes 1e30 for "none"
            return value
    return 512


def _threads() -> int:
    """The cores this process may run on (a container or taskset may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OnnxEncoder:
    """Encode passages and queries to L2-normalised float32 vectors with the int8 ONNX
    export of the folder ``path`` (default: the ``model`` setting). Raises
    :class:`ModelMissingError` when the export is missing, stale or does not load."""

    def __init__(self, path: str | Path | None = None, *, batch_size: int = 32):
        self.path = Path(path) if path else model_path()
        self.batch_size = batch_size
        self.notice: str | None = None
        problem = export_problem(self.path)
        if problem is not None:
            raise ModelMissingError(f"{problem}; {_FIX}")
        import onnxruntime  # slow import: on use only
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1  # one graph at a time: no parallel branches to run
        try:
            self.session = onnxruntime.InferenceSession(
                str(onnx_file(self.path)), options, providers=["CPUExecutionProvider"])
            self.tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        except Exception as error:  # onnxruntime raises its own untyped errors on a bad file
            raise ModelMissingError(f"{onnx_file(self.path)}: không nạp được bộ mã hóa ONNX "
                                    f"int8 ({error}); {_FIX}") from error
        self.tokenizer.no_padding()  # padded per batch below, to the batch's longest text
        self.tokenizer.enable_truncation(max_seq_length(self.path))
        self.inputs = {i.name for i in self.session.get_inputs()}
        pad = _read_json(self.path / "tokenizer_config.json").get("pad_token", "<pad>")
        pad_id = self.tokenizer.token_to_id(pad) if isinstance(pad, str) else None
        self.pad_id = 0 if pad_id is None else pad_id
        prompts = _read_json(self.path / "config_sentence_transformers.json").get("prompts")
        self.prompts: dict[str, str] = prompts if isinstance(prompts, dict) else {}
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.model_id = f"{self.path.name}:{weights_digest(self.path)[:12]}:{VARIANT}"

    def _batch(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        input_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, : len(tokens)] = tokens  # right padding: the fused attention
            mask[row, : len(tokens)] = 1  # reads the mask as lengths (EmbedLayerNorm)
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(input_ids)  # one segment, as torch's default
        hidden = self.session.run(["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        prefix = self.prompts.get(prompt, "")
        ids = [e.ids for e in self.tokenizer.encode_batch([prefix + t for t in texts])]
        # longest first, so each batch holds texts of similar length (little padding); the
        # vectors go back in input order (benchmark before changing: bench/encoder.py)
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        out = np.empty((len(ids), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            out[chunk] = self._batch([ids[i] for i in chunk])
        return out

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage")

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")
