"""Ingest files and folders into the catalog, one document per transaction.

One bad file never stops a batch: its error is recorded, reported, and the batch goes on.
Unchanged files (same SHA-256) are skipped; the same bytes under another name are linked,
not stored twice; ``prune`` forgets documents whose file is gone.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from core import settings
from core.errors import IngestError, UnreadableFileError
from core.records import RawText
from ingest.build import build
from ingest.readers import SUPPORTED, read
from store.catalog import Catalog


@dataclass
class Report:
    """What a batch did, file by file. ``failed`` makes the CLI exit with 1."""

    ingested: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # same content as a stored file
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, error, reason)
    pruned: list[str] = field(default_factory=list)
    passages: int = 0
    embedded: int = 0  # passages newly embedded into the dense index
    seconds: dict[str, float] = field(default_factory=dict)  # per stage


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


def ingest(paths: Iterable[str | os.PathLike], catalog: Catalog, *, prune: bool = False,
           progress: bool = True, reader: Callable[[str], RawText] = read,
           encoder=None, on_progress: Callable[[float, str], None] | None = None) -> Report:
    """Ingest every file under ``paths`` into ``catalog``; return what happened.

    With an ``encoder`` (``models.encoder.Encoder``), new passages are embedded into the
    dense index in batches and vectors of removed passages are dropped. ``on_progress``
    hears (share done 0-1, the file or stage now under way), for a progress bar in the UI.
    """
    report = Report()
    files = list(_walk(paths))
    tell = on_progress or (lambda _share, _what: None)
    bar = tqdm(files, unit="tệp", disable=not progress, desc="Nhập văn bản")
    for done, (path, explicit) in enumerate(bar):
        tell(0.8 * done / max(len(files), 1), path.name)
        name = str(path.resolve()) if path.exists() else str(path.absolute())
        if not explicit and path.suffix.lower() not in SUPPORTED:
            report.skipped.append((name, f"định dạng {path.suffix or '(không đuôi)'} không được "
                                         "hỗ trợ"))
            continue
        try:
            # A file over the size limit is not even hashed: the reader refuses it by name.
            limit = float(settings.get("max_file_mb")) * 1024 * 1024
            hashable = path.is_file() and path.stat().st_size <= limit
            sha, size, mtime = _sha256(path) if hashable else ("", 0, 0.0)
            doc_id = sha[:16]
            if sha and catalog.file_hash(name) == sha:
                report.unchanged.append(name)
                continue
            if sha and catalog.has(doc_id):
                catalog.link(name, doc_id, sha256=sha, size=size, mtime=mtime)
                report.linked.append(name)
                continue
            clock = time.perf_counter()
            raw = reader(name)
            report.seconds["read"] = report.seconds.get("read", 0.0) + time.perf_counter() - clock
            doc = build(raw, doc_id, timings=report.seconds)
            clock = time.perf_counter()
            catalog.put(doc, path=name, sha256=sha, size=size, mtime=mtime)
            report.seconds["store"] = report.seconds.get("store", 0.0) + time.perf_counter() - clock
        except IngestError as error:
            catalog.record_error(name, type(error).__name__, error.reason)
            report.failed.append((name, type(error).__name__, error.reason))
            continue
        except Exception as error:  # a bug on one file must not stop the batch: report it
            reason = f"lỗi không mong đợi: {type(error).__name__}: {error}"
            catalog.record_error(name, type(error).__name__, reason)
            report.failed.append((name, type(error).__name__, reason))
            continue
        report.ingested.append(name)
        report.passages += len(doc.passages)
        bar.set_postfix(doan=report.passages)
    if prune:
        report.pruned = catalog.prune()
    # Corpus-wide indexes derived from the catalog: rebuilt when it changed, or when they
    # are missing or stale (a catalog from an older version, a crash after a document).
    from store import bm25, spellings
    from store.citation_index import rebuild

    changed = bool(report.ingested or report.pruned)
    derived = (
        ("citation_index", lambda: rebuild(catalog),  # who cites what
         changed or not catalog.has_citation_index()),
        ("spellings", lambda: spellings.rebuild(catalog.db),  # restores missing diacritics
         changed or not catalog.db.execute(
             "SELECT 1 FROM sqlite_master WHERE name = 'spellings'").fetchone()),
        ("bm25", lambda: bm25.rebuild(catalog.db),  # BM25 ranking fast at scale
         changed or bm25.load(catalog.db) is None),
    )
    tell(0.8, "chỉ mục")
    for stage, build_it, due in derived:
        if due:
            clock = time.perf_counter()
            build_it()
            report.seconds[stage] = time.perf_counter() - clock
    if encoder is not None:
        from store.dense import DenseIndex, sync

        tell(0.85, "mã hóa vector")
        clock = time.perf_counter()
        dense = DenseIndex(catalog.data_dir / "dense", encoder.model_id, encoder.dimension)
        with tqdm(unit="đoạn", disable=not progress, desc="Mã hóa vector") as vectors:
            report.embedded, _removed = sync(catalog.db, dense, encoder.passages,
                                             progress=vectors.update)
        report.seconds["embed"] = time.perf_counter() - clock
    tell(1.0, "xong")
    return report
