"""Ingest files and folders into the store, one document per transaction, then bring the
derived indexes in step.

One bad file never stops a batch: its error is recorded, reported, and the batch goes on.
Unchanged files (same SHA-256) are skipped; the same bytes under another name are linked,
not stored twice; ``prune`` forgets documents whose file is gone. The corpus-wide indexes
derived from the catalog (``DERIVED``) are rebuilt when the catalog changed, or when one is
missing or stale (a catalog from an older version, a crash after a document); the vectors
follow when the store has an encoder.

Reading and building (PDF parsing, OCR, cleaning, word segmentation) of a batch large enough
runs in worker processes (``ingest/parallel.py``, the ``workers`` setting) while this process
writes the catalog in the batch's order, so the catalog is the one a serial ingest makes:
same documents, same passages, same row ids.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tqdm import tqdm

from core import settings
from core.errors import UnreadableFileError
from core.records import RawText
from ingest.parallel import Built, Failure, Pool, failure, prepare, workers
from ingest.readers import SUPPORTED, read
from store import bm25, citation_index, spellings
from store.catalog import built_from
from store.embed import sync
from store.store import Store


class Skipped(NamedTuple):
    path: str
    reason: str


class Failed(NamedTuple):
    path: str
    error: str  # the exception's type, e.g. "CorruptFileError"
    reason: str


@dataclass
class Report:
    """What a batch did, file by file. ``failed`` makes the CLI exit with 1."""

    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # same content as a stored file
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0  # passages newly embedded into the dense index
    seconds: dict[str, float] = field(default_factory=dict)  # per stage
    notices: list[str] = field(default_factory=list)  # damage found and repaired on the way


def _walk(paths: Iterable[str | os.PathLike]) -> Iterable[tuple[Path, bool]]:
    """(file, named explicitly) for every file under ``paths``, sorted, hidden ones left out."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith((".", "~$")) for part in child.relative_to(path).parts)
                if child.is_file() and not hidden:
                    yield child, False
        else:
            yield path, True


def _sha256(path: Path) -> tuple[str, int, float]:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        stat = path.stat()
    except OSError as error:
        raise UnreadableFileError(str(path), f"không đọc được tệp ({error.strerror})") from error
    return digest.hexdigest(), stat.st_size, stat.st_mtime


@contextmanager
def _timed(report: Report, stage: str):
    clock = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[stage] = report.seconds.get(stage, 0.0) + time.perf_counter() - clock


def _facts(path: Path) -> tuple[str, int, float]:
    """(SHA-256, size, mtime) of a file; empty for one the reader is left to refuse by name:
    missing, not a file, or over the size limit (such a file is not even hashed)."""
    limit = float(settings.get("max_file_mb")) * 1024 * 1024
    hashable = path.is_file() and path.stat().st_size <= limit
    return _sha256(path) if hashable else ("", 0, 0.0)


Make = Callable[[str, str], Built | Failure]  # (file name, doc id) → the file read and built


def _one(name: str, facts: tuple[str, int, float], store: Store, report: Report,
         make: Make) -> Failure | None:
    """Ingest one file into ``store``, recording in ``report`` what became of it; the
    failure ``make`` reported, if any (it may raise instead)."""
    catalog = store.catalog
    sha, size, mtime = facts
    doc_id = sha[:16]
    if sha and catalog.file_hash(name) == sha:
        report.unchanged.append(name)
        return None
    if sha and catalog.has(doc_id):
        catalog.link(name, doc_id, sha256=sha, size=size, mtime=mtime)
        report.linked.append(name)
        return None
    built = make(name, doc_id)
    if isinstance(built, Failure):
        return built
    for stage, seconds in built.seconds.items():
        report.seconds[stage] = report.seconds.get(stage, 0.0) + seconds
    with _timed(report, "store"):
        catalog.put(built.doc, path=name, sha256=sha, size=size, mtime=mtime)
    report.ingested.append(name)
    report.passages += len(built.doc.passages)
    return None


@dataclass(frozen=True)
class Derived:
    """An index derived from the whole catalog: how to rebuild it, and whether it is due:
    missing, damaged, or built from another catalog state than the one now. Due is checked
    on every ingest, so one a crash left stale (killed after the last document, before the
    rebuild) is brought in step by the next, whether or not a file changed."""

    name: str
    rebuild: Callable[[Store], object]
    due: Callable[[Store], bool]


def _stale(name: str) -> Callable[[Store], bool]:
    return lambda s: built_from(s.db, name) != s.state() or not s.has_table(_TABLES[name])


_TABLES = {"citation_index": "refs", "spellings": "spellings"}
DERIVED = (
    Derived("citation_index", lambda s: citation_index.rebuild(s.db),  # who cites what
            _stale("citation_index")),
    Derived("spellings", lambda s: spellings.rebuild(s.db),  # restores missing diacritics
            _stale("spellings")),
    Derived("bm25", lambda s: bm25.sync(s.db, s.bm25_dir),  # BM25 ranking fast at scale
            lambda s: s.bm25() is None),
)


def refresh(store: Store, report: Report, *, progress: bool = False,
            tell: Callable[[float, str], None] = lambda _share, _what: None) -> None:
    """Rebuild the derived indexes that are due, then embed what the vectors lack."""
    tell(0.8, "chỉ mục")
    for index in DERIVED:
        if index.due(store):
            with _timed(report, index.name):
                index.rebuild(store)
    if store.encoder is not None:
        tell(0.85, "mã hóa vector")
        with _timed(report, "embed"), tqdm(unit="đoạn", disable=not progress,
                                           desc="Mã hóa vector") as bar:
            report.embedded, _removed = sync(store.db, store.vectors(), store.encoder.passages,
                                             progress=bar.update)


def ingest(paths: Iterable[str | os.PathLike], store: Store, *, prune: bool = False,
           progress: bool = True, reader: Callable[[str], RawText] = read,
           on_progress: Callable[[float, str], None] | None = None) -> Report:
    """Ingest every file under ``paths`` into ``store``; return what happened.

    With the store's encoder, new passages are embedded into the vector index in batches and
    vectors of removed passages are dropped. ``on_progress`` hears (share done 0-1, the file
    or stage now under way), for a progress bar in the app.
    """
    with store.writing():
        report = _batch(list(_walk(paths)), store, reader, on_progress, progress=progress)
        if prune:
            report.pruned = store.catalog.prune()
        refresh(store, report, progress=progress, tell=on_progress or _silent)
    report.notices += store.notices
    (on_progress or _silent)(1.0, "xong")
    return report


def set_aside(data_dir: str | os.PathLike | None) -> Path | None:
    """Move a (damaged) catalog and its BM25 index into ``hong-<time>/`` of the data
    directory, so the next ingest starts a fresh catalog from the source files; the vectors
    stay, and are found again by their passages' text. The folder moved to, or None."""
    data = settings.data_dir(data_dir)
    parts = [data / f"catalog.sqlite{x}" for x in ("", "-wal", "-shm")] + [
        data / "lexical", data / "bm25"]  # the BM25 index, and its folder before tantivy
    parts = [p for p in parts if p.exists()]
    if not parts:
        return None
    aside = data / time.strftime("hong-%Y%m%d-%H%M%S")
    aside.mkdir()
    for part in parts:
        os.replace(part, aside / part.name)
    return aside


def _silent(_share: float, _what: str) -> None:
    pass


# Fewer files to read than this are read here, one after the other (their OCR pages in
# parallel): a pool's start-up, a Python and underthesea's models per worker (~3 s, README
# "Ingest speed"), costs more than it saves on a few TXT files (~0.3 s each).
POOL_MIN_FILES = 8


def _plan(files: list[tuple[Path, str, bool]], store: Store,
          hashes: dict[str, tuple[str, int, float]]) -> list[tuple[str, str]]:
    """(file name, doc id) of each file the batch will read and build, in order: those that
    are neither unchanged nor the same bytes as a stored file or an earlier one of the batch.
    Decided as ``_one`` will decide, so the pool only reads what will be stored; ``hashes``
    keeps each file's facts for ``_one``. A file that cannot be hashed is left to ``_one``."""
    jobs: dict[str, tuple[str, str]] = {}  # doc id → the first file of the batch holding it
    for path, name, _explicit in files:
        if path.suffix.lower() not in SUPPORTED:  # skipped, or refused at once by the reader
            continue
        try:
            hashes[name] = _facts(path)
        except (UnreadableFileError, OSError):  # _one reports it
            continue
        sha = hashes[name][0]
        doc_id = sha[:16]
        if sha and store.catalog.file_hash(name) != sha and not store.catalog.has(doc_id):
            jobs.setdefault(doc_id, (name, doc_id))
    return list(jobs.values())


def _batch(files: list[tuple[Path, bool]], store: Store, reader: Callable[[str], RawText],
           on_progress: Callable[[float, str], None] | None, *, progress: bool) -> Report:
    """Each file into the catalog, in order; one that fails is recorded, and the batch goes
    on. With the default reader, a batch with enough files to read has them read ahead by a
    pool of processes; an injected reader (a test's lambda) is not picklable, so it reads
    here."""
    report = Report()
    tell = on_progress or _silent
    named = [(path, str(path.resolve()) if path.exists() else str(path.absolute()), explicit)
             for path, explicit in files]
    hashes: dict[str, tuple[str, int, float]] = {}
    count = workers()
    jobs = _plan(named, store, hashes) if reader is read and count > 1 else []
    bar = tqdm(named, unit="tệp", disable=not progress, desc="Nhập văn bản")
    with Pool(jobs, count) if len(jobs) >= POOL_MIN_FILES else nullcontext() as pool:

        def make(name: str, doc_id: str) -> Built | Failure:
            taken = pool.take(name, doc_id) if pool is not None else None
            return taken if taken is not None else prepare(name, doc_id, reader)

        for done, (path, name, explicit) in enumerate(bar):
            tell(0.8 * done / max(len(files), 1), path.name)
            if not explicit and path.suffix.lower() not in SUPPORTED:
                report.skipped.append(Skipped(name, f"định dạng {path.suffix or '(không đuôi)'} "
                                                     "không được hỗ trợ"))
                continue
            try:
                failed = _one(name, hashes.get(name) or _facts(path), store, report, make)
            except Exception as error:  # IngestError, or a bug on one file: report it, go on
                failed = failure(error)
            if failed is not None:
                store.catalog.record_error(name, failed.error, failed.reason)
                report.failed.append(Failed(name, failed.error, failed.reason))
            bar.set_postfix(doan=report.passages)
    if pool is not None:
        report.notices += pool.notices
    return report
