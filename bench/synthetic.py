"""The synthetic catalog bench/search.py times at 1,000,000 passages (and bench/similar.py
reads when it is kept): the corpus catalog plus perturbed copies of its passages.

10% of the terms of each FTS column and of the text of a copy are replaced by terms from
elsewhere in the corpus, so term statistics stay realistic but no two copies are equal; the
copies sit in documents of ``PER_DOC`` passages. Each copy's vector is its source's vector
plus Gaussian noise (cosine about 0.9 to the source). A finished catalog carries
``synthetic.json`` and is reused by later runs asking for the same size.

The builder writes the catalog's tables itself, on a plain SQLite connection without a
journal: a crash leaves no marker and the next run starts again. Not a test, and not a
shell: it imports no verb.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from store import bm25, spellings
from store.dense import EMBEDDED_KINDS, DenseIndex

PER_DOC = 80  # synthetic passages per synthetic document
SHARE = 0.10  # terms replaced in each synthetic copy
# Noise per dimension: |noise|^2 ~ 384 * sigma^2 = 0.235, so cosine ~ 1/sqrt(1.235) = 0.9
SIGMA = 0.0247
CHUNK = 50_000  # synthetic rows per transaction and per DenseIndex.add
SENTINEL = "\x00"  # row separator inside one joined chunk; never occurs in catalog text
COLUMNS = ("words", "syl", "folded", "context", "context_folded", "text")


def model_of(data: Path) -> tuple[str, int]:
    """(model id, dimension) the vectors in ``data`` were made with, from their manifest."""
    manifest = json.loads((data / "dense" / "manifest.json").read_text(encoding="utf-8"))
    return manifest["model"], manifest["dimension"]


class _Column:
    """All terms of one column of the source passages as one array of codes, so copies are
    cut, perturbed and joined back in numpy and C rather than term by term in Python."""

    def __init__(self, values: list[str]):
        # " ".join then split keeps an empty value as one empty term: lengths stay aligned
        terms = " ".join(values).split(" ")
        codes: dict[str, int] = {}
        self.codes = np.fromiter((codes.setdefault(t, len(codes)) for t in terms),
                                 dtype=np.int32, count=len(terms))
        self.vocab = np.array([*codes, SENTINEL], dtype=object)
        self.lengths = np.fromiter((v.count(" ") + 1 for v in values), dtype=np.int64,
                                   count=len(values))
        self.offsets = np.cumsum(self.lengths) - self.lengths

    def copies(self, sources: np.ndarray, rng: np.random.Generator) -> list[str]:
        lengths = self.lengths[sources]
        total = int(lengths.sum())
        row_at = np.cumsum(lengths) - lengths
        codes = self.codes[np.arange(total) - np.repeat(row_at - self.offsets[sources], lengths)]
        # each replacement comes from a random place of the whole column, i.e. from another
        # random passage, so the column's term frequencies barely move
        swap = rng.random(total) < SHARE
        codes[swap] = self.codes[rng.integers(0, len(self.codes), int(swap.sum()))]
        ends = np.cumsum(lengths + 1) - 1
        out = np.full(total + len(sources), len(self.vocab) - 1, dtype=np.int32)
        keep = np.ones(len(out), dtype=bool)
        keep[ends] = False
        out[keep] = codes
        rows = (" ".join(self.vocab[out].tolist()) + " ").split(f" {SENTINEL} ")
        if len(rows) != len(sources) + 1:
            raise RuntimeError("a synthetic row lost its separator")
        return rows[:-1]


@dataclass
class _Plan:
    """What the copies are made of: the source passages (id, kind, heading, start, end),
    their columns and vectors, and which source each copy takes, in order."""

    rows: list[tuple]
    columns: dict[str, _Column]
    by_rowid: dict[int, int]  # passage rowid -> its row in ``base``
    base: np.ndarray  # the corpus index's vectors
    copied: list[str]  # documents columns copied as they are from a real document
    docs: list[tuple]  # the values of ``copied`` of every real document
    first: int  # the first synthetic passage id
    sources: np.ndarray  # the source row of each copy
    rng: np.random.Generator
    seed: int

    @property
    def copies(self) -> int:
        return len(self.sources)


def _plan(db, source: Path, total: int, seed: int) -> _Plan:
    rows = db.execute(
        "SELECT p.id, p.kind, p.heading, p.start, p.end, f.words, f.syl, f.folded, f.context,"
        " f.context_folded, p.text FROM passages p JOIN passages_fts f ON f.rowid = p.id"
        " ORDER BY p.id").fetchall()
    columns = {name: _Column([r[5 + i] for r in rows]) for i, name in enumerate(COLUMNS)}
    dense = DenseIndex(source / "dense", *model_of(source))
    rowids = sorted(dense.ids)
    # named columns: the documents table gains columns over time (e.g. ``pipeline``); those
    # this script does not know are copied as they are from the sampled real document
    names = [row[1] for row in db.execute("PRAGMA table_info(documents)")]
    copied = [n for n in names if n not in ("doc_id", "source", "path", "text", "ingested_at")]
    docs = db.execute(f"SELECT {', '.join(copied)} FROM documents").fetchall()
    first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM passages").fetchone()[0]
    copies = total - len(rows)
    if copies <= 0:
        raise SystemExit(f"--synthetic {total}: the corpus alone has {len(rows)} passages")
    rng = np.random.default_rng(seed)
    # every source passage copied about equally often, in a random order
    sources = np.concatenate([rng.permutation(len(rows))
                              for _ in range(copies // len(rows) + 1)])[:copies]
    return _Plan([r[:5] for r in rows], columns, {r: i for i, r in enumerate(rowids)},
                 dense.vectors(rowids), copied, docs, first, sources, rng, seed)


def _insert_documents(db, plan: _Plan) -> list[str]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    doc_ids = [f"syn{j:013d}" for j in range((plan.copies + PER_DOC - 1) // PER_DOC)]
    picked = (plan.docs[i] for i in plan.rng.integers(0, len(plan.docs), len(doc_ids)))
    with db:
        # no document text: search never reads it, and 12,500 copies of 45 kB would double
        # the file for nothing
        db.executemany(
            f"INSERT INTO documents (doc_id, source, path, text, ingested_at,"
            f" {', '.join(plan.copied)}) VALUES ({','.join('?' * (5 + len(plan.copied)))})",
            [(doc_id, f"synthetic/{doc_id}.txt", f"synthetic/{doc_id}.txt", "", now, *d)
             for doc_id, d in zip(doc_ids, picked, strict=True)])
    return doc_ids


def _texts(plan: _Plan, at: int) -> dict[str, list[str]]:
    part = plan.sources[at : at + CHUNK]
    local = np.random.default_rng([plan.seed, at])  # one stream per chunk: thread-safe
    return {name: column.copies(part, local) for name, column in plan.columns.items()}


def _store_chunk(db, plan: _Plan, doc_ids: list[str], at: int, made: dict[str, list[str]]
                 ) -> range:
    """Write the passages and FTS rows of the chunk starting at copy ``at``; their ids."""
    part = plan.sources[at : at + CHUNK]
    ids = range(plan.first + at, plan.first + at + len(part))
    rows = plan.rows
    with db:
        db.executemany(
            "INSERT INTO passages (id, doc_id, ordinal, start, end, text, heading, kind,"
            " tokens) VALUES (?,?,?,?,?,?,?,?,?)",
            [(rowid, doc_ids[(at + i) // PER_DOC], (at + i) % PER_DOC, rows[s][3],
              rows[s][4], made["text"][i], rows[s][2], rows[s][1], made["words"][i])
             for i, (rowid, s) in enumerate(zip(ids, part.tolist(), strict=True))])
        db.executemany(
            "INSERT INTO passages_fts(rowid, words, syl, folded, context,"
            " context_folded) VALUES (?,?,?,?,?,?)",
            zip(ids, *(made[name] for name in COLUMNS[:5]), strict=True))
    return ids


def _add_vectors(dense: DenseIndex, plan: _Plan, at: int, ids: range, embedded: np.ndarray,
                 vector_row: np.ndarray) -> float:
    """Add the noisy vectors of the chunk's embedded copies; their mean cosine to source."""
    part = plan.sources[at : at + CHUNK]
    chosen = embedded[part]
    near = plan.base[vector_row[part[chosen]]]
    noisy = near + plan.rng.standard_normal(near.shape, dtype=np.float32) * SIGMA
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    dense.add(np.asarray(ids)[chosen], noisy)
    return float(np.mean(np.sum(noisy[:1000] * near[:1000], axis=1)))


def _fill(db, dense: DenseIndex, plan: _Plan, doc_ids: list[str]
          ) -> tuple[dict[str, float], list[float]]:
    """Every copy's passage, FTS row and vector; seconds per stage and cosines per chunk."""
    embedded = np.array([r[1] in EMBEDDED_KINDS and r[0] in plan.by_rowid for r in plan.rows])
    vector_row = np.array([plan.by_rowid.get(r[0], -1) for r in plan.rows])
    seconds = {"passages+fts": 0.0, "vectors_add": 0.0}
    cosines: list[float] = []
    # the next chunk's texts are made while SQLite (which releases the GIL) stores this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_texts, plan, 0)
        for at in range(0, plan.copies, CHUNK):
            tick = time.perf_counter()
            made = pending.result()
            if at + CHUNK < plan.copies:
                pending = pool.submit(_texts, plan, at + CHUNK)
            ids = _store_chunk(db, plan, doc_ids, at, made)
            seconds["passages+fts"] += time.perf_counter() - tick
            tick = time.perf_counter()
            cosines.append(_add_vectors(dense, plan, at, ids, embedded, vector_row))
            seconds["vectors_add"] += time.perf_counter() - tick
            print(f"  synthetic: {at + len(ids):,}/{plan.copies:,} passages", flush=True)
    return seconds, cosines


def _derive(db, target: Path, dense: DenseIndex) -> dict[str, float]:
    """What ingest would have refreshed after these passages; seconds of each."""
    seconds = {}
    clock = time.perf_counter()
    spellings.rebuild(db)
    seconds["spellings"] = time.perf_counter() - clock
    clock = time.perf_counter()
    bm25.rebuild(db, target / "lexical")  # where Store.bm25_dir reads it
    seconds["bm25"] = time.perf_counter() - clock
    db.close()
    clock = time.perf_counter()
    dense.save()
    seconds["dense_save"] = time.perf_counter() - clock
    return seconds


def _copy(source: Path, target: Path) -> sqlite3.Connection:
    """A copy of the source catalog in ``target``, opened to be written without a journal."""
    if target.exists():
        shutil.rmtree(target)  # a half-built catalog (no marker) cannot be trusted
    target.mkdir(parents=True)
    # the backup API copies a consistent snapshot even while the corpus catalog is open
    with sqlite3.connect(source / "catalog.sqlite") as src, \
            sqlite3.connect(target / "catalog.sqlite") as dst:
        src.backup(dst)
    db = sqlite3.connect(target / "catalog.sqlite")
    # a crash here leaves no marker and the next run starts again: no journal needed
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    return db


def build_synthetic(source: Path, target: Path, total: int, seed: int) -> dict[str, object]:
    """Catalog of ``total`` passages in ``target``: the corpus catalog plus perturbed copies."""
    marker = target / "synthetic.json"
    if marker.exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("passages") == total:
            return {**info, "reused": True}
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    db = _copy(source, target)
    seconds["copy"] = time.perf_counter() - clock
    clock = time.perf_counter()
    plan = _plan(db, source, total, seed)
    seconds["prepare"] = time.perf_counter() - clock
    doc_ids = _insert_documents(db, plan)
    dense = DenseIndex(target / "dense", *model_of(source))
    dense.add(list(plan.by_rowid), plan.base)  # the real passages keep their real vectors
    filled, cosines = _fill(db, dense, plan, doc_ids)
    copies = plan.copies
    del plan  # the corpus vectors, before the derived indexes are built
    seconds |= filled | _derive(db, target, dense)
    info = {
        "passages": total, "copies": copies, "documents_added": len(doc_ids),
        "vectors": int(dense.index.ntotal), "kind": dense.kind,
        "mean_cosine_to_source": round(float(np.mean(cosines)), 3),
        "catalog_mb": round((target / "catalog.sqlite").stat().st_size / 1e6),
        "vectors_mb": round((target / "dense" / "vectors.faiss").stat().st_size / 1e6),
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "build_seconds": round(sum(seconds.values()), 1),
    }
    del dense
    marker.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return {**info, "reused": False}
