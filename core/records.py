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
    relation: str = "mentions"  # "implements" | "basis" | "mentions", or the citing document
    # changes the cited one: "replaces" | "abolishes" | "amends"
    inside: str = ""  # key of the citation whose subject phrase holds this mention


# What a file becomes depends on the cleaning, metadata, segmentation, token and citation
# code. Bump this when a change there alters stored documents: documents built by an older
# pipeline are rebuilt at the next ingest even though their files did not change.
PIPELINE_VERSION = 3  # 3: issue 15's reflow, issue 16's numbers, dates and relations

# How strongly a citing document is tied to what it cites, strongest first: it replaces,
# abolishes or amends it, implements it, rests on it ("căn cứ"), or mentions it.
RELATION_STRENGTH = {"replaces": 6, "abolishes": 5, "amends": 4, "implements": 3, "basis": 2,
                     "mentions": 1}
CHANGING = ("replaces", "abolishes", "amends")  # the relations that make a document outdated


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
