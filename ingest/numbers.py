"""Document numbers as written, and their canonical keys.

Party numbers ``01-KL/TW``, state numbers ``146/2025/NĐ-CP``, laws ``69/2025/QH15`` and other
agencies' symbols, as the citation extractor (``ingest/citations.py``) finds them in text;
:func:`canonical` gives the one key a number is indexed and looked up by, however it was
typed.

>>> canonical("Kết luận số 01/KL/TW"), canonical("Nghị quyết 3/NQ-CP")
('01-KL/TW', '03/NQ-CP')
"""

from __future__ import annotations

import re
import unicodedata

from core.vocabulary import CODE_TYPES, MIXED_CASE_CODES

# Hyphens as typed: "-", en dash, and the non-breaking hyphen Word inserts (U+2011, corpus:
# "296‑QĐ/TW" in the Lương Minh hướng dẫn).
_H = "[-–‐‑]"
PARTY_RE = re.compile(
    rf"(?<![\w/.])(\d{{1,5}})\s*(?:{_H}|/)\s*([A-ZĐ][A-Za-zĐđ]{{0,5}})\s*/\s*"
    rf"([A-ZĐ][A-ZĐ0-9]{{0,11}})(?![\w/]|{_H})")
STATE_RE = re.compile(
    rf"(?<![\w/.])(\d{{1,5}}[a-z]?)(?:/(\d{{4}}))?/([A-ZĐ][A-Za-zĐđ]{{0,7}})\s?{_H}\s?"
    rf"([A-ZĐ][A-Za-zĐđ0-9&]{{0,14}}(?:{_H}[A-ZĐ][A-Za-zĐđ0-9&]{{0,14}})*)(?![\w/&])")
# Laws and resolutions numbered "<n>/<year>/<issuer>": 69/2025/QH15, 101/2025/UBTVQH15.
LAW_RE = re.compile(r"(?<![\w/.])(\d{1,5})/(\d{4})/([A-ZĐ][A-ZĐ]{0,8}\d{0,2})(?![\w/]|[-–‐‑])")
# Any other symbol, which citations take only right after "<type word> số": company and
# agency letters ("Văn bản số 12/YH/KT-TC", "Biên bản … số 01.KCN/BB-VPHC", corpus KH 3957
# and BC 04 đơn vị).
GENERIC_RE = re.compile(
    r"(?<![\w/.])(\d{1,5}(?:\.[0-9A-ZĐ]{1,6})?[a-z]?)/((?:[\wĐđ]+[./-])*[\wĐđ]+)")


def pad(number: str) -> str:
    if not number.isdigit():
        return number  # "2074a", "24.6": written as they are
    return (number.lstrip("0") or "0").zfill(2)


def spell_code(code: str) -> str:
    """Standard spelling of a code: upper case, but the conventional "TTg", "QĐi", "CTr",
    and a company's own mixed case ("Cty", "HCMTBa") as written."""
    up = code.upper()
    if up in MIXED_CASE_CODES:
        return MIXED_CASE_CODES[up]
    return up if code in (up, code.lower()) else code


# A Party body's code: the Central Committee and its organs ("TW", "BTGTW"), a province's,
# district's or Party committee's ("TU", "HU", "ĐU", "QU", "ĐUK", "BTGTU")
_PARTY_BODY = re.compile(r"(?:[A-ZĐ]{0,6}(?:TW|TƯ|TU|HU|ĐU|QU)|ĐUK|ĐĐQH\d*)")
# a state symbol typed without the hyphen between type and issuer: "27/CTTg", "15/QĐUBND"
_TYPES = "|".join(sorted((c for c in CODE_TYPES if c.isupper()), key=len, reverse=True))
_JOINED = re.compile(rf"(?<![\w/.])(\d{{1,5}})/({_TYPES})(T?Tg|CP|UBND|HĐND)(?![\w/-])")


def _state_key(number: str, year: str, type_code: str, issuer: str) -> str:
    issuer = "-".join(spell_code(part) for part in re.split(_H, issuer))
    if not year and _PARTY_BODY.fullmatch(issuer) and spell_code(type_code) in CODE_TYPES:
        # "27/NQ- TW": a Party number written state-style is the Party's "27-NQ/TW"
        return f"{pad(number)}-{spell_code(type_code)}/{issuer}"
    if year and spell_code(type_code) == "NQ" and re.fullmatch(r"QH\d+", issuer):
        return f"{pad(number)}/{year}/{issuer}"  # Quốc hội numbers its resolutions N/YYYY/QH15
    return f"{pad(number)}/{year + '/' if year else ''}{spell_code(type_code)}-{issuer}"


def canonical(number_text: str) -> str:
    """Canonical key of a written number: "01/KL/TW" → "01-KL/TW", "3/NQ-CP" → "03/NQ-CP".

    "" when the text holds no document number.
    """
    text = unicodedata.normalize("NFC", number_text.strip())
    if m := LAW_RE.search(text):
        return f"{pad(m.group(1))}/{m.group(2)}/{m.group(3)}"
    if m := STATE_RE.search(text):
        return _state_key(m.group(1), m.group(2) or "", m.group(3), m.group(4))
    if m := PARTY_RE.search(text):
        return f"{pad(m.group(1))}-{spell_code(m.group(2))}/{m.group(3).upper()}"
    if m := _JOINED.search(text):  # "CTTg": the type's T and the issuer's run together
        issuer = "TTg" if m.group(3) in ("Tg", "TTg") else m.group(3)
        return _state_key(m.group(1), "", m.group(2), issuer)
    if (m := GENERIC_RE.search(text)) and re.search(r"[A-ZĐ]", m.group(2)):
        return f"{pad(m.group(1))}/{m.group(2)}"
    return ""
