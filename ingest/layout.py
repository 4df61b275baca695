"""Layout of a reader's raw lines, shared by the header and signature readers.

The metadata readers (``ingest/header.py``, ``issuer.py``, ``signature.py``) work on raw
text: lines broken as in the PDF, the columns of a two-column header side by side, markdown
emphasis. Here: the columns (cells) of one line, whether a cell is in capitals, where a body
sentence starts, and list items re-joined across broken lines.

>>> cells("**ĐẢNG ỦY SỞ Y TẾ**      CỘNG HÒA XÃ HỘI")
['ĐẢNG ỦY SỞ Y TẾ', 'CỘNG HÒA XÃ HỘI']
"""

from __future__ import annotations

import re

# First words of a body sentence: the trích yếu ends before them (seed 003 has no rule line).
BODY_RE = re.compile(r"^(?:- )?(Căn cứ|Thực hiện|Kính gửi|Theo đề nghị|Xét đề nghị|Trên cơ sở|"
                     r"Ngày \d|I[.-] |1[.-] |Điều \d|Chương [IVX\d]|Phần [IVX\d])")
BULLET_RE = re.compile(r"^[-+•–]\s*")


def cells(line: str) -> list[str]:
    """Columns of one line: table pipes, " | " from DOCX tables, or 3+ spaces from PDF layout."""
    line = re.sub(r"^\s*[*•]\s+", "- ", line.replace("\t", "    "))  # markdown bullets
    parts = re.split(r"\s*\|\s*|\s{3,}", line.strip().strip("|"))
    return [c for c in (plain(p) for p in parts) if c]


def plain(cell: str) -> str:
    """Drop markdown emphasis and heading marks that some transcriptions carry."""
    return re.sub(r"^[#\s]+|\*\*|^\*|\*$|`+", "", cell.strip()).strip(" *")


def is_upper(cell: str) -> bool:
    letters = [ch for ch in cell if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


class Items:
    """Items of a "Nơi nhận" / "Kính gửi" list, re-joined across broken lines."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.bulleted = False

    def add(self, cell: str) -> bool:
        """Take ``cell`` as a new item or a continuation; False when it belongs elsewhere."""
        if BULLET_RE.match(cell):
            self.items.append(BULLET_RE.sub("", cell))
            self.bulleted = True
        elif not self.items:
            self.items.append(cell)
        elif cell[0].islower() or (self.bulleted and not self.closed()):
            self.items[-1] += " " + cell  # "- VPCP: BTCN, …, Trợ lý TTg," / "các Vụ, Cục, …"
        else:
            return False
        return True

    def closed(self) -> bool:
        return not self.items or self.items[-1].rstrip().endswith((",", ";", ".", ":"))

    def result(self) -> list[str]:
        out = [" ".join(i.split()).rstrip(",;.: ") for i in self.items]
        return [i for i in out if i]
