"""Encoder benchmark: torch fp32 (models/encoder.py) against the int8 ONNX export
(models/onnx_encoder.py) in one run: passages per second, query latency, and how close the
int8 vectors are to the fp32 ones.

    .venv/bin/python bench/encoder.py [--corpus ../shared/corpus] [--passages 300]
        [--words 160] [--rounds 2] [--queries 40] [--torch-threads N]

Passages are windows of ``--words`` words (~200 tokens, the mean is reported) cut from the
corpus texts, a few per file, spread over the whole corpus. Both encoders embed all of them
``--rounds`` times, alternating torch, ONNX, torch, ONNX: the machine is shared, and
alternating keeps a machine getting busier from favouring either side. Queries are the
distinct queries of tests/data/qrels.tsv, one at a time (a search is a batch of one), each
encoder in turn. Needs the export: ``.venv/bin/python -m models.onnx_export``. Figures go to
stdout and to ``bench/results/encoder.json``. A benchmark, not a test: nothing is asserted.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.encoder import Encoder  # noqa: E402
from models.onnx_encoder import OnnxEncoder  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "encoder.json"
QRELS = ROOT / "tests" / "data" / "qrels.tsv"
TARGET_RATIO = 1.8
PER_FILE = 3  # windows taken from each file before spreading: no one long file dominates


def corpus_passages(corpus: Path, count: int, words: int) -> list[str]:
    """``count`` windows of ``words`` words, a few from each corpus text, evenly spread."""
    windows: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        tokens = path.read_text(encoding="utf-8").split()
        windows += [" ".join(tokens[at : at + words])
                    for at in range(0, len(tokens) - words + 1, words)][:PER_FILE]
    if len(windows) < count:
        raise SystemExit(f"{corpus}: only {len(windows)} passages of {words} words")
    step = len(windows) / count
    return [windows[int(n * step)] for n in range(count)]


def qrels_queries(limit: int) -> list[str]:
    with QRELS.open(encoding="utf-8") as handle:
        found = dict.fromkeys(row["query"] for row in csv.DictReader(handle, delimiter="\t")
                              if row["query"].strip())
    return list(found)[:limit]


def _load(kind):
    clock = time.perf_counter()
    encoder = kind()
    return encoder, time.perf_counter() - clock


def _throughput(encoders: dict, texts: list[str], rounds: int) -> tuple[dict, dict]:
    """Passages/s of each encoder (all rounds' passages over all rounds' seconds), and the
    vectors of the last round."""
    seconds = {name: [] for name in encoders}
    vectors = {}
    for encoder in encoders.values():
        encoder.passages(texts[:32])  # warm-up: first-call costs out
    for _ in range(rounds):
        for name, encoder in encoders.items():
            clock = time.perf_counter()
            vectors[name] = encoder.passages(texts)
            seconds[name].append(time.perf_counter() - clock)
    rates = {name: {"passages_per_s": round(len(texts) * rounds / sum(spent), 2),
                    "round_seconds": [round(s, 1) for s in spent]}
             for name, spent in seconds.items()}
    return rates, vectors


def _query_latency(encoders: dict, asked: list[str]) -> dict:
    spent = {name: [] for name in encoders}
    for encoder in encoders.values():
        encoder.queries(asked[:3])  # warm-up
    for query in asked:
        for name, encoder in encoders.items():
            clock = time.perf_counter()
            encoder.queries([query])
            spent[name].append((time.perf_counter() - clock) * 1000)
    return {name: {"p50_ms": round(float(np.percentile(v, 50)), 2),
                   "p90_ms": round(float(np.percentile(v, 90)), 2)}
            for name, v in spent.items()}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--words", type=int, default=160, help="words per passage")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="torch intra-op threads (default: torch's own choice, as the app)")
    return parser


def main() -> None:
    args = _parser().parse_args()
    import torch  # loaded by Encoder anyway; imported here for its thread count

    if args.torch_threads:
        # on a busy machine torch's batch of one at 2 threads was measured 50x slower than
        # at 1 (bench/search.py): lets the two be compared
        torch.set_num_threads(args.torch_threads)
    texts = corpus_passages(Path(args.corpus), args.passages, args.words)
    asked = qrels_queries(args.queries)
    started = time.perf_counter()
    load_average = [round(x, 2) for x in os.getloadavg()]
    fp32, fp32_load = _load(Encoder)
    int8, int8_load = _load(OnnxEncoder)
    tokens = [len(e.ids) for e in int8.tokenizer.encode_batch(["passage: " + t for t in texts])]
    encoders = {"torch_fp32": fp32, "onnx_int8": int8}
    rates, vectors = _throughput(encoders, texts, args.rounds)
    cosine = (vectors["torch_fp32"] * vectors["onnx_int8"]).sum(axis=1)
    ratio = rates["onnx_int8"]["passages_per_s"] / rates["torch_fp32"]["passages_per_s"]
    results = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "load_average_at_start": load_average, "torch_threads": torch.get_num_threads(),
        "onnx_threads": int8.session.get_session_options().intra_op_num_threads,
        "models": {"torch_fp32": fp32.model_id, "onnx_int8": int8.model_id},
        "load_s": {"torch_fp32": round(fp32_load, 2), "onnx_int8": round(int8_load, 2)},
        "passages": len(texts), "mean_tokens": round(float(np.mean(tokens)), 1),
        "batch_size": fp32.batch_size, "rounds": args.rounds,
        "throughput": rates, "ratio_int8_to_fp32": round(ratio, 2),
        "target_ratio": TARGET_RATIO, "meets_target": ratio >= TARGET_RATIO,
        "cosine_int8_to_fp32": {"mean": round(float(cosine.mean()), 5),
                                "min": round(float(cosine.min()), 5)},
        "queries": len(asked), "query_latency": _query_latency(encoders, asked),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()
