"""Typed records that travel between stages. Defined here and nowhere else.

Spans (``start``, ``end``) are character offsets into ``Document.text``, the cleaned text,
so that anything found later (a passage, a citation) can be highlighted in what the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Cleaning moves footnotes out of the body to the end of the text, under this line, so the
# body reads without interruptions and footnotes still have spans (see ingest/clean.py).
FOOTNOTES_HEADING = "CHÚ THÍCH"


@dataclass(frozen=True)
class RawText:
    """What every reader returns: NFC text plus where each page starts.

    ``text`` joins pages with a form feed (``\\f``) so later stages can see page boundaries
    (running headers, page numbers). ``page_starts`` is empty for formats without pages.
    """

    path: str
    format: str  # "pdf" | "docx" | "doc" | "txt"
    text: str
    page_starts: tuple[int, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # 0-based indexes of pages whose text came from OCR
    encoding: str = ""  # how the bytes were decoded, e.g. "utf-8", "cp1258", "tcvn3"
    notes: tuple[str, ...] = ()  # warnings worth showing (Vietnamese), e.g. "trang 2: OCR"


@dataclass(frozen=True)
class Signer:
    """Who signed: the authority line(s) (``T/M BAN THƯỜNG VỤ``), position and name."""

    authority: str = ""
    position: str = ""
    name: str = ""


@dataclass(frozen=True)
class Metadata:
    """Fields read from a document. A field not found is empty, never invented."""

    number: str = ""  # own number and symbol, "588-KH/ĐU", "146/2025/NĐ-CP"
    doc_type: str = ""  # "Kế hoạch", "Nghị quyết", ...
    issuer: str = ""  # "Đảng ủy Sở Y tế"
    parent: str = ""  # "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Lai Châu"
    place: str = ""  # "Lai Châu"
    date: str = ""  # ISO "2025-01-15"
    subject: str = ""  # trích yếu, joined across lines
    signer: Signer = field(default_factory=Signer)
    recipients: tuple[str, ...] = ()
    level: str = ""  # "TW" | "tỉnh" | "huyện" | "cơ sở"
    province: str = ""


@dataclass(frozen=True)
class Section:
    """A heading in the document's tree, with the span of the heading line."""

    doc_id: str
    start: int
    end: int
    level: int  # 1 = top (I., uppercase headings), deeper numbers for nested items
    label: str  # "II.", "1.1.", "a)", "" for unnumbered uppercase headings
    title: str  # the heading text as written


@dataclass(frozen=True)
class Passage:
    """A retrievable unit: 60-180 words inside one section, with its heading path."""

    doc_id: str
    ordinal: int  # 0-based position in the document
    start: int
    end: int
    text: str  # == Document.text[start:end]
    heading: str  # "II. NỘI DUNG > 2. Đẩy mạnh học tập..."
    kind: str  # "body" | "footnote" | "signature" | "header"
    tokens: tuple[str, ...] = ()  # word-segmented, tone-normalised, lower-cased lexical tokens

    @property
    def passage_id(self) -> str:
        return f"{self.doc_id}:{self.ordinal}"


@dataclass(frozen=True)
class Citation:
    """One mention of another document, with its span in the cleaned text.

    ``key`` identifies the cited number ("01-KL/TW", "146/2025/NĐ-CP"); identity across the
    corpus (dates, terms, local issuers) is settled later by the citation index.
    """

    doc_id: str
    start: int
    end: int
    kind: str  # "party" | "state" | "short" (a back-reference) | "named" (no number)
    key: str  # canonical number; for "named", the normalised name
    type_word: str = ""  # "Kết luận", as the type is named in full
    type_code: str = ""  # "KL"
    number: str = ""  # "01"
    issuer_code: str = ""  # "TW", "CP", "UBND"
    date: str = ""  # ISO, when the mention gives it
    issuer: str = ""  # "Bộ Chính trị"
    term: str = ""  # "XII"
    subject: str = ""  # "về …" up to the clause end, without "về"
    relation: str = "mentions"  # "implements" | "basis" | "mentions"
    inside: str = ""  # key of the citation whose subject phrase holds this mention


# What a file becomes depends on the cleaning, metadata, segmentation, token and citation
# code. Bump this when a change there alters stored documents: documents built by an older
# pipeline are rebuilt at the next ingest even though their files did not change.
PIPELINE_VERSION = 2


@dataclass(frozen=True)
class Document:
    """A cleaned, structured document ready to store."""

    doc_id: str  # sha256 of the source bytes, first 16 hex digits
    source: str  # file name as given
    path: str  # absolute path at ingest time
    format: str
    text: str  # cleaned display text (document's own tone-mark spelling)
    metadata: Metadata
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    page_count: int = 0
    ocr_pages: tuple[int, ...] = ()
    encoding: str = ""
    notes: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Hit:
    """A search result: one passage, with its document facts and where the query matched."""

    doc_id: str
    passage_id: str
    start: int
    end: int
    text: str
    heading: str
    score: float
    source: str
    number: str
    date: str
    issuer: str
    marks: tuple[tuple[int, int], ...] = ()  # spans in ``text`` of words the query has
    duplicates: tuple[str, ...] = field(default=())  # other passage ids with the same text


@dataclass(frozen=True)
class Precedent:
    """An earlier passage that says what a given text says (``index/similar.py``)."""

    doc_id: str
    passage_id: str
    start: int
    end: int
    text: str
    heading: str
    kind: str
    source: str
    number: str
    date: str
    issuer: str
    label: str  # "trùng nguyên văn" | "gần như trùng" | "cùng ý" | "lân cận"
    wording: float  # share of word triples in common (0-1), of the shorter text
    meaning: float | None  # cosine of the two embeddings; None without the dense index
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
