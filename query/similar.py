"""Precedent wording: every earlier passage that says what a pasted text says.

Two kinds of candidates: passages sharing word shingles with the text (the catalog's
``shingles`` table, index/shingles.py), which finds copied wording whatever the meaning leg
thinks, and the text's nearest neighbours by embedding, which finds the same idea in other
words. Each candidate is then compared with the text itself:

* **trùng nguyên văn** (identical): one text's words, in order, are a run of the other's
  (case, tone marks and punctuation aside);
* **gần như trùng** (near-identical): at least ``similar_near`` of the shorter text's word
  triples are in the other: small edits, reordered sentences;
* **cùng ý** (same meaning): the embeddings' cosine is at least ``similar_meaning``;
* **lân cận** (neighbour): only for a text with no Vietnamese letters, whose nearest
  passages by meaning are all there is to show.

Passages that are copies of each other (boilerplate from plan to plan) form one group per
wording, oldest document first, so the first use and the reuse count read off the group.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from core import settings
from core.errors import EmptyQueryError
from core.results import Precedent, SimilarResult, WordingGroup
from query.filters import Filters
from store.shingles import folded_text, folded_words, shingle_hashes, word_spans, words
from store.store import Store, snapshot

LABELS = ("trùng nguyên văn", "gần như trùng", "cùng ý", "lân cận")
SHINGLE_CANDIDATES = 300  # passages sharing the most fingerprints, compared in full
DENSE_CANDIDATES = 100
HIDDEN_KINDS = ("footnote", "signature")  # left out unless asked for
_MIN_CONTAINED_WORDS = 8  # a passage inside the text counts as a copy from this length on


def _shingle_candidates(db, hashes: np.ndarray, exclude: int | None) -> list[int]:
    if not len(hashes):
        return []
    rows = db.execute(
        "SELECT passage, count(*) AS n FROM shingles"
        " WHERE hash IN (SELECT value FROM json_each(?)) GROUP BY passage"
        " ORDER BY n DESC LIMIT ?",
        (json.dumps(np.unique(hashes).tolist()), SHINGLE_CANDIDATES + 1)).fetchall()
    return [rowid for rowid, _n in rows if rowid != exclude][:SHINGLE_CANDIDATES]


def _runs(spans: list[tuple[int, int]], marked: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Character spans of the runs of marked words: one highlight per shared stretch."""
    out: list[tuple[int, int]] = []
    for index in np.flatnonzero(marked):
        start, end = spans[index]
        if out and index and marked[index - 1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


@dataclass(frozen=True)
class _Input:
    words: list[str]
    joined: str  # the words between spaces, for finding one text as a run of the other
    triples: frozenset[int]  # hashes of its word triples

    @classmethod
    def of(cls, folded: list[str]) -> _Input:
        return cls(folded, f" {' '.join(folded)} ",
                   frozenset(shingle_hashes(folded, 3).tolist()))


def _compare(given: _Input, passage: str) -> tuple[bool, float, np.ndarray, list[str], str]:
    """(identical, wording similarity, which words are shared, words, folded text) of a
    passage against the input."""
    folded = folded_text(passage)
    found = folded_words(folded)
    triples = shingle_hashes(found, 3).tolist()
    shared = np.fromiter(map(given.triples.__contains__, triples), dtype=bool,
                         count=len(triples))
    marked = np.zeros(len(found), dtype=bool)
    for offset in range(3):  # a word is shared when a triple holding it is
        marked[offset : offset + len(shared)] |= shared
    distinct = set(triples)
    shorter = min(len(distinct), len(given.triples))
    wording = len(distinct & given.triples) / shorter if shorter else 0.0
    joined = f" {' '.join(found)} "
    inside = len(found) >= _MIN_CONTAINED_WORDS and joined in given.joined
    if inside:
        marked[:] = True  # the whole passage is a run of the input
    identical = inside or (bool(found) and given.joined in joined)
    return identical, 1.0 if identical else float(wording), marked, found, folded


def _group_key(folded: list[str]) -> str:
    return " ".join(w for w in folded if not w.isdigit())


def _group(found: list[tuple[Precedent, str]], k: int) -> tuple[WordingGroup, ...]:
    """One group per wording: passages this alike (``duplicate_similarity``) are copies."""
    rank = {label: i for i, label in enumerate(LABELS)}
    best_first = sorted(found, key=lambda f: (rank[f[0].label], -_score(f[0]),
                                              f[0].date or "9999"))
    cutoff = float(settings.get("duplicate_similarity")) * 100
    keys: list[str] = []
    members: list[list[Precedent]] = []
    for precedent, key in best_first:
        twin = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if twin is not None:
            members[twin[2]].append(precedent)
        elif len(members) < k:
            keys.append(key)
            members.append([precedent])
    groups = []
    for group in members:
        by_date = sorted(group, key=lambda p: (not p.date, p.date, p.doc_id, p.start))
        dated = [p.date for p in by_date if p.date]
        groups.append(WordingGroup(
            label=min((p.label for p in group), key=rank.__getitem__),
            similarity=max(_score(p) for p in group), first_date=dated[0] if dated else "",
            documents=len({p.doc_id for p in group}), passages=tuple(by_date)))
    return tuple(groups)


def _score(precedent: Precedent) -> float:
    """What the label rests on: wording for copies, meaning for the rest."""
    if precedent.label in LABELS[:2]:
        return precedent.wording
    return precedent.meaning if precedent.meaning is not None else 0.0


def _own(store: Store, passage_id: str) -> tuple[int, str]:
    """(row id, text) of the indexed passage "doc_id:ordinal"."""
    doc_id, _, ordinal = passage_id.rpartition(":")
    row = store.db.execute("SELECT id, text FROM passages WHERE doc_id = ? AND ordinal = ?",
                           (doc_id, int(ordinal) if ordinal.isdigit() else -1)).fetchone()
    if row is None:
        raise EmptyQueryError(f"{passage_id}: không có đoạn văn nào mang mã này")
    return row


def _neighbours(store: Store, text: str, own: int | None, years: Filters
                ) -> tuple[dict[int, float], np.ndarray | None]:
    """(row id → cosine) of the text's nearest passages by meaning, and the query vector;
    ({}, None) without an encoder or vectors."""
    dense = store.dense()
    if store.encoder is None or dense is None:
        return {}, None
    if own is not None and dense.holding([own]):
        query = dense.vectors([own])  # the passage's own vector: nothing to encode
    else:
        query = store.encoder.queries([text])
    allowed = store.passage_ids(*years.sql()) if years.active else None
    found = dense.search(query, DENSE_CANDIDATES + 1, allowed=allowed)[0]
    return {rowid: cosine for rowid, cosine in found if rowid != own}, query


def _candidates(store: Store, text: str, folded: list[str], spans: list[tuple[int, int]],
                own: int | None, letters: bool, years: Filters
                ) -> tuple[list[int], dict[int, float], bool]:
    """Passages worth comparing: those sharing fingerprints with the text and its nearest by
    meaning; with each one's cosine to the text where vectors exist, and whether the meaning
    leg ran."""
    shared = _shingle_candidates(store.db, shingle_hashes(folded), own) if letters else []
    cut = min(int(settings.get("similar_dense_words")), len(folded))
    meaning, query = _neighbours(store, text[: spans[cut - 1][1]], own, years)
    pool = list(dict.fromkeys([*shared, *meaning]))
    if query is not None:  # the shingle candidates' meaning, from their stored vectors
        dense = store.dense()
        missing = dense.holding([r for r in pool if r not in meaning])
        if missing:
            cosines = dense.vectors(missing) @ np.asarray(query, dtype="float32")[0]
            meaning.update(zip(missing, cosines.tolist(), strict=True))
    return pool, meaning, query is not None


def _label(identical: bool, wording: float, cosine: float | None, letters: bool) -> str:
    """The label a compared passage earns ("" when none): copies first, then meaning."""
    if identical:
        return LABELS[0]
    if wording >= float(settings.get("similar_near")):
        return LABELS[1]
    if cosine is not None and cosine >= float(settings.get("similar_meaning")):
        return LABELS[2]
    if not letters and cosine is not None:
        return LABELS[3]
    return ""


def _compared(store: Store, given: _Input, pool: list[int], meaning: dict[int, float],
              letters: bool, years: Filters, all_kinds: bool) -> list[tuple[Precedent, str]]:
    """Each candidate the filters allow compared with the text: (precedent, group key) of
    those that earn a label."""
    where, params = years.sql()
    if not all_kinds:
        where += f" AND p.kind NOT IN ({','.join('?' * len(HIDDEN_KINDS))})"
        params = [*params, *HIDDEN_KINDS]
    found = []
    for rowid, row in sorted(store.passage_rows(pool, where, params).items()):
        identical, wording, marked, found_words, folded_body = _compare(given, row.text)
        cosine = meaning.get(rowid)
        label = _label(identical, wording, cosine, letters)
        if not label:
            continue
        marks = _runs(word_spans(folded_body), marked)
        found.append((Precedent(**row.found(), kind=row.kind, label=label,
                                wording=round(wording, 4),
                                meaning=None if cosine is None else round(cosine, 4),
                                marks=marks),
                      _group_key(found_words)))
    return found


@snapshot
def similar(store: Store, text: str = "", *, passage_id: str = "", k: int = 20,
            since: int | None = None, until: int | None = None,
            all_kinds: bool = False) -> SimilarResult:
    """Groups of passages that say what ``text`` (or the indexed passage ``passage_id``,
    "doc_id:ordinal") says, best label first; at most ``k`` groups. Footnotes and
    signature blocks are left out unless ``all_kinds``."""
    own = None
    if passage_id:
        own, text = _own(store, passage_id)
    text = unicodedata.normalize("NFC", text or "")
    folded, spans = words(text)
    if not folded:
        raise EmptyQueryError("văn bản cần so sánh không có chữ nào")
    limit = int(settings.get("similar_max_words"))
    truncated = len(folded) > limit
    if truncated:
        text, folded = text[: spans[limit - 1][1]], folded[:limit]
    letters = any(c.isalpha() and c.isascii() for c in "".join(folded))
    years = Filters(year_from=since, year_to=until)  # the year filter search uses
    pool, meaning, dense = _candidates(store, text, folded, spans, own, letters, years)
    found = _compared(store, _Input.of(folded), pool, meaning, letters, years, all_kinds)
    return SimilarResult(groups=_group(found, k), words=len(folded), truncated=truncated,
                         letters=letters, dense=dense)
