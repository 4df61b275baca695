"""Parallel ingest (issue 13): files read and built in worker processes, OCR pages of one
file in threads, and the catalog exactly the one the serial path writes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
import pytest

import store.update as batch
from core.errors import OcrError
from ingest import ocr, parallel
from ingest.readers import read
from store.store import Store
from store.update import ingest
from tests.seeds import copy_seeds

READERS = Path("tests/data/readers")
SCAN_PDF = READERS / "cv-2265-bct-trang-2-scan.pdf"
GARBLED_PDF = READERS / "qd-26-xpvphc-trang-1-garbled.pdf"

# Bad files in the batch: (name, bytes, error type, words of the Vietnamese reason).
BAD = [
    ("hong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "CorruptFileError",
     "PDF hỏng hoặc bị cắt cụt"),
    ("rong.txt", b"", "EmptyDocumentError", "tệp rỗng"),
]

# Every table a document writes, without the columns that hold the time of writing.
TABLES = {
    "documents": "doc_id, source, path, format, text, metadata, number, doc_type, issuer, date,"
                 " page_count, ocr_pages, encoding, notes, pipeline",
    "sections": "*", "passages": "*", "citations": "*", "shingles": "*",
    "files": "path, doc_id, sha256, size, mtime", "errors": "path, error, reason",
}


def _catalog(data: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(data / "catalog.sqlite")
    try:
        return {table: db.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
                for table, columns in TABLES.items()}
    finally:
        db.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Five seeds, a copy of one (same bytes, another name), a scanned page, bad files."""
    docs = copy_seeds(tmp_path_factory.mktemp("docs"))
    shutil.copy(docs / "000_2eff75776fabfddb.txt", docs / "ban-sao.txt")
    shutil.copy(SCAN_PDF, docs / SCAN_PDF.name)
    for name, data, _error, _words in BAD:
        (docs / name).write_bytes(data)
    return docs


@pytest.fixture(scope="module")
def serial(folder, tmp_path_factory):
    data = tmp_path_factory.mktemp("serial")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VANKIEN_WORKERS", "1")
        report = ingest([folder], Store(data), progress=False)
    return report, _catalog(data)


@contextmanager
def two_workers() -> Iterator[list[int]]:
    """Two workers even for this handful of files (the threshold is about speed only); the
    list records the jobs each pool was given, to show one was used."""
    pools: list[int] = []

    class Counted(parallel.Pool):
        def __init__(self, jobs, workers):
            pools.append(len(jobs))
            super().__init__(jobs, workers)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VANKIEN_WORKERS", "2")
        patch.setattr(batch, "POOL_MIN_FILES", 2)
        patch.setattr(batch, "Pool", Counted)
        yield pools


@pytest.fixture(scope="module")
def pooled(folder, tmp_path_factory):
    data = tmp_path_factory.mktemp("pooled")
    with two_workers() as pools:
        report = ingest([folder], Store(data), progress=False)
    return pools, report, _catalog(data)


def test_two_workers_write_the_serial_catalog(serial, pooled):
    pools, report, catalog = pooled
    # Seeds, scan and the two bad files go to the pool; the copy is linked to its seed.
    assert pools == [8]
    expected, serial_catalog = serial
    assert catalog == serial_catalog
    assert catalog["passages"] and catalog["shingles"]
    for field in ("ingested", "unchanged", "linked", "skipped", "failed", "passages"):
        assert getattr(report, field) == getattr(expected, field), field
    assert report.seconds["ocr"] > 0


@pytest.mark.parametrize(("name", "_data", "error", "words"), BAD)
def test_a_bad_file_is_reported_by_name_and_the_batch_goes_on(pooled, name, _data, error,
                                                              words):
    _pools, report, _catalog = pooled
    failed = {Path(path).name: (kind, reason) for path, kind, reason in report.failed}
    assert failed[name][0] == error and words in failed[name][1]
    assert len(report.ingested) == 6 and Path(report.linked[0]).name == "ban-sao.txt"


def _workers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name.startswith("Spawn")]


def test_a_killed_worker_leaves_the_rest_to_this_process(folder, serial, tmp_path):
    killed = []

    def kill_a_worker(_share: float, _what: str) -> None:  # as the kernel's OOM killer would
        if not killed and _workers():
            killed.append(_workers()[0].pid)
            os.kill(killed[0], signal.SIGKILL)

    with two_workers():
        report = ingest([folder], Store(tmp_path), progress=False, on_progress=kill_a_worker)
    assert killed
    assert _catalog(tmp_path) == serial[1]
    assert any("tiến trình đọc tệp bị dừng đột ngột" in n for n in report.notices)


def test_ctrl_c_stops_the_workers_and_keeps_the_documents_written(folder, tmp_path):
    calls = []

    def interrupt(_share: float, what: str) -> None:
        calls.append(what)
        if len(calls) == 4:  # three files written, the fourth under way in a worker
            raise KeyboardInterrupt

    with two_workers(), pytest.raises(KeyboardInterrupt):
        ingest([folder], Store(tmp_path), progress=False, on_progress=interrupt)
    assert not _workers()
    store = Store(tmp_path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(store.catalog.entries()) + len(store.catalog.errors()) == 3


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> Path:
    """A scanned PDF of three pages: the scan, the garbled layer, the scan again."""
    writer = pypdf.PdfWriter()
    for source in (SCAN_PDF, GARBLED_PDF, SCAN_PDF):
        writer.add_page(pypdf.PdfReader(source).pages[0])
    path = tmp_path_factory.mktemp("pdf") / "ba-trang.pdf"
    writer.write(path)
    return path


def test_ocr_pages_in_threads_read_as_one_by_one(three_pages, monkeypatch):
    running, most = [0], [0]
    lock = threading.Lock()
    real = ocr.ocr_pdf_page

    def counted(path, index):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return real(path, index)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(ocr, "ocr_pdf_page", counted)
    monkeypatch.setenv("VANKIEN_WORKERS", "1")
    one_by_one = read(three_pages)
    assert most == [1]
    monkeypatch.setenv("VANKIEN_WORKERS", "2")
    threaded = read(three_pages)
    assert most == [2]
    assert threaded == one_by_one
    assert threaded.ocr_pages == (0, 1, 2) and "Trương Thanh Hoài" in threaded.text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in threaded.text.split("\f")[1]


def test_the_first_failing_page_is_the_error_threads_or_not(three_pages, monkeypatch):
    def page_two_fails(path, index):
        if index == 1:
            raise OcrError(str(path), "trang 2: tesseract lỗi (ảnh hỏng)")
        return "văn bản OCR"

    monkeypatch.setattr(ocr, "ocr_pdf_page", page_two_fails)
    for threads in (1, 3):
        with pytest.raises(OcrError, match="trang 2: tesseract lỗi"):
            ocr.ocr_pdf_pages(three_pages, [0, 1, 2], threads=threads)


@pytest.mark.parametrize(("setting", "expected"), [
    ("1", 1), ("3", 3), ("0", len(os.sched_getaffinity(0))), ("-1", len(os.sched_getaffinity(0)))])
def test_workers_setting(monkeypatch, setting, expected):
    monkeypatch.setenv("VANKIEN_WORKERS", setting)
    assert parallel.workers() == expected
