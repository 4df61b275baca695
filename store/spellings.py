"""The corpus's own spellings: each word of the lexical index under its form without
diacritics, with how often it occurs, so a query typed without tone marks can be restored
(``query/restore.py``) before the dense leg reads it.

Derived from the FTS5 index's vocabulary (``fts5vocab``) of the ``words`` column, which
holds underthesea words (``kế_hoạch``): a multi-syllable word restores its syllables
together, which is what tells "ke hoach" (kế hoạch) from a guess per syllable. Rebuilt
whole when it is not in step with the catalog (under a second at corpus scale, 12 s at 1M);
otherwise each document written patches it in its own transaction (``store/wordcounts.py``).
"""

from __future__ import annotations

from core.tones import fold
from store.catalog import mark_built
from store.wordcounts import WORD

_TABLE = """
DROP TABLE IF EXISTS spellings;
CREATE TABLE spellings (folded TEXT NOT NULL, word TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (folded, word)) WITHOUT ROWID;
"""


def rebuild(db) -> int:
    """Recompute the ``spellings`` table from the lexical index; the number of words."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab"
               " USING fts5vocab(main, passages_fts, 'col')")
    rows = db.execute("SELECT term, cnt FROM temp.fts_vocab WHERE col = 'words'").fetchall()
    words = [(fold(term), term, count) for term, count in rows if WORD.fullmatch(term)]
    with db:  # one transaction: readers see the old table or the new (citation_index.py)
        db.executescript("BEGIN IMMEDIATE;" + _TABLE)
        db.executemany("INSERT INTO spellings VALUES (?, ?, ?)", words)
        mark_built(db, "spellings")
    return len(words)
