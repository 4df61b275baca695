"""Ingest benchmark: files/s, passages/s and seconds per stage on the real corpus.

    .venv/bin/python bench/ingest.py [--corpus ../shared/corpus] [--limit N]

Two runs into fresh temporary catalogs: the originals in ``corpus/raw`` (PDF with OCR of
scans, DOCX, DOC) and the ``corpus/*.txt`` texts. Figures go to stdout and to
``bench/results/ingest.json``. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ingest.ocr as ocr  # noqa: E402
import ingest.readers as readers  # noqa: E402
from store.store import Store  # noqa: E402
from store.update import ingest  # noqa: E402


def _timed_ocr() -> dict[str, float]:
    """Wrap the OCR entry point so OCR seconds can be told apart from plain reading."""
    spent = {"ocr": 0.0, "ocr_pages": 0}
    name = "ocr_pdf_page"
    original = getattr(ocr, name)

    def wrapper(*args, **kwargs):
        clock = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["ocr"] += time.perf_counter() - clock
            spent["ocr_pages"] += 1

    setattr(ocr, name, wrapper)
    if hasattr(readers, name):
        setattr(readers, name, wrapper)
    return spent


def run(label: str, files: list[Path]) -> dict[str, object]:
    spent = _timed_ocr()
    with tempfile.TemporaryDirectory() as data:
        store = Store(data)
        clock = time.perf_counter()
        report = ingest(files, store, progress=True)
        total = time.perf_counter() - clock
        store.close()  # the last connection's close moves the WAL into the catalog file
        size = store.catalog.path.stat().st_size
    stages = dict(report.seconds)
    stages["read"] = stages.get("read", 0.0) - spent["ocr"]  # read without OCR
    stages["ocr"] = spent["ocr"]
    result = {
        "run": label, "files": len(files), "ingested": len(report.ingested),
        "failed": [f"{Path(p).name}: {r}" for p, _e, r in report.failed],
        "passages": report.passages, "seconds": round(total, 1),
        "files_per_s": round(len(files) / total, 2),
        "passages_per_s": round(report.passages / total, 1),
        "ocr_pages": spent["ocr_pages"],
        "stage_seconds": {k: round(v, 1) for k, v in stages.items()},
        "catalog_mb": round(size / 1e6, 1),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared"
                                                / "corpus"))
    parser.add_argument("--limit", type=int, default=0, help="only the first N files per run")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    raw = sorted((corpus / "raw").iterdir())
    texts = sorted(corpus.glob("*.txt"))
    if args.limit:
        raw, texts = raw[: args.limit], texts[: args.limit]
    results = [run("originals (corpus/raw)", raw), run("texts (corpus/*.txt)", texts)]
    out = Path(__file__).parent / "results" / "ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {out}")


if __name__ == "__main__":
    main()
