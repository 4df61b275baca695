"""Resolve what a user types for ``show DOC``: a doc id, a source file name or an own number."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import process

from core.errors import DocumentNotFoundError
from core.tones import normalize_tones
from store.store import Store


def _key(text: str) -> str:
    """Case-, space- and tone-placement-insensitive key: "588 - kh/đu" == "588-KH/ĐU"."""
    text = normalize_tones(unicodedata.normalize("NFC", text)).upper()
    return re.sub(r"\s+", "", text)


def resolve(store: Store, query: str) -> str:
    """The doc id ``query`` names.

    Raises ``DocumentNotFoundError`` with the closest names when nothing (or more than one
    document) matches, so the user can pick.
    """
    query = query.strip()
    # Fast path, from indexed columns: an exact id, file name or number as stored. The scan
    # below (spacing, case, tone placement, close names) runs only when this finds nothing.
    exact = {r[0] for r in store.db.execute(
        "SELECT doc_id FROM documents WHERE doc_id = ? OR source = ? OR number = ?"
        " UNION SELECT doc_id FROM files WHERE substr(path, -length(?)) = ?",
        (query, query, re.sub(r"\s+", "", query), f"/{query}", f"/{query}"))}
    if len(exact) == 1:
        return exact.pop()
    entries = store.catalog.entries()
    wanted = _key(query)
    names: dict[str, set[str]] = {}  # every name a document answers to -> doc ids
    for entry in entries:
        candidates = {entry.doc_id, entry.source, entry.source.rsplit(".", 1)[0]}
        candidates |= {p.rsplit("/", 1)[-1] for p in entry.paths}
        if entry.metadata.number:
            candidates.add(entry.metadata.number)
        for name in candidates:
            names.setdefault(_key(name), set()).add(entry.doc_id)
    hits = names.get(wanted, set())
    if not hits and len(wanted) >= 6:
        hits = {e.doc_id for e in entries if e.doc_id.upper().startswith(wanted)}
    if len(hits) == 1:
        return hits.pop()
    if hits:  # the same number from two terms or issuers: make the user choose
        raise DocumentNotFoundError(query, sorted(f"{h} ({store.catalog.get(h).source})"
                                                  for h in hits))
    labels = {}
    for entry in entries:
        labels[entry.source] = entry.source
        if entry.metadata.number:
            labels[entry.metadata.number] = f"{entry.metadata.number} ({entry.source})"
    close = process.extract(query, list(labels), limit=3, score_cutoff=60)
    raise DocumentNotFoundError(query, [labels[name] for name, _score, _i in close])
