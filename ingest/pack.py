"""Passages from sentences: a paragraph's sentence spans, long ones cut, packed to size.

Used by ``ingest/segment.py`` once it knows which paragraphs make one passage block. Sizes
(target, maximum, minimum words, sentences of overlap) come from the settings table. Spans
are offsets into the cleaned text.
"""

from __future__ import annotations

import re

from core import settings


def word_count(text: str) -> int:
    return len(text.split())


def sentence_spans(text: str, base: int) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph ``text`` starting at ``base`` (underthesea
    ``sent_tokenize``), long ones cut at ``;``."""
    from underthesea import sent_tokenize  # lazy: loading takes ~2 s

    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in sent_tokenize(text):
        found = text.find(sentence, cursor)
        if found == -1:  # underthesea altered the text; fall back to the rest of the paragraph
            spans.append((base + cursor, base + len(text)))
            break
        spans.append((base + found, base + found + len(sentence)))
        cursor = found + len(sentence)
    else:
        if text[cursor:].strip():
            spans.append((base + cursor, base + len(text)))
    limit = int(settings.get("passage_max_words"))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and word_count(text[out[-1][0] - base : out[-1][1] - base]) < 3:
            start = out.pop()[0]  # "1." split off as a sentence belongs to what follows
        out.extend(_cut_long(text, base, start, end, limit))
    return out


def _cut_long(text: str, base: int, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than ``limit`` words at "; " (then at word boundaries)."""
    piece = text[start - base : end - base]
    if word_count(piece) <= limit:
        return [(start, end)]
    cuts = [m.end() for m in re.finditer(r";\s", piece)]
    spans, last, words = [], 0, 0
    for cut in cuts + [len(piece)]:
        chunk = piece[last:cut]
        if words and words + word_count(chunk) > limit:
            spans.append(last)
            words = 0
        words += word_count(chunk)
        last = cut
    bounds = [0] + [b for b in spans if b] + [len(piece)]
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        sub = piece[a:b]
        tokens = list(re.finditer(r"\S+", sub))
        for i in range(0, len(tokens), limit):  # a clause still too long: cut by words
            group = tokens[i : i + limit]
            out.append((start + a + group[0].start(), start + a + group[-1].end()))
    return out


def pack(units: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Greedy packing of sentence spans into passages of target size, within max."""
    target = int(settings.get("passage_target_words"))
    limit = int(settings.get("passage_max_words"))
    minimum = int(settings.get("passage_min_words"))
    overlap = int(settings.get("passage_overlap_sentences"))
    chunks: list[list[tuple[int, int]]] = [[]]
    count = 0
    for unit in units:
        words = word_count(text[unit[0] : unit[1]])
        if chunks[-1] and (count + words > limit or count >= target):
            carried = chunks[-1][-overlap:] if overlap else []
            chunks.append(list(carried))
            count = sum(word_count(text[a:b]) for a, b in carried)
        chunks[-1].append(unit)
        count += words
    if len(chunks) > 1:
        last = sum(word_count(text[a:b]) for a, b in chunks[-1])
        before = sum(word_count(text[a:b]) for a, b in chunks[-2])
        if last < minimum and last + before <= limit:
            chunks[-2].extend(u for u in chunks[-1] if u not in chunks[-2])
            chunks.pop()
    return [(c[0][0], c[-1][1]) for c in chunks if c]
