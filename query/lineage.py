"""Lineage of a phrase: which document used it first, and how it spread year by year.

The phrase is looked up as an exact run of syllables in the lexical index (FTS5 phrase query:
case aside, on the accented column, or on the folded one when the phrase is typed without
tone marks), then each hit is checked word by word, so the count is of documents that really
hold the phrase, not of those holding its words apart.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from core.errors import EmptyQueryError
from core.results import Lineage, PhraseUse
from core.tones import fold
from query.similar import HIDDEN_KINDS
from store.fts import has_diacritics, syllables
from store.shingles import words
from store.store import Store, snapshot

_AROUND = 60  # characters of context on each side of the phrase in an excerpt


def _find(folded: list[str], wanted: list[str]) -> int:
    """Index of the first word of ``wanted`` as a run of ``folded``; -1 when absent."""
    size = len(wanted)
    for index in range(len(folded) - size + 1):
        if folded[index : index + size] == wanted:
            return index
    return -1


@snapshot
def lineage(store: Store, phrase: str, *, all_kinds: bool = False) -> Lineage:
    """Every document using ``phrase``, oldest first, and how many first used it each year."""
    phrase = " ".join(unicodedata.normalize("NFC", phrase).split())
    wanted = words(phrase)[0]
    found = syllables(phrase)
    if not wanted or not found:
        raise EmptyQueryError("cụm từ cần tra không có chữ nào")
    accented = has_diacritics(phrase)
    terms = found if accented else [fold(s) for s in found]
    column = "syl" if accented else "folded"
    match = f'{column} : "' + " ".join(t.replace('"', "") for t in terms) + '"'
    kinds = "" if all_kinds else f" AND p.kind NOT IN ({','.join('?' * len(HIDDEN_KINDS))})"
    rows = store.db.execute(
        "SELECT p.doc_id, p.ordinal, p.start, p.text, d.source, d.number, d.date, d.issuer"
        " FROM passages_fts f JOIN passages p ON p.id = f.rowid"
        " JOIN documents d ON d.doc_id = p.doc_id"
        f" WHERE passages_fts MATCH ?{kinds} ORDER BY p.doc_id, p.ordinal",
        (match, *(() if all_kinds else HIDDEN_KINDS))).fetchall()
    uses: dict[str, PhraseUse] = {}
    for doc_id, ordinal, start, text, source, number, date, issuer in rows:
        if doc_id in uses:
            continue
        folded, spans = words(text)
        at = _find(folded, wanted)
        if at < 0:  # the syllables matched across punctuation the phrase does not have
            continue
        begin, end = spans[at][0], spans[at + len(wanted) - 1][1]
        excerpt = text[max(0, begin - _AROUND) : end + _AROUND].replace("\n", " ")
        uses[doc_id] = PhraseUse(doc_id, f"{doc_id}:{ordinal}", start + begin, start + end,
                                 source, number, date, issuer, excerpt)
    ordered = sorted(uses.values(), key=lambda u: (not u.date, u.date, u.source))
    years = Counter(int(u.date[:4]) for u in ordered if u.date[:4].isdigit())
    return Lineage(phrase=phrase, uses=tuple(ordered), per_year=tuple(sorted(years.items())),
                   undated=sum(1 for u in ordered if not u.date[:4].isdigit()))
