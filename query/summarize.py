"""A plan's gist without reading ten pages: its own structure, then a few central sentences.

Nothing is written: every item is a span of the document (``text == Document.text[start:
end]``), so each line can be shown in place and cited. The structured part reads the plan's
own top-level parts, recognised by their titles without tone marks: "MỤC ĐÍCH, YÊU CẦU"
(purpose), "NỘI DUNG" / "NHIỆM VỤ" / "GIẢI PHÁP" (main tasks: the items of the part) and
"TỔ CHỨC THỰC HIỆN" (who does what). Deadlines are time expressions a plan sets ("trước ngày
17/01/2026", "Trong tháng 01/2025", "Quý I", "hằng quý"), each with the clause holding it;
the dates of cited documents ("Kết luận số 01-KL/TW, ngày 18/5/2021") are not deadlines.

The extractive part, a few sentences central to the document, is ``query/sentences.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from underthesea import sent_tokenize

from core.records import Document, Section
from core.results import Summary, SummaryItem
from core.tones import fold
from query.sentences import NO_ENCODER, central_sentences
from store.store import Store

_PARTS = {  # folded title words → part; the first part whose words a title holds wins
    "organisation": ("to chuc thuc hien", "trach nhiem thuc hien", "phan cong thuc hien"),
    "purpose": ("muc dich", "yeu cau"),
    "tasks": ("noi dung", "nhiem vu", "giai phap", "chuong trinh cong tac"),
}
_MAX_ITEM = 320  # characters of an item before it is cut at a clause end

_DATE = r"\d{1,2}/\d{1,2}/\d{4}"
_MONTH = r"tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?"
_QUARTER = r"quý\s+(?:IV|I{1,3}|[1-4])(?![\w])(?:/\d{4}|\s+năm\s+\d{4})?"
DEADLINE = re.compile("|".join((
    rf"(?:trước|chậm nhất(?:\s+là)?|không quá|hạn chót(?:\s+là)?|đến hết)(?:\s+ngày)?\s+{_DATE}",
    rf"(?:trước|chậm nhất(?:\s+là)?|trong|từ|cuối|đầu)\s+{_MONTH}(?:\s+đến\s+{_MONTH})?",
    rf"(?:trong\s+)?{_QUARTER}",
    r"(?:hằng|hàng)\s+(?:tháng|quý|năm)|định\s+kỳ\s+\d+\s+tháng|(?<!\w)cuối\s+năm(?!\s+\d)",
    rf"(?<!\w)ngày\s+{_DATE}",
)), re.IGNORECASE)
# a document number just before a date: the date is the cited document's, not a deadline
_CITED_BEFORE = re.compile(r"\d+[-/][\wĐđ/.-]*[A-ZĐ]{2,}[\w/.-]*,?\s*(?:ngày\s*)?$")
_VERBS = re.compile(
    r"\s(?:(?<!các )(?<!những )tổ chức|triển khai|thực hiện|xây dựng|chủ trì|phối hợp|tham mưu|"
    r"căn cứ|chỉ đạo|lãnh đạo|theo dõi|hướng dẫn|đôn đốc|kiểm tra|giám sát|có trách nhiệm|"
    r"chịu trách nhiệm|báo cáo|tuyên truyền|nắm|tổng hợp|bố trí|bảo đảm|đảm bảo|chủ động|"
    r"quán triệt|phổ biến|cử|giao|trên cơ sở|tiếp tục|định hướng|tập trung|ban hành|rà soát)"
    r"(?!\w)", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s[-–]\s|:\s")


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
    """The first sentence of ``[start, end)``, trimmed and cut at a clause end if long."""
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
    if len(first) > _MAX_ITEM:
        cut = max(first.rfind("; ", 0, _MAX_ITEM), first.rfind(", ", 0, _MAX_ITEM))
        first = first[: cut + 1] if cut > 40 else first[:_MAX_ITEM]
    first = first.rstrip()
    return SummaryItem(doc.doc_id, offset, offset + len(first), first, label)


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


def _children(doc: Document, start: int, end: int, level: int) -> list[Section]:
    inner = [s for s in doc.sections if start <= s.start < end and s.level > level]
    top = min((s.level for s in inner), default=0)
    return [s for s in inner if s.level == top]


def _items(doc: Document, start: int, end: int, level: int, *, descend: bool
           ) -> list[SummaryItem]:
    """Items between ``start`` and ``end``: the direct sub-items' first sentences, or the
    paragraphs' when there are none. With ``descend``, a bare sub-title ("1. Mục đích")
    gives the items below it instead of itself."""
    children = _children(doc, start, end, level)
    if not children:
        return [i for a, b in _lines(doc, start, end) if (i := _item(doc, a, b))]
    out = [i for a, b in _lines(doc, start, children[0].start) if (i := _item(doc, a, b))]
    for n, child in enumerate(children):
        child_end = children[n + 1].start if n + 1 < len(children) else end
        if descend and _is_subheading(doc, child):
            out += _items(doc, child.end, child_end, child.level, descend=True)
        elif item := _item(doc, child.start, child.end):
            out.append(item)
    return out


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: between line breaks, ". " and "; "."""
    after = [(text.rfind(mark, 0, start), len(mark)) for mark in ("\n", ". ", "; ")]
    left = max((at + size for at, size in after if at >= 0), default=0)
    ends = [text.find("\n", end)] + [at + 1 for mark in (". ", "; ")
                                     if (at := text.find(mark, end)) >= 0]
    right = min((e for e in ends if e >= 0), default=len(text))
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _deadlines(doc: Document) -> list[SummaryItem]:
    hidden = [(p.start, p.end) for p in doc.passages if p.kind != "body"]
    first = doc.sections[0].start if doc.sections else 0  # before it: the header's own date
    cited = [(c.start, c.end) for c in doc.citations]
    out, seen = [], set()
    for match in DEADLINE.finditer(doc.text, first, _body_end(doc)):
        a, b = match.span()
        if any(s <= a < e for s, e in hidden) or any(s <= a < e + 3 for s, e in cited):
            continue
        if _CITED_BEFORE.search(doc.text[max(0, a - 40) : a] + " "):
            continue
        left, right = _clause(doc.text, a, b)
        text = doc.text[left:right].rstrip()
        if text.startswith("Đã "):  # "Đã thực hiện … ngày 11/3/2024": done, not due
            continue
        if (left, match.group().lower()) in seen or not text:
            continue
        seen.add((left, match.group().lower()))
        out.append(SummaryItem(doc.doc_id, left, left + len(text), text,
                               " ".join(match.group().split())))
    return out


def _unit(text: str) -> str:
    """The organisation an item of "Tổ chức thực hiện" starts with."""
    body = re.sub(r"^\s*(?:\d+(?:\.\d+)*[.)-]|[a-zđ][.)]|[-+•])\s*", "", text)
    cuts = [m.start() for m in (_SEPARATORS.search(body), _VERBS.search(body)) if m]
    if not cuts:
        return ""
    unit = body[: min(cuts)].strip(" ,;:-–")
    words = unit.split()
    return unit if 1 <= len(words) <= 20 and unit[0].isupper() else ""


def _units(doc: Document, parts: list[_Part]) -> list[SummaryItem]:
    """Who does what: each item of "Tổ chức thực hiện" starts with its unit, either on a
    line of its own ("1. Ban Tuyên giáo Huyện ủy", its duties in the bullets below) or
    before the duty ("2. Đảng ủy Sở Y tế theo dõi …", "2- Các đoàn thể Sở: Tổ chức …")."""
    out = []
    for part in (p for p in parts if p.name == "organisation"):
        children = _children(doc, part.section.end, part.end, part.section.level)
        if not children:
            for a, b in _lines(doc, part.section.end, part.end):
                if (item := _item(doc, a, b)) and (unit := _unit(item.text)):
                    out.append(SummaryItem(item.doc_id, item.start, item.end, item.text, unit))
            continue
        for n, child in enumerate(children):
            child_end = children[n + 1].start if n + 1 < len(children) else part.end
            line = doc.text[child.start : child.end]
            if _is_subheading(doc, child):  # the unit alone: its first duty is below
                unit = re.sub(r"^\s*\S+\s+", "", line.strip(), count=1) if child.label else \
                    line.strip()
                below = _items(doc, child.end, child_end, child.level, descend=False)
                if below and unit[:1].isupper():
                    out.append(SummaryItem(doc.doc_id, below[0].start, below[0].end,
                                           below[0].text, unit))
            elif (item := _item(doc, child.start, child.end)) and (unit := _unit(item.text)):
                out.append(SummaryItem(item.doc_id, item.start, item.end, item.text, unit))
    return out


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
                                       descend=part.name == "purpose")
    picked = central_sentences(doc, store, sentences)
    if picked and (store is None or store.encoder is None):
        notes.append(NO_ENCODER)
    return Summary(
        doc_id=doc.doc_id, source=doc.source, metadata=doc.metadata,
        purpose=tuple(found["purpose"]), tasks=tuple(found["tasks"]),
        deadlines=tuple(_deadlines(doc)), units=tuple(_units(doc, parts)),
        implements=tuple(_implements(doc)), sentences=tuple(picked), notes=tuple(notes))
