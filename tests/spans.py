"""Where a labelled quote is in a document: the readings store quotes whitespace-collapsed
from the files, and cleaning may have repaired the text since ("75-\\nKL/TW" → "75-KL/TW")."""

from __future__ import annotations

import re

from rapidfuzz import fuzz


def quote_span(text: str, quote: str) -> tuple[int, int]:
    """The span of ``quote`` in ``text``: exact up to whitespace, else the closest window."""
    found = re.search(r"\s+".join(re.escape(w) for w in quote.split()), text)
    if found:
        return found.span()
    aligned = fuzz.partial_ratio_alignment(quote, text)
    assert aligned.score >= 85, quote
    return aligned.dest_start, aligned.dest_end
