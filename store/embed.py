"""Bring the vector index in step with the catalog: embed what it lacks, drop what went.

Runs after every ingest. The catalog is the truth: vectors of removed passages go, new
passages are embedded in batches. Each batch is journalled (``store/journal.py``) before the
next starts, so a crash loses at most one batch; the index itself is saved every few minutes
and at the end, and a crash between saves is repaired by the next sync from the journal.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence

import numpy as np

from core.encoding import Embed
from store.dense import EMBEDDED_KINDS, DenseIndex
from store.journal import Journal

# Seconds of embedding between saves of the index. Saving rewrites it whole (seconds at 1M
# vectors); the journal keeps what was embedded in between.
_SAVE_EVERY = 300.0


# A passage is embedded after its document's type, issuer and subject and its heading: the
# words a researcher names a passage by ("theo văn bản 5973/UBND-KT", "Sở Công Thương Lào
# Cai") are often only there. On the second labelled set the dense leg went from MRR@10 0.59
# to 0.66 and the hybrid from 0.67 to 0.71 (README, "Search quality"; TEXT_FORMAT 2).
_EMBEDDED = ("SELECT p.id, d.doc_type, d.issuer, coalesce(json_extract(d.metadata, '$.subject'),"
             " ''), p.heading, p.text FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
             " WHERE p.kind IN ({marks})")


def embedding_text(doc_type: str, issuer: str, subject: str, heading: str, text: str) -> str:
    """What a passage is embedded from (``TEXT_FORMAT`` 2)."""
    context = " ".join(part for part in (doc_type, issuer, subject) if part)
    return ". ".join(part for part in (context, heading, text) if part)


def embedding_texts(db, rowids: Sequence[int] | None = None) -> dict[int, str]:
    """Row id → the text each passage worth a vector is embedded from; of ``rowids`` only
    when given."""
    sql = _EMBEDDED.format(marks=",".join("?" * len(EMBEDDED_KINDS)))
    if rowids is None:
        return {row[0]: embedding_text(*row[1:]) for row in db.execute(sql, EMBEDDED_KINDS)}
    sql += " AND p.id IN (SELECT value FROM json_each(?))"
    return {row[0]: embedding_text(*row[1:]) for row in db.execute(
        sql, (*EMBEDDED_KINDS, json.dumps([int(r) for r in rowids])))}


def _passage_ids(db) -> set[int]:
    """Row ids of every passage, read from the passages' small (doc_id, ordinal) index:
    reading every text to learn which lack a vector cost 1.5 GB and 8 s at 1M passages.
    Signature blocks are among them; ``embedding_texts`` leaves them out."""
    return {r for (r,) in db.execute("SELECT id FROM passages")}


def digest(text: str) -> int:
    """The digest of the text a vector was embedded from, which it is known by."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "little", signed=True)


def journal_of(index: DenseIndex) -> Journal:
    """The journal beside the index folder (``<data>/dense.journal``): the folder itself is
    replaced whole on every save."""
    path = index.directory.with_name(index.directory.name + ".journal")
    return Journal(path, index.model, index.dimension)


def _reuse(index: DenseIndex, wanted: dict[int, str], missing: list[int], stale: list[int],
           journal: dict[int, np.ndarray]) -> set[int]:
    """Give ``missing`` passages the vectors their exact text already has: under a removed
    id (their document was rebuilt) or in the journal (a crash before the last save).
    The passages served."""
    known = index.digests()
    by_digest = {known[r]: r for r in stale if r in known}
    old = [(r, by_digest[digest(wanted[r])]) for r in missing if digest(wanted[r]) in by_digest]
    if old:
        index.add([new for new, _ in old], index.vectors([was for _, was in old]),
                  digests=[digest(wanted[new]) for new, _ in old])
    served = {new for new, _ in old}
    kept = [(r, digest(wanted[r])) for r in missing
            if r not in served and digest(wanted[r]) in journal]
    if kept:
        index.add([r for r, _ in kept], np.stack([journal[d] for _, d in kept]),
                  digests=[d for _, d in kept])
    return served | {r for r, _ in kept}


def sync(db, index: DenseIndex, encode: Embed, *, batch: int = 64,
         progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Embed passages the index lacks and drop those the catalog lost: (added, removed).

    A passage whose exact text has a vector (under a removed id, or in the journal) gets it
    back instead of being embedded again: at ~15 passages/s, re-embedding a corpus after a
    pipeline change or a crash would cost hours.
    """
    ids = _passage_ids(db)
    have = index.ids
    stale = sorted(have - ids)
    wanted = embedding_texts(db, sorted(ids - have))
    missing = sorted(wanted, key=lambda r: len(wanted[r]))  # similar lengths batch
    journal = journal_of(index)
    served = _reuse(index, wanted, missing, stale, journal.replay())
    if progress and served:
        progress(len(served))
    index.remove(stale)
    todo = [r for r in missing if r not in served]
    saved_at = time.monotonic()
    for at in range(0, len(todo), batch):
        chunk = todo[at : at + batch]
        digests = [digest(wanted[r]) for r in chunk]
        vectors = encode([wanted[r] for r in chunk])
        journal.append(digests, vectors)
        index.add(chunk, vectors, digests=digests)
        if progress:
            progress(len(chunk))
        if time.monotonic() - saved_at > _SAVE_EVERY:
            _save(index, journal)
            saved_at = time.monotonic()
    if stale or missing:
        _save(index, journal)
    return len(missing), len(stale)


def _save(index: DenseIndex, journal: Journal) -> None:
    index.save()
    journal.clear()  # after the save: a crash in between replays vectors the index holds
