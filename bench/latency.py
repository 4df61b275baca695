"""Query latency and memory of one catalog, for bench/search.py: the full search path and
each leg (diacritic restoration, query embedding, lexical leg, dense leg), the IVF probe's
recall, and the memory of a loaded catalog read in a fresh process.

    .venv/bin/python -m bench.latency DATA QUERY  # the fresh process: one JSON line
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.synthetic import model_of
from query.lexical import search_lexical
from query.restore import restore_diacritics
from query.search import CANDIDATES, search
from store import bm25
from store.dense import IVF_PROBE, DenseIndex, open_saved
from store.store import Store

ROOT = Path(__file__).resolve().parents[1]
QRELS = ROOT / "tests" / "data" / "qrels.tsv"
WARMUP = 3  # queries run before timing: first-call costs are reported apart, not in p50
LEGS = ("search", "restore", "embedding", "lexical", "dense")


def _ms(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 2),
            "p95": round(float(np.percentile(values, 95)), 2),
            "mean": round(float(values.mean()), 2)}


def queries(limit: int) -> dict[str, str]:
    """Distinct queries of the evaluation set, in file order, with their kind (close,
    nodiacritics, question): the kinds differ in length, so in lexical cost."""
    with QRELS.open(encoding="utf-8") as handle:
        found = {row["query"]: row["kind"] for row in csv.DictReader(handle, delimiter="\t")
                 if row["query"].strip()}
    return dict(list(found.items())[:limit]) if limit else found


def _legs(store: Store, dense: DenseIndex, texts: list[str]
          ) -> tuple[dict[str, list[float]], list[float], list[np.ndarray]]:
    """Seconds of each leg per query, the rest of the search, and the query vectors."""
    encoder = store.encoder
    spent: dict[str, list[float]] = {name: [] for name in LEGS}
    rest: list[float] = []
    vectors = []
    for n, query in enumerate(texts):
        restored = restore_diacritics(store, query)
        vector = encoder.queries([restored])
        vectors.append(vector[0])
        steps = {
            "search": lambda q=query: search(store, q),
            "restore": lambda q=query: restore_diacritics(store, q),
            "embedding": lambda r=restored: encoder.queries([r]),
            "lexical": lambda q=query: search_lexical(store, q, CANDIDATES),
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
    return spent, rest, vectors


def _open(data: Path, encoder) -> tuple[Store, DenseIndex, dict[str, object]]:
    """The store and its vectors, with the seconds each took to open; the BM25 index is
    built first for a catalog ingested before it existed."""
    clock = time.perf_counter()
    store = Store(data, encoder=encoder)
    opened = time.perf_counter() - clock
    clock = time.perf_counter()
    dense = store.dense()
    loaded = time.perf_counter() - clock
    rebuilt_bm25 = None
    if store.bm25() is None:
        clock = time.perf_counter()
        bm25.rebuild(store.db, store.bm25_dir)
        rebuilt_bm25 = round(time.perf_counter() - clock, 1)
    return store, dense, {"catalog_open_s": round(opened, 2), "dense_load_s": round(loaded, 2),
                          "bm25_rebuilt_s": rebuilt_bm25}


def time_queries(data: Path, encoder, asked: dict[str, str]) -> dict[str, object]:
    """Latency of the full search and of each leg, at the size of the catalog in ``data``."""
    store, dense, opening = _open(data, encoder)
    texts = list(asked)
    clock = time.perf_counter()
    search(store, texts[0])
    first = time.perf_counter() - clock
    for query in texts[1:WARMUP]:
        search(store, query)
    spent, rest, vectors = _legs(store, dense, texts)
    figures = {name: _ms(values) for name, values in spent.items()}
    figures["fusion_and_rest"] = _ms(rest)
    by_kind = {}
    for kind in sorted(set(asked.values())):
        picked = [i for i, q in enumerate(texts) if asked[q] == kind]
        by_kind[kind] = {"queries": len(picked)} | {
            name: _ms([spent[name][i] for i in picked])["p50"] for name in ("lexical", "search")}
    passages = store.db.execute("SELECT count(*) FROM passages").fetchone()[0]
    store.close()
    return {
        "passages": passages, "vectors": int(dense.index.ntotal), "kind": dense.kind,
        "queries": len(asked), **opening, "first_search_ms": round(first * 1000, 1),
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

def _status() -> dict[str, float]:
    """VmRSS and VmHWM of this process in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = round(int(value.split()[0]) / 1024, 1)  # kB
    return out


def rss_probe(data: Path, query: str) -> None:
    """In a fresh process: memory after each loading step, as one JSON line on stdout."""
    from models.encoder import Encoder

    stages = {"imports": _status()}
    store = Store(data)
    stages["catalog_opened"] = _status()
    # loaded as the store will load it once it has the encoder (open_saved keeps it)
    open_saved(store.dense_dir, *model_of(data))
    stages["dense_loaded"] = _status()
    store.encoder = Encoder()
    stages["encoder_loaded"] = _status()
    search(store, query)
    stages["one_search"] = _status()
    print(json.dumps(stages))


def measure_rss(data: Path, query: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-m", "bench.latency", str(data), query], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    stages = json.loads(done.stdout.strip().splitlines()[-1])
    final = stages["one_search"]
    return {
        "rss_mb": final["VmRSS"], "hwm_mb": final["VmHWM"],
        "dense_mb": round(stages["dense_loaded"]["VmRSS"] - stages["catalog_opened"]["VmRSS"], 1),
        "encoder_mb": round(stages["encoder_loaded"]["VmRSS"]
                            - stages["dense_loaded"]["VmRSS"], 1),
        "stages": stages,
    }


# search p50 over query-embedding p50 (the store issue): the lexical leg, the fetch and the
# fusion must hide behind the embedding, more so at corpus size where they cost less.
TARGETS = {"corpus": 1.2, "synthetic": 1.3}


def print_latency(label: str, result: dict) -> None:
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
    target = TARGETS.get(label, 1.3)
    print(f"  p50 search / p50 embedding = {ratio} (target <= {target}:"
          f" {'met' if ratio <= target else 'not met'})")
    if "rss" in result:
        rss = result["rss"]
        print(f"  fresh process, catalog + dense + encoder + one search: VmRSS {rss['rss_mb']} MB,"
              f" VmHWM {rss['hwm_mb']} MB (dense index {rss['dense_mb']} MB,"
              f" encoder {rss['encoder_mb']} MB)")


if __name__ == "__main__":
    rss_probe(Path(sys.argv[1]), sys.argv[2])
