"""The catalog quality tests measure on: the 82 labelled documents (tests/data/seeds,
tests/data/corpus and tests/data/corpus2) ingested with the real default model.

Embedding them takes about four minutes on 2 cores, so it is done once and shared: by the
test files that need it (pytest-xdist runs files in separate workers, hence the file lock)
and by later runs, under tests/.cache/, keyed by everything that shapes the catalog (the
documents, the code of core/, ingest/, models/ and store/, the model's id). Any
change to those builds a fresh one.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from filelock import FileLock

from core import settings
from core.settings import ROOT
from models.encoder import Encoder
from store.store import Store
from store.update import ingest

DATA = Path("tests/data")
CACHE = Path("tests/.cache")
MODEL = ROOT / next(str(s.default) for s in settings.SETTINGS if s.name == "model")
# The documents of both labelled sets: qrels.tsv points into seeds and corpus, qrels2.tsv
# into corpus2; each set's other documents are distractors for the other.
PARTS = ("seeds", "corpus", "corpus2")
_SHAPING = ("core", "ingest", "models", "store")  # query/ reads a catalog, never shapes it


def _key(encoder: Encoder) -> str:
    digest = hashlib.blake2b(encoder.model_id.encode(), digest_size=8)
    files = sorted([*(p for part in PARTS for p in DATA.joinpath(part).iterdir()),
                    *(p for part in _SHAPING for p in ROOT.joinpath(part).rglob("*.py"))])
    for path in files:
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def encoder() -> Encoder:
    if not (MODEL / "modules.json").exists():
        pytest.fail(f"{MODEL}: the default model is not built; run `make test` (it builds it)")
    return Encoder(MODEL)


def quality_catalog(model: Encoder) -> Store:
    """The shared store, with ``model``'s vectors, built on first use."""
    target = CACHE / f"quality-{_key(model)}"
    CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / "built").exists():
            shutil.rmtree(target, ignore_errors=True)
            report = ingest([DATA / part for part in PARTS], Store(target, encoder=model),
                            progress=False)
            assert not report.failed, report.failed
            (target / "built").write_text("ok", encoding="utf-8")
    return Store(target, encoder=model)
