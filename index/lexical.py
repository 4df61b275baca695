"""Lexical search: BM25 (SQLite FTS5) over underthesea words, syllables and tone-folded text.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index import bm25
from ingest.tokenize import DOCUMENT_NUMBER, tokenize
from ingest.tones import fold, normalize_tones

FTS_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    words, syl, folded, context, context_folded,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_-/.'");
CREATE TRIGGER IF NOT EXISTS passages_fts_delete AFTER DELETE ON passages BEGIN
    DELETE FROM passages_fts WHERE rowid = old.rowid;
END;
"""
# Column weights: a whole underthesea word counts twice a syllable; context as much as text.
_BM25 = "bm25(passages_fts, 2.0, 1.0, 1.0, 1.0, 1.0)"
_SYLLABLE = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")
_PHRASE = re.compile(r"\"([^\"]+)\"|“([^”]+)”")


def _syllables(text: str) -> list[str]:
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


def _folded_terms(syllables: list[str]) -> list[str]:
    """Folded syllables and folded syllable pairs: "tong", "ket", "tong_ket". Without tone
    marks one syllable stands for many words ("tong" is tổng, tông, tòng…); a pair rarely
    does, so pairs carry the ranking of queries typed without diacritics."""
    folded = [fold(s) for s in syllables]
    return folded + [f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False)]


def fts_row(text: str, tokens: tuple[str, ...], context: str = "") -> tuple[str, ...]:
    """(words, syl, folded, context, context_folded) column values of one passage;
    ``context`` is what its document and heading path say about it."""
    syllables = _syllables(text)
    around = _syllables(context)
    return (" ".join(tokens), " ".join(syllables), " ".join(_folded_terms(syllables)),
            " ".join(around), " ".join(_folded_terms(around)))


def context_of(doc_type: str, issuer: str, subject: str, heading: str) -> str:
    """The context text of a passage, as :func:`fts_row` wants it."""
    return " ".join(part for part in (doc_type, issuer, subject, heading) if part)


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


def _has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


@dataclass(frozen=True)
class LexicalQuery:
    """An FTS5 MATCH expression and what it was built from."""

    match: str
    folded: bool  # the query was typed without diacritics: matched on the folded column
    phrases: tuple[str, ...]
    terms: tuple[str, ...] = ()  # the ranking terms, for the precomputed index
    phrase_match: str = ""  # the quoted phrases alone, as an FTS5 expression


def build_query(text: str) -> LexicalQuery | None:
    """FTS5 expression for a user query; None when nothing searchable is left."""
    phrases = tuple(a or b for a, b in _PHRASE.findall(text))
    rest = _PHRASE.sub(" ", text)
    folded = not _has_diacritics(text)
    parts = [f"syl : {_quote(' '.join(_syllables(p)))}" for p in phrases if _syllables(p)]
    phrase_match = " AND ".join(parts)
    if folded:
        terms = _folded_terms(_syllables(rest))
        column = "{folded context_folded}"
    else:
        terms = [t for t in tokenize(rest)] + _syllables(rest)
        column = "{words syl context}"
    terms = list(dict.fromkeys(t for t in terms if t))
    if terms:
        parts.append(f"{column} : (" + " OR ".join(_quote(t) for t in terms) + ")")
    if not parts:
        return None
    return LexicalQuery(match=" AND ".join(parts), folded=folded, phrases=phrases,
                        terms=tuple(terms), phrase_match=phrase_match)


def search_lexical(db, text: str, k: int = 50, *, within: tuple[str, list] | None = None
                   ) -> list[tuple[int, float]]:
    """(passage rowid, score) of the best ``k`` passages; higher score is better.
    ``within`` is an SQL query and its parameters giving the passage ids allowed.

    Ranked by the precomputed BM25 index (``index/bm25.py``) when it matches the catalog;
    FTS5 ranks otherwise (same model, slower). FTS5 always decides quoted phrases.
    """
    query = build_query(text)
    if query is None:
        return []
    index = bm25.load(db) if query.terms else None
    if index is not None:
        allowed = None
        if query.phrase_match or within is not None:
            sql, params = "SELECT rowid FROM passages_fts WHERE ", []
            if query.phrase_match:
                sql += "passages_fts MATCH ?"
                params.append(query.phrase_match)
            if within is not None:
                sql += (" AND " if params else "") + f"rowid IN ({within[0]})"
                params += within[1]
            allowed = np.array(sorted(r for (r,) in db.execute(sql, params)), dtype="int64")
        terms = list(query.terms)
        if query.phrases and not query.folded:  # the phrase's words count in the ranking too
            terms += [s for p in query.phrases for s in _syllables(p)]
        return bm25.rank(index, terms, folded=query.folded, k=k, allowed=allowed)
    where, params = ("", []) if within is None else (f" AND rowid IN ({within[0]})", within[1])
    rows = db.execute(
        f"SELECT rowid, {_BM25} FROM passages_fts WHERE passages_fts MATCH ?{where}"
        f" ORDER BY {_BM25} LIMIT ?", (query.match, *params, k)).fetchall()
    return [(rowid, -score) for rowid, score in rows]
