"""Read a document's own metadata (number, type, issuer, date, signer…) from its raw text.

One public function, :func:`extract`, which assembles what the header readers
(``ingest/header.py``: number, type, trích yếu, place and date, "Kính gửi";
``ingest/issuer.py``: issuer, parent, level, province) and the signature reader
(``ingest/signature.py``: signer, "Nơi nhận") find. It works on the reader's raw text (lines
broken as in the PDF, columns of a two-column header side by side or one under the other,
markdown emphasis, either tone style) and relies on no other cleaning. A field it cannot
find is empty, never guessed.

>>> extract("ĐẢNG ỦY SỞ Y TẾ\\nSố 588-KH/ĐU\\nKẾ HOẠCH\\nCông tác năm 2025\\n-----").number
'588-KH/ĐU'
"""

from __future__ import annotations

import unicodedata

from core.places import PROVINCES, province_key
from core.records import Metadata
from ingest import header, issuer
from ingest.signature import signature

_HEAD_LINES = 40  # header block, title and trích yếu are always within the first lines


def extract(text: str) -> Metadata:
    """Metadata of one document from its raw text; unknown fields stay empty."""
    lines = [ln for ln in unicodedata.normalize("NFC", text).replace("\f", "\n").split("\n")
             if ln.strip()]
    head = lines[:_HEAD_LINES]
    title_at, doc_type, title_rest = header.find_title(head)
    number = header.find_number(head)
    groups = issuer.header_orgs(head[:title_at] if title_at >= 0
                                else head[:header.body_start(head)])
    issued_by = groups[-1] if groups else issuer.issuer_from_body(head[max(title_at, 0):])
    parent = groups[0] if len(groups) > 1 else ""
    place, date = header.place_date(head)
    level = issuer.level(issued_by, parent, number)
    province = "" if level == "TW" else (issuer.province(parent) or issuer.province(issued_by)
                                         or PROVINCES.get(province_key(place), ""))
    signer, recipients = signature(lines, title_at)
    return Metadata(
        number=number, doc_type=doc_type or header.type_from_number(number, head),
        issuer=issued_by, parent=parent, place=place, date=date,
        subject=header.subject(head, title_at, title_rest), signer=signer,
        recipients=tuple(header.addressees(head) + recipients), level=level, province=province)
