"""Vietnamese syllable grammar, written once: is a word spelled like one syllable?

Two readers judge text by it: ``ingest/legacy.py`` scores candidate TCVN3/VNI decodings
(more syllables after decoding: the right encoding), ``ingest/pdf_reader.py`` scores a PDF
text layer (few syllables with a diacritic: a garbled layer, OCR'd instead). The shapes come
from the standard Vietnamese orthography tables (onsets, then rhymes written without tone).
Used only to score text, so rare loans are omitted.

>>> is_syllable("Nghiêng"), is_syllable("Quốc"), is_syllable("kem"), is_syllable("cem")
(True, True, True, False)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

_ONSETS = sorted("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(),
                 key=len, reverse=True) + [""]
_RHYMES = frozenset("""
    a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e eo ec em en eng ep et ê êu êch êm ên ênh êp êt
    i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
    o oi oc om on ong op ot oong ooc oa oai oao oay oac oach oam oan oang oanh oap oat
    oăc oăm oăn oăng oăt oe oeo oec oem oen oet ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u ua ui uc um un ung up ut uôc uôi uôm uôn uông uôt uân uâng uât uây uê uêch uênh
    uơ uy uya uyu uych uyn uynh uyp uyt uyên uyêt
    ư ưa ưi ưu ưc ưm ưn ưng ưt ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu
""".split())
_STOP_CODAS = ("p", "t", "c", "ch")  # such syllables take only the acute or dot-below tone


@lru_cache(maxsize=1 << 16)  # words repeat; a 10 MB corpus scores in ~2 s, benchmark changes
def is_syllable(word: str) -> bool:
    """Whether ``word`` is spelled like one Vietnamese syllable, in one consistent case."""
    if not (word.islower() or word.isupper() or word.istitle()):
        return False
    letters = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in letters if c in TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in letters if c not in TONE_MARKS))
    if bare.endswith(_STOP_CODAS) and tones[:1] not in (["\u0301"], ["\u0323"]):
        return False
    return any(bare.startswith(onset) and _rhyme_fits(onset, bare[len(onset):])
               for onset in _ONSETS)


def _rhyme_fits(onset: str, rhyme: str) -> bool:
    if onset == "gi":  # gi + ương = giương; gì, gìn share the i
        return rhyme in _RHYMES or "i" + rhyme in _RHYMES
    if onset == "qu":  # qu already holds the medial u: quốc, quyết, quynh
        return rhyme[:1] not in ("", "u", "o") and (rhyme in _RHYMES or "u" + rhyme in _RHYMES)
    if rhyme not in _RHYMES:
        return False
    front = rhyme[0] in "eêiy"
    if onset in ("c", "g", "ng"):  # spelled k, gh, ngh before e, ê, i
        return not front
    if onset in ("k", "gh", "ngh"):
        return front
    return True
