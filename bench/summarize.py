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
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from query.outline import PASSAGES, outline  # noqa: E402
from query.summarize import summarize  # noqa: E402
from store.catalog import Catalog  # noqa: E402
from store.dense import DenseIndex  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "summarize.json"
TEN_PAGES = 25_000  # characters: ~2,500 words, what ten A4 pages of a plan hold


def _ms(seconds: list[float]) -> dict[str, float]:
    values = np.asarray(seconds) * 1000
    return {"p50": round(float(np.percentile(values, 50)), 1),
            "max": round(float(values.max()), 1), "mean": round(float(values.mean()), 1)}


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
    catalog = Catalog(data)
    dense = DenseIndex(data / "dense", encoder.model_id, encoder.dimension)
    docs = [d for d, _n in catalog.db.execute(
        "SELECT doc_id, length(text) FROM documents ORDER BY abs(length(text) - ?) LIMIT ?",
        (TEN_PAGES, args.docs))]
    summarize(catalog.get(docs[0]), db=catalog.db, encoder=encoder.passages)  # warm-up
    spent, chars, found = [], [], []
    for doc_id in docs:
        clock = time.perf_counter()
        doc = catalog.get(doc_id)
        summary = summarize(doc, db=catalog.db, encoder=encoder.passages)
        spent.append(time.perf_counter() - clock)
        chars.append(len(doc.text))
        found.append({"source": doc.source, "chars": len(doc.text),
                      "ms": round(spent[-1] * 1000, 1), "tasks": len(summary.tasks),
                      "deadlines": len(summary.deadlines), "units": len(summary.units),
                      "sentences": len(summary.sentences)})
    with (ROOT / "tests" / "data" / "qrels.tsv").open(encoding="utf-8") as handle:
        topics = list(dict.fromkeys(r["query"] for r in csv.DictReader(handle, delimiter="\t")
                                    if r["kind"] in ("keyword", "paraphrase")))[:args.topics]
    outline(catalog.db, topics[0], encoder=encoder.queries, dense=dense)  # warm-up
    outlines, points = [], []
    for topic in topics:
        clock = time.perf_counter()
        result = outline(catalog.db, topic, encoder=encoder.queries, dense=dense)
        outlines.append(time.perf_counter() - clock)
        points.append(sum(len(s.points) for s in result.sections))
    results = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(), "model": encoder.model_id,
        "passages": catalog.db.execute("SELECT count(*) FROM passages").fetchone()[0],
        "summary": {"documents": len(docs), "chars_mean": round(float(np.mean(chars))),
                    "ms": _ms(spent), "each": found},
        "outline": {"topics": len(topics), "passages_retrieved": PASSAGES, "ms": _ms(outlines),
                    "points_mean": round(float(np.mean(points)), 1)},
    }
    print(f"summary of {len(docs)} plans of ~{results['summary']['chars_mean']:,} characters:"
          f" p50 {results['summary']['ms']['p50']} ms, max {results['summary']['ms']['max']} ms")
    print(f"outline over {PASSAGES} passages, {len(topics)} topics:"
          f" p50 {results['outline']['ms']['p50']} ms, max {results['outline']['ms']['max']} ms,"
          f" {results['outline']['points_mean']} points")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
