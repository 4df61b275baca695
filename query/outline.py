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
from query.cites import cites
from query.deadlines import DEADLINE
from query.filters import Filters
from query.search import search
from query.sentences import sentence_spans
from query.units import Unit, unit
from store.shingles import folded_text, folded_words
from store.store import Store, snapshot

SECTIONS = ("Bối cảnh, ý nghĩa", "Nội dung chính", "Nhiệm vụ và giải pháp",
            "Tổ chức thực hiện và thời hạn")
# heading words (folded) → lecture section; checked in this order on each heading
_SECTION_WORDS = (
    (3, ("to chuc thuc hien", "thoi gian", "tien do", "che do bao cao", "thoi han",
         "trach nhiem thuc hien", "trach nhiem cua", "phan cong trach nhiem", "kinh phi")),
    # "PHÂN CÔNG NHIỆM VỤ": each unit's tasks are tasks; who leads them is picked for IV.
    # A plan's "NỘI DUNG" is what it sets out to do: tasks, not the directive's content
    (2, ("nhiem vu", "giai phap", "bien phap", "hinh thuc", "kiem tra, giam sat",
         "noi dung")),
    (1, ("quan diem", "muc tieu", "chi tieu", "chuyen de", "tai lieu", "dinh huong",
         "tam nhin")),
    (0, ("muc dich", "yeu cau", "boi canh", "tinh hinh", "y nghia", "ket qua", "danh gia",
         "han che", "kho khan", "vuong mac", "thuc trang", "nguyen nhan")),
)
PASSAGES = 50  # passages retrieved for an outline
POINTS = 5  # points per section at most
_LEADS = re.compile(r"\s(?:chủ trì|chịu trách nhiệm|có trách nhiệm|báo cáo)(?!\w)")
# what is never a point (issue 15): a preamble ("Thực hiện Kế hoạch số …, … ban hành kế
# hoạch như sau"), a "Căn cứ" line, a cover letter's subject, a Markdown title
_NOT_A_POINT = re.compile(
    r"^(?:(?:Thực hiện|Căn cứ|Theo|Trên cơ sở|Kính gửi|Thừa lệnh|Thừa ủy quyền)\b"
    r"[^.]*\d+[-/][\w/.-]*[A-ZĐ]{2,}|\(?[Vv]/[Vv]\b|\(?Về việc\b|#"
    r"|Ngày \d{1,2}/\d{1,2}/\d{4},[^.]*(?:đã )?ban hành"
    # the closing formula: "Trên đây là Kế hoạch …", "Trong quá trình thực hiện, nếu có
    # khó khăn, vướng mắc …"
    r"|Trên đây là\b|Trong quá trình (?:tổ chức )?thực hiện,? nếu có)"
    r"|(?:ban hành|xây dựng) (?:kế hoạch|chương trình|hướng dẫn)[^.]*(?:như sau|cụ thể)\s*:?\s*$",
    re.IGNORECASE)
_PER_PASSAGE = 2  # points one passage may give (a list of tasks holds several)
_OPENING = 2000  # characters read back to a passage's paragraph start
_MAX_POINT = 320  # characters of a point before it is cut at a clause end
_SAME_WORDS = 0.8  # share of the shorter point's words in the other: the same point
_CARRIES = 0.6  # share of a point's words a plan's passage holds to carry it
_NUMBER = re.compile(r"\d+[-/][\wĐđ/.-]*[A-ZĐ]{2,}[\w/.-]*")
_SAME_MEANING = 0.95  # embeddings this close: one point (e5-small: copies score 0.97+)


def _section_of(hit: Hit) -> int:
    parts = [p for p in hit.heading.split(" > ") if p.strip()]
    for part in reversed(parts):
        folded = fold(part).lower().replace("thoi gian toi", "")  # "the time ahead": tasks
        for index, words in _SECTION_WORDS:
            if any(w in folded for w in words):
                return index
    if any(not m.group().lower().startswith("ngày") for m in DEADLINE.finditer(hit.text)):
        return 3  # no heading says: a time due (not a bare date) makes it organisation
    return 0 if not parts else 1  # before any heading: the preamble ("Thực hiện …")


def is_point(text: str) -> bool:
    """Whether a sentence may be a lecture point: not a preamble, basis, subject line or
    title (``_NOT_A_POINT``)."""
    return not _NOT_A_POINT.search(text.strip())


def _candidates(text: str, hit: Hit, headings: set[tuple[int, int]]
                ) -> list[tuple[int, int]]:
    """The passage's sentences; of a table row ("3. | Xây dựng … | Tháng 5/2025 | Bộ …"),
    its longest cell, the task, since a row is no sentence."""
    out = []
    for a, b in sentence_spans(text, hit.start, hit.end, headings, min_words=6):
        if " | " not in text[a:b]:
            out.append((a, b))
            continue
        cells, offset = [], a
        for cell in text[a:b].split(" | "):
            start = offset + len(cell) - len(cell.lstrip(" |"))
            cells.append((start, offset + len(cell.rstrip(" |"))))
            offset += len(cell) + 3
        cell = max(cells, key=lambda c: c[1] - c[0])
        if len(text[cell[0] : cell[1]].split()) >= 6:
            out.append(cell)
    return out


def _point_texts(store: Store, hit: Hit, topic: str, headings: dict, section: int,
                 many: int) -> list[Unit]:
    """The spans, in the document, of the ``many`` sentences of the passage sharing most
    words with the topic, as whole units (``query/units.py``: markers left out, shortened at
    a clause boundary when long); in section IV a sentence naming a time or who leads comes
    first. Only sentences of six words or more that may be points."""
    if hit.doc_id not in headings:  # read once per document, not once per passage
        headings[hit.doc_id] = set(store.db.execute(
            "SELECT start, end FROM sections WHERE doc_id = ?", (hit.doc_id,)).fetchall())
    text = " " * hit.start + hit.text  # offsets as in the document, without fetching it
    if hit.start:  # a passage may start mid-paragraph: the paragraph's opening says
        before = store.db.execute(  # whether it is a preamble ("Căn cứ …, …")
            "SELECT substr(text, ?, ?) FROM documents WHERE doc_id = ?",
            (max(1, hit.start - _OPENING + 1), min(_OPENING, hit.start), hit.doc_id)).fetchone()
        opening = (before[0] if before else "").rsplit("\n", 1)[-1]
        text = " " * (hit.start - len(opening)) + opening + hit.text
    wanted = set(folded_words(folded_text(topic)))
    scored = []
    for a, b in _candidates(text, hit, headings[hit.doc_id]):
        line = text[text.rfind("\n", 0, a) + 1 : b].lstrip()
        if not is_point(text[a:b]) or not is_point(line):
            continue
        score = len(wanted.intersection(folded_words(folded_text(text[a:b]))))
        if section == 3 and (DEADLINE.search(text, a, b) or _LEADS.search(text, a, b)):
            score += 2
        scored.append((score + 1 / (1 + a - hit.start), a, b))  # ties: the earlier one
    ranked = sorted(scored, reverse=True)[:many]
    return [u for _s, a, b in ranked if (u := unit(text, a, b, _MAX_POINT)) is not None]


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


_Picked = list[list[tuple[Hit, Unit, list[str]]]]


def _pick(store: Store, hits: list[Hit], rowids: dict[str, int], topic: str, points: int,
          allowed: frozenset[int] = frozenset(range(len(SECTIONS))),
          chosen: _Picked | None = None) -> _Picked:
    """Per lecture section (those ``allowed``), up to ``points`` (hit, unit, documents
    saying it), added to ``chosen``."""
    vectors = _stored_vectors(store, list(rowids.values()))
    headings: dict[str, set[tuple[int, int]]] = {}
    chosen = chosen if chosen is not None else [[] for _ in SECTIONS]
    for hit in hits:
        where = _section_of(hit)
        if where not in allowed:
            continue
        section = chosen[where]
        docs = [hit.doc_id] + [d.rsplit(":", 1)[0] for d in hit.duplicates]
        vector = vectors.get(rowids[hit.passage_id])
        twin = None
        if vector is not None:
            for n, (other, _span, _docs) in enumerate(section):
                seen = vectors.get(rowids.get(other.passage_id, -1))
                if seen is not None and float(vector @ seen) >= _SAME_MEANING:
                    twin = n
                    break
        if twin is not None:
            section[twin][2].extend(d for d in docs if d not in section[twin][2])
        elif len(section) < points:
            for span in _point_texts(store, hit, topic, headings, where, _PER_PASSAGE):
                if len(section) < points and not any(
                        _same_words(hit, span, other, u) for other, u, _d in section):
                    section.append((hit, span, list(dict.fromkeys(docs))))
    return chosen


def _words(text: str, start: int, span: Unit) -> set[str]:
    return set(folded_words(folded_text(text[span.start - start : span.end - start])))


def _same_words(hit: Hit, span: Unit, other: Hit, other_span: Unit) -> bool:
    """Two points saying the same in the same words, where vectors did not tell (no
    encoder, or a copy edited past the cosine threshold): most of the shorter one's words
    are in the other."""
    a, b = _words(hit.text, hit.start, span), _words(other.text, other.start, other_span)
    return bool(a and b) and len(a & b) >= _SAME_WORDS * min(len(a), len(b))


def _sources(store: Store, numbers: dict[str, int]) -> tuple[OutlineSource, ...]:
    listed = []
    for doc_id, n in numbers.items():
        source, doc_number, date, issuer, subject = store.db.execute(
            "SELECT source, number, date, issuer, json_extract(metadata, '$.subject')"
            " FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        listed.append(OutlineSource(n, doc_id, source, doc_number, date, issuer,
                                    subject or ""))
    return tuple(listed)


def _carried(point_words: set[str], plan_hits: list[Hit], directive: str | None) -> int:
    """How many plans carry a point: its sources among them, or, for the directive's own
    point, the plans with a passage holding most of its words."""
    docs = {h.doc_id for h in plan_hits if h.doc_id != directive and point_words and len(
        point_words & set(folded_words(folded_text(h.text)))) >= _CARRIES * len(point_words)}
    return len(docs)


@snapshot
def outline(store: Store, topic: str, *, doc_ids: frozenset[str] | None = None,
            directive: str | None = None, passages: int = PASSAGES, points: int = POINTS,
            require_words: bool = True) -> Outline:
    """The outline of what the catalog says about ``topic`` (only in ``doc_ids`` if given).
    ``directive``: the document the topic is about (``--cites``, or named in the topic;
    ``directive_in``): its own text is the source of sections I–II, the plans' of III–IV.
    ``require_words``: keep only passages holding a word of the topic (off when the topic
    is just the reference the documents cite)."""
    directive = directive or directive_in(store, topic)
    query = topic
    if directive and not require_words:  # the topic is the number: search its subject
        query = _subject(store, directive) or topic
    plans = doc_ids - {directive} if doc_ids is not None and directive else doc_ids
    # under a directive the plans fill III-IV only: twice the passages find enough there
    hits, rowids = _retrieve(store, query, plans, passages * (2 if directive else 1),
                             require_words)
    if directive:
        hits = [h for h in hits if h.doc_id != directive]
    chosen: _Picked = [[] for _ in SECTIONS]
    if directive:
        own, own_rowids = _retrieve(store, query, frozenset({directive}), passages, False)
        _pick(store, own, own_rowids, query, points, frozenset({0, 1}), chosen)
        rowids = {**rowids, **own_rowids}
    first = frozenset(n for n in range(len(SECTIONS)) if not chosen[n])
    _pick(store, hits, rowids, query, points, first, chosen)
    if directive:  # what no plan says about the tasks or their organisation, it does
        left = frozenset(n for n in (2, 3) if not chosen[n])
        _pick(store, own, own_rowids, query, points, left, chosen)
    return _outline(store, topic, chosen, hits, directive)


def _outline(store: Store, topic: str, chosen: _Picked, plan_hits: list[Hit],
             directive: str | None) -> Outline:
    numbers: dict[str, int] = {}  # source number of each document, in order of first use
    out = []
    for title, picked in zip(SECTIONS, chosen, strict=True):
        made = []
        for hit, u, docs in picked:
            text = hit.text[u.start - hit.start : u.end - hit.start]
            carried = (_carried(_words(hit.text, hit.start, u), plan_hits, directive)
                       if hit.doc_id == directive else
                       len({d for d in docs if d != directive}))
            made.append(OutlinePoint(
                hit.doc_id, hit.passage_id, u.start, u.end, text,
                tuple(numbers.setdefault(d, len(numbers) + 1) for d in docs),
                shortened=u.shortened, plans=carried if directive else 0))
        if made:
            out.append(OutlineSection(title, tuple(made)))
    return Outline(topic, tuple(out), _sources(store, numbers), len(plan_hits),
                   directive=directive or "")


def _subject(store: Store, doc_id: str) -> str:
    row = store.db.execute("SELECT json_extract(metadata, '$.subject') FROM documents"
                           " WHERE doc_id = ?", (doc_id,)).fetchone()
    return (row[0] or "") if row else ""


def directive_in(store: Store, text: str) -> str | None:
    """The catalog's document a topic or reference names ("Nghị quyết 57-NQ/TW",
    "57-NQ/TW"), when exactly one; None otherwise."""
    for number in dict.fromkeys(_NUMBER.findall(text)):
        found = cites(store, number, limit=0)
        held = {r.doc_id for r in found.refs if r.doc_id}
        if len(held) == 1:
            return held.pop()
    return None
