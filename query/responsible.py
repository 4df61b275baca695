"""Who a plan makes responsible, wherever it names them (issue 15): not only the items of
its "Tổ chức thực hiện" part (``query/summarize.py``) but the unit that leads a task inside
it ("Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với …", "giao Sở Công Thương chủ trì"), the
one a plan asks ("Đề nghị Ủy ban MTTQ tỉnh …"), the lines naming who directs a group of
tasks ("Trách nhiệm chỉ đạo thực hiện: Đảng ủy Ủy ban nhân dân tỉnh."), and the lead column
of a table of tasks ("Sở, ngành chủ trì tham mưu"). Units that only coordinate ("phối hợp
với …") are not responsible for the task.
"""

from __future__ import annotations

import re

from core.records import Document
from core.results import SummaryItem
from core.tones import fold
from query.units import unit

# what an organisation's name starts with (folded): "Sở Y tế", "Ủy ban nhân dân tỉnh",
# "Đảng ủy Khối", "Các chi, đảng bộ", "Chủ tịch UBND xã"
_HEADS = ("ban", "so", "uy ban", "ubnd", "ubmttq", "dang uy", "dang bo", "dang doan",
          "van phong", "phong", "trung tam", "hoi", "doan", "mat tran", "cong an", "bo",
          "cuc", "chi cuc", "to", "tieu ban", "hoi dong", "hdnd", "thuong truc", "chi bo",
          "cap uy", "tinh uy", "huyen uy", "thanh uy", "thi uy", "bo chi huy", "bao", "dai",
          "truong", "lien doan", "vien", "toa an", "kho bac", "thue", "ngan hang", "chu tich",
          "bi thu", "thanh tra", "chinh phu", "quoc hoi", "cong doan", "ban can su",
          "ban chi dao", "ban thuong vu", "thuong vu", "ca ")
_GROUPS = ("cac cap uy", "cac so", "cac chi", "cac dang", "cac doan", "cac co quan",
           "cac don vi", "cac dia phuong", "cac ban", "cac xa", "cac to chuc", "cac phong",
           "cac hoi", "cac bo", "cac huyen", "cac truong", "cac thanh vien", "cac tieu ban",
           "cac to ", "cac dong chi")
_LEAD_WORDS = "chủ trì|có trách nhiệm|chịu trách nhiệm|tham mưu|là cơ quan thường trực"
_ORG = r"[A-ZĐÀ-Ỹ][^.;:()\n]{1,120}?"
_ITEM_START = r"(?:^|(?<=[.;:]\s)|(?<=, ))(?:(?:[-+•]|\d+(?:\.\d+)*[.)-]|[a-zđ][.)])\s*)?"
_PATTERNS = (
    # "Ban Tuyên giáo Huyện ủy chủ trì", at the start of an item or a clause
    re.compile(rf"{_ITEM_START}(?P<org>{_ORG})\s+(?:{_LEAD_WORDS})(?!\w)", re.MULTILINE),
    # "giao Sở Công Thương chủ trì", "Đề nghị Ủy ban MTTQ tỉnh …", "do Văn phòng … thực hiện"
    re.compile(rf"(?:(?<!\w)[Gg]iao(?:\s+cho)?|(?<!\w)[Đđ]ề nghị|(?<!\w)[Yy]êu cầu|(?<!\w)do)"
               rf"\s+(?P<org>{_ORG})(?=\s+(?:{_LEAD_WORDS}|thực hiện|triển khai|tổ chức|"
               r"chỉ đạo|lãnh đạo|hướng dẫn|xây dựng|phối hợp|quan tâm|tiếp tục|nghiên cứu|"
               r"theo dõi|kiểm tra|rà soát|bố trí|tạo điều kiện|cử|chủ động|sớm|khẩn trương)"
               r"(?!\w))"),
)
# "Trách nhiệm chỉ đạo thực hiện: A; B; C." and "Cơ quan chủ trì: A"
_NAMED_LIST = re.compile(r"(?:Trách nhiệm(?: chỉ đạo)?(?: thực hiện)?|Cơ quan chủ trì|"
                         r"Đơn vị chủ trì|Chủ trì(?: thực hiện)?)\s*:\s*(?P<list>[^\n]+)")
_MAX_WORDS = 16  # longer than this and it is a clause, not a name


def is_organisation(name: str) -> bool:
    folded = fold(name).lower() + " "
    words = name.split()
    return (1 <= len(words) <= _MAX_WORDS and name[:1].isupper()
            and (folded.startswith(_HEADS) or folded.startswith(_GROUPS)))


# where a name ends and its duty begins ("Ban Tuyên giáo Huyện ủy chủ động tham mưu …");
# lower case only: "Ủy ban Kiểm tra", "Ban Chỉ đạo" are names
_DUTY = re.compile(r"\s(?:chủ động|thường xuyên|tiếp tục|khẩn trương|kịp thời|sớm|phải|cần|"
                   r"có trách nhiệm|chịu trách nhiệm|tham mưu|chủ trì|phối hợp|thực hiện|"
                   r"nêu cao|triển khai|xây dựng|chỉ đạo|lãnh đạo|hướng dẫn|sẽ)(?!\w)")


def _clean(name: str) -> str:
    duty = _DUTY.search(name)
    return (name[: duty.start()] if duty else name).strip(" ,;:-–")


def _joined(at: int, name: str) -> list[tuple[int, str]]:
    """"Ban Tuyên giáo Huyện ủy, Trung tâm chính trị": two units, when every piece is one
    ("Các chi, đảng bộ cơ sở" stays one: "đảng bộ cơ sở" does not start as a name does)."""
    pieces = re.split(r",\s+|\s+và\s+", name)
    if len(pieces) > 1 and all(is_organisation(p) for p in pieces):
        out, offset = [], at
        for piece in pieces:
            offset = name.index(piece, offset - at) + at
            out.append((offset, piece))
        return out
    return [(at, name)]


def _item(doc: Document, at: int, name: str, limit: int) -> SummaryItem | None:
    """The line's clause holding the unit named at ``at``, labelled with the unit."""
    line_start = doc.text.rfind("\n", 0, at) + 1
    line_end = doc.text.find("\n", at)
    line_end = len(doc.text) if line_end < 0 else line_end
    sentence = max(doc.text.rfind(". ", line_start, at) + 2, line_start)
    found = unit(doc.text, sentence, line_end, limit)
    if found is None:
        return None
    return SummaryItem(doc.doc_id, found.start, found.end, doc.text[found.start : found.end],
                       name, shortened=found.shortened)


def _split(doc: Document, start: int, end: int) -> list[tuple[int, str]]:
    """The names of a ";"-separated list ``doc.text[start:end]``, each with its offset."""
    out, offset = [], start
    for piece in doc.text[start:end].split(";"):
        name = _clean(piece.rstrip("."))
        if name and is_organisation(name):
            out.append((offset + piece.index(name), name))
        offset += len(piece) + 1
    return out


def _group(doc: Document, at: int, limit: int, name: str) -> SummaryItem | None:
    """What a "Trách nhiệm chỉ đạo thực hiện: …" line assigns: the tasks of the heading it
    closes ("3.2. Nâng cao hiệu lực, hiệu quả quản lý nhà nước; …"), else the line."""
    above = [s for s in doc.sections if s.end < at and s.label and s.label[0].isdigit()]
    if above:
        heading = above[-1]
        found = unit(doc.text, heading.start, heading.end, limit)
        if found is not None:
            return SummaryItem(doc.doc_id, found.start, found.end,
                               doc.text[found.start : found.end], name,
                               shortened=found.shortened)
    return _item(doc, at, name, limit)


def named_units(doc: Document, start: int, end: int, limit: int) -> list[SummaryItem]:
    """Units named as leading or carrying out a task in ``doc.text[start:end]``."""
    found: list[tuple[int, str]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(doc.text, start, end):
            name = _clean(match.group("org"))
            if " | " not in match.group(0) and is_organisation(name):
                found += _joined(match.start("org"), name)
    out = [item for at, name in sorted(set(found)) if (item := _item(doc, at, name, limit))]
    for match in _NAMED_LIST.finditer(doc.text, start, end):
        if " | " not in match.group(0):
            out += [item for at, name in _split(doc, match.start("list"), match.end("list"))
                    if (item := _group(doc, at, limit, name))]
    return out


def table_units(doc: Document, start: int, limit: int) -> list[SummaryItem]:
    """The lead column of each table of tasks from ``start`` on: its cells' units, each
    with the row's task (the row's first cell of four words or more)."""
    out, column, cursor = [], None, start
    for line in doc.text[start:].split("\n"):
        cells = line.split(" | ") if " | " in line else []
        if not cells:
            column = None
        elif column is None:
            heads = [n for n, c in enumerate(cells) if "chu tri" in fold(c).lower()]
            column = heads[0] if heads else None
        elif column < len(cells):
            offsets = [cursor + sum(len(c) + 3 for c in cells[:n]) for n in range(len(cells))]
            task = next((n for n, c in enumerate(cells) if len(c.split()) >= 4
                         and n != column), None)
            lead = offsets[column]
            for _at, name in _split(doc, lead, lead + len(cells[column])):
                if task is not None:
                    a = offsets[task] + len(cells[task]) - len(cells[task].lstrip())
                    found = unit(doc.text, a, offsets[task] + len(cells[task].rstrip()), limit)
                    if found is not None:
                        out.append(SummaryItem(doc.doc_id, found.start, found.end,
                                               doc.text[found.start : found.end], name,
                                               shortened=found.shortened))
        cursor += len(line) + 1
    return out
