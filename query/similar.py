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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from core import settings
from core.errors import EmptyQueryError
from core.records import Precedent, SimilarResult, WordingGroup
from query.search import Filters
from store.dense import DenseIndex
from store.shingles import folded_text, folded_words, shingle_hashes, word_spans, words

Encoder = Callable[[Sequence[str]], np.ndarray]
LABELS = ("trùng nguyên văn", "gần như trùng", "cùng ý", "lân cận")
SHINGLE_CANDIDATES = 300  # passages sharing the most fingerprints, compared in full
DENSE_CANDIDATES = 100
HIDDEN_KINDS = ("footnote", "signature")  # left out unless asked for
_MIN_CONTAINED_WORDS = 8  # a passage inside the text counts as a copy from this length on
_ROWS = ("SELECT p.id, p.doc_id, p.ordinal, p.start, p.end, p.text, p.heading, p.kind,"
         " d.source, d.number, d.date, d.issuer FROM passages p"
         " JOIN documents d ON d.doc_id = p.doc_id WHERE p.id IN ({marks})")


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


def similar(db, text: str = "", *, passage_id: str = "", k: int = 20,
            encoder: Encoder | None = None, dense: DenseIndex | None = None,
            since: int | None = None, until: int | None = None,
            all_kinds: bool = False) -> SimilarResult:
    """Groups of passages that say what ``text`` (or the indexed passage ``passage_id``,
    "doc_id:ordinal") says, best label first; at most ``k`` groups. Footnotes and
    signature blocks are left out unless ``all_kinds``."""
    own = None
    if passage_id:
        doc_id, _, ordinal = passage_id.rpartition(":")
        row = db.execute("SELECT id, text FROM passages WHERE doc_id = ? AND ordinal = ?",
                         (doc_id, int(ordinal) if ordinal.isdigit() else -1)).fetchone()
        if row is None:
            raise EmptyQueryError(f"{passage_id}: không có đoạn văn nào mang mã này")
        own, text = row
    text = unicodedata.normalize("NFC", text or "")
    folded, spans = words(text)
    if not folded:
        raise EmptyQueryError("văn bản cần so sánh không có chữ nào")
    limit = int(settings.get("similar_max_words"))
    truncated = len(folded) > limit
    if truncated:
        text, folded = text[: spans[limit - 1][1]], folded[:limit]
    letters = any(c.isalpha() and c.isascii() for c in "".join(folded))
    # the year filter search uses, on ``documents d``
    filters = Filters(year_from=since, year_to=until)
    years, year_params = filters.sql() if filters.active else ("", [])

    candidates = _shingle_candidates(db, shingle_hashes(folded), own) if letters else []
    meaning: dict[int, float] = {}
    query = None
    if encoder is not None and dense is not None:
        if own is not None and dense.holding([own]):
            query = dense.vectors([own])  # the passage's own vector: nothing to encode
        else:
            cut = int(settings.get("similar_dense_words"))
            query = encoder([text[: spans[min(cut, len(folded)) - 1][1]]])
        allowed = None
        if years:
            allowed = [r for (r,) in db.execute(
                "SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
                f" WHERE {years}", year_params)]
        for rowid, cosine in dense.search(query, DENSE_CANDIDATES + 1, allowed=allowed)[0]:
            if rowid != own:
                meaning[rowid] = cosine
    pool = list(dict.fromkeys([*candidates, *meaning]))
    if query is not None:  # the shingle candidates' meaning, from their stored vectors
        missing = dense.holding([r for r in pool if r not in meaning])
        if missing:
            cosines = dense.vectors(missing) @ np.asarray(query, dtype="float32")[0]
            meaning.update(zip(missing, cosines.tolist(), strict=True))

    sql = _ROWS.format(marks=",".join("?" * len(pool)))
    params: list = list(pool)
    if years:
        sql += f" AND {years}"
        params += year_params
    if not all_kinds:
        sql += f" AND p.kind NOT IN ({','.join('?' * len(HIDDEN_KINDS))})"
        params += HIDDEN_KINDS
    given = _Input.of(folded)
    near, same = float(settings.get("similar_near")), float(settings.get("similar_meaning"))
    found = []
    for row in (db.execute(sql, params).fetchall() if pool else []):
        rowid, doc_id, ordinal, start, end, body, heading, kind, source, number, date, issuer = row
        identical, wording, marked, found_words, folded_body = _compare(given, body)
        cosine = meaning.get(rowid)
        if identical:
            label = LABELS[0]
        elif wording >= near:
            label = LABELS[1]
        elif cosine is not None and cosine >= same:
            label = LABELS[2]
        elif not letters and cosine is not None:
            label = LABELS[3]
        else:
            continue
        marks = _runs(word_spans(folded_body), marked)
        found.append((Precedent(doc_id, f"{doc_id}:{ordinal}", start, end, body, heading, kind,
                                source, number, date, issuer, label, round(wording, 4),
                                None if cosine is None else round(cosine, 4), marks),
                      _group_key(found_words)))
    return SimilarResult(groups=_group(found, k), words=len(folded), truncated=truncated,
                         letters=letters, dense=query is not None)
