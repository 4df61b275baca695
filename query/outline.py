"""A lecture outline (đề cương) from many plans: what the documents say about a topic, in the
order a lecture follows, each point a real sentence with its sources.

Passages come from hybrid search (index/search.py), limited to the plans citing a reference
when one is given. Each goes to the lecture section its own heading path names: "MỤC ĐÍCH,
YÊU CẦU" to context and meaning, "NỘI DUNG" to the main content, "NHIỆM VỤ, GIẢI PHÁP" or
"HÌNH THỨC" to tasks and solutions, "TỔ CHỨC THỰC HIỆN" or a deadline to organisation and
deadlines; the deepest heading that names one decides. Within a section, passages that say
the same thing (copies found by search's duplicate collapse, or embeddings this close) make
one point listing all their sources; points are picked best-ranked first, so they are both
representative and distinct. A point is the passage's sentence that shares most words with
the topic.
"""

from __future__ import annotations

import re

from core.results import Hit, Outline, OutlinePoint, OutlineSection, OutlineSource
from core.tones import fold
from query.filters import Filters
from query.search import search
from query.sentences import sentence_spans
from store.shingles import folded_text, folded_words
from store.store import Store, snapshot

SECTIONS = ("Bối cảnh, ý nghĩa", "Nội dung chính", "Nhiệm vụ và giải pháp",
            "Tổ chức thực hiện và thời hạn")
# heading words (folded) → lecture section; checked in this order on each heading
_SECTION_WORDS = (
    (3, ("to chuc thuc hien", "thoi gian", "tien do", "che do bao cao", "thoi han",
         "phan cong")),
    (2, ("nhiem vu", "giai phap", "bien phap", "hinh thuc", "kiem tra, giam sat")),
    (0, ("muc dich", "yeu cau", "boi canh", "tinh hinh", "y nghia", "quan diem", "ket qua")),
    (1, ("noi dung", "chuyen de", "muc tieu", "tai lieu", "dinh huong")),
)
PASSAGES = 50  # passages retrieved for an outline
POINTS = 5  # points per section at most
# what is due when (a plain date is more often a cited document's)
_DUE = re.compile(r"(?:trước|chậm nhất|hạn chót)\s+(?:ngày\s+)?\d|trong tháng\s+\d|"
                  r"\bquý\s+(?:IV|I{1,3}|[1-4])\b", re.IGNORECASE)
_MAX_POINT = 320  # characters of a point before it is cut at a clause end
_SAME_MEANING = 0.95  # embeddings this close: one point (e5-small: copies score 0.97+)


def _section_of(hit: Hit) -> int:
    parts = [p for p in hit.heading.split(" > ") if p.strip()]
    for part in reversed(parts):
        folded = fold(part)
        for index, words in _SECTION_WORDS:
            if any(w in folded for w in words):
                return index
    if _DUE.search(hit.text):
        return 3
    return 0 if not parts else 1  # before any heading: the preamble ("Thực hiện …")


def _point_text(store: Store, hit: Hit, topic: str, headings: dict) -> tuple[int, int] | None:
    """The span, in the document, of the passage's sentence sharing most words with the
    topic (headings and bullets left out, cut at a clause end when long); None when the
    passage has no sentence of six words."""
    if hit.doc_id not in headings:  # read once per document, not once per passage
        headings[hit.doc_id] = set(store.db.execute(
            "SELECT start, end FROM sections WHERE doc_id = ?", (hit.doc_id,)).fetchall())
    text = " " * hit.start + hit.text  # offsets as in the document, without fetching it
    wanted = set(folded_words(folded_text(topic)))
    best, best_score = None, -1.0
    for a, b in sentence_spans(text, hit.start, hit.end, headings[hit.doc_id], min_words=6):
        score = len(wanted.intersection(folded_words(folded_text(text[a:b]))))
        score += 1 / (1 + a - hit.start)  # ties: the earlier one
        if score > best_score:
            best, best_score = (a, b), score
    if best is not None and best[1] - best[0] > _MAX_POINT:
        a, b = best
        cut = max(text.rfind("; ", a, a + _MAX_POINT), text.rfind(", ", a, a + _MAX_POINT))
        best = (a, cut + 1 if cut > a + 40 else a + _MAX_POINT)
    return best


def _retrieve(store: Store, topic: str, doc_ids: frozenset[str] | None, passages: int,
              require_words: bool) -> tuple[list[Hit], dict[str, int]]:
    """The body passages search finds for ``topic``, and each one's row id."""
    hits = search(store, topic, k=passages, filters=Filters(doc_ids=doc_ids))
    found = store.resolve_passages([h.passage_id for h in hits])
    rowids, kept = {}, []
    for hit in hits:
        rowid, kind = found[hit.passage_id]
        # the body only: a footnote, a header or a "Nơi nhận" block is no lecture point; and
        # a passage sharing no word with the topic is only the dense leg's nearest guess
        if kind == "body" and (hit.marks or not require_words):
            rowids[hit.passage_id] = rowid
            kept.append(hit)
    return kept, rowids


def _stored_vectors(store: Store, rowids: list[int]) -> dict:
    dense = store.dense()
    if dense is None:
        return {}
    held = dense.holding(rowids)
    return dict(zip(held, dense.vectors(held), strict=True))


_Picked = list[list[tuple[Hit, tuple[int, int], list[str]]]]


def _pick(store: Store, hits: list[Hit], rowids: dict[str, int], topic: str, points: int
          ) -> _Picked:
    """Per lecture section, up to ``points`` (hit, sentence span, documents saying it)."""
    vectors = _stored_vectors(store, list(rowids.values()))
    headings: dict[str, set[tuple[int, int]]] = {}
    chosen: _Picked = [[] for _ in SECTIONS]
    for hit in hits:
        section = chosen[_section_of(hit)]
        docs = [hit.doc_id] + [d.rsplit(":", 1)[0] for d in hit.duplicates]
        vector = vectors.get(rowids[hit.passage_id])
        twin = None
        if vector is not None:
            for n, (other, _span, _docs) in enumerate(section):
                seen = vectors.get(rowids[other.passage_id])
                if seen is not None and float(vector @ seen) >= _SAME_MEANING:
                    twin = n
                    break
        if twin is not None:
            section[twin][2].extend(d for d in docs if d not in section[twin][2])
        elif len(section) < points and (
                span := _point_text(store, hit, topic, headings)) is not None:
            section.append((hit, span, list(dict.fromkeys(docs))))
    return chosen


def _sources(store: Store, numbers: dict[str, int]) -> tuple[OutlineSource, ...]:
    listed = []
    for doc_id, n in numbers.items():
        source, doc_number, date, issuer, subject = store.db.execute(
            "SELECT source, number, date, issuer, json_extract(metadata, '$.subject')"
            " FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        listed.append(OutlineSource(n, doc_id, source, doc_number, date, issuer,
                                    subject or ""))
    return tuple(listed)


@snapshot
def outline(store: Store, topic: str, *, doc_ids: frozenset[str] | None = None,
            passages: int = PASSAGES, points: int = POINTS, require_words: bool = True
            ) -> Outline:
    """The outline of what the catalog says about ``topic`` (only in ``doc_ids`` if given).
    ``require_words``: keep only passages holding a word of the topic (off when the topic
    is just the reference the documents cite)."""
    hits, rowids = _retrieve(store, topic, doc_ids, passages, require_words)
    numbers: dict[str, int] = {}  # source number of each document, in order of first use
    out = []
    for title, picked in zip(SECTIONS, _pick(store, hits, rowids, topic, points), strict=True):
        made = [OutlinePoint(hit.doc_id, hit.passage_id, a, b,
                             hit.text[a - hit.start : b - hit.start],
                             tuple(numbers.setdefault(d, len(numbers) + 1) for d in docs))
                for hit, (a, b), docs in picked]
        if made:
            out.append(OutlineSection(title, tuple(made)))
    return Outline(topic, tuple(out), _sources(store, numbers), len(hits))
