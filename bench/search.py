"""Search benchmark: query latency per leg at corpus size and at 1,000,000 passages, ingest
speed against the raw encoder, and the memory of a loaded 1M-passage index.

    .venv/bin/python bench/search.py [--data bench/.cache/corpus] [--corpus ../shared/corpus]
        [--synthetic 1000000] [--keep DIR] [--sizes corpus,synthetic,ingest]
        [--queries N] [--ingest-files 15] [--seed 0]

Parts (``--sizes``):

* ``corpus``: the real corpus catalog in ``--data``. When it holds no embedded catalog it is
  built by ingesting ``--corpus/*.txt`` with the encoder (about 25 minutes on 2 cores the
  first time; later runs reuse it). ``bench/.cache/`` is a local cache: do not commit it.
* ``synthetic``: a catalog of ``--synthetic`` passages in all: the corpus catalog plus
  perturbed copies of its passages (10% of the terms of each FTS column and of the text
  replaced by terms from elsewhere in the corpus, so term statistics stay realistic but no
  two copies are equal) in documents of 80 passages; each copy's vector is its source's
  vector plus Gaussian noise (cosine about 0.9 to the source). Built in a temporary
  directory, or in ``--keep DIR`` and reused from there by later runs.
* ``ingest``: ``--ingest-files`` corpus texts ingested with the encoder into a fresh
  catalog, against the encoder alone on exactly the passages that were embedded.

For each catalog the queries of ``tests/data/qrels.tsv`` are timed through the full search
path and leg by leg (diacritic restoration, query embedding, lexical leg, dense leg); the
memory (VmRSS, VmHWM) of a loaded catalog is read in a fresh subprocess. Figures go to stdout
and to ``bench/results/search.json``. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from query.lexical import search_lexical  # noqa: E402
from query.restore import restore_diacritics  # noqa: E402
from query.search import CANDIDATES, search  # noqa: E402
from store import bm25, spellings  # noqa: E402
from store.catalog import Catalog  # noqa: E402
from store.dense import EMBEDDED_KINDS, IVF_PROBE, DenseIndex  # noqa: E402
from store.update import ingest  # noqa: E402

QRELS = ROOT / "tests" / "data" / "qrels.tsv"
RESULTS = Path(__file__).parent / "results" / "search.json"
WARMUP = 3  # queries run before timing: first-call costs are reported apart, not in p50
PER_DOC = 80  # synthetic passages per synthetic document
SHARE = 0.10  # terms replaced in each synthetic copy
# Noise per dimension: |noise|^2 ~ 384 * sigma^2 = 0.235, so cosine ~ 1/sqrt(1.235) = 0.9
SIGMA = 0.0247
CHUNK = 50_000  # synthetic rows per transaction and per DenseIndex.add
SENTINEL = "\x00"  # row separator inside one joined chunk; never occurs in catalog text
COLUMNS = ("words", "syl", "folded", "context", "context_folded", "text")


def _ms(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 2),
            "p95": round(float(np.percentile(values, 95)), 2),
            "mean": round(float(values.mean()), 2)}


def _queries(limit: int) -> dict[str, str]:
    """Distinct queries of the evaluation set, in file order, with their kind (close,
    nodiacritics, question): the kinds differ in length, so in lexical cost."""
    with QRELS.open(encoding="utf-8") as handle:
        found = {row["query"]: row["kind"] for row in csv.DictReader(handle, delimiter="\t")
                 if row["query"].strip()}
    return dict(list(found.items())[:limit]) if limit else found


def _status() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)  # kB
    return out


def _manifest(directory: Path) -> dict:
    return json.loads((directory / "dense" / "manifest.json").read_text(encoding="utf-8"))


def _open_dense(data: Path) -> DenseIndex:
    manifest = _manifest(data)
    return DenseIndex(data / "dense", manifest["model"], manifest["dimension"])


# -- corpus-size catalog --------------------------------------------------------------------

def corpus_catalog(data: Path, corpus: Path, encoder) -> dict[str, object]:
    """Make sure ``data`` holds an embedded catalog of the corpus; what was done."""
    if (data / "dense" / "manifest.json").exists():
        return {"built": False}
    files = sorted(corpus.glob("*.txt"))
    print(f"building the corpus catalog in {data} from {len(files)} files (slow the first time)")
    catalog = Catalog(data)
    clock = time.perf_counter()
    report = ingest(files, catalog, progress=True, encoder=encoder)
    catalog.close()
    return {"built": True, "files": len(files), "seconds": round(time.perf_counter() - clock, 1),
            "failed": len(report.failed)}


# -- synthetic catalog ----------------------------------------------------------------------

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


def _source_rows(db) -> tuple[list[tuple], dict[str, _Column]]:
    rows = db.execute(
        "SELECT p.id, p.kind, p.heading, p.start, p.end, f.words, f.syl, f.folded, f.context,"
        " f.context_folded, p.text FROM passages p JOIN passages_fts f ON f.rowid = p.id"
        " ORDER BY p.id").fetchall()
    columns = {name: _Column([r[5 + i] for r in rows]) for i, name in enumerate(COLUMNS)}
    return [r[:5] for r in rows], columns


def _source_vectors(source: Path) -> tuple[dict[int, int], np.ndarray]:
    """The corpus index's vectors, and the row of each passage rowid among them."""
    dense = _open_dense(source)
    rowids = sorted(dense.ids)
    return {r: i for i, r in enumerate(rowids)}, dense.vectors(rowids)


def build_synthetic(source: Path, target: Path, total: int, seed: int) -> dict[str, object]:
    """Catalog of ``total`` passages in ``target``: the corpus catalog plus perturbed copies."""
    marker = target / "synthetic.json"
    if marker.exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("passages") == total:
            return {**info, "reused": True}
    if target.exists():
        shutil.rmtree(target)  # a half-built catalog (no marker) cannot be trusted
    target.mkdir(parents=True)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    # the backup API copies a consistent snapshot even while the corpus catalog is open
    with sqlite3.connect(source / "catalog.sqlite") as src, \
            sqlite3.connect(target / "catalog.sqlite") as dst:
        src.backup(dst)
    seconds["copy"] = time.perf_counter() - clock

    clock = time.perf_counter()
    db = sqlite3.connect(target / "catalog.sqlite")
    # a crash here leaves no marker and the next run starts again: no journal needed
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    rows, columns = _source_rows(db)
    by_rowid, base = _source_vectors(source)
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
    seconds["prepare"] = time.perf_counter() - clock

    clock = time.perf_counter()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    doc_ids = [f"syn{j:013d}" for j in range((copies + PER_DOC - 1) // PER_DOC)]
    with db:
        # no document text: search never reads it, and 12,500 copies of 45 kB would double
        # the file for nothing
        db.executemany(
            f"INSERT INTO documents (doc_id, source, path, text, ingested_at, {', '.join(copied)})"
            f" VALUES ({','.join('?' * (5 + len(copied)))})",
            [(doc_id, f"synthetic/{doc_id}.txt", f"synthetic/{doc_id}.txt", "", now, *d)
             for doc_id, d in zip(doc_ids, (docs[i] for i in rng.integers(
                 0, len(docs), len(doc_ids))), strict=True)])

    dense = DenseIndex(target / "dense", *_model_of(source))
    dense.add(list(by_rowid), base)  # the real passages keep their real vectors
    kinds = np.array([r[1] in EMBEDDED_KINDS and r[0] in by_rowid for r in rows])
    vector_row = np.array([by_rowid.get(r[0], -1) for r in rows])
    added_vectors = seconds_vectors = seconds_text = 0.0
    cosines: list[float] = []

    def texts(at: int) -> dict[str, list[str]]:
        part = sources[at : at + CHUNK]
        local = np.random.default_rng([seed, at])  # one stream per chunk: thread-safe
        return {name: column.copies(part, local) for name, column in columns.items()}

    # the next chunk's texts are made while SQLite (which releases the GIL) stores this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(texts, 0)
        for at in range(0, copies, CHUNK):
            tick = time.perf_counter()
            made = pending.result()
            if at + CHUNK < copies:
                pending = pool.submit(texts, at + CHUNK)
            part = sources[at : at + CHUNK]
            ids = range(first + at, first + at + len(part))
            seconds_text += time.perf_counter() - tick
            tick = time.perf_counter()
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
            seconds_text += time.perf_counter() - tick
            tick = time.perf_counter()
            embedded = kinds[part]
            near = base[vector_row[part[embedded]]]
            noisy = near + rng.standard_normal(near.shape, dtype=np.float32) * SIGMA
            noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
            cosines.append(float(np.mean(np.sum(noisy[:1000] * near[:1000], axis=1))))
            dense.add(np.asarray(ids)[embedded], noisy)
            added_vectors += len(noisy)
            seconds_vectors += time.perf_counter() - tick
            print(f"  synthetic: {at + len(part):,}/{copies:,} passages", flush=True)
    seconds["passages+fts"] = seconds_text
    seconds["vectors_add"] = seconds_vectors
    del base, near, noisy

    clock = time.perf_counter()
    spellings.rebuild(db)  # what ingest would have refreshed after these passages
    seconds["spellings"] = time.perf_counter() - clock
    clock = time.perf_counter()
    bm25.rebuild(db)  # likewise the precomputed BM25 ranking (index/bm25.py)
    seconds["bm25"] = time.perf_counter() - clock
    db.close()
    clock = time.perf_counter()
    dense.save()
    seconds["dense_save"] = time.perf_counter() - clock
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


def _model_of(data: Path) -> tuple[str, int]:
    manifest = _manifest(data)
    return manifest["model"], manifest["dimension"]


# -- query latency --------------------------------------------------------------------------

def time_queries(data: Path, encoder, queries: dict[str, str]) -> dict[str, object]:
    """Latency of the full search and of each leg, at the size of the catalog in ``data``."""
    clock = time.perf_counter()
    catalog = Catalog(data)
    opened = time.perf_counter() - clock
    clock = time.perf_counter()
    dense = _open_dense(data)
    loaded = time.perf_counter() - clock
    db = catalog.db
    rebuilt_bm25 = None
    if bm25.load(db) is None:  # a catalog ingested before index/bm25.py existed
        clock = time.perf_counter()
        bm25.rebuild(db)
        rebuilt_bm25 = round(time.perf_counter() - clock, 1)
    texts = list(queries)
    clock = time.perf_counter()
    search(db, texts[0], encoder=encoder.queries, dense=dense)
    first = time.perf_counter() - clock
    for query in texts[1:WARMUP]:
        search(db, query, encoder=encoder.queries, dense=dense)

    spent: dict[str, list[float]] = {name: [] for name in
                                     ("search", "restore", "embedding", "lexical", "dense")}
    rest: list[float] = []
    vectors = []

    for n, query in enumerate(texts):
        restored = restore_diacritics(db, query)
        vector = encoder.queries([restored])
        vectors.append(vector[0])
        steps = {
            "search": lambda q=query: search(db, q, encoder=encoder.queries, dense=dense),
            "restore": lambda q=query: restore_diacritics(db, q),
            "embedding": lambda r=restored: encoder.queries([r]),
            "lexical": lambda q=query: search_lexical(db, q, CANDIDATES),
            "dense": lambda v=vector: dense.search(v, CANDIDATES),
        }
        names = list(steps)
        # the first step of a query reads its terms' pages cold: rotate who goes first so
        # no leg is always favoured by the others having warmed the cache
        names = names[n % len(names):] + names[: n % len(names)]
        took = {}
        for name in names:
            tick = time.perf_counter()
            steps[name]()
            took[name] = time.perf_counter() - tick
            spent[name].append(took[name])
        rest.append(took["search"] - sum(took[k] for k in names if k != "search"))

    figures = {name: _ms(values) for name, values in spent.items()}
    figures["fusion_and_rest"] = _ms(rest)
    by_kind = {}
    for kind in sorted(set(queries.values())):
        picked = [i for i, q in enumerate(texts) if queries[q] == kind]
        by_kind[kind] = {"queries": len(picked)} | {
            name: _ms([spent[name][i] for i in picked])["p50"] for name in ("lexical", "search")}
    passages = db.execute("SELECT count(*) FROM passages").fetchone()[0]
    catalog.close()
    return {
        "passages": passages, "vectors": int(dense.index.ntotal), "kind": dense.kind,
        "queries": len(queries), "catalog_open_s": round(opened, 2),
        "dense_load_s": round(loaded, 2), "bm25_rebuilt_s": rebuilt_bm25,
        "first_search_ms": round(first * 1000, 1),
        "ms": figures, "p50_ms_by_query_kind": by_kind,
        "dense_recall": _probe_recall(dense, np.stack(vectors)),
        "ratio_search_to_embedding_p50": round(
            figures["search"]["p50"] / figures["embedding"]["p50"], 2),
    }


def _probe_recall(dense: DenseIndex, vectors: np.ndarray) -> dict[str, float] | None:
    """Share of an IVF index's exhaustive answers (every list scanned) that its usual probe
    finds. Both read the same 8-bit codes, so the loss to quantisation is not in it."""
    if dense.kind != "ivf":
        return None
    import faiss

    inner = faiss.extract_index_ivf(dense.index)
    _s, truth = dense.index.search(vectors, CANDIDATES,
                                   params=faiss.SearchParametersIVF(nprobe=inner.nlist))
    found = [[rowid for rowid, _s in row] for row in dense.search(vectors, CANDIDATES)]
    out = {"nprobe": int(IVF_PROBE), "nlist": int(inner.nlist)}
    for k in (10, CANDIDATES):
        out[f"recall@{k}"] = round(float(np.mean([
            len(set(row[:k]) & set(best[:k].tolist())) / k
            for row, best in zip(found, truth, strict=True)])), 3)
    return out


# -- memory ---------------------------------------------------------------------------------

def rss_probe(data: Path, query: str) -> None:
    """In a fresh process: memory after each loading step, as one JSON line on stdout."""
    from models.encoder import Encoder

    stages = {"imports": _status()}
    catalog = Catalog(data)
    stages["catalog_opened"] = _status()
    dense = _open_dense(data)
    stages["dense_loaded"] = _status()
    encoder = Encoder()
    stages["encoder_loaded"] = _status()
    search(catalog.db, query, encoder=encoder.queries, dense=dense)
    stages["one_search"] = _status()
    print(json.dumps(stages))


def measure_rss(data: Path, query: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--rss-probe", str(data), "--probe-query",
                           query], capture_output=True, text=True, check=True)
    stages = json.loads(done.stdout.strip().splitlines()[-1])
    final = stages["one_search"]
    return {
        "rss_mb": final["VmRSS"], "hwm_mb": final["VmHWM"],
        "dense_mb": round(stages["dense_loaded"]["VmRSS"] - stages["catalog_opened"]["VmRSS"], 1),
        "encoder_mb": round(stages["encoder_loaded"]["VmRSS"]
                            - stages["dense_loaded"]["VmRSS"], 1),
        "stages": stages,
    }


# -- ingest against the raw encoder ---------------------------------------------------------

def _encode_raw(encoder, texts: list[str]) -> float:
    clock = time.perf_counter()
    for at in range(0, len(texts), 64):  # sync's batch
        encoder.passages(texts[at : at + 64])
    return time.perf_counter() - clock


def bench_ingest(corpus: Path, count: int, encoder) -> dict[str, object]:
    every = sorted(corpus.glob("*.txt"))
    # spread over the sorted list: the sources (and so passage lengths) differ by prefix
    files = [every[i * len(every) // count] for i in range(min(count, len(every)))]
    with tempfile.TemporaryDirectory() as plain:
        # a catalog without vectors only to learn which passages ingest will embed
        catalog = Catalog(plain)
        ingest(files, catalog, progress=False)
        marks = ",".join("?" * len(EMBEDDED_KINDS))
        wanted = dict(catalog.db.execute(
            f"SELECT rowid, text FROM passages WHERE kind IN ({marks})", EMBEDDED_KINDS))
        catalog.close()
    # the order sync encodes in: by length, so batches hold similar lengths
    texts = [wanted[r] for r in sorted(sorted(wanted), key=lambda r: len(wanted[r]))]
    encoder.passages(texts[-64:])  # warm-up on the longest batch: first-call costs out
    # raw, ingest, raw again: alternating keeps a machine getting warmer (or busier) from
    # favouring either side; the raw figure is the mean of the two raw runs
    raw_first = _encode_raw(encoder, texts)
    with tempfile.TemporaryDirectory() as data:
        catalog = Catalog(data)
        clock = time.perf_counter()
        report = ingest(files, catalog, progress=False, encoder=encoder)
        total = time.perf_counter() - clock
        catalog.close()
    raw_second = _encode_raw(encoder, texts)
    raw = (raw_first + raw_second) / 2
    embed = report.seconds.get("embed", 0.0)
    raw_rate = len(texts) / raw
    embed_rate = report.embedded / embed if embed else 0.0
    # whole-ingest rate counted in embedded passages too, so it compares with the raw rate
    total_rate = report.embedded / total
    return {
        "files": len(files), "passages": report.passages, "embedded": report.embedded,
        "raw_texts": len(texts), "same_passages": report.embedded == len(texts),
        "raw_seconds": [round(raw_first, 1), round(raw_second, 1)],
        "embed_seconds": round(embed, 1), "ingest_seconds": round(total, 1),
        "stage_seconds": {k: round(v, 2) for k, v in report.seconds.items()},
        "raw_passages_per_s": round(raw_rate, 1),
        "embed_stage_passages_per_s": round(embed_rate, 1),
        "ingest_passages_per_s": round(total_rate, 1),
        "ratio_embed_stage_to_raw": round(embed_rate / raw_rate, 3),
        "ratio_ingest_to_raw": round(total_rate / raw_rate, 3),
    }


# -- report ---------------------------------------------------------------------------------

def _print_latency(label: str, result: dict) -> None:
    print(f"\n{label}: {result['passages']:,} passages, {result['vectors']:,} vectors,"
          f" dense kind {result['kind']}, {result['queries']} queries"
          f" (dense load {result['dense_load_s']} s, first search {result['first_search_ms']} ms)")
    print(f"  {'ms':<16}{'p50':>9}{'p95':>9}{'mean':>9}")
    for name, figures in result["ms"].items():
        print(f"  {name:<16}{figures['p50']:>9.1f}{figures['p95']:>9.1f}{figures['mean']:>9.1f}")
    kinds = ", ".join(f"{kind} {f['lexical']:.0f}/{f['search']:.0f}"
                      for kind, f in result["p50_ms_by_query_kind"].items())
    print(f"  p50 lexical/search ms by query kind: {kinds}")
    if result["dense_recall"]:
        recall = result["dense_recall"]
        print(f"  IVF probe {recall['nprobe']} of {recall['nlist']} lists: recall@10"
              f" {recall['recall@10']}, recall@{CANDIDATES} {recall[f'recall@{CANDIDATES}']}"
              " (vs every list scanned)")
    ratio = result["ratio_search_to_embedding_p50"]
    print(f"  p50 search / p50 embedding = {ratio} (target <= 1.5:"
          f" {'met' if ratio <= 1.5 else 'not met'})")
    if "rss" in result:
        rss = result["rss"]
        print(f"  fresh process, catalog + dense + encoder + one search: VmRSS {rss['rss_mb']} MB,"
              f" VmHWM {rss['hwm_mb']} MB (dense index {rss['dense_mb']} MB,"
              f" encoder {rss['encoder_mb']} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "bench" / ".cache" / "corpus"))
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--synthetic", type=int, default=1_000_000,
                        help="passages in the synthetic catalog, corpus included")
    parser.add_argument("--keep", default="", help="build (or reuse) the synthetic catalog here")
    parser.add_argument("--sizes", default="corpus,synthetic,ingest",
                        help="parts to run: corpus, synthetic, ingest (comma-separated)")
    parser.add_argument("--queries", type=int, default=0, help="only the first N queries")
    parser.add_argument("--ingest-files", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch intra-op threads (default: torch's own choice, as the app)")
    parser.add_argument("--rss-probe", default="", help=argparse.SUPPRESS)
    parser.add_argument("--probe-query", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_probe:
        rss_probe(Path(args.rss_probe), args.probe_query)
        return
    parts = {p.strip() for p in args.sizes.split(",") if p.strip()}
    data, corpus = Path(args.data), Path(args.corpus)
    queries = _queries(args.queries)
    started = time.perf_counter()

    import torch

    from models.encoder import Encoder  # slow import (torch): after the argument checks

    if args.torch_threads:
        # on a busy machine a batch of one at 2 threads was measured 50x slower than at 1
        # (threads waiting on each other while descheduled): lets the two be compared
        torch.set_num_threads(args.torch_threads)
    clock = time.perf_counter()
    encoder = Encoder()
    load = time.perf_counter() - clock
    clock = time.perf_counter()
    encoder.queries([next(iter(queries))])
    first_query = time.perf_counter() - clock
    results: dict[str, object] = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "model": encoder.model_id, "torch_threads": torch.get_num_threads(),
        "encoder_load_s": round(load, 2),
        "first_query_embedding_ms": round(first_query * 1000, 1),
        "queries": len(queries),
    }
    print(f"encoder {encoder.model_id}: loaded in {load:.1f} s, first query embedding"
          f" {first_query * 1000:.0f} ms; {len(queries)} queries; {os.cpu_count()} CPUs,"
          f" torch threads {torch.get_num_threads()},"
          f" load average {os.getloadavg()[0]:.1f}")
    seconds: dict[str, float] = {}

    if "corpus" in parts or "synthetic" in parts:
        clock = time.perf_counter()
        results["corpus_catalog"] = corpus_catalog(data, corpus, encoder)
        seconds["corpus_catalog"] = time.perf_counter() - clock
    if "corpus" in parts:
        clock = time.perf_counter()
        result = time_queries(data, encoder, queries)
        result["rss"] = measure_rss(data, next(iter(queries)))
        results["corpus"] = result
        seconds["corpus"] = time.perf_counter() - clock
        _print_latency("corpus", result)
    if "synthetic" in parts:
        place = nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory()
        with place as where:
            target = Path(where) if args.keep else Path(where) / "synthetic"
            clock = time.perf_counter()
            # opening the corpus catalog first upgrades an older schema before it is copied
            Catalog(data).close()
            build = build_synthetic(data, target, args.synthetic, args.seed)
            seconds["synthetic_build"] = time.perf_counter() - clock
            print(f"\nsynthetic catalog: {build['passages']:,} passages,"
                  f" {'reused' if build['reused'] else 'built'}"
                  f" (build {build['build_seconds']} s: {build['seconds']}),"
                  f" dense kind {build['kind']}, cosine to source"
                  f" {build['mean_cosine_to_source']}, catalog {build['catalog_mb']} MB,"
                  f" vectors {build['vectors_mb']} MB")
            clock = time.perf_counter()
            result = time_queries(target, encoder, queries)
            result["build"] = build
            result["rss"] = measure_rss(target, next(iter(queries)))
            results["synthetic"] = result
            seconds["synthetic_queries"] = time.perf_counter() - clock
            _print_latency("synthetic", result)
    if "ingest" in parts:
        clock = time.perf_counter()
        result = bench_ingest(corpus, args.ingest_files, encoder)
        results["ingest"] = result
        seconds["ingest"] = time.perf_counter() - clock
        print(f"\ningest of {result['files']} files, {result['embedded']} passages embedded"
              f" (raw encoder on the same {result['raw_texts']} texts):")
        print(f"  raw encoder   {result['raw_passages_per_s']:>8.1f} passages/s"
              f" (runs {result['raw_seconds']} s)")
        print(f"  embed stage   {result['embed_stage_passages_per_s']:>8.1f} passages/s"
              f" = {result['ratio_embed_stage_to_raw']:.1%} of raw (target >= 90%)")
        print(f"  whole ingest  {result['ingest_passages_per_s']:>8.1f} passages/s"
              f" = {result['ratio_ingest_to_raw']:.1%} of raw"
              f" ({result['ingest_seconds']} s; stages {result['stage_seconds']})")
    seconds["total"] = time.perf_counter() - started
    results["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nparts took {results['seconds']} s → {RESULTS}")


if __name__ == "__main__":
    main()
