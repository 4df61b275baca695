"""Parse what a user types for a reference: "01-KL/TW", "Kết luận 01-KL/TW", "kl 01/tw",
"ket luan 01", "146/2025/NĐ-CP", "nd 146/2025"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.tones import fold
from core.vocabulary import TYPES
from ingest.numbers import canonical


def _typed_words() -> dict[str, str]:
    """Type words and abbreviations, folded (no diacritics, lower case) → type code."""
    words = {}
    for doc_type in TYPES:
        if doc_type.typed:
            words[fold(doc_type.name)] = doc_type.typed
            if doc_type.codes:  # the abbreviation is the type's own code: "kl", "qdi"
                words[fold(doc_type.codes[0])] = doc_type.codes[0]
    return words


_TYPES = _typed_words()
_TYPE_RE = re.compile(r"^(" + "|".join(sorted(map(re.escape, _TYPES), key=len, reverse=True))
                      + r")\b\s*(?:so\s*)?")


@dataclass(frozen=True)
class RefQuery:
    """A parsed reference: a full canonical ``key``, or the parts a user gave."""

    text: str
    key: str = ""
    type_code: str = ""
    number: str = ""
    year: str = ""
    issuer_code: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.key or self.number)


def parse_ref(text: str) -> RefQuery:
    """Parse a reference typed by a user; ``usable`` is False when it names no number.

    >>> parse_ref("kl 01/tw")
    RefQuery(text='kl 01/tw', key='', type_code='KL', number='01', year='', issuer_code='TW')
    >>> parse_ref("nd 146/2025")
    RefQuery(text='nd 146/2025', key='', type_code='NĐ', number='146', year='2025', issuer_code='')
    """
    if key := canonical(text):
        return RefQuery(text=text, key=key)
    folded = fold(text).strip()
    type_code = ""
    if m := _TYPE_RE.match(folded):
        type_code = _TYPES[m.group(1)]
        folded = folded[m.end():]
    m = re.match(r"^0*(\d{1,5})(?:\s*/\s*(\d{4}))?(?:\s*[-/]\s*([a-z]{1,6}))?"
                 r"(?:\s*[-/]\s*([a-z0-9]{1,10}))?\s*$", folded)
    if not m:
        return RefQuery(text=text)
    number = m.group(1).zfill(2)
    year = m.group(2) or ""
    issuer = ""
    parts = [p for p in (m.group(3), m.group(4)) if p]
    if parts and not type_code and len(parts) == 2:
        type_code, issuer = parts[0].upper(), parts[1].upper()
    elif parts:
        issuer = parts[-1].upper()
    # Parts are matched against the index without diacritics ("kh 07/đu" finds 07-KH/ĐU).
    return RefQuery(text=text, type_code=type_code, number=number, year=year,
                    issuer_code=issuer)
