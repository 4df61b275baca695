"""The store: one handle on a data directory, opened once, that every query verb takes.

Like txtai's ``Embeddings``, it owns what a data directory holds: the catalog connection,
the derived indexes and where they live (``lexical/``, ``dense/``), which encoder the vectors
belong to, the catalog's state and facets, and the fetch of passage rows that hits are made
of. Shells open a ``Store`` and hand it to verbs; they never write SQL or join index paths.

>>> store = Store("./data", encoder=Encoder())  # doctest: +SKIP
>>> search(store, "báo cáo viên")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar

from filelock import FileLock, Timeout

from core import settings
from core.encoding import TextEncoder
from core.errors import IndexDamagedError, StoreBusyError
from core.folders import current, recover
from core.results import Found
from store import bm25
from store.catalog import Catalog, passage_changes
from store.dense import TEXT_FORMAT, DenseIndex, open_saved

T = TypeVar("T")


@dataclass(frozen=True)
class PassageRow:
    """A stored passage with the facts of its document a result shows."""

    id: int  # the passage's row id: the key of its vector and lexical rows
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    heading: str
    kind: str
    source: str
    number: str
    date: str
    issuer: str

    @property
    def passage_id(self) -> str:
        return f"{self.doc_id}:{self.ordinal}"

    def found(self) -> dict:
        """The fields of a ``core.results.Found`` (what any result shows of a passage)."""
        return {f.name: getattr(self, f.name) for f in fields(Found)}


@dataclass(frozen=True)
class Facets:
    """Values the search filters offer, as the catalog holds them."""

    doc_types: tuple[str, ...]
    provinces: tuple[str, ...]


_ROWS = ("SELECT p.id, p.doc_id, p.ordinal, p.start, p.end, p.text, p.heading, p.kind,"
         " d.source, d.number, d.date, d.issuer FROM passages p"
         " JOIN documents d ON d.doc_id = p.doc_id WHERE p.id IN ({marks}) AND {where}")
_CHUNK = 900  # SQLite's default cap is 999 bound variables


def snapshot(verb: Callable[..., T]) -> Callable[..., T]:
    """Run a query verb (``verb(store, …)``) on one snapshot of the catalog: its counts and
    its rows agree even while an ingest commits in between (``Store.reading``)."""
    @functools.wraps(verb)
    def run(store: Store, *args, **kwargs) -> T:
        with store.reading():
            return verb(store, *args, **kwargs)
    return run


class Store:
    """The catalog and indexes of ``data_dir`` (default: the ``data`` setting), with the
    ``encoder`` its vectors are made with (None: words only, no vectors read or made)."""

    def __init__(self, data_dir: str | os.PathLike | None = None, *,
                 encoder: TextEncoder | None = None):
        self.data_dir = settings.data_dir(data_dir)
        self.catalog = Catalog(self.data_dir)
        self.db = self.catalog.db
        self.encoder = encoder
        # What a user should be told about this store: an index found damaged and skipped
        # or rebuilt. Verbs answer without it; shells print these beside the answer.
        self.notices: list[str] = []

    def close(self) -> None:
        self.catalog.close()

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    # -- one writer, consistent readers ----------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the data directory's writer lock: a second ingest waits for the first (the
        ``ingest_wait_s`` setting), then refuses with ``StoreBusyError``. The lock is an OS
        file lock, released by the kernel when a writer dies."""
        wait = float(settings.get("ingest_wait_s"))
        lock = FileLock(str(self.data_dir / "ingest.lock"))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise StoreBusyError(
                f"{self.data_dir}: một lần nhập khác đang ghi vào thư mục dữ liệu này (đã chờ "
                f"{wait:g} giây); chạy lại khi lần đó xong") from None
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Run several queries on one snapshot of the catalog: a writer's commit in between
        (an ingest rebuilding the citation index) is seen by none of them or by all."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    # -- where the derived indexes live ---------------------------------------------------

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "lexical"

    @property
    def dense_dir(self) -> Path:
        return self.data_dir / "dense"

    # -- state ----------------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        """Whether the catalog holds no passage yet."""
        return self.db.execute("SELECT 1 FROM passages LIMIT 1").fetchone() is None

    def state(self) -> int:
        """A number that changes whenever passages are added or removed (cache keys)."""
        return passage_changes(self.db)

    def facets(self) -> Facets:
        types = [t for (t,) in self.db.execute(
            "SELECT DISTINCT doc_type FROM documents WHERE doc_type != '' ORDER BY doc_type")]
        provinces = [p for (p,) in self.db.execute(
            "SELECT DISTINCT json_extract(metadata, '$.province') p FROM documents"
            " WHERE p != '' ORDER BY p")]
        return Facets(tuple(types), tuple(provinces))

    def has_table(self, name: str) -> bool:
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                               (name,)).fetchone() is not None

    def has_citation_index(self) -> bool:
        return self.has_table("refs")

    # -- derived indexes ------------------------------------------------------------------

    def bm25(self) -> bm25.Bm25Index | None:
        """The precomputed BM25 index when it matches the catalog as it is now; None when
        it does not, or is damaged (FTS5 ranks instead; the next ingest rebuilds it)."""
        try:
            return bm25.load(self.db, self.bm25_dir)
        except IndexDamagedError as error:
            self._notice(f"{error}; xếp hạng bằng FTS5 (chậm hơn, cùng kết quả), lần nhập sau "
                         "sẽ dựng lại")
            return None

    @property
    def has_vectors(self) -> bool:
        return (current(self.dense_dir) / "manifest.json").exists()

    def dense(self) -> DenseIndex | None:
        """The vector index for searching; None without an encoder or before any vector was
        made. Raises ``IndexMismatchError`` when it was made by another model."""
        if self.encoder is None:
            return None
        try:
            return open_saved(self.dense_dir, self.encoder.model_id, self.encoder.dimension)
        except IndexDamagedError as error:
            self._notice(f"{error}; bỏ qua phần tìm theo nghĩa, chạy lại python cli.py ingest "
                         "<thư mục văn bản> để dựng lại")
            return None

    def vectors(self) -> DenseIndex:
        """The vector index for writing (under ``writing``): opened from disk, or new. A
        damaged one is set aside and started afresh. Needs an encoder."""
        if self.encoder is None:
            raise ValueError("a Store without an encoder makes no vectors")
        recover(self.dense_dir)
        try:
            index = DenseIndex(self.dense_dir, self.encoder.model_id, self.encoder.dimension)
        except IndexDamagedError as error:
            aside = self.dense_dir.with_name(f"dense.hong-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(self.dense_dir, aside)
            self._notice(f"{error}; dựng lại từ đầu (bản hỏng để ở {aside})")
            return DenseIndex(self.dense_dir, self.encoder.model_id, self.encoder.dimension)
        if index.text_format != TEXT_FORMAT and index.index.ntotal:
            # Searching goes on with the old vectors until the new ones are saved: they are
            # consistent among themselves, only less good (README, "Search quality").
            self._notice(f"{self.dense_dir}: chỉ mục vector theo cách nhúng cũ (định dạng "
                         f"{index.text_format}); nhúng lại toàn bộ đoạn văn theo định dạng "
                         f"{TEXT_FORMAT}, lâu bằng lần nhập đầu")
            return DenseIndex(self.dense_dir, self.encoder.model_id, self.encoder.dimension,
                              fresh=True)
        return index

    # -- rows ------------------------------------------------------------------------------

    def passage_rows(self, ids: Sequence[int], where: str = "1", params: Sequence = ()
                     ) -> dict[int, PassageRow]:
        """Rows of the passages ``ids`` that ``where`` (a condition on ``documents d`` and
        ``passages p``, e.g. from ``Filters.sql``) allows, by id."""
        out: dict[int, PassageRow] = {}
        ids = list(ids)
        for at in range(0, len(ids), _CHUNK):
            chunk = ids[at : at + _CHUNK]
            sql = _ROWS.format(marks=",".join("?" * len(chunk)), where=where)
            for row in self.db.execute(sql, [*chunk, *params]):
                out[row[0]] = PassageRow(*row)
        return out

    def passage_ids(self, where: str, params: Sequence = ()) -> list[int]:
        """Ids of the passages whose document ``where`` (on ``documents d``) allows."""
        return [r for (r,) in self.db.execute(
            "SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
            f" WHERE {where}", list(params))]

    def resolve_passages(self, passage_ids: Sequence[str]) -> dict[str, tuple[int, str]]:
        """"doc_id:ordinal" → (row id, kind) of each stored passage named."""
        keys = [list(p.rsplit(":", 1)) for p in passage_ids]
        return {f"{doc_id}:{ordinal}": (rowid, kind)
                for rowid, doc_id, ordinal, kind in self.db.execute(
                    "SELECT p.id, p.doc_id, p.ordinal, p.kind FROM passages p JOIN json_each(?) j"
                    " ON p.doc_id = json_extract(j.value, '$[0]')"
                    " AND p.ordinal = CAST(json_extract(j.value, '$[1]') AS INTEGER)",
                    (json.dumps(keys),))}
