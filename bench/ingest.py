"""Ingest benchmark: files/s, passages/s and seconds per stage on the real corpus.

    .venv/bin/python bench/ingest.py [--corpus ../shared/corpus] [--limit N]
    .venv/bin/python bench/ingest.py --compare [--workers N] [--before] [--only raw|txt]

Runs into fresh temporary catalogs: the originals in ``corpus/raw`` (PDF with OCR of scans,
DOCX, DOC) and the ``corpus/*.txt`` texts. By default each is ingested once with the
``workers`` setting as it is. ``--compare`` ingests each twice back to back, serial
(workers=1) then with N workers (default: one per core), and reports the ratio; the machine
is shared, so only figures of one run are compared. ``--before`` adds, first, the serial
path as it was before issue 13: tesseract on its default OpenMP threads. No encoder: the
embedding that follows an ingest (``store/dense.py``) stays in the main process and is
timed by ``bench/search.py``. Figures go to stdout and to ``bench/results/ingest.json``. A
benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.parallel import workers as default_workers  # noqa: E402
from store.store import Store  # noqa: E402
from store.update import ingest  # noqa: E402


def run(label: str, files: list[Path], env: dict[str, str] | None = None) -> dict[str, object]:
    """One ingest of ``files`` into a fresh catalog, with ``env`` set during it."""
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        with tempfile.TemporaryDirectory() as data:
            store = Store(data)
            clock = time.perf_counter()
            report = ingest(files, store, progress=True)
            total = time.perf_counter() - clock
            ocr_pages = sum(len(entry.ocr_pages) for entry in store.catalog.entries())
            store.close()  # the last connection's close moves the WAL into the catalog file
            size = store.catalog.path.stat().st_size
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    result = {
        "run": label, "env": env or {}, "files": len(files), "ingested": len(report.ingested),
        "failed": [f"{Path(p).name}: {r}" for p, _e, r in report.failed],
        "passages": report.passages, "seconds": round(total, 1),
        "files_per_s": round(len(files) / total, 2),
        "passages_per_s": round(report.passages / total, 1),
        "ocr_pages": ocr_pages,
        # Summed over the processes that did the work: with workers > 1 they add up to more
        # than the wall-clock seconds.
        "stage_seconds": {k: round(v, 1) for k, v in report.seconds.items()},
        "catalog_mb": round(size / 1e6, 1),
        "notices": report.notices,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    return result


def compare(label: str, files: list[Path], workers: int, before: bool) -> list[dict]:
    """Serial then ``workers`` processes on the same files, back to back, with the ratio."""
    runs = []
    if before:  # OMP_THREAD_LIMIT at the core count: tesseract's OpenMP default
        runs.append(run(f"{label}, serial as before issue 13", files, {
            "VANKIEN_WORKERS": "1", "OMP_THREAD_LIMIT": str(os.cpu_count() or 1)}))
    serial = run(f"{label}, workers=1", files, {"VANKIEN_WORKERS": "1"})
    parallel = run(f"{label}, workers={workers}", files, {"VANKIEN_WORKERS": str(workers)})
    runs += [serial, parallel]
    same = (serial["passages"], serial["ingested"]) == (parallel["passages"],
                                                        parallel["ingested"])
    summary = {"run": f"{label}: serial / parallel", "workers": workers,
               "serial_s": serial["seconds"], "parallel_s": parallel["seconds"],
               "speedup": round(serial["seconds"] / parallel["seconds"], 2),
               "same_passages_and_documents": same}
    if before:
        summary["before_s"] = runs[0]["seconds"]
        summary["speedup_vs_before"] = round(runs[0]["seconds"] / parallel["seconds"], 2)
    print(json.dumps(summary, ensure_ascii=False, indent=2), flush=True)
    return runs + [summary]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared"
                                                / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files per run")
    parser.add_argument("--compare", action="store_true",
                        help="time workers=1 and workers=N back to back, with the ratio")
    parser.add_argument("--workers", type=int, default=0, help="N for --compare (0: cores)")
    parser.add_argument("--before", action="store_true",
                        help="with --compare, also the serial path as before issue 13")
    parser.add_argument("--only", choices=("raw", "txt"), help="one of the two corpora")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    sets = {"raw": ("originals (corpus/raw)", sorted((corpus / "raw").iterdir())),
            "txt": ("texts (corpus/*.txt)", sorted(corpus.glob("*.txt")))}
    results = []
    for key, (label, files) in sets.items():
        if args.only and key != args.only:
            continue
        files = files[: args.limit] if args.limit else files
        if args.compare:
            results += compare(label, files, args.workers or default_workers(), args.before)
        else:
            results.append(run(label, files))
    out = Path(__file__).parent / "results" / "ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
