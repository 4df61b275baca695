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
  perturbed copies of its passages (bench/synthetic.py). Built in a temporary directory, or
  in ``--keep DIR`` and reused from there by later runs.
* ``ingest``: ``--ingest-files`` corpus texts ingested with the encoder into a fresh
  catalog, against the encoder alone on exactly the passages that were embedded.

For each catalog the queries of ``tests/data/qrels.tsv`` are timed through the full search
path and leg by leg (bench/latency.py); the memory (VmRSS, VmHWM) of a loaded catalog is read
in a fresh subprocess. Figures go to stdout and to ``bench/results/search.json``. A
benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import measure_rss, print_latency, queries, time_queries  # noqa: E402
from bench.synthetic import build_synthetic  # noqa: E402
from store.embed import embedding_texts  # noqa: E402
from store.store import Store  # noqa: E402
from store.update import ingest  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "search.json"


def corpus_catalog(data: Path, corpus: Path, encoder) -> dict[str, object]:
    """Make sure ``data`` holds an embedded catalog of the corpus; what was done."""
    store = Store(data, encoder=encoder)
    if store.has_vectors:
        store.close()
        return {"built": False}
    files = sorted(corpus.glob("*.txt"))
    print(f"building the corpus catalog in {data} from {len(files)} files (slow the first time)")
    clock = time.perf_counter()
    report = ingest(files, store, progress=True)
    store.close()
    return {"built": True, "files": len(files), "seconds": round(time.perf_counter() - clock, 1),
            "failed": len(report.failed)}


# -- ingest against the raw encoder ---------------------------------------------------------

def _encode_raw(encoder, texts: list[str]) -> float:
    clock = time.perf_counter()
    for at in range(0, len(texts), 64):  # sync's batch
        encoder.passages(texts[at : at + 64])
    return time.perf_counter() - clock


def _embedded_texts(files: list[Path]) -> list[str]:
    """The texts ingest will embed from ``files``, in the order sync encodes them."""
    with tempfile.TemporaryDirectory() as plain:
        # a catalog without vectors only to learn which passages ingest will embed
        store = Store(plain)
        ingest(files, store, progress=False)
        wanted = embedding_texts(store.db)
        store.close()
    # the order sync encodes in: by length, so batches hold similar lengths
    return [wanted[r] for r in sorted(sorted(wanted), key=lambda r: len(wanted[r]))]


def bench_ingest(corpus: Path, count: int, encoder) -> dict[str, object]:
    every = sorted(corpus.glob("*.txt"))
    # spread over the sorted list: the sources (and so passage lengths) differ by prefix
    files = [every[i * len(every) // count] for i in range(min(count, len(every)))]
    texts = _embedded_texts(files)
    encoder.passages(texts[-64:])  # warm-up on the longest batch: first-call costs out
    # raw, ingest, raw again: alternating keeps a machine getting warmer (or busier) from
    # favouring either side; the raw figure is the mean of the two raw runs
    raw_first = _encode_raw(encoder, texts)
    with tempfile.TemporaryDirectory() as data:
        store = Store(data, encoder=encoder)
        clock = time.perf_counter()
        report = ingest(files, store, progress=False)
        total = time.perf_counter() - clock
        store.close()
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


def _print_ingest(result: dict) -> None:
    print(f"\ningest of {result['files']} files, {result['embedded']} passages embedded"
          f" (raw encoder on the same {result['raw_texts']} texts):")
    print(f"  raw encoder   {result['raw_passages_per_s']:>8.1f} passages/s"
          f" (runs {result['raw_seconds']} s)")
    print(f"  embed stage   {result['embed_stage_passages_per_s']:>8.1f} passages/s"
          f" = {result['ratio_embed_stage_to_raw']:.1%} of raw (target >= 90%)")
    print(f"  whole ingest  {result['ingest_passages_per_s']:>8.1f} passages/s"
          f" = {result['ratio_ingest_to_raw']:.1%} of raw"
          f" ({result['ingest_seconds']} s; stages {result['stage_seconds']})")


# -- the parts ------------------------------------------------------------------------------

def _encoder(args, asked: dict[str, str]):
    """The encoder, loaded and asked one query, and the run's opening figures."""
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
    encoder.queries([next(iter(asked))])
    first_query = time.perf_counter() - clock
    results: dict[str, object] = {
        "date": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "model": encoder.model_id, "torch_threads": torch.get_num_threads(),
        "encoder_load_s": round(load, 2),
        "first_query_embedding_ms": round(first_query * 1000, 1),
        "queries": len(asked),
    }
    print(f"encoder {encoder.model_id}: loaded in {load:.1f} s, first query embedding"
          f" {first_query * 1000:.0f} ms; {len(asked)} queries; {os.cpu_count()} CPUs,"
          f" torch threads {torch.get_num_threads()},"
          f" load average {os.getloadavg()[0]:.1f}")
    return encoder, results


def _synthetic(args, data: Path, encoder, asked: dict[str, str], seconds: dict[str, float]
               ) -> dict[str, object]:
    place = nullcontext(args.keep) if args.keep else tempfile.TemporaryDirectory()
    with place as where:
        target = Path(where) if args.keep else Path(where) / "synthetic"
        clock = time.perf_counter()
        # opening the corpus catalog first upgrades an older schema before it is copied
        Store(data).close()
        build = build_synthetic(data, target, args.synthetic, args.seed)
        seconds["synthetic_build"] = time.perf_counter() - clock
        print(f"\nsynthetic catalog: {build['passages']:,} passages,"
              f" {'reused' if build['reused'] else 'built'}"
              f" (build {build['build_seconds']} s: {build['seconds']}),"
              f" dense kind {build['kind']}, cosine to source"
              f" {build['mean_cosine_to_source']}, catalog {build['catalog_mb']} MB,"
              f" vectors {build['vectors_mb']} MB")
        clock = time.perf_counter()
        result = time_queries(target, encoder, asked)
        result["build"] = build
        result["rss"] = measure_rss(target, next(iter(asked)))
        seconds["synthetic_queries"] = time.perf_counter() - clock
    print_latency("synthetic", result)
    return result


def _parser() -> argparse.ArgumentParser:
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
    return parser


def main() -> None:
    args = _parser().parse_args()
    parts = {p.strip() for p in args.sizes.split(",") if p.strip()}
    data, corpus = Path(args.data), Path(args.corpus)
    asked = queries(args.queries)
    started = time.perf_counter()
    encoder, results = _encoder(args, asked)
    seconds: dict[str, float] = {}
    if "corpus" in parts or "synthetic" in parts:
        clock = time.perf_counter()
        results["corpus_catalog"] = corpus_catalog(data, corpus, encoder)
        seconds["corpus_catalog"] = time.perf_counter() - clock
    if "corpus" in parts:
        clock = time.perf_counter()
        result = time_queries(data, encoder, asked)
        result["rss"] = measure_rss(data, next(iter(asked)))
        results["corpus"] = result
        seconds["corpus"] = time.perf_counter() - clock
        print_latency("corpus", result)
    if "synthetic" in parts:
        results["synthetic"] = _synthetic(args, data, encoder, asked, seconds)
    if "ingest" in parts:
        clock = time.perf_counter()
        results["ingest"] = bench_ingest(corpus, args.ingest_files, encoder)
        seconds["ingest"] = time.perf_counter() - clock
        _print_ingest(results["ingest"])
    seconds["total"] = time.perf_counter() - started
    results["seconds"] = {k: round(v, 1) for k, v in seconds.items()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nparts took {results['seconds']} s → {RESULTS}")


if __name__ == "__main__":
    main()
