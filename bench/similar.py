"""Precedent benchmark: ``similar`` on 1,000-word inputs at corpus size and at 1M passages,
and the size of the shingle index against the passage store.

    .venv/bin/python bench/similar.py [--data bench/.cache/corpus] [--synthetic DIR]
        [--inputs 20] [--words 1000]

``--data`` is the embedded corpus catalog bench/search.py builds (and reuses);
``--synthetic`` a 1M-passage catalog kept by ``bench/search.py --sizes synthetic --keep DIR``.
A catalog without fingerprints for every passage (one from before schema 5, or the synthetic
one, whose builder writes passages directly) gets them first, and that build is timed.

Inputs: for each of ``--inputs`` real documents with enough body text, its first ``--words``
words of body passages, joined as a user would paste a long extract; a tenth of the inputs
have every twelfth word dropped (an edited copy). Each input is timed through the whole
``similar`` path with the real encoder, and by parts: shingle candidates, the embedding of
the input's opening, the rest (fetching and comparing candidates, grouping). Figures go to
stdout and to ``bench/results/similar.json``. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import settings  # noqa: E402
from query import similar as similar_module  # noqa: E402
from store.schema import rebuild_shingles  # noqa: E402
from store.shingles import shingle_hashes, words  # noqa: E402
from store.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "similar.json"
WARMUP = 2


def _ms(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 1),
            "p95": round(float(np.percentile(values, 95)), 1),
            "mean": round(float(values.mean()), 1)}


def _sizes(db) -> dict[str, float]:
    """MB of the shingle index and of the passage store (passages and their FTS5 index)."""
    pages = dict(db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    mb = {name: size / 1e6 for name, size in pages.items()}
    store = mb.get("passages", 0) + sum(v for k, v in mb.items() if k.startswith("passages_fts"))
    shingles = mb.get("shingles", 0)
    return {"shingles_mb": round(shingles, 1), "passages_table_mb": round(mb["passages"], 1),
            "passage_store_mb": round(store, 1),
            "shingles_vs_passages_table": round(shingles / mb["passages"], 3),
            "shingles_vs_passage_store": round(shingles / store, 3)}


def _ensure_shingles(store: Store) -> float | None:
    """Seconds spent fingerprinting every passage, or None when they all had theirs."""
    db = store.db
    last = db.execute("SELECT max(id) FROM passages").fetchone()[0]
    covered = db.execute("SELECT count(*) FROM shingles WHERE passage = ?", (last,)).fetchone()
    if covered[0]:
        return None
    clock = time.perf_counter()
    rebuild_shingles(db)
    return round(time.perf_counter() - clock, 1)


def _inputs(db, count: int, size: int) -> list[str]:
    """The first ``size`` words of body text of ``count`` real (not synthetic) documents."""
    out = []
    docs = db.execute("SELECT doc_id FROM documents WHERE source NOT LIKE 'synthetic/%'"
                      " ORDER BY doc_id").fetchall()
    for (doc_id,) in docs:
        texts = [t for (t,) in db.execute(
            "SELECT text FROM passages WHERE doc_id = ? AND kind = 'body' ORDER BY ordinal",
            (doc_id,))]
        tokens = " ".join(texts).split()
        if len(tokens) < size:
            continue
        tokens = tokens[:size]
        if len(out) % 10 == 9:  # an edited copy: every twelfth word dropped
            tokens = [w for i, w in enumerate(tokens) if i % 12 != 11]
        out.append(" ".join(tokens))
        if len(out) == count:
            break
    return out


def time_similar(data: Path, encoder, count: int, size: int) -> dict[str, object]:
    clock = time.perf_counter()
    store = Store(data, encoder=encoder)
    opened = time.perf_counter() - clock
    built = _ensure_shingles(store)
    db = store.db
    store.dense()  # the vectors loaded once, before any timing
    inputs = _inputs(db, count, size)
    for text in inputs[:WARMUP]:
        similar_module.similar(store, text)
    spent: dict[str, list[float]] = {"similar": [], "shingle_candidates": [], "embedding": []}
    groups, labels = [], {}
    cut = int(settings.get("similar_dense_words"))
    for text in inputs:
        tick = time.perf_counter()
        result = similar_module.similar(store, text)
        spent["similar"].append(time.perf_counter() - tick)
        groups.append(len(result.groups))
        for g in result.groups:
            labels[g.label] = labels.get(g.label, 0) + 1
        folded, spans = words(text)
        tick = time.perf_counter()
        similar_module._shingle_candidates(db, shingle_hashes(folded), None)
        spent["shingle_candidates"].append(time.perf_counter() - tick)
        tick = time.perf_counter()
        encoder.queries([text[: spans[min(cut, len(folded)) - 1][1]]])
        spent["embedding"].append(time.perf_counter() - tick)
    figures = {name: _ms(values) for name, values in spent.items()}
    figures["rest"] = _ms([a - b - c for a, b, c in zip(
        spent["similar"], spent["shingle_candidates"], spent["embedding"], strict=True)])
    passages = db.execute("SELECT count(*) FROM passages").fetchone()[0]
    sizes = _sizes(db)
    store.close()
    return {"passages": passages, "inputs": len(inputs), "words_per_input": size,
            "catalog_open_s": round(opened, 2), "shingles_built_s": built, "ms": figures,
            "groups_per_input_mean": round(float(np.mean(groups)), 1), "labels": labels,
            "sizes": sizes}


def _print(label: str, result: dict) -> None:
    print(f"\n{label}: {result['passages']:,} passages, {result['inputs']} inputs of"
          f" {result['words_per_input']} words"
          + (f" (shingles built in {result['shingles_built_s']} s)"
             if result["shingles_built_s"] else ""))
    print(f"  {'ms':18} {'p50':>8} {'p95':>8} {'mean':>8}")
    for name, f in result["ms"].items():
        print(f"  {name:18} {f['p50']:8.1f} {f['p95']:8.1f} {f['mean']:8.1f}")
    s = result["sizes"]
    print(f"  shingle index {s['shingles_mb']} MB: {s['shingles_vs_passages_table']:.1%} of the"
          f" passages table ({s['passages_table_mb']} MB), {s['shingles_vs_passage_store']:.1%}"
          f" of the passage store with its FTS5 index ({s['passage_store_mb']} MB)")
    print(f"  groups per input {result['groups_per_input_mean']}, labels {result['labels']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "bench" / ".cache" / "corpus"))
    parser.add_argument("--synthetic", default="", help="a kept 1M catalog (bench/search.py)")
    parser.add_argument("--inputs", type=int, default=20)
    parser.add_argument("--words", type=int, default=1000)
    args = parser.parse_args()
    import torch

    from models.encoder import Encoder

    encoder = Encoder()
    encoder.queries(["khởi động"])
    results: dict[str, object] = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "model": encoder.model_id, "torch_threads": torch.get_num_threads()}
    for label, where in (("corpus", args.data), ("synthetic", args.synthetic)):
        if not where:
            continue
        if not (Path(where) / "dense" / "manifest.json").exists():
            raise SystemExit(f"{where}: no embedded catalog; build it with bench/search.py")
        results[label] = time_similar(Path(where), encoder, args.inputs, args.words)
        _print(label, results[label])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
