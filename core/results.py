"""Typed records the query verbs return: hits, precedents, lineage, summaries, outlines.

Like the document records (``core/records.py``), each carries ``doc_id`` and a character
span into its document's cleaned text, so anything shown can be highlighted in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.records import Metadata


@dataclass(frozen=True)
class Found:
    """A passage a verb found, with the facts of its document a result line shows."""

    doc_id: str
    passage_id: str
    start: int
    end: int
    text: str
    heading: str
    source: str
    number: str
    date: str
    issuer: str


@dataclass(frozen=True)
class Hit(Found):
    """A search result, and where the query matched."""

    score: float = 0.0
    marks: tuple[tuple[int, int], ...] = ()  # spans in ``text`` of words the query has
    duplicates: tuple[str, ...] = field(default=())  # other passage ids with the same text


@dataclass(frozen=True)
class Precedent(Found):
    """An earlier passage that says what a given text says (``query/similar.py``)."""

    kind: str = "body"
    label: str = ""  # "trùng nguyên văn" | "gần như trùng" | "cùng ý" | "lân cận"
    wording: float = 0.0  # share of word triples in common (0-1), of the shorter text
    meaning: float | None = None  # cosine of the two embeddings; None without vectors
    marks: tuple[tuple[int, int], ...] = ()  # spans in ``text`` of wording the input shares


@dataclass(frozen=True)
class WordingGroup:
    """Passages with one wording (copies of each other), oldest document first."""

    label: str
    similarity: float
    first_date: str  # ISO date of the oldest dated document, "" when none is dated
    documents: int  # distinct documents using this wording
    passages: tuple[Precedent, ...]


@dataclass(frozen=True)
class SimilarResult:
    groups: tuple[WordingGroup, ...]
    words: int  # words of the input that were compared
    truncated: bool  # the input was longer than ``similar_max_words``
    letters: bool  # the input has Vietnamese letters (else only meaning can match)
    dense: bool  # neighbours by meaning were looked for


@dataclass(frozen=True)
class PhraseUse:
    """The first passage of one document that uses a phrase; ``start``/``end`` are the
    phrase's span in the document text."""

    doc_id: str
    passage_id: str
    start: int
    end: int
    source: str
    number: str
    date: str
    issuer: str
    excerpt: str  # the phrase with some words around it


@dataclass(frozen=True)
class Lineage:
    phrase: str
    uses: tuple[PhraseUse, ...]  # one per document, oldest first, undated last
    per_year: tuple[tuple[int, int], ...]  # (year, documents first using it that year)
    undated: int  # documents without a date


@dataclass(frozen=True)
class SummaryItem:
    """One line of a summary: a span of the document, ``text == Document.text[start:end]``."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str = ""  # deadlines: the time ("trước ngày 17/01/2026"); units: the unit;
    # implements: the cited number
    shortened: bool = False  # trailing clauses dropped at a "; " or ", " (shown with "…")


@dataclass(frozen=True)
class Summary:
    doc_id: str
    source: str
    metadata: Metadata
    purpose: tuple[SummaryItem, ...]  # mục đích, yêu cầu
    tasks: tuple[SummaryItem, ...]  # nhiệm vụ chính: the items of the content part
    deadlines: tuple[SummaryItem, ...]  # thời hạn, with what is due
    units: tuple[SummaryItem, ...]  # đơn vị thực hiện, with what each does
    implements: tuple[SummaryItem, ...]  # documents it implements ("Thực hiện …")
    sentences: tuple[SummaryItem, ...]  # the extractive summary, in document order
    notes: tuple[str, ...] = ()  # what could not be done (no sections, no encoder)


@dataclass(frozen=True)
class OutlineSource:
    number: int  # the [n] its points end with
    doc_id: str
    source: str
    doc_number: str
    date: str
    issuer: str
    subject: str


@dataclass(frozen=True)
class OutlinePoint:
    """One point of a lecture outline: a sentence of a document (``text ==
    Document.text[start:end]``), with the sources that say the same."""

    doc_id: str
    passage_id: str
    start: int
    end: int
    text: str
    sources: tuple[int, ...]  # OutlineSource numbers, this point's own document first
    shortened: bool = False  # trailing clauses dropped at a "; " or ", " (shown with "…")
    plans: int = 0  # with a directive: how many of the plans implementing it carry the point


@dataclass(frozen=True)
class OutlineSection:
    title: str  # "Bối cảnh, ý nghĩa", "Nội dung chính", …
    points: tuple[OutlinePoint, ...]


@dataclass(frozen=True)
class Outline:
    topic: str
    sections: tuple[OutlineSection, ...]  # in lecture order; empty ones left out
    sources: tuple[OutlineSource, ...]
    passages: int  # passages retrieved
    directive: str = ""  # doc_id of the document the outline is about, when in the catalog


@dataclass(frozen=True)
class Finding:
    """One finding of the draft checker (``query/check.py``): a span of the draft, what is
    wrong or worth knowing there, and the catalog fact or rule behind it. The shells turn
    it into words (``present/check_text.py``)."""

    kind: str  # wrong_date | wrong_issuer | term_ambiguous | missing_facts | replaced |
    # unknown | precedent | peers
    start: int  # span in the draft's cleaned text
    end: int
    key: str  # the cited number ("01-KL/TW"), or "" for precedent
    draft: str = ""  # what the draft says (a date, an issuer, the paragraph's opening)
    catalog: str = ""  # what the catalog knows (the right date, issuer, the earlier wording)
    candidates: tuple[str, ...] = ()  # what it points at, as a reader names it
    # ("01-KL/TW, 2021-05-18, Bộ Chính trị", "45-KH/ĐU (2025)")
    documents: tuple[str, ...] = ()  # doc_ids of the catalog's documents it points at
    missing: tuple[str, ...] = ()  # missing_facts: "date", "issuer"


@dataclass(frozen=True)
class DraftReport:
    name: str  # the draft's file name, or "văn bản dán vào"
    text: str  # the draft's cleaned text: findings' spans index it
    citations: int  # numbered citations read in the draft
    findings: tuple[Finding, ...]
