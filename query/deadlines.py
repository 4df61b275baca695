"""Deadlines a plan sets: each time expression that says when something is due, with the
task it times (issue 15).

A deadline keeps both ends of its range ("từ ngày 22/02/2026 đến ngày 14/03/2026",
"01/2026 - 15/03/2026", "từ tháng 3 đến tháng 6/2026") and may name only a year ("trong năm
2026", "đến năm 2030", "Từ nay đến hết năm 2026"). In a table of tasks the time column's cell
("Quý II/2026", "Năm 2026", "2026 - 2030") is the deadline and its row the task. The dates of
cited documents ("Kết luận số 01-KL/TW, ngày 18/5/2021"), the document's own date and terms
of office ("nhiệm kỳ 2026 - 2031") are not deadlines.
"""

from __future__ import annotations

import re

from core.records import Document
from core.results import SummaryItem
from core.tones import fold
from query.units import unit

# "17/01/2026", and the written form "01 tháng 7 năm 2028"
_DATE = r"(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
_DAY = r"\d{1,2}/\d{1,2}(?:/\d{4})?"  # the first end of a range may leave its year out
_MONTH = r"tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?"
_QUARTER = r"quý\s+(?:IV|I{1,3}|[1-4])(?![\w])(?:/\d{4}|\s+năm\s+\d{4})?"
_YEAR = r"năm\s+\d{4}"
_TO = r"\s*(?:[-–]|đến(?:\s+hết)?|tới)\s*"
_LIMIT = (r"(?:trước|chậm nhất(?:\s+là)?(?:\s+đến)?|không quá|hạn chót(?:\s+là)?|đến hết|"
          r"hoàn thành)")
_MONTH_YEAR = r"tháng\s+\d{1,2}/\d{4}"
DEADLINE = re.compile("|".join((
    # ranges first: a range's two ends are one deadline
    rf"(?:từ\s+)?(?:ngày\s+)?{_DAY}{_TO}(?:ngày\s+)?{_DATE}",
    rf"(?:từ\s+)?\d{{1,2}}/\d{{4}}{_TO}(?:\d{{1,2}}/)?\d{{1,2}}/\d{{4}}",
    rf"từ\s+(?:{_MONTH}|{_QUARTER}){_TO}(?:{_MONTH}|{_QUARTER})",
    rf"từ\s+(?:nay|{_YEAR}){_TO}(?:{_YEAR}|\d{{4}})",
    # to or after a day named by its event: "đến ngày bầu cử 15/3/2026"
    rf"(?:từ\s+{_MONTH}\s+)?(?:đến|sau|trước)\s+ngày\s+[^\d\n,;.]{{1,25}}?{_DATE}",
    rf"{_LIMIT}(?:\s+ngày)?\s+{_DATE}",
    rf"(?:{_LIMIT}|trong|cuối|đầu)\s+{_MONTH}(?:\s+đến\s+{_MONTH})?",
    rf"(?:(?:trong|hoàn thành trong|xong trong)\s+)?{_QUARTER}",
    rf"(?<!\w){_MONTH_YEAR}(?:{_TO}(?:{_MONTH_YEAR}|{_QUARTER}))?",
    rf"(?:trong|cuối|đầu|hết|vào|{_LIMIT}|(?<!\w)đến)\s+{_YEAR}",
    r"(?:hằng|hàng|mỗi)\s+(?:tháng|quý|năm)|định\s+kỳ\s+\d+\s+tháng|(?<!\w)cuối\s+năm(?!\s+\d)"
    r"|sau\s+mỗi\s+đợt",
    rf"(?<!\w)ngày\s+{_DATE}",
)), re.IGNORECASE)
# a time column's whole cell: "Năm 2026", "Quý I/2026", "Tháng 6/2026", "2026 - 2030",
# "Xong trong tháng 5/2026", "Hàng năm"
_CELL = re.compile(rf"(?:(?:xong|hoàn thành)\s+)?(?:trong\s+)?(?:{_YEAR}|{_QUARTER}|{_MONTH}|"
                   rf"\d{{4}}\s*[-–]\s*\d{{4}}|{_DATE}|(?:hằng|hàng)\s+(?:tháng|quý|năm)|"
                   rf"(?:trước|từ|đến)\s+(?:ngày\s+|tháng\s+|quý\s+|năm\s+)?[\dIV].*|"
                   rf"giai đoạn\s+\d{{4}}\s*[-–]\s*\d{{4}})", re.IGNORECASE)
# a document number just before a date: the date is the cited document's, not a deadline
_CITED_BEFORE = re.compile(r"\d+[-/][\wĐđ/.-]*[A-ZĐ]{2,}[\w/.-]*,?\s*(?:ngày\s*)?$")
# a term of office or a programme's name, not a due time
_NAMED_BEFORE = re.compile(r"(?:nhiệm kỳ|khóa|khoá|tầm nhìn|thời kỳ)\s*$", re.IGNORECASE)
_OPENS = re.compile(r"(?:^|[\n.;:]\s*|[-+•]\s+|\d\.\s+)(?:phấn đấu\s+)?$", re.IGNORECASE)
_ROADMAP = re.compile(r"(?:lộ trình|hoàn thành|xong|thực hiện)\s+$", re.IGNORECASE)
_MAX_TASK = 320  # characters of the task shown with a deadline
_NARRATED = re.compile(r",?\s*[^.;\n]{0,60}?(?:\bđã\s|ban hành\b)")


def _sets_target(doc: Document, at: int, before: str) -> bool:
    """Whether "đến năm 2030" at ``at`` is when this document's own target is due: it opens
    the clause ("Đến năm 2030, 100% …"), follows a roadmap ("lộ trình đến năm 2030"), or
    stands under the document's goals ("MỤC TIÊU VÀ CHỈ TIÊU …"); elsewhere it is the
    horizon of a strategy the plan studies ("phấn đấu đến năm 2030, kỷ niệm 100 năm …")."""
    if _OPENS.search(before) or _ROADMAP.search(before):
        return True
    heading = next((p.heading for p in doc.passages if p.start <= at < p.end), "")
    return any(w in fold(heading).lower() for w in ("muc tieu", "chi tieu"))


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: between line breaks, ". " and "; "."""
    after = [(text.rfind(mark, 0, start), len(mark)) for mark in ("\n", ". ", "; ")]
    left = max((at + size for at, size in after if at >= 0), default=0)
    ends = [text.find("\n", end)] + [at + 1 for mark in (". ", "; ")
                                     if (at := text.find(mark, end)) >= 0]
    right = min((e for e in ends if e >= 0), default=len(text))
    return left, right


def _item(doc: Document, a: int, b: int, when: str) -> SummaryItem | None:
    """The clause holding the time ``[a, b)`` as a whole unit, shortened only as far as
    the time is still shown."""
    left, right = _clause(doc.text, a, b)
    found = unit(doc.text, left, right, _MAX_TASK)
    if found is not None and found.end < b:
        found = unit(doc.text, left, right, right - left)
    if found is None:
        return None
    return SummaryItem(doc.doc_id, found.start, found.end, doc.text[found.start : found.end],
                       " ".join(when.split()), shortened=found.shortened)


def _cells(doc: Document, row: int) -> list[tuple[int, int]]:
    """The spans of the cells of the table row starting at ``row``, stripped."""
    end = doc.text.find("\n", row)
    line = doc.text[row : len(doc.text) if end < 0 else end]
    out, offset = [], row
    for cell in line.split(" | "):
        a, b = offset + len(cell) - len(cell.lstrip()), offset + len(cell.rstrip())
        if a < b:
            out.append((a, b))
        offset += len(cell) + 3
    return out


def _table_times(doc: Document, start: int) -> list[tuple[int, int, tuple[int, int]]]:
    """(time cell start, end, the task cell's span) of each table row from ``start`` on
    whose time column holds a time and nothing more; the task is the row's first cell of
    four words or more."""
    out, cursor = [], start
    for line in doc.text[start:].split("\n"):
        if " | " in line:
            cells = _cells(doc, cursor)
            task = next((c for c in cells if len(doc.text[c[0] : c[1]].split()) >= 4), None)
            for a, b in cells:
                if task is not None and (a, b) != task and _CELL.fullmatch(doc.text[a:b]):
                    out.append((a, b, task))
        cursor += len(line) + 1
    return out


def _row_task(doc: Document, at: int) -> tuple[int, int] | None:
    """The task cell of the table row holding ``at``: its first cell of four words."""
    row = doc.text.rfind("\n", 0, at) + 1
    return next((c for c in _cells(doc, row) if len(doc.text[c[0] : c[1]].split()) >= 4),
                None)


def _skipped(doc: Document, match: re.Match, hidden, cited) -> bool:
    """A time that is not a deadline: in a header, footnote or signature; a cited
    document's date; a term of office; a strategy's horizon; a narrated past event."""
    a = match.start()
    if any(s <= a < e for s, e in hidden) or any(s <= a < e + 3 for s, e in cited):
        return True
    before = doc.text[max(0, a - 40) : a]
    if _CITED_BEFORE.search(before + " ") or _NAMED_BEFORE.search(before):
        return True
    if match.group()[:3].lower() == "đến" and not _sets_target(doc, a, before):
        return True
    # "Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành …": what was done that day
    return match.group()[:4].lower() == "ngày" and bool(
        _NARRATED.match(doc.text, match.end(), match.end() + 80))


def deadlines(doc: Document, first: int, body_end: int) -> list[SummaryItem]:
    """The deadlines set between ``first`` (the body's start) and ``body_end``, and in the
    tables of tasks after it, in document order. A time in a heading and the same time in
    the item below are two deadlines, as a reader lists them."""
    hidden = [(p.start, p.end) for p in doc.passages if p.kind != "body"]
    cited = [(c.start, c.end) for c in doc.citations]
    out, seen = [], set()
    for match in DEADLINE.finditer(doc.text, first, len(doc.text)):
        a, b = match.span()
        in_row = " | " in doc.text[doc.text.rfind("\n", 0, a) + 1 : a]
        if (a >= body_end and not in_row) or _skipped(doc, match, hidden, cited):
            continue
        if in_row:  # a time inside a row's cell: the row's task is what is due
            task = _row_task(doc, a)
            found = unit(doc.text, *task, _MAX_TASK) if task else None
            item = found and SummaryItem(doc.doc_id, found.start, found.end,
                                         doc.text[found.start : found.end],
                                         " ".join(match.group().split()), found.shortened)
        else:
            item = _item(doc, a, b, match.group())
        if item is None or item.text.startswith("Đã "):  # "Đã thực hiện …": done, not due
            continue
        if (item.start, item.label.lower()) not in seen:
            seen.add((item.start, item.label.lower()))
            out.append(item)
    for a, b, (task_start, task_end) in _table_times(doc, first):
        found = unit(doc.text, task_start, task_end, _MAX_TASK)
        if found is None or any(s <= a < e for s, e in hidden):
            continue
        label = " ".join(doc.text[a:b].split())  # the whole cell: "Xong trong Quý II/2026"
        out = [i for i in out if not (i.start == found.start
                                      and i.label.lower() in label.lower())]
        out.append(SummaryItem(doc.doc_id, found.start, found.end,
                               doc.text[found.start : found.end], label,
                               shortened=found.shortened))
    return sorted(out, key=lambda i: i.start)
