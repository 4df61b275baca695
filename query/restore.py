"""Put the diacritics back on a query typed without them, from the corpus's own words.

e5 reads "ke hoach hoc tap" as another language (FINDINGS.md: dense MRR 0.02 on such
queries), so the dense leg embeds the restored query instead. The query's syllables are cut
into the corpus's words (``store/spellings.py``) by dynamic programming: each word scores its
log frequency, a syllable the corpus does not know keeps the user's spelling at a penalty, so
"ket nap dang vien" becomes "kết nạp đảng viên" — the segmentation that the corpus's own
usage makes most probable.
"""

from __future__ import annotations

import math
import re

from core.tones import fold
from store.store import Store

_MAX_WORD = 4  # syllables in the longest word considered (underthesea rarely makes longer)
# Log-probability cost of each extra word: without it two frequent one-syllable words beat
# the rarer compound they spell together ("báo nhiều" over "bao nhiêu").
_WORD_COST = 5.0  # measured: syllable accuracy 0.918 at 0, 0.949 at 4–6 (88 folded queries)
_TOKEN = re.compile(r"[^\W_]+")


def _candidates(db, keys: list[str]) -> dict[str, tuple[str, int]]:
    """The most frequent spelling of each folded key the corpus knows, with its count."""
    best: dict[str, tuple[str, int]] = {}
    for at in range(0, len(keys), 500):
        chunk = keys[at : at + 500]
        marks = ",".join("?" * len(chunk))
        for folded, word, count in db.execute(
                f"SELECT folded, word, n FROM spellings WHERE folded IN ({marks})", chunk):
            if count > best.get(folded, ("", 0))[1]:
                best[folded] = (word, count)
    return best


def _is_code(text: str, token: re.Match[str]) -> bool:
    """An acronym (GDP, QD) or a part of a document number (208-QD/TW, 15/2026/TT-BCT)."""
    typed = token.group(0)
    before = text[token.start() - 1 : token.start()]
    after = text[token.end() : token.end() + 1]
    return (len(typed) > 1 and typed.isupper()) or before in ("-", "/") or after in ("-", "/")


def restore_diacritics(store: Store, text: str) -> str:
    """``text`` with the corpus's most probable diacritics on its syllables. Text that has
    diacritics anywhere is returned as it is (the user chose them), and so is everything
    when the catalog has no spellings table yet. Case of a first letter is kept."""
    if fold(text) != text.lower():
        return text
    if not store.has_table("spellings"):
        return text
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return text
    syllables = [fold(t.group(0)) for t in tokens]
    keys = sorted({"_".join(syllables[i:j]) for i in range(len(syllables))
                   for j in range(i + 1, min(i + _MAX_WORD, len(syllables)) + 1)})
    known = _candidates(store.db, keys)
    total = sum(count for _w, count in known.values()) or 1
    unknown = math.log(0.5 / total)  # below any word seen once
    # best[i]: (log probability, words) of the best cut of the first i syllables
    best: list[tuple[float, list[str]]] = [(0.0, [])] + [(-math.inf, [])] * len(syllables)
    for end in range(1, len(syllables) + 1):
        for start in range(max(0, end - _MAX_WORD), end):
            key = "_".join(syllables[start:end])
            if key in known:
                word, count = known[key]
                score = math.log(count / total) - _WORD_COST
            elif end - start == 1:
                word, score = syllables[start], unknown - _WORD_COST
            else:
                continue
            candidate = best[start][0] + score
            if candidate > best[end][0]:
                best[end] = (candidate, [*best[start][1], word])
    restored = [s for word in best[-1][1] for s in word.split("_")]
    out, cursor = [], 0
    for token, spelled in zip(tokens, restored, strict=True):
        typed = token.group(0)
        if (fold(typed) != typed.lower() or not spelled.isalpha() or _is_code(text, token)):
            spelled = typed  # diacritics, digits, acronyms and symbols stay as typed
        elif typed[:1].isupper():
            spelled = spelled[:1].upper() + spelled[1:]
        out += [text[cursor : token.start()], spelled]
        cursor = token.end()
    return "".join([*out, text[cursor:]])
