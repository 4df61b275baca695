"""Lexical search: BM25 over the lexical index's columns (``store/fts.py``), by the
precomputed index (``store/bm25.py``) when it matches the catalog, by FTS5 otherwise; FTS5
always decides "quoted phrases"."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.tokenize import tokenize
from store import bm25
from store.fts import folded_terms, has_diacritics, syllables
from store.store import Store

# Column weights: a whole underthesea word counts twice a syllable; context as much as text.
_BM25 = "bm25(passages_fts, 2.0, 1.0, 1.0, 1.0, 1.0)"
_PHRASE = re.compile(r"\"([^\"]+)\"|“([^”]+)”")


def _quote(term: str) -> str:
    return '"' + term.replace('"', "") + '"'


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
    folded = not has_diacritics(text)
    parts = [f"syl : {_quote(' '.join(syllables(p)))}" for p in phrases if syllables(p)]
    phrase_match = " AND ".join(parts)
    if folded:
        terms = folded_terms(syllables(rest))
        column = "{folded context_folded}"
    else:
        terms = [t for t in tokenize(rest)] + syllables(rest)
        column = "{words syl context}"
    terms = list(dict.fromkeys(t for t in terms if t))
    if terms:
        parts.append(f"{column} : (" + " OR ".join(_quote(t) for t in terms) + ")")
    if not parts:
        return None
    return LexicalQuery(match=" AND ".join(parts), folded=folded, phrases=phrases,
                        terms=tuple(terms), phrase_match=phrase_match)


def search_lexical(store: Store, text: str, k: int = 50, *,
                   within: tuple[str, list] | None = None) -> list[tuple[int, float]]:
    """(passage rowid, score) of the best ``k`` passages; higher score is better.
    ``within`` is an SQL query and its parameters giving the passage ids allowed.

    Ranked by the precomputed BM25 index (``store/bm25.py``) when it matches the catalog;
    FTS5 ranks otherwise (same model, slower). FTS5 always decides quoted phrases.
    """
    query = build_query(text)
    if query is None:
        return []
    db = store.db
    index = store.bm25() if query.terms else None
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
            terms += [s for p in query.phrases for s in syllables(p)]
        return bm25.rank(index, terms, folded=query.folded, k=k, allowed=allowed)
    where, params = ("", []) if within is None else (f" AND rowid IN ({within[0]})", within[1])
    rows = db.execute(
        f"SELECT rowid, {_BM25} FROM passages_fts WHERE passages_fts MATCH ?{where}"
        f" ORDER BY {_BM25} LIMIT ?", (query.match, *params, k)).fetchall()
    return [(rowid, -score) for rowid, score in rows]
