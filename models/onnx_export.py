"""Export the encoder folder's transformer to ONNX and quantise it to int8, once, offline.

``models/onnx_encoder.py`` runs the result on onnxruntime, about twice as fast as torch on
CPU (bench/encoder.py). Three steps, in a temporary folder beside the target:

1. ``torch.onnx.export`` of the BERT (inputs ``input_ids``, ``attention_mask`` and, when the
   model takes them, ``token_type_ids``; output ``last_hidden_state``; batch and sequence
   axes dynamic). The TorchScript exporter (``dynamo=False``): the torch.export one needs
   ``onnxscript``, which is not installed. Eager attention, not SDPA: onnxruntime's BERT
   optimiser recognises eager attention and fuses it, it does not fuse the SDPA graph.
2. onnxruntime's BERT optimiser fuses Attention, EmbedLayerNormalization,
   SkipLayerNormalization and BiasGelu.
3. ``quantize_dynamic``: int8 weights, activations quantised on the fly.

Quantisation choice, measured on 300 corpus passages of ~200 tokens, 2 cores (avx512_vnni),
against torch fp32 (cosine mean / min; speed as torch = 1, same busy run): QInt8 weights
per channel on the fused graph: 0.9965 / 0.990, 2.2x (chosen). The same unfused: 0.9966 /
0.991, 1.7-2.0x. QInt8 per tensor: 0.983 / 0.975, below the 0.99 target. QUInt8 per tensor:
0.991 / 0.981 but 1.2x (u8 × u8 has no fast kernel here); QUInt8 per channel 0.9966, 1.2x.
MatMul and Attention only (embeddings left fp32): same cosine and speed, 407 MB instead of
118 MB, so the embedding tables are quantised too (Gather / EmbedLayerNormalization).

``model_int8.json`` beside the model records the weights it came from (size, SHA-256 of the
whole file and of its first MiB, which ``model_id`` uses) and this exporter's version: an
export of other weights is stale, redone here and refused by the encoder. It is written last
(and removed first), so an interrupted export is never taken for a complete one.

    .venv/bin/python -m models.onnx_export [FOLDER]   # default: the ``model`` setting's folder
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from core.errors import VankienError
from models.encoder import model_path, weights_digest

EXPORTER_VERSION = 1  # raise when the recipe changes: older exports are then redone
ONNX_DIR = "onnx"
ONNX_FILE = "model_int8.onnx"
MANIFEST = "model_int8.json"
OPSET = 17
QUANTIZATION = {"weight_type": "QInt8", "per_channel": True, "fused": True}


class OnnxExportError(VankienError):
    """The folder is no model this can export, or the export failed."""


def onnx_file(folder: Path) -> Path:
    return Path(folder) / ONNX_DIR / ONNX_FILE


def _weights(folder: Path) -> Path:
    found = sorted(Path(folder).glob("*.safetensors"))
    if not (Path(folder) / "config.json").is_file() or not found:
        raise OnnxExportError(f"{folder}: không có mô hình (config.json, *.safetensors); "
                              "chạy `make setup` hoặc `.venv/bin/python -m models.e5` trước")
    return found[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((Path(folder) / ONNX_DIR / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def export_problem(folder: Path) -> str | None:
    """Why the folder's int8 export cannot be used (Vietnamese), or None. Cheap: compares
    the weights' size and first-MiB digest, as strong as ``model_id`` (a load-time check)."""
    target, manifest = onnx_file(folder), read_manifest(folder)
    if not target.is_file() or manifest is None:
        return f"{target}: chưa có bản xuất ONNX int8"
    weights = manifest.get("weights", {})
    found = sorted(Path(folder).glob("*.safetensors"))
    if (manifest.get("exporter_version") != EXPORTER_VERSION or not found
            or weights.get("file") != found[0].name
            or weights.get("bytes") != found[0].stat().st_size
            or weights.get("head_sha256") != weights_digest(folder)):
        return f"{target}: bản xuất ONNX int8 đã cũ (mô hình hoặc cách xuất đã đổi)"
    if manifest.get("onnx_bytes") != target.stat().st_size:
        return f"{target}: bản xuất ONNX int8 không trọn vẹn"
    return None


def is_current(folder: Path) -> bool:
    """The export is there, whole, from these very weights (whole-file digest)."""
    if export_problem(folder) is not None:
        return False
    manifest = read_manifest(folder) or {}
    return manifest.get("weights", {}).get("sha256") == _sha256(_weights(folder))


def _export_fp32(folder: Path, out: Path) -> list[str]:
    """The transformer as fp32 ONNX; the input names it takes."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    model = AutoModel.from_pretrained(str(folder), local_files_only=True,
                                      attn_implementation="eager").eval()
    names = ["input_ids", "attention_mask"]
    if "token_type_ids" in inspect.signature(model.forward).parameters:
        names.append("token_type_ids")

    class Hidden(torch.nn.Module):  # keyword inputs in, last_hidden_state out
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            return self.model(**dict(zip(names, inputs, strict=True))).last_hidden_state

    # a padded second row, so the traced mask path is the general one; small ids, which
    # any vocabulary has
    ids = torch.tensor([[0, 5, 6, 7, 8, 2], [0, 5, 6, 2, 1, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]])
    dummy = (ids, mask, torch.zeros_like(ids))[: len(names)]
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, "last_hidden_state"]}
    with torch.no_grad():
        torch.onnx.export(Hidden(), dummy, str(out), dynamo=False, input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=OPSET)
    return names


def _fuse_and_quantize(folder: Path, fp32: Path, out: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    fused = fp32.with_name("fused.onnx")
    optimized = optimize_model(str(fp32), model_type="bert", opt_level=1,
                               num_heads=int(config["num_attention_heads"]),
                               hidden_size=int(config["hidden_size"]))
    optimized.save_model_to_file(str(fused))
    # fused ops are of the com.microsoft domain, which shape inference cannot type
    quantize_dynamic(str(fused), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


@contextmanager
def _quiet():
    """Silence the known warnings, which would read as failures in the set-up output: the
    TorchScript exporter's deprecation; tracer notes on the mask padding and on aten::index,
    both constant for an encoder given a mask as wide as its input (the cosine to torch on
    padded batches checks it: tests/test_onnx_encoder.py); quantize_dynamic's advice to
    pre-process, which the optimiser has done."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


@contextmanager
def _lock(directory: Path):
    """One exporter per folder at a time (``pytest -n 2`` workers may both ask for it)."""
    with (directory / ".export.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_manifest(folder: Path, weights: Path, seconds: float) -> None:
    import onnxruntime
    import torch

    manifest = {
        "exporter": "models/onnx_export.py", "exporter_version": EXPORTER_VERSION,
        "weights": {"file": weights.name, "bytes": weights.stat().st_size,
                    "sha256": _sha256(weights), "head_sha256": weights_digest(folder)},
        "quantization": QUANTIZATION, "opset": OPSET,
        "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
        "onnx_bytes": onnx_file(folder).stat().st_size, "export_seconds": round(seconds, 1),
    }
    path = folder / ONNX_DIR / MANIFEST
    temporary = path.with_name(f".{MANIFEST}.tmp")
    temporary.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def export_onnx(folder: Path | None = None) -> Path:
    """Write ``FOLDER/onnx/model_int8.onnx`` (default folder: the ``model`` setting) and
    return its path; an up-to-date export is left as it is. Raises :class:`OnnxExportError`.

    >>> export_onnx(Path("models/cache/multilingual-e5-small"))  # doctest: +SKIP
    PosixPath('models/cache/multilingual-e5-small/onnx/model_int8.onnx')
    """
    folder = Path(folder) if folder is not None else model_path()
    weights = _weights(folder)
    target = onnx_file(folder)
    if is_current(folder):
        return target
    target.parent.mkdir(exist_ok=True)
    with _lock(target.parent):
        if is_current(folder):  # another process exported it while we waited
            return target
        for stale in target.parent.glob(".export-*"):  # left by a killed export
            shutil.rmtree(stale, ignore_errors=True)
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
        try:
            with _quiet():
                _export_fp32(folder, work / "fp32.onnx")
                _fuse_and_quantize(folder, work / "fp32.onnx", work / ONNX_FILE)
            (target.parent / MANIFEST).unlink(missing_ok=True)
            os.replace(work / ONNX_FILE, target)
            _write_manifest(folder, weights, time.monotonic() - started)
        except (OSError, RuntimeError, ValueError, ImportError) as error:
            raise OnnxExportError(f"{folder}: xuất ONNX int8 thất bại ({error})") from error
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


if __name__ == "__main__":
    began = time.monotonic()
    try:
        where = export_onnx(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except OnnxExportError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"Bộ mã hóa ONNX int8 sẵn sàng: {where} ({time.monotonic() - began:.1f} s)")
