"""Normalise text at the edge: every reader's output goes through here, once.

Legacy TCVN3/VNI glyph text becomes Unicode (``ingest/legacy.py``), then NFC, ``\n`` line
ends and one letter for ư, so nothing after the readers sees another form (STYLE.md,
practice 3).
"""

from __future__ import annotations

import unicodedata

from ingest.legacy import to_unicode

# "ƣ" for ư (corpus sct-laocai-1178); Icelandic "Ð" (U+00D0) for Đ (U+0110), from OCR and
# some fonts (corpus CV 2265 "QĐÐ"): Vietnamese has no other use for either.
_GLYPHS = str.maketrans({"ƣ": "ư", "Ƣ": "Ư", "Ð": "Đ"})


def normalize_text(text: str, encoding: str = "") -> tuple[str, str]:
    """(normalised text, encoding label): the label joins ``encoding`` and a legacy one.

    >>> normalize_text("Ch\u1ec9 th\u1ecb\r\n", "utf-8")
    ('Chỉ thị\n', 'utf-8')
    """
    text, legacy = to_unicode(text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_GLYPHS)
    return text, "+".join(part for part in (encoding, legacy) if part)
