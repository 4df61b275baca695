"""What the catalog holds, for the home page: documents by type, year and issuer, and the
documents most cited by the others (from the citation index)."""

from __future__ import annotations

from dataclasses import dataclass

from store.store import Store, snapshot


@dataclass(frozen=True)
class MostCited:
    key: str  # "01-KL/TW"
    date: str
    type_word: str
    issuer: str
    subject: str
    citing: int  # documents citing it


@dataclass(frozen=True)
class Overview:
    documents: int
    passages: int
    by_type: tuple[tuple[str, int], ...]  # most first; "" is unknown
    by_year: tuple[tuple[str, int], ...]  # oldest first; "" is undated
    by_issuer: tuple[tuple[str, int], ...]  # most first, at most ``top``
    most_cited: tuple[MostCited, ...]


@snapshot
def overview(store: Store, *, top: int = 10) -> Overview:
    db = store.db
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    passages = db.execute("SELECT count(*) FROM passages").fetchone()[0]
    by_type = db.execute("SELECT doc_type, count(*) n FROM documents GROUP BY doc_type"
                         " ORDER BY n DESC, doc_type").fetchall()
    by_year = db.execute("SELECT substr(date, 1, 4) y, count(*) FROM documents GROUP BY y"
                         " ORDER BY y = '', y").fetchall()
    by_issuer = db.execute("SELECT issuer, count(*) n FROM documents WHERE issuer != ''"
                           " GROUP BY issuer ORDER BY n DESC, issuer LIMIT ?", (top,)).fetchall()
    cited: list[MostCited] = []
    if store.has_citation_index():
        cited = [MostCited(*row) for row in db.execute(
            "SELECT r.key, r.date, r.type_word, r.issuer, r.subject,"
            " count(DISTINCT m.doc_id) n FROM ref_mentions m JOIN refs r ON r.ref_id = m.ref_id"
            " GROUP BY r.ref_id ORDER BY n DESC, r.key LIMIT ?", (top,))]
    return Overview(documents, passages, tuple(map(tuple, by_type)),
                    tuple(map(tuple, by_year)), tuple(map(tuple, by_issuer)), tuple(cited))
