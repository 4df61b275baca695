"""The catalog: documents, passages, source files and ingest errors in SQLite.

One file, ``catalog.sqlite``, in the data directory; WAL mode so readers (the UI) never block
an ingest. Each document is written in one transaction: a crash mid-batch leaves every
earlier document intact and no half-written one. Documents are keyed by the SHA-256 of their
bytes, so the same file under two names is stored once.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import CatalogError
from core.records import (
    PIPELINE_VERSION,
    Citation,
    Document,
    Metadata,
    Passage,
    Section,
    Signer,
)
from core.tones import fold
from store.fts import FTS_SCHEMA, context_of, fts_row
from store.shingles import fingerprints

# 4: context columns in passages_fts, documents.pipeline; 5: the shingles table (3 and 4 are
# upgraded in place)
SCHEMA_VERSION = 5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, path TEXT NOT NULL, format TEXT NOT NULL,
    text TEXT NOT NULL, metadata TEXT NOT NULL, number TEXT NOT NULL, doc_type TEXT NOT NULL,
    issuer TEXT NOT NULL, date TEXT NOT NULL, page_count INTEGER NOT NULL,
    ocr_pages TEXT NOT NULL, encoding TEXT NOT NULL, notes TEXT NOT NULL,
    ingested_at TEXT NOT NULL, pipeline INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS documents_number ON documents(number);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    level INTEGER NOT NULL, label TEXT NOT NULL, title TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal));
-- AUTOINCREMENT: a passage id is never reused, so vectors and lexical rows keyed by it can
-- never be mistaken for another passage's after documents are replaced.
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL, heading TEXT NOT NULL, kind TEXT NOT NULL, tokens TEXT NOT NULL,
    UNIQUE (doc_id, ordinal));
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL, seen_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS files_doc ON files(doc_id);
CREATE TABLE IF NOT EXISTS citations (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    kind TEXT NOT NULL, key TEXT NOT NULL, type_word TEXT NOT NULL, type_code TEXT NOT NULL,
    number TEXT NOT NULL, issuer_code TEXT NOT NULL, date TEXT NOT NULL, issuer TEXT NOT NULL,
    term TEXT NOT NULL, subject TEXT NOT NULL, relation TEXT NOT NULL, inside TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal));
CREATE INDEX IF NOT EXISTS citations_key ON citations(key);
CREATE TABLE IF NOT EXISTS errors (
    path TEXT PRIMARY KEY, error TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
"""
# Winnowed word-shingle fingerprints of each passage (index/shingles.py), for finding earlier
# uses of a wording. Keyed by hash first: a lookup is one range scan per shingle, and no
# second index by passage is kept (it would double the table): a deleted passage's rows are
# found again from its text by the ``fingerprints`` function each connection registers.
SHINGLES_SCHEMA = """
CREATE TABLE IF NOT EXISTS shingles (
    hash INTEGER NOT NULL, passage INTEGER NOT NULL, PRIMARY KEY (hash, passage)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS shingles_delete AFTER DELETE ON passages BEGIN
    DELETE FROM shingles WHERE passage = old.id
        AND hash IN (SELECT value FROM json_each(fingerprints(old.text)));
END;
"""
_SHINGLES_INSERT = "INSERT OR IGNORE INTO shingles VALUES (?, ?)"
# A counter of passage inserts and deletes: derived indexes (index/bm25.py) record the value
# they were built at and know in O(1) whether the catalog moved since (count(*) is O(n)).
_CHANGES = """
INSERT OR IGNORE INTO meta VALUES ('passage_changes', '0');
CREATE TRIGGER IF NOT EXISTS passages_changes_insert AFTER INSERT ON passages BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'passage_changes';
END;
CREATE TRIGGER IF NOT EXISTS passages_changes_delete AFTER DELETE ON passages BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'passage_changes';
END;
"""
_FTS_INSERT = ("INSERT INTO passages_fts(rowid, words, syl, folded, context, context_folded)"
               " VALUES (?,?,?,?,?,?)")


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


def _fingerprints_json(text: str) -> str:
    return json.dumps(fingerprints(text))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _metadata(raw: str) -> Metadata:
    fields = json.loads(raw)
    fields["signer"] = Signer(**fields.get("signer", {}))
    fields["recipients"] = tuple(fields.get("recipients", ()))
    return Metadata(**fields)


class Catalog:
    """Open (creating if needed) the catalog in ``data_dir``.

    >>> catalog = Catalog("./data")  # doctest: +SKIP
    """

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "catalog.sqlite"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # SQLite's lower() knows only ASCII: filters compare Vietnamese names folded
            self.db.create_function("fold", 1, fold, deterministic=True)
            self.db.create_function("fingerprints", 1, _fingerprints_json, deterministic=True)
            found = self._schema_version()
            if found is None:
                with self.db:
                    self.db.executescript(_SCHEMA + FTS_SCHEMA + SHINGLES_SCHEMA)
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                                    (str(SCHEMA_VERSION),))
            elif found in (3, 4):
                if found == 3:
                    self._upgrade_from_3()
                self._add_pipeline_column()  # a development build wrote version 4 without it
                self._upgrade_from_4()
            elif found != SCHEMA_VERSION:
                raise CatalogError(
                    f"{self.path}: danh mục có phiên bản lược đồ {found}, phần mềm cần "
                    f"{SCHEMA_VERSION}; hãy xóa thư mục {self.data_dir} rồi nhập lại văn bản")
            if self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                               " AND name = 'passages_changes_delete'").fetchone() is None:
                self.db.executescript(_CHANGES)  # only once: opening must not write
        except (sqlite3.DatabaseError, OSError) as error:
            raise CatalogError(f"{self.path}: không mở được danh mục ({error})") from error

    def _schema_version(self) -> int | None:
        row = self.db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        if row is None:
            return None
        value = self.db.execute(
            "SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(value[0]) if value else None

    def _upgrade_from_3(self) -> None:
        """Version 4 added the context columns to the lexical index and the pipeline column:
        rebuild the index from the stored passages instead of asking users to ingest
        everything again. Each step can be redone, so a crash midway is repaired by the next
        open (the version is written last)."""
        self._add_pipeline_column()
        self.db.executescript("DROP TRIGGER IF EXISTS passages_fts_delete;"
                              "DROP TABLE IF EXISTS passages_fts;" + FTS_SCHEMA)
        rows = self.db.execute(
            "SELECT p.id, p.text, p.tokens, p.heading, d.doc_type, d.issuer,"
            " json_extract(d.metadata, '$.subject') FROM passages p"
            " JOIN documents d ON d.doc_id = p.doc_id").fetchall()
        with self.db:
            self.db.executemany(_FTS_INSERT, [
                (rowid, *fts_row(text, tuple(tokens.split()),
                                 context_of(doc_type, issuer, subject or "", heading)))
                for rowid, text, tokens, heading, doc_type, issuer, subject in rows])
            self.db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")

    def _upgrade_from_4(self) -> None:
        """Version 5 added the shingles table: filled from the stored passages."""
        self.rebuild_shingles()

    def rebuild_shingles(self) -> None:
        """Fill the shingles table anew from the stored passages. The rows go to an unsorted
        scratch table first and into the keyed table in key order: random inserts into a
        B-tree of 30M rows (1M passages) would take hours."""
        self.db.executescript("DROP TABLE IF EXISTS shingles;" + SHINGLES_SCHEMA +
                              "CREATE TEMP TABLE IF NOT EXISTS unsorted (hash, passage);")
        rows = self.db.execute("SELECT id, text FROM passages")
        with self.db:
            while batch := rows.fetchmany(5000):
                self.db.executemany("INSERT INTO temp.unsorted VALUES (?, ?)", [
                    (value, rowid) for rowid, text in batch for value in fingerprints(text)])
            self.db.execute("INSERT OR IGNORE INTO shingles"
                            " SELECT hash, passage FROM temp.unsorted ORDER BY hash, passage")
            self.db.execute("DROP TABLE temp.unsorted")
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                            (str(SCHEMA_VERSION),))

    def _add_pipeline_column(self) -> None:
        """Documents without a pipeline version count as built by none: the next ingest
        rebuilds them."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(documents)")}
        if "pipeline" not in columns:
            with self.db:
                self.db.execute("ALTER TABLE documents ADD COLUMN pipeline INTEGER NOT NULL"
                                " DEFAULT 0")

    def close(self) -> None:
        self.db.close()

    # -- writing ---------------------------------------------------------------------------

    def put(self, doc: Document, *, path: str, sha256: str, size: int, mtime: float) -> None:
        """Store ``doc`` as the content of ``path``, replacing what the path held before."""
        meta = asdict(doc.metadata)
        with self.db:
            self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc.doc_id,))
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
            rowids = dict(self.db.execute(
                "SELECT ordinal, rowid FROM passages WHERE doc_id = ?", (doc.doc_id,)))
            self.db.executemany(
                _FTS_INSERT,
                [(rowids[p.ordinal], *fts_row(p.text, p.tokens, context_of(
                    meta["doc_type"], meta["issuer"], meta["subject"], p.heading)))
                 for p in doc.passages])
            self.db.executemany(_SHINGLES_INSERT, [
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
