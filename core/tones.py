"""One tone-mark placement for the index: ``uỷ``/``ủy``, ``hoá``/``hóa`` map to one key.

Documents mix the "old" placement (hóa, thủy, ủy) and the "new" one (hoá, thuỷ, uỷ); a search
for one must find the other. The index and every query go through :func:`normalize_tones`;
the displayed text keeps the document's own spelling. We pick the old placement because it is
what most of the sample documents use (seed 000: "Đảng ủy Sở Y tế", "hóa").
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng

# Vietnamese letters by case, for regex character classes. A range such as "à-ỹ" is not a
# case class: Latin Extended Additional interleaves capitals and small letters (Ạ ạ Ả ả …).
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
_VOWELS = set("aăâeêioôơuưy")
_MODIFIED = set("ăâêôơư")  # vowels with a breve, circumflex or horn take the tone first
_WORD = re.compile(r"[^\W\d_]+")


def _tone_position(bare: str) -> int | None:
    """Index in ``bare`` (a syllable without tone mark) where the tone mark belongs."""
    low = bare.lower()
    start = 0
    # "qu" and "gi" + vowel: the u / i belong to the consonant (quý, giữ), not the vowel group.
    if low.startswith("qu") and len(low) > 2 and low[2] in _VOWELS:
        start = 2
    elif low.startswith("gi") and len(low) > 2 and low[2] in _VOWELS:
        start = 2
    idx = [i for i in range(start, len(low)) if low[i] in _VOWELS]
    if not idx:
        return None
    group = [idx[0]]
    for i in idx[1:]:  # the first contiguous run of vowels is the nucleus
        if i != group[-1] + 1:
            break
        group.append(i)
    modified = [i for i in group if low[i] in _MODIFIED]
    if modified:
        return modified[-1]  # ươ → ơ, uô → ô, iê → ê; ư in ưu, ưa
    if group[-1] + 1 < len(low):
        return group[-1]  # closed syllable: toán, hoàng, quốc
    if len(group) == 3:
        return group[1]  # ngoài, khuỷu
    return group[0]  # open syllable, old style: hóa, thủy, ủy, múa


def _fix_syllable(match: re.Match[str]) -> str:
    word = match.group(0)
    nfd = unicodedata.normalize("NFD", word)
    tones = [c for c in nfd if c in _TONE_MARKS]
    if len(tones) != 1:
        return word  # no tone, or not a Vietnamese syllable: leave it alone
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONE_MARKS))
    pos = _tone_position(bare)
    if pos is None:
        return word
    marked = unicodedata.normalize("NFC", bare[pos] + tones[0])
    return bare[:pos] + marked + bare[pos + 1 :]


def normalize_tones(text: str) -> str:
    """NFC text with every syllable's tone mark in one (old-style) place.

    >>> normalize_tones("Đảng uỷ Sở Y tế, hoá, thuỷ")
    'Đảng ủy Sở Y tế, hóa, thủy'
    """
    return _WORD.sub(_fix_syllable, unicodedata.normalize("NFC", text))


def _slow_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


# One C-level pass instead of NFD and a Python loop per character: search folds every
# candidate passage to compare near-duplicates, and the loop cost more than the query's
# embedding (bench/search.py). Latin letters with marks map to their base letter; combining
# marks (text that arrived decomposed) are dropped. Other characters are left as they are.
_FOLD = {ord(c): _slow_fold(c) for c in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)])
         if _slow_fold(c) != c}
_FOLD.update({code: None for code in range(0x300, 0x370)})


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d: what a user types without tone marks.

    >>> fold("Nghị định NĐ-CP")
    'nghi dinh nd-cp'
    """
    return text.lower().translate(_FOLD)
