"""Summary and outline benchmark: ``summarize`` on long plans and ``outline`` over 50
passages, with the real encoder, on the embedded corpus catalog bench/search.py builds.

    .venv/bin/python bench/summarize.py [--data bench/.cache/corpus] [--docs 10] [--topics 10]

Documents: the ``--docs`` corpus documents whose text is closest to ten pages (25,000
characters, about 2,500 words). Topics: the first ``--topics`` keyword and paraphrase queries
of tests/data/qrels.tsv. Each is timed once after one warm-up call; figures go to stdout and to
``bench/results/summarize.json``. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from query.outline import PASSAGES, outline  # noqa: E402
from query.summarize import summarize  # noqa: E402
from store.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "summarize.json"
TEN_PAGES = 25_000  # characters: ~2,500 words, what ten A4 pages of a plan hold


def _ms(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 1),
            "max": round(float(values.max()), 1), "mean": round(float(values.mean()), 1)}


def time_summaries(store: Store, count: int) -> dict[str, object]:
    """``summarize`` on the ``count`` documents closest to ten pages, after one warm-up."""
    docs = [d for d, _n in store.db.execute(
        "SELECT doc_id, length(text) FROM documents ORDER BY abs(length(text) - ?) LIMIT ?",
        (TEN_PAGES, count))]
    summarize(store.catalog.get(docs[0]), store=store)  # warm-up
    spent, chars, found = [], [], []
    for doc_id in docs:
        clock = time.perf_counter()
        doc = store.catalog.get(doc_id)
        summary = summarize(doc, store=store)
        spent.append(time.perf_counter() - clock)
        chars.append(len(doc.text))
        found.append({"source": doc.source, "chars": len(doc.text),
                      "ms": round(spent[-1] * 1000, 1), "tasks": len(summary.tasks),
                      "deadlines": len(summary.deadlines), "units": len(summary.units),
                      "sentences": len(summary.sentences)})
    return {"documents": len(docs), "chars_mean": round(float(np.mean(chars))),
            "ms": _ms(spent), "each": found}


def time_outlines(store: Store, count: int) -> dict[str, object]:
    """``outline`` on the first ``count`` keyword and paraphrase queries, after a warm-up."""
    with (ROOT / "tests" / "data" / "qrels.tsv").open(encoding="utf-8") as handle:
        topics = list(dict.fromkeys(r["query"] for r in csv.DictReader(handle, delimiter="\t")
                                    if r["kind"] in ("keyword", "paraphrase")))[:count]
    outline(store, topics[0])  # warm-up
    outlines, points = [], []
    for topic in topics:
        clock = time.perf_counter()
        result = outline(store, topic)
        outlines.append(time.perf_counter() - clock)
        points.append(sum(len(s.points) for s in result.sections))
    return {"topics": len(topics), "passages_retrieved": PASSAGES, "ms": _ms(outlines),
            "points_mean": round(float(np.mean(points)), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "bench" / ".cache" / "corpus"))
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--topics", type=int, default=10)
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "dense" / "manifest.json").exists():
        raise SystemExit(f"{data}: no embedded catalog; build it with bench/search.py")
    import torch

    from models.encoder import Encoder

    encoder = Encoder()
    encoder.queries(["khởi động"])
    store = Store(data, encoder=encoder)
    store.dense()  # the vectors loaded once, before any timing
    summary = time_summaries(store, args.docs)
    outlines = time_outlines(store, args.topics)
    results = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(), "model": encoder.model_id,
        "passages": store.db.execute("SELECT count(*) FROM passages").fetchone()[0],
        "summary": summary, "outline": outlines,
    }
    store.close()
    print(f"summary of {summary['documents']} plans of ~{summary['chars_mean']:,} characters:"
          f" p50 {summary['ms']['p50']} ms, max {summary['ms']['max']} ms")
    print(f"outline over {PASSAGES} passages, {outlines['topics']} topics:"
          f" p50 {outlines['ms']['p50']} ms, max {outlines['ms']['max']} ms,"
          f" {outlines['points_mean']} points")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
