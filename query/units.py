"""Whole units of the source for summaries and outlines (issue 15).

A point is a sentence, a list item or a clause that ends where the source's punctuation ends
it. What comes before its words is not part of it: list markers ("- ", "+ ", "- - ", "2.",
"a)", "II-"), Markdown markers ("## ", "**", "| ") and the "V/v" label of a subject line. A
long one is shortened by dropping trailing clauses at a "; " or ", " and says so
(``Unit.shortened``: shown with "…"); its span still covers exactly the text shown. A unit
with no clause boundary before the limit runs to the first one after it: never cut inside a
clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"(?:\s*(?:\*\*|(?:[-+•*–]|#{1,6}|\||\(?\d+(?:\.\d+)*[.)-]|[a-zđ][.)]"
                     r"|[IVXL]+[.)-]|[Vv]/[Vv]\s*:?)(?=\s)))+\s*")
_TRAILING = re.compile(r"[\s*|]+$")
_BOUNDARY = re.compile(r"[;,](?=\s)")
_MIN_KEPT = 40  # characters a shortened unit keeps at least: a clause, not a fragment


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    shortened: bool = False


def unit(text: str, start: int, end: int, limit: int) -> Unit | None:
    """The unit ``text[start:end]`` without its markers, shortened to ``limit`` characters
    at a clause boundary when longer; None when nothing is left."""
    marker = _MARKER.match(text, start, end)
    if marker:
        start = marker.end()
    trailing = _TRAILING.search(text, start, end)
    if trailing:
        end = trailing.start()
    if end <= start:
        return None
    if end - start <= limit:
        return Unit(start, end)
    cuts = [m.start() for m in _BOUNDARY.finditer(text, start + _MIN_KEPT, end)]
    before = [c for c in cuts if c <= start + limit]
    cut = before[-1] if before else (cuts[0] if cuts else end)
    return Unit(start, cut, shortened=cut < end)


def shown(text: str, shortened: bool) -> str:
    """How a unit is shown: its text, and "…" where trailing clauses were dropped."""
    return text + " …" if shortened else text
