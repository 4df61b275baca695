"""Read and build files in worker processes: the CPU work of ingest (PDF parsing, OCR,
cleaning, underthesea word segmentation) on every core, while the caller writes the catalog
in its own order (issue 13).

How many at once is the ``workers`` setting (0: one per core). One rule keeps the cores
from being oversubscribed: a file read in a pool worker OCRs its pages one at a time, since
the pool already runs one file per core; a file read in the calling process (one file, or a
batch too small for the pool) OCRs ``workers`` pages at a time in threads. Either way at most
``workers`` tesseracts run at once, each on one thread (``ingest/ocr.py``).

>>> with Pool([("/docs/kh-588.pdf", "2eff75776fabfddb")], workers=2) as pool:  # doctest: +SKIP
...     outcome = pool.take("/docs/kh-588.pdf", "2eff75776fabfddb")  # Built or Failure
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from core import settings
from core.errors import IngestError
from core.records import Document, RawText
from ingest import ocr
from ingest.build import build
from ingest.readers import read


@dataclass(frozen=True)
class Built:
    """One file read and structured, with the seconds each stage took (OCR apart from read)."""

    doc: Document
    seconds: dict[str, float]


@dataclass(frozen=True)
class Failure:
    """Why a file could not be ingested, as the batch reports it."""

    error: str  # the exception's type, e.g. "CorruptFileError"
    reason: str  # in Vietnamese, for the user


def failure(error: Exception) -> Failure:
    """The report of ``error``: its own reason for an ``IngestError``, else a bug's."""
    if isinstance(error, IngestError):
        return Failure(type(error).__name__, error.reason)
    return Failure(type(error).__name__,
                   f"lỗi không mong đợi: {type(error).__name__}: {error}")


def workers() -> int:
    """Processes (or OCR threads) to use: the ``workers`` setting, 0 or less meaning one per
    core this process may run on."""
    wanted = int(settings.get("workers"))
    if wanted > 0:
        return wanted
    # The affinity mask, not os.cpu_count(): a container or taskset may allow fewer cores.
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else ()
    return len(cores) or os.cpu_count() or 1


def page_threads() -> int:
    """OCR pages of one file read at a time: ``workers()`` (1 inside a pool worker, whose
    ``workers`` is set to 1 when it starts)."""
    return workers()


def prepare(name: str, doc_id: str, reader: Callable[[str], RawText] = read) -> Built:
    """Read ``name`` and structure it as ``doc_id``; raises what the reader raises."""
    clock, ocr_before = time.perf_counter(), ocr.seconds_spent()
    raw = reader(name)
    spent = ocr.seconds_spent() - ocr_before
    seconds = {"read": time.perf_counter() - clock - spent}
    if spent:
        seconds["ocr"] = spent
    doc = build(raw, doc_id, timings=seconds)
    return Built(doc, seconds)


def _work(name: str, doc_id: str) -> Built | Failure:
    """A worker's task. A failure comes back as data: IngestError does not survive pickling
    (its __init__ takes two arguments, its args hold one string)."""
    try:
        return prepare(name, doc_id)
    except Exception as error:  # one bad file is reported, the worker goes on
        return failure(error)
    except BaseException:  # _stop: the unwinding has killed tesseract and removed its image
        os._exit(1)


def _stop(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


# underthesea's __init__ imports its optional pipelines, and translate imports torch and
# transformers: 2.1 s of a worker's 2.5 s start-up, for nothing a build uses (word and
# sentence segmentation are CRF models). A None in sys.modules makes each import fail at
# once, and underthesea then sets that pipeline to None (its get_optional_import).
_UNUSED_UNDERTHESEA = ("pipeline.classification", "pipeline.sentiment", "pipeline.lang_detect",
                       "pipeline.dependency_parse", "pipeline.translate", "agent", "address")


def _start_worker() -> None:
    # Inside a worker, ingest is serial: one file, its OCR pages one at a time.
    os.environ["VANKIEN_WORKERS"] = "1"
    for module in _UNUSED_UNDERTHESEA:
        sys.modules.setdefault(f"underthesea.{module}", None)
    # Ctrl+C reaches every process of the terminal's group, and the caller terminates its
    # workers when it stops: exit quietly (no traceback per worker), unwinding the file under
    # way so its tesseract is killed. A Python handler, unlike SIG_IGN, is not inherited by
    # tesseract, which still stops on Ctrl+C. A caller started with SIGINT ignored (a shell's
    # background job, nohup) does not stop on it, so neither do its workers.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)


class Pool:
    """``jobs`` (file name, doc id) read and built ahead, in order, by ``workers`` processes;
    the caller takes each outcome back when it is ready to store it.

    ``spawn``: the caller may hold torch's threads or SQLite connections, which a fork would
    copy in a broken state, and a fork server would keep the environment (settings) of the
    moment it started. Start-up is a Python and underthesea's models per worker, ~3 s
    (measured by ``bench/ingest.py --compare``, README "Ingest speed").
    """

    def __init__(self, jobs: Sequence[tuple[str, str]], workers: int):
        self.notices: list[str] = []
        self.broken = False
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[tuple[str, str], Future] = {}
        try:
            self._executor = ProcessPoolExecutor(
                max_workers=max(1, min(workers, len(jobs))), initializer=_start_worker,
                mp_context=multiprocessing.get_context("spawn"))
            for job in jobs:
                self._futures[job] = self._executor.submit(_work, *job)
        except OSError as error:  # no semaphores (a container without /dev/shm), no processes
            self.close(now=True)
            self._futures.clear()
            self.notices.append(f"không khởi động được tiến trình đọc tệp ({error}); các tệp "
                                "được đọc lần lượt trong tiến trình chính")

    def take(self, name: str, doc_id: str) -> Built | Failure | None:
        """The outcome of a job, waiting for it; None when it was not submitted or the pool
        broke before it was done (a worker killed): the caller then reads the file itself."""
        future = self._futures.pop((name, doc_id), None)
        if future is None:
            return None
        try:
            return future.result()
        except BrokenProcessPool:
            if not self.broken:
                self.broken = True
                self.notices.append("một tiến trình đọc tệp bị dừng đột ngột; các tệp còn lại "
                                    "được đọc lần lượt trong tiến trình chính")
            return None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind, _error, _traceback) -> None:
        # Ctrl+C or a progress callback raising: stop the workers now, not after their files.
        self.close(now=kind is not None)

    def close(self, *, now: bool = False) -> None:
        """Shut the workers down; ``now``: in the middle of their files (terminated)."""
        if self._executor is None:
            return
        if now:
            _terminate(self._executor)
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = None


def _terminate(executor: ProcessPoolExecutor) -> None:
    stop = getattr(executor, "terminate_workers", None)  # Python 3.14
    if stop is not None:
        stop()
        return
    # Before 3.14 the worker processes are only reachable through this private mapping.
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
