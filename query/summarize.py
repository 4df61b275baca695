"""A plan's gist without reading ten pages: its own structure, then a few central sentences.

Nothing is written: every item is a span of the document (``text == Document.text[start:
end]``), so each line can be shown in place and cited. The structured part reads the plan's
own top-level parts, recognised by their titles without tone marks: "MỤC ĐÍCH, YÊU CẦU"
(purpose), "NỘI DUNG" / "NHIỆM VỤ" / "GIẢI PHÁP" (main tasks: the items under the part's
headings, not the headings) and "TỔ CHỨC THỰC HIỆN" (who does what; ``query/responsible.py``
finds the units named elsewhere). Deadlines are ``query/deadlines.py``. Every item is a whole
unit of the source (``query/units.py``): no list marker, never cut inside a clause.

The extractive part, a few sentences central to the document, is ``query/sentences.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from underthesea import sent_tokenize

from core.records import Document, Section
from core.results import Summary, SummaryItem
from core.tones import fold
from query.deadlines import deadlines
from query.responsible import (
    is_organisation,
    item_units,
    leading_unit,
    named_units,
    table_units,
)
from query.sentences import NO_ENCODER, central_sentences
from query.units import unit
from store.store import Store

_PARTS = {  # folded title words → part; the first part whose words a title holds wins
    "organisation": ("to chuc thuc hien", "trach nhiem thuc hien", "phan cong thuc hien"),
    "purpose": ("muc dich", "yeu cau"),
    "tasks": ("noi dung", "nhiem vu", "giai phap", "chuong trinh cong tac"),
}
_MAX_ITEM = 320  # characters of an item before it is cut at a clause end
_TITLE_WORDS = 30  # a heading over items is shorter than this

@dataclass(frozen=True)
class _Part:
    name: str
    section: Section
    end: int  # where the next part of the same level starts


def _part_of(title: str) -> str:
    folded = fold(title)
    return next((name for name, words in _PARTS.items() if any(w in folded for w in words)), "")


def _body_end(doc: Document) -> int:
    tail = [p.start for p in doc.passages if p.kind == "signature"]
    return min(tail) if tail else len(doc.text)


def _parts(doc: Document) -> list[_Part]:
    """The plan's recognised top-level parts: the shallowest level that has any."""
    for level in sorted({s.level for s in doc.sections}):
        at = [s for s in doc.sections if s.level == level]
        named = [s for s in at if _part_of(s.title)]
        if named:
            ends = [s.start for s in doc.sections if s.level <= level]
            out = []
            for section in (s for s in at if not fold(s.title).startswith("phu luc")):
                later = [e for e in ends if e > section.start]
                out.append(_Part(_part_of(section.title), section,
                                 min(later) if later else _body_end(doc)))
            return out
    return []


_LABEL_ONLY = re.compile(r"^[\dIVXLivxa-zđ]{0,6}[.)\-]?(?:\d+[.)\-]?)*$")


def _item(doc: Document, start: int, end: int, label: str = "") -> SummaryItem | None:
    """The first sentence of ``[start, end)`` as a whole unit (``query/units.py``)."""
    text = doc.text[start:end]
    stripped = text.strip()
    if not stripped:
        return None
    offset = start + text.index(stripped)
    first = ""
    for sentence in sent_tokenize(stripped):  # "1." alone is a label, not a sentence
        first = stripped[: stripped.find(sentence, len(first)) + len(sentence)]
        if not _LABEL_ONLY.match(first.replace(" ", "")):
            break
    if not first or not stripped.startswith(first):
        first = stripped
    found = unit(doc.text, offset, offset + len(first.rstrip()), _MAX_ITEM)
    if found is None:
        return None
    return SummaryItem(doc.doc_id, found.start, found.end, doc.text[found.start : found.end],
                       label, shortened=found.shortened)


def _lines(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    out, cursor = [], start
    for line in doc.text[start:end].split("\n"):
        if line.strip():
            out.append((cursor, cursor + len(line)))
        cursor += len(line) + 1
    return out


def _is_subheading(doc: Document, section: Section) -> bool:
    """"1. Mục đích": a title over paragraphs, not an item itself."""
    line = doc.text[section.start : section.end]
    return len(line.split()) <= 8 and not re.search(r"[.;:]\s*$", line.strip())


def _heads(doc: Document, section: Section, end: int) -> bool:
    """"1. Các nhiệm vụ cần làm ngay trong năm 2026", "3.1. Tăng cường sự lãnh đạo của Đảng,
    …": a title over the items up to ``end`` (it does not end as a sentence does)."""
    line = doc.text[section.start : section.end].strip()
    below = doc.text[section.end : end].strip()
    return bool(below) and len(line.split()) <= _TITLE_WORDS and not re.search(r"[.;]$", line)


def _children(doc: Document, start: int, end: int, level: int) -> list[Section]:
    inner = [s for s in doc.sections if start <= s.start < end and s.level > level]
    top = min((s.level for s in inner), default=0)
    return [s for s in inner if s.level == top]


def _title_words(doc: Document, section: Section) -> str:
    """A heading's words without its label: what its items are grouped under."""
    line = " ".join(doc.text[section.start : section.end].split())
    return line[len(section.label):].strip(" :") if line.startswith(section.label) else line


def _items(doc: Document, start: int, end: int, level: int, *, group: str | None = None
           ) -> list[SummaryItem]:
    """Items between ``start`` and ``end``: the direct sub-items' first sentences, or the
    paragraphs' when there are none; a title over items ("1. Mục đích", "3.1. Tăng cường
    …") gives the items below it instead of itself. With ``group`` (tasks), each item is
    labelled with the title it is under."""
    label = group or ""
    children = _children(doc, start, end, level)
    if not children:
        return [i for a, b in _lines(doc, start, end) if (i := _item(doc, a, b, label))]
    out = [i for a, b in _lines(doc, start, children[0].start)
           if (i := _item(doc, a, b, label))]
    for n, child in enumerate(children):
        child_end = children[n + 1].start if n + 1 < len(children) else end
        if _heads(doc, child, child_end):
            under = _title_words(doc, child) if group is not None else None
            out += _items(doc, child.end, child_end, child.level, group=under)
        elif item := _item(doc, child.start, child.end, label):
            out.append(item)
    return out


def _units(doc: Document, parts: list[_Part]) -> list[SummaryItem]:
    """Who does what: each item of "Tổ chức thực hiện" starts with its unit, either on a
    line of its own ("1. Ban Tuyên giáo Huyện ủy", its duties in the bullets below) or
    before the duty ("2. Đảng ủy Sở Y tế theo dõi …", "2- Các đoàn thể Sở: Tổ chức …")."""
    out = []
    for part in (p for p in parts if p.name == "organisation"):
        children = _children(doc, part.section.end, part.end, part.section.level)
        if not children:
            for a, b in _lines(doc, part.section.end, part.end):
                if (item := _item(doc, a, b)) and is_organisation(unit := leading_unit(item.text)):
                    out.append(SummaryItem(item.doc_id, item.start, item.end, item.text, unit))
            continue
        for n, child in enumerate(children):
            child_end = children[n + 1].start if n + 1 < len(children) else part.end
            line = doc.text[child.start : child.end]
            if _is_subheading(doc, child):  # the unit alone: its first duty is below
                unit = re.sub(r"^\s*\S+\s+", "", line.strip(), count=1) if child.label else \
                    line.strip()
                below = _items(doc, child.end, child_end, child.level)
                if below and is_organisation(unit):
                    out.append(SummaryItem(doc.doc_id, below[0].start, below[0].end,
                                           below[0].text, unit))
            elif (item := _item(doc, child.start, child.end)) and is_organisation(
                    unit := leading_unit(item.text)):
                out.append(SummaryItem(item.doc_id, item.start, item.end, item.text, unit))
    return out


def _all_units(doc: Document, parts: list[_Part], first: int) -> list[SummaryItem]:
    """The units of "Tổ chức thực hiện", then those named elsewhere (items starting with a
    unit, units leading a task, tables); one spot names a unit once."""
    out = _units(doc, parts)
    end = _body_end(doc)
    for item in [*item_units(doc, first, end, _MAX_ITEM),
                 *named_units(doc, first, end, _MAX_ITEM), *table_units(doc, first, _MAX_ITEM)]:
        key = fold(item.label).lower()
        if not any((key in fold(i.label).lower() or fold(i.label).lower() in key)
                   and i.start < item.end and item.start < i.end for i in out):
            out.append(item)
    return sorted(out, key=lambda i: i.start)


def _implements(doc: Document) -> list[SummaryItem]:
    out, seen = [], set()
    for c in doc.citations:
        if c.relation == "implements" and c.key not in seen:
            seen.add(c.key)
            out.append(SummaryItem(doc.doc_id, c.start, c.end, doc.text[c.start : c.end],
                                   c.key))
    return out


def summarize(doc: Document, *, store: Store | None = None, sentences: int = 5) -> Summary:
    """The structured summary of ``doc`` and its ``sentences`` most central sentences.
    The ``store`` lets boilerplate shared with other documents be skipped, and its encoder
    embeds sentences (without one, word counts stand in)."""
    notes = []
    parts = _parts(doc)
    if not parts:
        notes.append("không nhận ra các phần mục đích, nội dung, tổ chức thực hiện của văn "
                     "bản; chỉ có phần tóm tắt trích câu")
    found = {name: [] for name in _PARTS}
    if parts and not any(p.name == "tasks" for p in parts):
        # "II- TỔ CHỨC ĐỢT SINH HOẠT …": the parts no title names carry the tasks
        parts = [_Part("tasks", p.section, p.end) if not p.name else p for p in parts]
    for part in parts:
        if part.name in ("purpose", "tasks"):
            found[part.name] += _items(doc, part.section.end, part.end, part.section.level,
                                       group="" if part.name == "tasks" else None)
    picked = central_sentences(doc, store, sentences)
    if picked and (store is None or store.encoder is None):
        notes.append(NO_ENCODER)
    first = doc.sections[0].start if doc.sections else 0  # before it: the header's own date
    return Summary(
        doc_id=doc.doc_id, source=doc.source, metadata=doc.metadata,
        purpose=tuple(found["purpose"]), tasks=tuple(found["tasks"]),
        deadlines=tuple(deadlines(doc, first, _body_end(doc))),
        units=tuple(_all_units(doc, parts, first)),
        implements=tuple(_implements(doc)), sentences=tuple(picked), notes=tuple(notes))
