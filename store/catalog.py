"""The catalog: documents, passages, source files and ingest errors in SQLite.

One file, ``catalog.sqlite``, in the data directory; WAL mode so readers (the UI) never block
an ingest. Each document is written in one transaction: a crash mid-batch leaves every
earlier document intact and no half-written one. Documents are keyed by the SHA-256 of their
bytes, so the same file under two names is stored once.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.records import (
    PIPELINE_VERSION,
    Citation,
    Document,
    Metadata,
    Passage,
    Section,
    Signer,
)
from store import wordcounts
from store.fts import context_of, fts_row
from store.schema import FTS_INSERT, SHINGLES_INSERT, open_catalog
from store.shingles import fingerprints


def passage_changes(db) -> int:
    """The catalog's passage change counter (``_CHANGES``); -1 before it exists."""
    row = db.execute("SELECT value FROM meta WHERE key = 'passage_changes'").fetchone()
    return int(row[0]) if row else -1


def built_from(db, name: str) -> int | None:
    """The catalog state (``passage_changes``) the derived index ``name`` was last built
    from, None if never: it is due when that differs from the state now."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (f"built:{name}",)).fetchone()
    return int(row[0]) if row else None


def mark_built(db, name: str) -> None:
    """Record that ``name`` now matches the catalog; run inside the rebuild's transaction,
    so the tables and the record commit together."""
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
               (f"built:{name}", str(passage_changes(db))))


@dataclass(frozen=True)
class Entry:
    """A catalog row without its text: what ``docs`` lists."""

    doc_id: str
    source: str
    paths: tuple[str, ...]
    format: str
    metadata: Metadata
    page_count: int
    passage_count: int
    ocr_pages: tuple[int, ...]
    encoding: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _metadata(raw: str) -> Metadata:
    fields = json.loads(raw)
    fields["signer"] = Signer(**fields.get("signer", {}))
    fields["recipients"] = tuple(fields.get("recipients", ()))
    return Metadata(**fields)


class Catalog:
    """Open (creating if needed) the catalog in ``data_dir``: documents, passages, files and
    errors, written one document per transaction.

    >>> catalog = Catalog("./data")  # doctest: +SKIP
    """

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "catalog.sqlite"
        self.db = open_catalog(self.data_dir)

    def close(self) -> None:
        self.db.close()

    # -- writing ---------------------------------------------------------------------------

    def put(self, doc: Document, *, path: str, sha256: str, size: int, mtime: float) -> None:
        """Store ``doc`` as the content of ``path``, replacing what the path held before."""
        meta = asdict(doc.metadata)
        with self.db:
            patch = wordcounts.in_step(self.db)
            self._delete(doc.doc_id, patch)
            self.db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.source, doc.path, doc.format, doc.text,
                 json.dumps(meta, ensure_ascii=False), meta["number"], meta["doc_type"],
                 meta["issuer"], meta["date"], doc.page_count, json.dumps(doc.ocr_pages),
                 doc.encoding, json.dumps(doc.notes, ensure_ascii=False), _now(),
                 PIPELINE_VERSION))
            self.db.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?)",
                [(doc.doc_id, i, s.start, s.end, s.level, s.label, s.title)
                 for i, s in enumerate(doc.sections)])
            self.db.executemany(
                "INSERT INTO passages (doc_id, ordinal, start, end, text, heading, kind, tokens)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [(doc.doc_id, p.ordinal, p.start, p.end, p.text, p.heading, p.kind,
                  " ".join(p.tokens))
                 for p in doc.passages])
            if patch:
                wordcounts.adjust(self.db, [p.tokens for p in doc.passages], 1)
                mark_built(self.db, "spellings")
            rowids = dict(self.db.execute(
                "SELECT ordinal, rowid FROM passages WHERE doc_id = ?", (doc.doc_id,)))
            self.db.executemany(
                FTS_INSERT,
                [(rowids[p.ordinal], *fts_row(p.text, p.tokens, context_of(
                    meta["doc_type"], meta["issuer"], meta["subject"], p.heading)))
                 for p in doc.passages])
            self.db.executemany(SHINGLES_INSERT, [
                (value, rowids[p.ordinal]) for p in doc.passages
                for value in fingerprints(p.text)])
            self.db.executemany(
                "INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc.doc_id, i, c.start, c.end, c.kind, c.key, c.type_word, c.type_code,
                  c.number, c.issuer_code, c.date, c.issuer, c.term, c.subject, c.relation,
                  c.inside) for i, c in enumerate(doc.citations)])
            self._link(path, doc.doc_id, sha256, size, mtime)

    def link(self, path: str, doc_id: str, *, sha256: str, size: int, mtime: float) -> None:
        """Record ``path`` as another name of the stored document ``doc_id``."""
        with self.db:
            self._link(path, doc_id, sha256, size, mtime)

    def _link(self, path: str, doc_id: str, sha256: str, size: int, mtime: float) -> None:
        old = self.db.execute("SELECT doc_id FROM files WHERE path = ?", (path,)).fetchone()
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?)",
                        (path, doc_id, sha256, size, mtime, _now()))
        self.db.execute("DELETE FROM errors WHERE path = ?", (path,))
        if old and old[0] != doc_id:
            self._drop_orphan(old[0])

    def _drop_orphan(self, doc_id: str) -> None:
        used = self.db.execute("SELECT 1 FROM files WHERE doc_id = ?", (doc_id,)).fetchone()
        if not used:
            patch = wordcounts.in_step(self.db)
            self._delete(doc_id, patch)
            if patch:
                mark_built(self.db, "spellings")

    def _delete(self, doc_id: str, patch: bool) -> None:
        """Delete a document and, cascading, its passages; their words leave the spellings
        table when it is kept in step (``patch``)."""
        if patch:
            wordcounts.adjust(self.db, wordcounts.stored_tokens(self.db, doc_id), -1)
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def record_error(self, path: str, error: str, reason: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO errors VALUES (?,?,?,?)",
                            (path, error, reason, _now()))

    def prune(self) -> list[str]:
        """Forget files that no longer exist, and documents no file refers to any more."""
        gone = [p for (p,) in self.db.execute("SELECT path FROM files") if not Path(p).exists()]
        with self.db:
            for path in gone:
                row = self.db.execute("SELECT doc_id FROM files WHERE path = ?", (path,)).fetchone()
                self.db.execute("DELETE FROM files WHERE path = ?", (path,))
                self._drop_orphan(row[0])
            self.db.executemany("DELETE FROM errors WHERE path = ?", [(p,) for p in gone])
        return gone

    # -- reading ---------------------------------------------------------------------------

    def file_hash(self, path: str) -> str | None:
        """SHA-256 recorded for ``path`` at its last successful ingest, if the document it
        became was built by the current pipeline (else it is due for a rebuild)."""
        row = self.db.execute(
            "SELECT f.sha256 FROM files f JOIN documents d ON d.doc_id = f.doc_id"
            " WHERE f.path = ? AND d.pipeline = ?", (path, PIPELINE_VERSION)).fetchone()
        return row[0] if row else None

    def has(self, doc_id: str) -> bool:
        """Whether the document is stored, built by the current pipeline."""
        return self.db.execute(
            "SELECT 1 FROM documents WHERE doc_id = ? AND pipeline = ?",
            (doc_id, PIPELINE_VERSION)).fetchone() is not None

    def entries(self) -> list[Entry]:
        """Every document, oldest date first (undated last), without text."""
        rows = self.db.execute(
            "SELECT d.doc_id, d.source, d.format, d.metadata, d.page_count, d.ocr_pages,"
            " d.encoding, (SELECT count(*) FROM passages p WHERE p.doc_id = d.doc_id),"
            " (SELECT group_concat(path, char(10)) FROM files f WHERE f.doc_id = d.doc_id)"
            " FROM documents d ORDER BY d.date = '', d.date, d.source").fetchall()
        return [
            Entry(doc_id=r[0], source=r[1], format=r[2], metadata=_metadata(r[3]),
                  page_count=r[4], ocr_pages=tuple(json.loads(r[5])), encoding=r[6],
                  passage_count=r[7], paths=tuple(sorted((r[8] or "").split("\n"))))
            for r in rows
        ]

    def get(self, doc_id: str) -> Document:
        """The full stored document. Raises ``KeyError`` for an unknown id."""
        row = self.db.execute(
            "SELECT doc_id, source, path, format, text, metadata, page_count, ocr_pages,"
            " encoding, notes FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        sections = tuple(
            Section(doc_id=doc_id, start=r[0], end=r[1], level=r[2], label=r[3], title=r[4])
            for r in self.db.execute(
                "SELECT start, end, level, label, title FROM sections WHERE doc_id = ?"
                " ORDER BY ordinal", (doc_id,)))
        passages = tuple(
            Passage(doc_id=doc_id, ordinal=r[0], start=r[1], end=r[2], text=r[3], heading=r[4],
                    kind=r[5], tokens=tuple(r[6].split()))
            for r in self.db.execute(
                "SELECT ordinal, start, end, text, heading, kind, tokens FROM passages"
                " WHERE doc_id = ? ORDER BY ordinal", (doc_id,)))
        citations = tuple(
            Citation(doc_id, *r) for r in self.db.execute(
                "SELECT start, end, kind, key, type_word, type_code, number, issuer_code, date,"
                " issuer, term, subject, relation, inside FROM citations WHERE doc_id = ?"
                " ORDER BY ordinal", (doc_id,)))
        return Document(
            doc_id=row[0], source=row[1], path=row[2], format=row[3], text=row[4],
            metadata=_metadata(row[5]), sections=sections, passages=passages,
            page_count=row[6], ocr_pages=tuple(json.loads(row[7])), encoding=row[8],
            notes=tuple(json.loads(row[9])), citations=citations)

    def has_citation_index(self) -> bool:
        return self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='refs'").fetchone() is not None

    def errors(self) -> list[tuple[str, str, str]]:
        """(path, error type, reason) of files whose last ingest failed."""
        return list(self.db.execute("SELECT path, error, reason FROM errors ORDER BY path"))
