"""Dense leg: FAISS inner product on normalised passage vectors, keyed by passage rowid.

The index lives in ``<data>/dense/`` as ``vectors.faiss`` plus ``manifest.json`` saying how it
was built (model, dimension, index kind, count). Opening it with another model is refused
with the command that rebuilds it. ``sync`` brings it in step with the catalog after every
ingest: vectors of removed passages go, new passages are embedded in batches; a crash in
between is repaired by the next sync, because the catalog is the truth.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.errors import VankienError

MANIFEST_VERSION = 1
FLAT_MAX = 200_000  # exact search below this many vectors; HNSW above (bench/search.py)
# Passages worth embedding: not signatures (names and recipient lists answer no query).
EMBEDDED_KINDS = ("header", "body", "footnote")

Encoder = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, dim) float32, L2-normalised


class IndexMismatchError(VankienError):
    """The vectors on disk were built by another model or another layout."""


@dataclass(frozen=True)
class Manifest:
    model: str
    dimension: int
    kind: str  # "flat" | "hnsw"
    count: int
    version: int = MANIFEST_VERSION


def _faiss():
    import faiss  # imported on use: the CLI's other commands never load it

    return faiss


class DenseIndex:
    """Vectors of passages, by passage rowid."""

    def __init__(self, directory: str | Path, model: str, dimension: int):
        self.directory = Path(directory)
        self.model = model
        self.dimension = dimension
        faiss = _faiss()
        manifest_path = self.directory / "manifest.json"
        if manifest_path.exists():
            manifest = Manifest(**json.loads(manifest_path.read_text(encoding="utf-8")))
            if (manifest.model, manifest.dimension, manifest.version) != (
                    model, dimension, MANIFEST_VERSION):
                raise IndexMismatchError(
                    f"{self.directory}: chỉ mục vector được tạo bằng mô hình {manifest.model} "
                    f"({manifest.dimension} chiều), khác mô hình đang dùng {model}; xóa thư mục "
                    f"{self.directory} rồi chạy lại: python cli.py ingest <thư mục văn bản>")
            self.index = faiss.read_index(str(self.directory / "vectors.faiss"))
            self.kind = manifest.kind
        else:
            self.kind = "flat"
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @property
    def ids(self) -> set[int]:
        return set(_faiss().vector_to_array(self.index.id_map).tolist())

    def add(self, rowids: Sequence[int], vectors: np.ndarray) -> None:
        if len(rowids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype="float32"),
                                    np.asarray(rowids, dtype="int64"))

    def remove(self, rowids: Sequence[int]) -> None:
        if len(rowids):
            self.index.remove_ids(np.asarray(sorted(rowids), dtype="int64"))

    def search(self, vectors: np.ndarray, k: int, *, allowed: Sequence[int] | None = None
               ) -> list[list[tuple[int, float]]]:
        """For each query vector, the ``k`` nearest (rowid, cosine) pairs; only among the
        rowids in ``allowed`` when given (a filter applied inside the search, so a narrow
        filter still gets its ``k`` best rather than what survives of the global best)."""
        if self.index.ntotal == 0 or (allowed is not None and not len(allowed)):
            return [[] for _ in range(len(vectors))]
        faiss = _faiss()
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(
                sel=faiss.IDSelectorBatch(np.asarray(allowed, dtype="int64")))
        scores, ids = self.index.search(np.ascontiguousarray(vectors, dtype="float32"),
                                        min(k, self.index.ntotal), params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i != -1]
                for row_ids, row_scores in zip(ids, scores, strict=True)]

    def save(self) -> None:
        """Write vectors and manifest together: a temporary folder, then one rename."""
        faiss = _faiss()
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=self.directory.parent, prefix=".dense-"))
        faiss.write_index(self.index, str(staging / "vectors.faiss"))
        manifest = Manifest(self.model, self.dimension, self.kind, int(self.index.ntotal))
        (staging / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2),
                                               encoding="utf-8")
        old = self.directory.with_name(self.directory.name + ".old")
        if self.directory.exists():
            os.replace(self.directory, old)
        os.replace(staging, self.directory)
        if old.exists():
            for child in old.iterdir():
                child.unlink()
            old.rmdir()


def sync(db, index: DenseIndex, encode: Encoder, *, batch: int = 64,
         progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Embed passages the index lacks and drop those the catalog lost: (added, removed)."""
    marks = ",".join("?" * len(EMBEDDED_KINDS))
    wanted = dict(db.execute(f"SELECT rowid, text FROM passages WHERE kind IN ({marks})",
                             EMBEDDED_KINDS).fetchall())
    have = index.ids
    stale = sorted(have - set(wanted))
    index.remove(stale)
    missing = sorted(set(wanted) - have, key=lambda r: len(wanted[r]))  # similar lengths batch
    for at in range(0, len(missing), batch):
        chunk = missing[at : at + batch]
        index.add(chunk, encode([wanted[r] for r in chunk]))
        if progress:
            progress(len(chunk))
    if stale or missing:
        index.save()
    return len(missing), len(stale)
