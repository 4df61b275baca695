"""The signature block of a document's raw text: who signed, and the "Nơi nhận" list.

Part of :func:`ingest.metadata.extract`. The block follows the body: an authority line
("T/M BAN THƯỜNG VỤ", "KT. GIÁM ĐỐC"), the position, the name, and the recipients, in
whichever column the PDF put them.

>>> signature(["KẾ HOẠCH", "Nội dung.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn A"], 0)[0]
Signer(authority='T/M BAN THƯỜNG VỤ', position='BÍ THƯ', name='Nguyễn Văn A')
"""

from __future__ import annotations

import re

from core.records import Signer
from ingest.layout import BULLET_RE, Items, cells, is_upper, plain

_AUTHORITY_RE = re.compile(r"^(T/M|T\.M|TM\.?|KT\.?|K/T|Q\.|TL\.?|T/L|TUQ\.?)\s*\S")
_POSITION_RE = re.compile(
    r"^(PHÓ )?(BÍ THƯ|CHỦ TỊCH|GIÁM ĐỐC|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|TRƯỞNG BAN|TRƯỞNG ĐOÀN|"
    r"CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|VIỆN TRƯỞNG|CHÁNH ÁN|CHỦ NHIỆM|TỔNG BÍ THƯ)\b")
_RANKS = ("Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá",
          "Trung tá", "Thiếu tá")


def _is_name(cell: str) -> bool:
    """"Nguyễn Thế Phong", "Thượng tướng Tô Lâm": 2-5 capitalised words, nothing else."""
    rank = next((r for r in _RANKS if cell.startswith(r + " ")), "")
    words = cell[len(rank):].split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)


def signature(lines: list[str], title_at: int) -> tuple[Signer, list[str]]:
    """Signer and "Nơi nhận" list from the block after the body, wherever the columns fall."""
    body = lines[title_at + 1:]
    at = next((i for i, ln in enumerate(body)
               if any(re.match(r"Nơi nhận\s*:", c) for c in cells(ln))), -1)
    if at < 0:  # laws and circulars often have no "Nơi nhận": start at the first position
        at = next((i for i, ln in enumerate(body) for c in cells(ln)
                   if is_upper(c) and (_AUTHORITY_RE.match(c) or _POSITION_RE.match(c))), -1)
    if at < 0:
        return Signer(), []
    at = max(at - 3, 0)  # a position may sit in the row above "Nơi nhận" (TT 32/2019/TT-BCT)
    authority: list[str] = []
    upper: list[str] = []
    name = ""
    items, listing = Items(), False
    for line in body[at:at + 45]:
        if re.match(r"\s*(PHỤ LỤC|Phụ lục)\b", plain(line)) or (name and len(line) > 120):
            break
        for cell in cells(line):
            if m := re.match(r"Nơi nhận\s*:\s*", cell):
                listing, cell = True, cell[m.end():]
                if not cell:
                    continue
            if re.fullmatch(r"[\[(](đã ký|Đã ký|ký|Ký)[\])]", cell):
                continue
            if not name and is_upper(cell) and not BULLET_RE.match(cell):
                if _AUTHORITY_RE.match(cell):
                    authority.append(cell)
                elif authority or upper or _POSITION_RE.match(cell):
                    upper.append(cell)
            elif not name and _is_name(cell) and (authority or upper or items.closed()):
                name = cell
            elif listing and (BULLET_RE.match(cell) or not is_upper(cell)):
                items.add(cell)  # not the title line under a name ("PHÓ GIÁM ĐỐC SỞ …")
    if authority:
        authority += upper[:-1]
        upper = upper[-1:]
    signer = Signer(" ".join(authority), " ".join(upper), name)
    return signer, items.result()
