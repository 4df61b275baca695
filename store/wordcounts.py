"""The ``spellings`` table (``store/spellings.py``) kept in step as documents come and go,
in the transaction that writes them: rebuilding it from the lexical index's vocabulary reads
the whole FTS5 index, 12 s at 1M passages, for a 30-passage document (bench/lexical.py).

Words are counted as the FTS5 ``words`` column counts them: the passage's underthesea
tokens, lower case, split where FTS5 splits them, letters only (``kế_hoạch``). A catalog
whose table was not in step before a write (never built, or left behind by a crash) is not
patched: its full rebuild is due anyway (``store/update.py``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from core.tones import fold

WORD = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)*")
# FTS5's unicode61 tokenizer with tokenchars '_-/.' (store/fts.py) splits a token at any
# other character: "https://…?usp=sharing" holds the words "https", "usp", "sharing"
_SEPARATOR = re.compile(r"[^\w\-/.]+")


def in_step(db) -> bool:
    """Whether the spellings table was built from the catalog as it is now."""
    rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN"
                           " ('passage_changes', 'built:spellings')"))
    return "built:spellings" in rows and rows["built:spellings"] == rows.get("passage_changes")


def adjust(db, token_lists: Iterable[Sequence[str]], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the words of passages given by their tokens."""
    counts = Counter(w for tokens in token_lists for t in tokens
                     for w in _SEPARATOR.split(t.lower()) if WORD.fullmatch(w))
    db.executemany(
        "INSERT INTO spellings VALUES (?, ?, ?) ON CONFLICT (folded, word)"
        " DO UPDATE SET n = n + excluded.n",
        [(fold(word), word, sign * n) for word, n in counts.items()])
    if sign < 0:
        db.executemany("DELETE FROM spellings WHERE folded = ? AND word = ? AND n <= 0",
                       [(fold(word), word) for word in counts])


def stored_tokens(db, doc_id: str) -> list[list[str]]:
    """The tokens of each stored passage of ``doc_id``."""
    return [tokens.split() for (tokens,) in db.execute(
        "SELECT tokens FROM passages WHERE doc_id = ?", (doc_id,))]
