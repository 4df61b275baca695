"""BM25 ranking at scale: a tantivy index derived from the catalog, kept in step by diff.

FTS5 computes BM25 for every row that matches any query term: with ~30 terms per query that
took 32 ms at 19,500 passages and 1.8 s at 1M (bench/search.py). Tantivy keeps per-block
maximum scores in its postings and ranks a disjunction by block-max WAND, so a top-k query
reads a small part of the postings of its common terms. FTS5 stays the store (transactional
with each document) and still answers quoted phrases; this index follows it after every
ingest and lives in ``<data>/lexical/`` (the folder ``store/store.py`` names).

Incremental: passage ids are never reused (AUTOINCREMENT), so the passages to add and to drop
are the difference between the rowids in the catalog and in the index; one tantivy commit
applies both, with a marker document holding the catalog state the index now matches and the
highest rowid it holds. Every catalog passage at or below that rowid was in the catalog when
the index was last brought in step, so was indexed: the new passages are those above it, and
when the catalog holds as many at or below it as the index does, none was dropped. Adding a
document then reads only its own rows (at 1M passages, listing every rowid of the catalog
and the index took 4 s warm and over a minute from a cold disk). The
commit is atomic: a writer killed before it leaves the previous commit, and the diff is
redone by the next ingest. A reader compares the marker with its own catalog snapshot and
uses the index only when they are equal (else FTS5 ranks: slower, never wrong).

Two fields mirror FTS5's columns and weights: one over words (written twice, as FTS5 weighs
that column 2.0), syllables and context; one over the folded columns, for queries typed
without diacritics. FTS5's bm25 sums weighted term frequencies over the row's columns with
one row length: one field per model is that same bag-of-tokens model.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import IndexDamagedError
from core.folders import current, recover, staging, swap_in
from store.catalog import passage_changes

# The FTS5 columns each field reads: words twice, as FTS5 weighs that column 2.0.
_COLUMNS = {"accented": ("words", "words", "syl", "context"),
            "folded": ("folded", "context_folded")}
_SELECT = "SELECT rowid, words, syl, context, folded, context_folded FROM passages_fts"
_MARKER = -1  # the rowid of the document holding the catalog state (passage ids are > 0)
LAYOUT = 2  # bumped when the schema or the fields' content change: the index is rebuilt
_HEAP = 128_000_000  # writer memory; tantivy flushes a segment when it is full
_CHUNK = 500  # rowids per SELECT of the rows to add


@dataclass(frozen=True)
class Bm25Index:
    """A searcher on one commit, and the catalog state (and passage count) it matches."""

    searcher: object
    schema: object
    state: int
    count: int


def _tantivy():
    import tantivy  # imported on use: only search and ingest need it

    return tantivy


def _schema():
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rowid", indexed=True, fast=True)
    builder.add_integer_field("state", fast=True)
    builder.add_integer_field("layout", fast=True)
    builder.add_integer_field("top", fast=True)
    for name in _COLUMNS:  # whitespace: the columns are already tokens, lower case
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    return builder.build()


def _marker(searcher, schema) -> tuple[int, int, int] | None:
    """(layout, catalog state, highest rowid) the commit of ``searcher`` says it holds; None
    without one."""
    tantivy = _tantivy()
    hits = searcher.search(tantivy.Query.term_query(schema, "rowid", _MARKER), limit=1,
                           count=False).hits
    if not hits:
        return None
    address = [hits[0][1]]
    layout, state = (searcher.fast_field_values(name, address)[0] for name in ("layout", "state"))
    if layout != LAYOUT:  # an older layout may lack the later fields: it is rebuilt anyway
        return layout, state, 0
    return layout, state, searcher.fast_field_values("top", address)[0]


def _matches(marker: tuple[int, int, int] | None, state: int) -> bool:
    """Whether a commit's marker says it is of this layout and at catalog ``state``."""
    return marker is not None and marker[:2] == (LAYOUT, state)


_OPEN: dict[str, tuple[int, object]] = {}  # folder → (inode, tantivy Index), per process


def _open(directory: Path):
    """The tantivy Index in ``directory`` (the folder a swap left, if need be), opened once
    per process and again when a rebuild swapped another folder in; None when there is
    none. Raises ``IndexDamagedError`` for one that does not open."""
    found = current(directory)
    try:
        inode = found.stat().st_ino
    except OSError:
        return None
    cached = _OPEN.get(str(directory))
    if cached is not None and cached[0] == inode:
        return cached[1]
    if not (found / "meta.json").exists():
        return None
    try:
        index = _tantivy().Index.open(str(found))
    except (ValueError, OSError) as error:  # garbage meta.json, missing or torn segments
        raise IndexDamagedError(found, str(error)) from error
    _OPEN[str(directory)] = (inode, index)
    return index


def _searcher(index, state: int, *, reload: bool):
    """(searcher, schema) of the index's commit matching ``state``, reloading once when it
    does not; None when no commit matches (the index is stale or of another layout)."""
    schema = index.schema
    for attempt in (False, True):
        if attempt:
            if not reload:
                return None
            index.reload()
        searcher = index.searcher()
        if _matches(_marker(searcher, schema), state):
            return searcher, schema
    return None


def load(db, directory: Path) -> Bm25Index | None:
    """The index in ``directory`` as it matches the catalog as ``db`` sees it now, else None
    (the caller ranks with FTS5). Raises ``IndexDamagedError`` for files that do not load or
    do not hold what the marker says: the caller ranks with FTS5, the next ingest rebuilds."""
    state = passage_changes(db)
    try:
        index = _open(directory)
        found = index and _searcher(index, state, reload=True)
    except ValueError as error:  # a segment that opens but does not read
        raise IndexDamagedError(current(directory), str(error)) from error
    if not found:
        return None
    searcher, schema = found
    return Bm25Index(searcher, schema, state, int(searcher.num_docs) - 1)


def _rowids(searcher) -> np.ndarray:
    """Every passage rowid in the index, sorted, read from the fast field."""
    total = int(searcher.num_docs)
    if total == 0:
        return np.zeros(0, dtype="int64")
    hits = searcher.search(_tantivy().Query.all_query(), limit=total, count=False,
                           order_by_field="rowid").hits
    rowids = np.fromiter((key for key, _address in hits), dtype="int64", count=len(hits))
    return np.sort(rowids[rowids != _MARKER])


def _document(row: tuple):
    rowid, words, syl, context, folded, context_folded = row
    values = {"words": words, "syl": syl, "context": context, "folded": folded,
              "context_folded": context_folded}
    return _tantivy().Document(rowid=rowid, **{
        name: " ".join(values[c] for c in columns if values[c])
        for name, columns in _COLUMNS.items()})


def _write(writer, db, add: np.ndarray, drop: np.ndarray, marker: tuple[int, int], *,
           every: bool) -> None:
    """Drop the rowids ``drop``, add the catalog rows ``add`` (all rows when ``every``), set
    the marker to ``marker`` (catalog state, highest rowid) and commit: one commit, all or
    nothing."""
    tantivy = _tantivy()
    for rowid in (*drop.tolist(), *add.tolist(), _MARKER):  # a re-added row replaces itself
        writer.delete_documents_by_term("rowid", rowid)
    if every:
        rows = db.execute(_SELECT + " ORDER BY rowid")
        for row in rows:
            writer.add_document(_document(row))
    for start in range(0, 0 if every else len(add), _CHUNK):
        chunk = add[start : start + _CHUNK].tolist()
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"{_SELECT} WHERE rowid IN ({marks})", chunk):
            writer.add_document(_document(row))
    writer.add_document(tantivy.Document(rowid=_MARKER, state=marker[0], top=marker[1],
                                         layout=LAYOUT))
    writer.commit()
    writer.wait_merging_threads()


def _catalog_rowids(db, above: int = 0) -> np.ndarray:
    """The catalog's passage ids above ``above``, sorted. Read from ``passages``, whose ids
    are the lexical rows' (one transaction writes both): SQLite lists them from a small
    index, where the FTS5 table would be read whole."""
    rows = db.execute("SELECT id FROM passages WHERE id > ?", (above,))
    return np.sort(np.fromiter((r for (r,) in rows), dtype="int64"))


def _top_rowid(db) -> int:
    return int(db.execute("SELECT coalesce(max(id), 0) FROM passages").fetchone()[0])


def rebuild(db, target: Path) -> int:
    """A new index of every catalog row, built aside and swapped in; the passages indexed."""
    state = passage_changes(db)
    built = staging(target)
    index = _tantivy().Index(_schema(), path=str(built))
    _write(index.writer(heap_size=2 * _HEAP, num_threads=2), db, np.zeros(0, "int64"),
           np.zeros(0, "int64"), (state, _top_rowid(db)), every=True)
    del index
    swap_in(built, target)
    _OPEN.pop(str(target), None)
    return int(db.execute("SELECT count(*) FROM passages_fts").fetchone()[0])


def sync(db, target: Path) -> tuple[int, int]:
    """Bring the index in ``target`` in step with the catalog: (rows added, rows dropped).
    Only the difference is written; a missing, damaged or other-layout index, or a change
    larger than the index, is rebuilt whole."""
    recover(target)  # a swap a killed writer left half done
    state = passage_changes(db)
    try:
        index = _open(target)
        searcher = index and index.searcher()
        marker = searcher and _marker(searcher, index.schema)
    except (IndexDamagedError, ValueError):
        index = marker = None
    if _matches(marker, state):
        return 0, 0
    if index is None or marker is None or marker[0] != LAYOUT:
        shutil.rmtree(target.with_name("bm25"), ignore_errors=True)  # bm25s, before tantivy
        return rebuild(db, target), 0
    # count(*) reads the smallest index of the table; a count over a rowid range would
    # read the table's own pages, passage texts and all
    total = int(db.execute("SELECT count(*) FROM passages").fetchone()[0])
    try:
        add, drop = _difference(db, searcher, marker[2], total)
    except ValueError:
        return rebuild(db, target), 0
    if len(add) > max(total // 2, 10_000):  # most of it new: a fresh build is faster
        return rebuild(db, target), len(drop)
    top = max(marker[2], int(add[-1]) if len(add) else 0)
    _write(index.writer(heap_size=_HEAP, num_threads=1), db, add, drop, (state, top),
           every=False)
    return len(add), len(drop)


def _difference(db, searcher, top: int, total: int) -> tuple[np.ndarray, np.ndarray]:
    """(rowids to add, rowids to drop) for a catalog of ``total`` passages: those above
    ``top`` are new; the whole lists are compared only when the catalog lost passages at or
    below it."""
    add = _catalog_rowids(db, top)
    if total - len(add) == int(searcher.num_docs) - 1:  # the marker aside
        return add, np.zeros(0, dtype="int64")
    indexed, wanted = _rowids(searcher), _catalog_rowids(db)
    return (np.setdiff1d(wanted, indexed, assume_unique=True),
            np.setdiff1d(indexed, wanted, assume_unique=True))


def rank(index: Bm25Index, terms: list[str], *, folded: bool, k: int,
         allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(passage rowid, score) of the ``k`` best passages holding any of ``terms``;
    ``allowed`` (rowids) restricts them."""
    tantivy = _tantivy()
    field, searcher, schema = ("folded" if folded else "accented"), index.searcher, index.schema
    # A term in half the passages or more has a BM25 IDF of zero in FTS5 (clamped): it adds
    # nothing there, while tantivy's IDF (Lucene's, never below zero) would still count it.
    # "của", "và", "quy định" hold three quarters of the postings a query reads at 1M.
    half = index.count / 2
    known = [t for t in dict.fromkeys(terms) if 0 < searcher.doc_freq(field, t) < half]
    if not known or (allowed is not None and len(allowed) == 0):
        return []
    should = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, t)) for t in known]
    query = tantivy.Query.boolean_query(should)
    if allowed is not None and len(allowed) <= _SET_MAX:
        within = tantivy.Query.const_score_query(
            tantivy.Query.term_set_query(schema, "rowid", np.asarray(allowed).tolist()), 0.0)
        return _top(searcher, tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, within), (tantivy.Occur.Must, query)]), k)
    if allowed is None:
        return _top(searcher, query, k)
    # A large set (a filter on the type of half the archive) costs more as a term set than
    # reading a few times k of the best hits and keeping the allowed ones: exact, since a
    # better allowed passage would be among the hits read.
    limit = min(index.count, k * (index.count // len(allowed) + 1) * 2)
    members = frozenset(np.asarray(allowed).tolist())
    while True:
        hits = _top(searcher, query, limit)
        kept = [hit for hit in hits if hit[0] in members]
        if len(kept) >= k or len(hits) < limit:
            return kept[:k]
        limit *= 4


_SET_MAX = 20_000  # allowed rowids up to which a term set restricts the search itself


def _top(searcher, query, k: int) -> list[tuple[int, float]]:
    """The ``k`` best hits, equal scores in rowid order: tantivy orders ties by segment, and
    which segment a passage lands in depends on the writer's threads, so the same catalog
    would otherwise rank differently from one build to the next."""
    if k <= 0:
        return []
    limit = k + 8
    while True:
        hits = searcher.search(query, limit=limit, count=False).hits
        if len(hits) < limit or hits[-1][0] < hits[min(k, len(hits)) - 1][0]:
            break  # the tie at rank k, if any, is wholly read
        limit *= 4
    rowids = searcher.fast_field_values("rowid", [address for _score, address in hits])
    ranked = sorted(((-score, int(r)) for r, (score, _a) in zip(rowids, hits, strict=True)))
    return [(rowid, -score) for score, rowid in ranked[:k]]
