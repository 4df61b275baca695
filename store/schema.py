"""The catalog's tables, and the upgrades that bring an older catalog to this version.

``open_catalog`` opens (creating if needed) ``catalog.sqlite``: WAL mode, so readers (the
app) never block an ingest; the SQL functions every query may use (``fold``,
``fingerprints``); and the schema, upgraded in place from versions 3 and 4. Each upgrade step
can be redone, so a crash midway is repaired by the next open (the version is written last).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from core.errors import CatalogError
from core.tones import fold
from store.fts import FTS_SCHEMA, context_of, fts_row
from store.guard import GuardedConnection
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
SHINGLES_INSERT = "INSERT OR IGNORE INTO shingles VALUES (?, ?)"
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
FTS_INSERT = ("INSERT INTO passages_fts(rowid, words, syl, folded, context, context_folded)"
               " VALUES (?,?,?,?,?,?)")


def _fingerprints_json(text: str) -> str:
    return json.dumps(fingerprints(text))


def open_catalog(data_dir: Path) -> sqlite3.Connection:
    """A connection to the catalog in ``data_dir``, its schema current. Raises
    ``CatalogError`` for a catalog from another version or a damaged file."""
    path = data_dir / "catalog.sqlite"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, factory=GuardedConnection)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        # SQLite's lower() knows only ASCII: filters compare Vietnamese names folded
        db.create_function("fold", 1, fold, deterministic=True)
        db.create_function("fingerprints", 1, _fingerprints_json, deterministic=True)
        found = _schema_version(db)
        if found is None:
            with db:
                db.executescript(_SCHEMA + FTS_SCHEMA + SHINGLES_SCHEMA)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                           (str(SCHEMA_VERSION),))
        elif found in (3, 4):
            if found == 3:
                _upgrade_from_3(db)
            _add_pipeline_column(db)  # a development build wrote version 4 without it
            rebuild_shingles(db)  # version 5 added the shingles table
        elif found != SCHEMA_VERSION:
            raise CatalogError(
                f"{path}: danh mục có phiên bản lược đồ {found}, phần mềm cần "
                f"{SCHEMA_VERSION}; hãy xóa thư mục {data_dir} rồi nhập lại văn bản")
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                      " AND name = 'passages_changes_delete'").fetchone() is None:
            db.executescript(_CHANGES)  # only once: opening must not write
    except CatalogError:
        raise
    except (sqlite3.DatabaseError, OSError) as error:
        raise CatalogError(f"{path}: không mở được danh mục ({error})") from error
    return db


def _schema_version(db) -> int | None:
    row = db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if row is None:
        return None
    value = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(value[0]) if value else None


def _upgrade_from_3(db) -> None:
    """Version 4 added the context columns to the lexical index and the pipeline column:
    rebuild the index from the stored passages instead of asking users to ingest
    everything again."""
    _add_pipeline_column(db)
    db.executescript("DROP TRIGGER IF EXISTS passages_fts_delete;"
                     "DROP TABLE IF EXISTS passages_fts;" + FTS_SCHEMA)
    rows = db.execute(
        "SELECT p.id, p.text, p.tokens, p.heading, d.doc_type, d.issuer,"
        " json_extract(d.metadata, '$.subject') FROM passages p"
        " JOIN documents d ON d.doc_id = p.doc_id").fetchall()
    with db:
        db.executemany(FTS_INSERT, [
            (rowid, *fts_row(text, tuple(tokens.split()),
                             context_of(doc_type, issuer, subject or "", heading)))
            for rowid, text, tokens, heading, doc_type, issuer, subject in rows])
        db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def rebuild_shingles(db) -> None:
    """Fill the shingles table anew from the stored passages. The rows go to an unsorted
    scratch table first and into the keyed table in key order: random inserts into a
    B-tree of 30M rows (1M passages) would take hours."""
    db.executescript("DROP TABLE IF EXISTS shingles;" + SHINGLES_SCHEMA +
                     "CREATE TEMP TABLE IF NOT EXISTS unsorted (hash, passage);")
    rows = db.execute("SELECT id, text FROM passages")
    with db:
        while batch := rows.fetchmany(5000):
            db.executemany("INSERT INTO temp.unsorted VALUES (?, ?)", [
                (value, rowid) for rowid, text in batch for value in fingerprints(text)])
        db.execute("INSERT OR IGNORE INTO shingles"
                   " SELECT hash, passage FROM temp.unsorted ORDER BY hash, passage")
        db.execute("DROP TABLE temp.unsorted")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                   (str(SCHEMA_VERSION),))


def _add_pipeline_column(db) -> None:
    """Documents without a pipeline version count as built by none: the next ingest
    rebuilds them."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)")}
    if "pipeline" not in columns:
        with db:
            db.execute("ALTER TABLE documents ADD COLUMN pipeline INTEGER NOT NULL DEFAULT 0")
