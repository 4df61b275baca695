"""Turn TCVN3 (ABC) and VNI "glyph soup" back into Unicode Vietnamese.

Files typed in the legacy 8-bit fonts (.VnTime/.VnTimeH for TCVN3, VNI-Times for VNI) store
Vietnamese letters at Latin-1 code points, so once decoded they read as
``Céng hßa x· héi`` (TCVN3) or ``Coäng hoøa xaõ hoäi`` (VNI) for ``Cộng hòa xã hội``.

>>> to_unicode("§éc lËp - Tù do - H¹nh phóc")
('Độc lập - Tự do - Hạnh phúc', 'tcvn3')
>>> to_unicode("Độc lập - Tự do - Hạnh phúc")
('Độc lập - Tự do - Hạnh phúc', '')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.syllables import is_syllable

# No tone, then acute, grave, hook above, tilde, dot below: the order of every table below.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

# TCVN 5712:1993 VN3, the "ABC" fonts: one code point per letter. Groups follow the order
# base, acute, grave, hook, tilde, dot below (a bare ASCII base is not listed). Checked
# against glibc iconv "TCVN5712-1", whose 0xA1-0xFF half is VN3, and the ABC font charts.
# Capitals with a tone have no code: .VnTimeH draws them at the lower-case codes, see
# _restore_capitals.
_TCVN3_SOUP = ("¸µ¶·¹ ¨¾»¼½Æ ©ÊÇÈÉË ® ÐÌÎÏÑ ªÕÒÓÔÖ Ý×ØÜÞ ãßáâä «èåæçé ¬íêëìî óïñòô "
               "\xadøõö÷ù ýúûüþ ¡¢£¤¥¦§")
_TCVN3_UNICODE = ("áàảãạ ăắằẳẵặ âấầẩẫậ đ éèẻẽẹ êếềểễệ íìỉĩị óòỏõọ ôốồổỗộ ơớờởỡợ úùủũụ "
                  "ưứừửữự ýỳỷỹỵ ĂÂÊÔƠƯĐ")
_TCVN3 = str.maketrans(_TCVN3_SOUP.replace(" ", ""), _TCVN3_UNICODE.replace(" ", ""))
_TCVN3_CAPITALS = frozenset("¡¢£¤¥¦§")
# VN3 0xB0-0xB4 are combining tone marks, typed after the vowel.
_TCVN3_TONES = dict(zip("³°±²´", _TONES[1:], strict=True))
_TCVN3_TONE_AFTER_VOWEL = re.compile(r"(?<=[aăâeêioôơuưyAĂÂEÊIOÔƠUƯY])[°±²³´]")

# VNI Windows (VNI-Times): a base letter followed by one mark character, as in the VNI
# font chart (also xvnkb's vni.h). Marks come in three rows: tone alone, circumflex + tone,
# breve + tone; capital marks are the small ones minus 0x20 (ù/Ù, á/Á).
_VNI_MARKS = {
    **dict(zip("ùøûõï", _TONES[1:], strict=True)),
    **{m: "\u0302" + t for m, t in zip("âáàåãä", _TONES, strict=True)},
    **{m: "\u0306" + t for m, t in zip("êéèúüë", _TONES, strict=True)},
}
_VNI_MARKS |= {m.upper(): combining for m, combining in _VNI_MARKS.items()}
_VNI_MARK = re.compile(
    "(?<=[aeoAEO])[âáàåãäÂÁÀÅÃÄ]"  # circumflex only on a, e, o
    "|(?<=[aA])[êéèúüëÊÉÈÚÜË]"  # breve only on a
    "|(?<=[aeouyAEOUYôöÔÖ])[ùøûõïÙØÛÕÏ]"  # tones; ô/ö are VNI's ơ/ư; i has its own letters
)
# Letters VNI stores as one code point: đ, ư, ơ, toned i, and ỵ.
_VNI_LETTERS = str.maketrans("ñÑöÖôÔæÆóÓòÒîÎ", "đĐưƯơƠỉỈĩĨịỊỵỴ")

# A word: ASCII letters, anything in Latin-1's upper half (soup letters include ¸ · ¬ and the
# soft hyphen, TCVN3's ư), Latin extended letters and combining marks. Digits split words.
_WORD = re.compile(r"[A-Za-z\u00a1-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]+")
# Letters only Unicode Vietnamese has; soup decoded from 8-bit bytes can never contain them,
# so a stretch holding one is real Unicode and is left alone.
_VIETNAMESE_UNICODE = re.compile(r"[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_LATIN1_HIGH = re.compile(r"[\u00a1-\u00ff]")
# Decisions are taken per line, per table cell (antiword draws cells with "|") and per page.
_SEGMENT_BREAK = re.compile(r"([\n\r\f\t|]+)")

# An encoding is chosen only when decoding turns at least _MIN_GAIN more distinct words into
# syllables, a quarter of the words it alters, and most words (acronyms aside) then read as
# Vietnamese. Beside Unicode text, each line must also gain _MIN_GAIN words on its own.
_MIN_GAIN = 2
_ENCODINGS = ("tcvn3", "vni")
_MIN_GAIN_PER_CHANGED = 0.25
_MIN_VIETNAMESE_SHARE = 0.6


@dataclass(frozen=True)
class _Decoding:
    """One stretch of text decoded one way, with the evidence for and against it."""

    text: str
    changed: tuple[tuple[str, str], ...]  # (before, after) of each altered word with a letter
    syllables: int  # words that are syllables after decoding
    words: int  # words counted (all-capital non-syllables such as UBND left out)

    @property
    def gain(self) -> int:
        """Syllables after minus syllables before, over the altered words."""
        return sum(is_syllable(new) - is_syllable(old) for old, new in self.changed)


def to_unicode(text: str) -> tuple[str, str]:
    """Detect TCVN3 / VNI glyph soup in already-decoded text and convert it to Unicode NFC.

    Returns (text, encoding) where encoding is "tcvn3", "vni" or "" when the text was left
    as is. Lines, table cells and pages are decided one by one, so Unicode lines in a
    mixed document are kept. Separators (newlines, tabs, "|", form feeds) are kept, but
    lengths change (VNI spends two characters on a letter): convert before taking spans or
    page starts.

    >>> to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
    ('Cộng hòa xã hội chủ nghĩa Việt Nam', 'vni')
    """
    text = unicodedata.normalize("NFC", text)
    if not _LATIN1_HIGH.search(text):
        return text, ""
    parts = _SEGMENT_BREAK.split(text)  # odd indexes hold the separators
    candidates = [i for i in range(0, len(parts), 2)
                  if _LATIN1_HIGH.search(parts[i]) and not _VIETNAMESE_UNICODE.search(parts[i])]
    decodings = {e: [_decode(parts[i], e) for i in candidates] for e in _ENCODINGS}
    encoding = _choose_encoding(decodings)
    if not encoding:
        return text, ""
    # Soup cannot hold Unicode-only letters: without any, the whole file is legacy and every
    # stretch that does not get worse is converted. Beside real Unicode a stretch must win on
    # its own, by two words, so a lone "5 ÷ 10" or "µm" cell in a Unicode table stays.
    # A stretch the other encoding reads better is pasted from elsewhere and is left alone.
    mixed = _VIETNAMESE_UNICODE.search(text) is not None
    (other,) = set(_ENCODINGS) - {encoding}
    converted = False
    for k, (i, d) in enumerate(zip(candidates, decodings[encoding], strict=True)):
        keep = (d.gain >= _MIN_GAIN and d.syllables >= _MIN_VIETNAMESE_SHARE * d.words
                if mixed else d.gain >= 0)
        if keep and d.gain >= decodings[other][k].gain and d.text != parts[i]:
            parts[i] = d.text
            converted = True
    return ("".join(parts), encoding) if converted else (text, "")


def _choose_encoding(decodings: dict[str, list[_Decoding]]) -> str:
    """The encoding that makes the candidate stretches clearly more Vietnamese, or "".

    Evidence is counted over distinct words, so one symbol repeated in a Unicode table
    (sct-laocai-tt-34-2026: hundreds of "5 ÷ 10" cells, ÷ being TCVN3's ữ) counts once.
    """
    gains = {}
    for encoding, decoded in decodings.items():
        changed = {pair for d in decoded for pair in d.changed}
        gain = sum(is_syllable(new) - is_syllable(old) for old, new in changed)
        if (gain >= _MIN_GAIN
                and gain >= _MIN_GAIN_PER_CHANGED * len(changed)
                and sum(d.syllables for d in decoded)
                >= _MIN_VIETNAMESE_SHARE * sum(d.words for d in decoded)):
            gains[encoding] = gain
    ranked = sorted(gains.items(), key=lambda item: item[1], reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return ""  # nothing reads clearly better, or both read equally well
    return ranked[0][0]


def _decode(segment: str, encoding: str) -> _Decoding:
    """Decode one stretch word by word and score it against the original."""
    before = _WORD.findall(segment)
    convert = _tcvn3_word if encoding == "tcvn3" else _vni_word
    after = [convert(w) for w in before]
    if encoding == "tcvn3":
        after = _restore_capitals(before, after)
    pieces = _WORD.split(segment)  # the text between words, len(before) + 1 pieces
    out = [pieces[0]]
    changed = []
    syllables = words = 0
    for old, new, tail in zip(before, after, pieces[1:], strict=True):
        out += [new, tail]
        if not any(c.isalpha() for c in old):
            continue  # symbols alone (÷ × ·) are no evidence either way
        ok = is_syllable(new)
        syllables += ok
        words += ok or not (old.isascii() and old.isupper())
        if new != old:
            changed.append((old, new))
    return _Decoding("".join(out), tuple(changed), syllables, words)


def _tcvn3_word(word: str) -> str:
    word = word.translate(_TCVN3)
    word = _TCVN3_TONE_AFTER_VOWEL.sub(lambda m: _TCVN3_TONES[m.group()], word)
    return unicodedata.normalize("NFC", word)


def _vni_word(word: str) -> str:
    word = _VNI_MARK.sub(lambda m: _VNI_MARKS[m.group()], word)  # before ô/ö become ơ/ư
    return unicodedata.normalize("NFC", word.translate(_VNI_LETTERS))


def _restore_capitals(before: list[str], after: list[str]) -> list[str]:
    """Upper-case words typed in .VnTimeH, which draws capitals at the lower-case code points.

    With caps lock on, ``CéNG HOµ X· HéI`` shows the case in its ASCII letters only. A word
    with too few of them (``X·``, ``Bé``) follows its next-door words: upper only when each
    that shows a case is upper, so ``Bé ChÝnh trÞ`` stays ``Bộ Chính trị`` and ``Sè 232 -
    KH/HU`` stays ``Số``: the acronym between them says nothing.
    """
    shown = [_shown_case(w) for w in before]
    cases: list[str | None] = []
    for i, case in enumerate(shown):
        if case is None:
            left = cases[i - 1] if i > 0 else None  # decided: a run (T£ TÕ TÒ) follows its head
            right = shown[i + 1] if i + 1 < len(shown) else None
            sides = [c for c in (left, right) if c]
            case = "upper" if sides and all(c == "upper" for c in sides) else None
        cases.append(case)
    return [w.upper() if c == "upper" else w for w, c in zip(after, cases, strict=True)]


def _shown_case(word: str) -> str | None:
    """"upper" / "lower" when a soup word shows its case, else None.

    Case shows in ASCII letters and in VN3's own capitals (¡ ¢ £ ¤ ¥ ¦ §, i.e. Ă Â Ê Ô Ơ Ư
    Đ); two capitals and no small ASCII letter make a capital word (T£ is TÊ, §Ó is Để).
    """
    if any(c.isascii() and c.islower() for c in word):
        return "lower"
    capitals = sum(c.isascii() and c.isupper() or c in _TCVN3_CAPITALS for c in word)
    # All-capital acronyms (UBND) say nothing about the line's case; capital syllables do.
    if capitals >= 2 and (not word.isascii() or is_syllable(word)):
        return "upper"
    return None
