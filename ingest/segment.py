"""Structure and passages: the heading tree, then passages that never cross a section.

Works on the cleaned text (one paragraph per line, footnotes last; ``ingest/clean.py``).
Every section and passage carries a span into that text. Sizes come from the settings table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import settings
from core.records import FOOTNOTES_HEADING, Passage, Section
from core.tones import LOWER
from core.vocabulary import SUBJECT_TITLES
from ingest.pack import pack, sentence_spans, word_count

# Heading kinds from the outermost in; a heading closes every open heading of the same or a
# deeper kind. Items ("-", "+", "(1)") are recorded in the tree but do not cut passages.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("appendix", re.compile(r"^(?:PHỤ LỤC|Phụ lục)\b")),
    ("part", re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+[\dIVXLC]+\b")),
    ("roman", re.compile(r"^[IVXLC]{1,6}\s*[.\-–)]\s*(?=\S)")),
    ("muc", re.compile(r"^(?:Mục|MỤC)\s+\d+\b")),
    ("dieu", re.compile(r"^Điều\s+\d+[a-z]?\b")),
    ("n", re.compile(r"^\d{1,2}\s*[.\-–)]\s+(?=\S)")),
    ("n.n", re.compile(r"^\d{1,2}\.\d{1,2}\.?\s*[\-–)]?\s+(?=\S)")),
    ("n.n.n", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s*[\-–)]?\s+(?=\S)")),
    ("letter", re.compile(r"^[a-zđ]\s*[.)]\s+(?=\S)")),
    ("paren", re.compile(r"^\(\d{1,3}\)\s*(?=\S)")),
    ("dash", re.compile(r"^[-–•]\s*(?=\S)")),
    ("plus", re.compile(r"^\+\s*(?=\S)")),
)
_RANK = {kind: rank for rank, (kind, _) in enumerate(_KINDS)}
_RANK["part"] = _RANK["appendix"]  # an appendix closes everything, like a new part
_RANK["upper"] = _RANK["roman"]  # an unnumbered "TỔ CHỨC THỰC HIỆN" sits where "III." would
_CUTS = {"appendix", "part", "roman", "upper", "muc", "dieu", "n", "n.n", "n.n.n", "letter"}
_BODY_START = re.compile(r"^(?:Thực hiện|Căn cứ|Kính gửi|Để|Nhằm|Theo|Trên cơ sở|Ngày)\b")
_SIGNATURE_START = re.compile(r"^(?:Nơi nhận|T/M|TM\.|TM |KT\.|KT |TL\.|TUQ\.|Q\.\s)")
# A type title ("KẾ HOẠCH", "NGHỊ QUYẾT"): the subject lines under it stay in the header.
_TYPE_TITLE = re.compile(r"^(?:" + "|".join(SUBJECT_TITLES) + rf")\b[^{LOWER}]*$")
_APPENDIX = re.compile(r"^(?:PHỤ LỤC|Phụ lục)\b")
# After a signature block, forms and notes follow in decrees (corpus: Nghị định 144/2025).
_AFTER_SIGNATURE = re.compile(r"^(?:PHỤ LỤC|Phụ lục|Mẫu số|MẪU SỐ|Ghi chú|GHI CHÚ)\b")
_SIGNATURE_MAX_WORDS = 80  # the longest real block in the corpus (a long Nơi nhận) is ~70


@dataclass(frozen=True)
class _Para:
    start: int
    end: int
    text: str
    kind: str  # heading kind, or "" for plain text
    zone: str  # "header" | "body" | "signature" | "footnote"


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(line.split()) <= 25


def _heading_kind(line: str) -> str:
    if " | " in line:
        return ""  # a table row ("IV.5 | Tuyến cáp treo …") is content, not a heading
    for kind, pattern in _KINDS:
        if pattern.match(line):
            return kind
    return "upper" if _is_upper(line) else ""


def _paragraphs(text: str) -> list[_Para]:
    body_end = text.find(f"\n{FOOTNOTES_HEADING}\n")
    out: list[_Para] = []
    offset = 0
    zone = "header"
    titled = False  # seen "KẾ HOẠCH": the subject lines that follow stay in the header
    subject_next = False
    signed = 0  # words in the signature block so far
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        if body_end != -1 and start > body_end:
            if line != FOOTNOTES_HEADING:
                out.append(_Para(start, end, line, "", "footnote"))
            continue
        kind = _heading_kind(line)
        if zone == "header":
            if _TYPE_TITLE.match(line):
                # The line after "KẾ HOẠCH" is the subject even when it reads "Thực hiện …"
                # (seed 002), and a long subject must not pass for the body (seed 004).
                subject_next = titled = True
            elif not subject_next and (
                kind in {"roman", "part", "dieu", "n"} or _BODY_START.match(line)
                or (word_count(line) >= 25 and kind != "upper" and not titled)
            ):
                zone = "body"
            else:
                subject_next = False
        elif zone == "body" and _SIGNATURE_START.match(line):
            zone, signed = "signature", 0
        elif zone == "signature" and (_AFTER_SIGNATURE.match(line) or word_count(line) >= 20
                                      or signed + word_count(line) > _SIGNATURE_MAX_WORDS):
            zone = "body"
        if zone == "signature":
            signed += word_count(line)
        out.append(_Para(start, end, line, kind, zone))
    return out


def _title(line: str, label: str) -> str:
    """Short heading for paths: the line up to its first clause end after the label
    ("2. Công tác tuyên truyền", "Điều 5. Hồ sơ đề nghị")."""
    end = re.search(r"(?<=[.:;])\s", line[len(label) + 1 :])
    short = line[: len(label) + 1 + end.start()] if end else line
    return short if len(short) <= 90 else short[:88].rstrip() + "…"


def _sections(doc_id: str, paras: list[_Para]) -> tuple[list[Section], list[str]]:
    """Sections, and each paragraph's heading path (cut headings only)."""
    sections: list[Section] = []
    stack: list[tuple[str, str]] = []  # (kind, title) of open headings
    paths: list[str] = []
    for para in paras:
        if para.zone == "body" and para.kind:
            rank = _RANK[para.kind]
            while stack and _RANK[stack[-1][0]] >= rank:
                stack.pop()
            pattern = dict(_KINDS).get(para.kind)
            match = pattern.match(para.text) if pattern else None
            label = match.group(0).strip() if match else ""
            stack.append((para.kind, _title(para.text, label)))
            sections.append(Section(
                doc_id=doc_id, start=para.start, end=para.end, level=len(stack),
                label=label,
                title=para.text,
            ))
        if para.zone == "footnote":
            paths.append(FOOTNOTES_HEADING)
        elif para.zone == "body":
            paths.append(" > ".join(title for kind, title in stack if kind in _CUTS))
        else:
            paths.append("")
    return sections, paths


def _parent(path: str) -> str:
    return path.rsplit(" > ", 1)[0] if " > " in path else ""


def _merge_small_siblings(units: list[tuple[str, str, list[_Para]]]
                          ) -> list[tuple[str, str, list[_Para]]]:
    """Join consecutive short sibling sections into one passage under their parent.

    Laws and plans list clauses one per heading ("a) …;", "b) …;", "2. …"): as passages of
    their own they would be a line each (corpus median 13 words). Together they stay inside
    the parent section, whose path the passage then carries.
    """
    minimum = int(settings.get("passage_min_words"))
    limit = int(settings.get("passage_max_words"))
    merged: list[tuple[str, str, list[_Para]]] = []
    for zone, path, members in units:
        if merged and zone == "body" and merged[-1][0] == "body":
            _zone, before, previous = merged[-1]
            parent = _parent(path)
            size_before = sum(word_count(p.text) for p in previous)
            size = sum(word_count(p.text) for p in members)
            if (parent and parent in (before, _parent(before))
                    and min(size_before, size) < minimum and size_before + size <= limit):
                merged[-1] = (zone, parent, previous + members)
                continue
        merged.append((zone, path, members))
    return merged


def segment(doc_id: str, text: str) -> tuple[tuple[Section, ...], tuple[Passage, ...]]:
    """Heading tree and passages of a cleaned document.

    Passages of the body hold ``passage_min_words``-``passage_max_words`` words where the
    section allows, never cross a cut heading, and carry the heading path. The header block,
    the signature block and each footnote become passages of their own kind.
    """
    paras = _paragraphs(text)
    sections, paths = _sections(doc_id, paras)
    minimum = int(settings.get("passage_min_words"))
    limit = int(settings.get("passage_max_words"))
    # Blocks: runs of paragraphs with the same zone and heading path.
    blocks: list[tuple[str, str, list[_Para]]] = []
    for para, path in zip(paras, paths, strict=False):
        zone = para.zone
        if blocks and blocks[-1][0] == zone and blocks[-1][1] == path and zone != "footnote":
            blocks[-1][2].append(para)
        else:
            blocks.append((zone, path, [para]))
    units: list[tuple[str, str, list[_Para]]] = []
    carry: list[_Para] = []  # a heading with too little text of its own joins its first child
    for i, (zone, path, members) in enumerate(blocks):
        members = carry + members
        carry = []
        words = sum(word_count(p.text) for p in members)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if (zone == "body" and words < minimum and following and following[0] == "body"
                and all(p.kind in _CUTS for p in members)
                and following[1].startswith(path) and following[1] != path):
            carry = members
            continue
        units.append((zone, path, members))
    passages: list[Passage] = []
    for zone, path, members in _merge_small_siblings(units):
        if zone == "body" or sum(word_count(p.text) for p in members) > limit:
            # a footnote or header can swallow a whole appendix (a corpus footnote ran to
            # 169,000 characters): past the limit it is packed like the body
            spans = pack([span for p in members for span in sentence_spans(p.text, p.start)], text)
        else:
            spans = [(members[0].start, members[-1].end)]
        for start, end in spans:
            passages.append(Passage(
                doc_id=doc_id, ordinal=len(passages), start=start, end=end,
                text=text[start:end], heading=path, kind=zone,
            ))
    return tuple(sections), tuple(passages)
