"""The lexical index's columns: what FTS5 stores for each passage, written with the passage.

Three columns of passage text, all lower case with one tone placement:
``words`` (underthesea words, ``kế_hoạch``; document numbers whole, ``01-kl/tw``),
``syl`` (syllables, for exact "quoted phrases") and ``folded`` (syllables and syllable pairs
without diacritics, so "ke hoach hoc tap" finds "kế hoạch học tập": FINDINGS.md measured
no-diacritic queries at 0.27 MRR on syllables alone and 0.71 with a folded leg). FTS5 keeps
the index inside the catalog, updated in the same transaction as each document.

Two more columns hold each passage's context: its document's type, issuer and subject and
its heading path, with and without diacritics. A passage rarely repeats "Tỉnh ủy Lào Cai" or
"bầu cử" when its document's title says it; on the evaluation set (tests/data/qrels.tsv,
full corpus) the context columns raised BM25 MRR@10 from 0.80 to 0.86, questions 0.63 → 0.73.
Queries against these columns are built in ``query/lexical.py``.
"""

from __future__ import annotations

import re

from core.tones import fold, normalize_tones
from ingest.tokenize import DOCUMENT_NUMBER

FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    words, syl, folded, context, context_folded,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_-/.'");
CREATE TRIGGER IF NOT EXISTS passages_fts_delete AFTER DELETE ON passages BEGIN
    DELETE FROM passages_fts WHERE rowid = old.rowid;
END;
"""
_SYLLABLE = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")


def syllables(text: str) -> list[str]:
    """Lower-case syllables with document numbers whole ("01-kl/tw")."""
    text = normalize_tones(text).lower()
    out: list[str] = []
    cursor = 0
    for match in DOCUMENT_NUMBER.finditer(text.upper()):
        out += _SYLLABLE.findall(re.sub(r"[-/.]", " ", text[cursor : match.start()]))
        out.append(text[match.start() : match.end()])
        cursor = match.end()
    out += _SYLLABLE.findall(re.sub(r"[-/.]", " ", text[cursor:]))
    return out


def folded_terms(syllables: list[str]) -> list[str]:
    """Folded syllables and folded syllable pairs: "tong", "ket", "tong_ket". Without tone
    marks one syllable stands for many words ("tong" is tổng, tông, tòng…); a pair rarely
    does, so pairs carry the ranking of queries typed without diacritics."""
    folded = [fold(s) for s in syllables]
    return folded + [f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False)]


def fts_row(text: str, tokens: tuple[str, ...], context: str = "") -> tuple[str, ...]:
    """(words, syl, folded, context, context_folded) column values of one passage;
    ``context`` is what its document and heading path say about it."""
    own = syllables(text)
    around = syllables(context)
    return (" ".join(tokens), " ".join(own), " ".join(folded_terms(own)),
            " ".join(around), " ".join(folded_terms(around)))


def context_of(doc_type: str, issuer: str, subject: str, heading: str) -> str:
    """The context text of a passage, as :func:`fts_row` wants it."""
    return " ".join(part for part in (doc_type, issuer, subject, heading) if part)


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()
