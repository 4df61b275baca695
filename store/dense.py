"""Dense leg: FAISS inner product on normalised passage vectors, keyed by passage rowid.

The index lives in ``<data>/dense/`` as ``vectors.faiss`` plus ``manifest.json`` saying how
it was built (model, dimension, index kind, count) and ``digests.npy`` (a digest of the text
behind each vector, so unchanged text is never embedded twice). Opening it with another
model is refused with the command that rebuilds it. ``store/embed.py`` brings it in step
with the catalog after every ingest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.errors import IndexDamagedError, VankienError
from core.folders import current, staging, swap_in

MANIFEST_VERSION = 1
# What a vector was embedded from (``store/embed.py``): 1, the passage's text alone; 2, the
# text after its document's type, issuer and subject and its heading. Vectors of the two are
# never mixed: an index of another format is re-embedded whole by the next ingest.
TEXT_FORMAT = 2
# Exact search up to this many vectors; above it an inverted-file index (IVF, 8-bit scalar
# quantised): a flat scan of 1M x 384 takes ~120 ms on 2 cores, longer than embedding the
# query (bench/search.py). IVF rather than HNSW because documents are replaced and removed,
# and FAISS's HNSW cannot remove vectors.
FLAT_MAX = 100_000
IVF_PROBE = 32  # lists scanned per query, of ~4·sqrt(n) (recall measured in bench/search.py)
EXACT_FILTER_MAX = 50_000  # a filter allowing at most this many passages is searched exactly
# Passages worth embedding: not signatures (names and recipient lists answer no query).
EMBEDDED_KINDS = ("header", "body", "footnote")


class IndexMismatchError(VankienError):
    """The vectors on disk were built by another model or another layout."""


@dataclass(frozen=True)
class Manifest:
    model: str
    dimension: int
    kind: str  # "flat" | "ivf"
    count: int
    version: int = MANIFEST_VERSION
    lists: int = 0  # IVF only: inverted lists, and how many vectors trained them
    trained_on: int = 0
    probe: int = 0
    text_format: int = 1  # manifests written before the format was recorded: text alone


def _faiss():
    import faiss  # imported on use: the CLI's other commands never load it

    return faiss


class DenseIndex:
    """Vectors of passages, by passage rowid: exact while small, IVF when large."""

    def __init__(self, directory: str | Path, model: str, dimension: int, *,
                 fresh: bool = False):
        """The index saved in ``directory``, or an empty one (none saved, or ``fresh``: it
        replaces the saved one when it is saved)."""
        self.directory = Path(directory)
        self.model = model
        self.dimension = dimension
        self.lists = self.trained_on = 0
        self.text_format = TEXT_FORMAT
        self._ids: np.ndarray | None = None  # sorted rowids held, cached until a change
        self._order: np.ndarray | None = None  # a flat index's rowids in storage order
        self._digests: dict[int, int] | None = {} if fresh else None
        faiss = _faiss()
        manifest_path = self.directory / "manifest.json"
        if manifest_path.exists() and not fresh:
            manifest = self._manifest(manifest_path)
            self.index = self._read(manifest)
            self.kind, self.lists, self.trained_on = (manifest.kind, manifest.lists,
                                                      manifest.trained_on)
            self.text_format = manifest.text_format
        else:
            self.kind = "flat"
            self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    def _manifest(self, path: Path) -> Manifest:
        try:
            manifest = Manifest(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as error:
            raise IndexDamagedError(path, f"{type(error).__name__}: {error}") from error
        if (manifest.model, manifest.dimension, manifest.version) != (
                self.model, self.dimension, MANIFEST_VERSION):
            raise IndexMismatchError(
                f"{self.directory}: chỉ mục vector được tạo bằng mô hình {manifest.model} "
                f"({manifest.dimension} chiều), khác mô hình đang dùng {self.model}; xóa thư "
                f"mục {self.directory} rồi chạy lại: python cli.py ingest <thư mục văn bản>")
        return manifest

    def _read(self, manifest: Manifest):
        """The FAISS index the manifest describes; ``IndexDamagedError`` when the file does
        not load (FAISS raises RuntimeError on a truncated file) or holds another count."""
        path = self.directory / "vectors.faiss"
        try:
            index = _faiss().read_index(str(path))
        except (RuntimeError, OSError) as error:
            raise IndexDamagedError(path, str(error).strip().splitlines()[-1]) from error
        if index.ntotal != manifest.count or index.d != self.dimension:
            raise IndexDamagedError(path, f"{index.ntotal} vectơ {index.d} chiều, manifest "
                                          f"ghi {manifest.count} vectơ {self.dimension} chiều")
        return index

    def _id_array(self) -> np.ndarray:
        if self._ids is None:
            faiss = _faiss()
            if self.kind == "flat":
                found = faiss.vector_to_array(self.index.id_map)
            else:
                lists = self.index.invlists
                found = np.concatenate([np.zeros(0, dtype="int64")] + [
                    faiss.rev_swig_ptr(lists.get_ids(n), lists.list_size(n)).copy()
                    for n in range(lists.nlist) if lists.list_size(n)])
            self._ids = np.sort(found)
        return self._ids

    @property
    def ids(self) -> set[int]:
        return set(self._id_array().tolist())

    def digests(self) -> dict[int, int]:
        """Rowid → digest of the text each vector was made from (``sync`` reuses vectors of
        unchanged text). Read from disk on first use: searching never needs it."""
        if self._digests is None:
            path = self.directory / "digests.npy"
            pairs = np.load(path) if path.exists() else np.zeros((0, 2), dtype="int64")
            self._digests = dict(zip(pairs[:, 0].tolist(), pairs[:, 1].tolist(), strict=True))
        return self._digests

    def add(self, rowids: Sequence[int], vectors: np.ndarray, *,
            digests: Sequence[int] | None = None) -> None:
        if len(rowids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype="float32"),
                                    np.asarray(rowids, dtype="int64"))
            self._ids = self._order = None
            if digests is not None:
                self.digests().update(zip(rowids, digests, strict=True))

    def remove(self, rowids: Sequence[int]) -> None:
        if len(rowids):
            self.index.remove_ids(np.asarray(sorted(rowids), dtype="int64"))
            self._ids = self._order = None

    def holding(self, rowids: Sequence[int]) -> list[int]:
        """Those of ``rowids`` that have a vector (signature blocks and empty passages do
        not), in the order given."""
        rowids = np.asarray(rowids, dtype="int64")
        return rowids[np.isin(rowids, self._id_array())].tolist()

    def vectors(self, rowids: Sequence[int]) -> np.ndarray:
        """The stored vectors of ``rowids`` (8-bit approximations once the index is IVF)."""
        if not len(rowids):
            return np.zeros((0, self.dimension), dtype="float32")
        return self.index.reconstruct_batch(np.asarray(rowids, dtype="int64"))

    def search(self, vectors: np.ndarray, k: int, *, allowed: Sequence[int] | None = None
               ) -> list[list[tuple[int, float]]]:
        """For each query vector, the ``k`` nearest (rowid, cosine) pairs; only among the
        rowids in ``allowed`` when given (a filter applied inside the search, so a narrow
        filter still gets its ``k`` best rather than what survives of the global best)."""
        vectors = np.ascontiguousarray(vectors, dtype="float32")
        if self.index.ntotal == 0 or (allowed is not None and not len(allowed)):
            return [[] for _ in range(len(vectors))]
        if allowed is not None and len(allowed) <= EXACT_FILTER_MAX:
            # exact among the allowed: an IVF probe could miss every one of them
            wanted = np.asarray(allowed, dtype="int64")
            rowids = wanted[np.isin(wanted, self._id_array())]  # signatures have no vector
            if not len(rowids):
                return [[] for _ in range(len(vectors))]
            scores = vectors @ self.vectors(rowids).T
            out = []
            for row in scores:
                best = np.argsort(-row)[:k]
                out.append([(int(rowids[i]), float(row[i])) for i in best])
            return out
        if allowed is None and self.kind == "flat":
            return self._scan(vectors, k)
        faiss = _faiss()
        selector = (None if allowed is None else
                    faiss.IDSelectorBatch(np.asarray(allowed, dtype="int64")))
        if self.kind == "ivf":
            params = faiss.SearchParametersIVF(sel=selector, nprobe=IVF_PROBE)
        else:
            params = None if selector is None else faiss.SearchParameters(sel=selector)
        scores, ids = self.index.search(vectors, min(k, self.index.ntotal), params=params)
        return [[(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i != -1]
                for row_ids, row_scores in zip(ids, scores, strict=True)]

    def _scan(self, vectors: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Exact search of the flat index by one matrix product over its own storage (a
        view, no copy): FAISS scans one query on one thread, numpy's BLAS on every core
        (20,000 vectors: 3.9 → 1.6 ms, bench/search.py). Equal scores in rowid order."""
        faiss = _faiss()
        count = self.index.ntotal
        stored = faiss.rev_swig_ptr(faiss.downcast_index(self.index.index).get_xb(),
                                    count * self.dimension).reshape(count, self.dimension)
        if self._order is None:
            self._order = faiss.vector_to_array(self.index.id_map)
        out = []
        for row in vectors @ stored.T:
            best = np.argpartition(-row, min(k, count) - 1)[: min(k, count)]
            best = best[np.lexsort((self._order[best], -row[best]))]
            out.append([(int(self._order[i]), float(row[i])) for i in best])
        return out

    def _to_ivf(self) -> None:
        """Move the vectors from the exact index into an IVF index trained on them."""
        faiss = _faiss()
        ids = faiss.vector_to_array(self.index.id_map)
        flat = faiss.downcast_index(self.index.index)
        data = faiss.rev_swig_ptr(flat.get_xb(), len(ids) * self.dimension)
        data = np.array(data, dtype="float32").reshape(len(ids), self.dimension)
        self.lists = int(4 * np.sqrt(len(ids)))
        ivf = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(self.dimension), self.dimension, self.lists,
            faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        # k-means on a sample: 64 points per list is plenty and keeps training to seconds
        sample = np.random.default_rng(0).choice(len(ids), min(len(ids), 64 * self.lists),
                                                 replace=False)
        ivf.train(data[np.sort(sample)])
        ivf.add_with_ids(data, ids)
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # for removal and reconstruction
        self.index, self.kind, self.trained_on = ivf, "ivf", len(ids)

    def save(self) -> None:
        """Write vectors and manifest together: a temporary folder, then one rename. An exact
        index that has grown past ``FLAT_MAX`` becomes IVF here, once."""
        faiss = _faiss()
        if self.kind == "flat" and self.index.ntotal > FLAT_MAX:
            self._to_ivf()
        built = staging(self.directory)
        faiss.write_index(self.index, str(built / "vectors.faiss"))
        if self._digests is not None or (self.directory / "digests.npy").exists():
            held = set(self._id_array().tolist())
            pairs = [(r, d) for r, d in self.digests().items() if r in held]
            self._digests = dict(pairs)
            np.save(built / "digests.npy", np.array(pairs, dtype="int64").reshape(-1, 2))
        manifest = Manifest(self.model, self.dimension, self.kind, int(self.index.ntotal),
                            lists=self.lists, trained_on=self.trained_on,
                            probe=IVF_PROBE if self.kind == "ivf" else 0,
                            text_format=self.text_format)
        (built / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2),
                                             encoding="utf-8")
        swap_in(built, self.directory)


_OPEN: dict[tuple[str, str, int], tuple[float, DenseIndex]] = {}


def open_saved(directory: Path, model: str, dimension: int) -> DenseIndex | None:
    """The saved index in ``directory`` for searching, None when there is none; loaded once
    per process and again only when an ingest rewrote it (its manifest is newer)."""
    directory = current(Path(directory))  # a writer killed mid-swap left the previous aside
    manifest = directory / "manifest.json"
    try:
        stamp = manifest.stat().st_mtime
    except OSError:
        return None
    key = (str(directory), model, dimension)
    cached = _OPEN.get(key)
    if cached is None or cached[0] != stamp:
        cached = _OPEN[key] = (stamp, DenseIndex(directory, model, dimension))
    return cached[1]
