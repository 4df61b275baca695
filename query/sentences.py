"""The extractive half of a summary: the sentences central to a document and covering
different points (maximal marginal relevance over sentence embeddings), skipping headings,
footnotes, signature blocks and boilerplate: a sentence whose wording (store/shingles.py)
recurs in many other documents says nothing about this one."""

from __future__ import annotations

import json
import re
import zlib

import numpy as np
from underthesea import sent_tokenize

from core.records import Document
from core.results import SummaryItem
from store.shingles import fingerprints, folded_text, folded_words
from store.store import Store

_CANDIDATES = 48  # sentences embedded per document
# words of a sentence the encoder reads: its gist for centrality; a 400-word legal sentence
# in full made one summary take 5 s on 2 cores (bench/summarize.py)
_EMBED_WORDS = 40
_BOILERPLATE_DOCS = 3  # a sentence whose wording is in this many other documents is boilerplate
_MMR = 0.7  # weight of centrality against novelty when picking sentences
NO_ENCODER = "không có mô hình vector: câu tóm tắt chọn theo từ ngữ"


_BULLET = re.compile(r"^(?:(?:[-+•*]|\(?\d+(?:\.\d+)*[.)-]|[a-zđ][.)]|[IVX]+[.-])\s+)+")


def sentence_spans(text: str, start: int, end: int, headings: set[tuple[int, int]],
                   min_words: int = 8) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` with ``min_words`` words or more, never
    running across a heading line: the range is cut at each heading's start and end first,
    title lines are dropped (an item's line, a sentence ending in punctuation, is kept), and
    a leading bullet or number ("- ", "+ ", "2.", "a)") is left out of a span."""
    out = []
    cuts = sorted({start, end, *(x for span in headings for x in span if start < x < end)})
    for a, b in zip(cuts, cuts[1:], strict=False):
        if (a, b) in headings and not re.search(r"[.;:!?…]\W*$", text[a:b].strip()):
            continue
        piece, cursor = text[a:b], 0
        for sentence in sent_tokenize(piece):
            at = piece.find(sentence, cursor)
            if at < 0:
                continue
            cursor = at + len(sentence)
            bullet = _BULLET.match(sentence)
            if bullet:
                at, sentence = at + bullet.end(), sentence[bullet.end():]
            words = sentence.split()
            if len(words) >= min_words and not (words[0].isupper() and words[1].isupper()):
                out.append((a + at, a + at + len(sentence)))
    return out


def _sentences(doc: Document, headings: set[tuple[int, int]]) -> list[SummaryItem]:
    """Body sentences of eight words or more, not headings (:func:`sentence_spans`)."""
    return [SummaryItem(doc.doc_id, a, b, doc.text[a:b])
            for passage in doc.passages if passage.kind == "body"
            for a, b in sentence_spans(doc.text, passage.start, passage.end, headings)]


def _boilerplate(store: Store | None, doc: Document, sentences: list[SummaryItem]) -> set[int]:
    """Indexes of the sentences most of whose fingerprints other documents share widely."""
    prints = [fingerprints(s.text) for s in sentences]
    wanted = sorted({h for p in prints for h in p})
    if not wanted or store is None:
        return set()
    spread = dict(store.db.execute(
        "SELECT s.hash, count(DISTINCT p.doc_id) FROM shingles s"
        " JOIN passages p ON p.id = s.passage"
        " WHERE s.hash IN (SELECT value FROM json_each(?)) AND p.doc_id != ?"
        " GROUP BY s.hash", (json.dumps(wanted), doc.doc_id)))
    return {n for n, p in enumerate(prints)
            if p and sum(spread.get(h, 0) >= _BOILERPLATE_DOCS for h in p) * 2 > len(p)}


def _bag(texts: list[str]) -> np.ndarray:
    """Normalised word-count vectors (folded words hashed into 4,096 slots): a cheap
    centrality to choose which sentences are worth embedding."""
    rows = np.zeros((len(texts), 4096), dtype="float32")
    for n, text in enumerate(texts):
        for word in folded_words(folded_text(text)):
            rows[n, zlib.crc32(word.encode()) % 4096] += 1.0
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1, norms)


def _mmr(vectors: np.ndarray, count: int) -> list[int]:
    centre = vectors.mean(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    central = vectors @ centre
    chosen: list[int] = []
    while len(chosen) < min(count, len(vectors)):
        novelty = (vectors @ vectors[chosen].T).max(axis=1) if chosen else 0.0
        score = _MMR * central - (1 - _MMR) * novelty
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return chosen




def central_sentences(doc: Document, store: Store | None, count: int) -> list[SummaryItem]:
    """The ``count`` most central sentences of ``doc``, in document order; embedded with the
    store's encoder when it has one (word counts stand in otherwise), boilerplate shared
    with the store's other documents left out."""
    headings = {(s.start, s.end) for s in doc.sections}
    pool = _sentences(doc, headings)
    skip = _boilerplate(store, doc, pool)
    pool = [s for n, s in enumerate(pool) if n not in skip]
    if not pool or count <= 0:
        return []
    bags = _bag([s.text for s in pool])
    if len(pool) > _CANDIDATES:  # embed only the most central by word counts
        centre = bags.mean(axis=0)
        keep = np.sort(np.argsort(-(bags @ centre), kind="stable")[:_CANDIDATES])
        pool, bags = [pool[i] for i in keep], bags[keep]
    vectors = bags
    if store is not None and store.encoder is not None:
        vectors = np.asarray(store.encoder.passages(
            [" ".join(s.text.split()[:_EMBED_WORDS]) for s in pool]), dtype="float32")
    return sorted((pool[i] for i in _mmr(vectors, count)), key=lambda s: s.start)
