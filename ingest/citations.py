"""Citations: every reference one document makes to another, with its span and relation.

Works on the cleaned, un-segmented text (``ingest/clean.py`` has already rejoined numbers
split by line breaks). Party numbers ``01-KL/TW``, state numbers ``146/2025/NĐ-CP``, laws
``69/2025/QH15``, short back-references (``Kết luận 01``) and named references without a
number (``Nghị quyết Đại hội XIII của Đảng``). Identity across documents (dates, terms,
local issuers) is the citation index's job; here ``key`` is the canonical number.

>>> [c.key for c in extract_citations("d", "Thực hiện Kết luận số 01- KL/TW, ngày 18/5/2021")]
['01-KL/TW']
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

from core.records import Citation
from core.tones import UPPER, normalize_tones
from core.vocabulary import CITED_WORDS
from ingest.numbers import GENERIC_RE, LAW_RE, PARTY_RE, STATE_RE, canonical, pad, spell_code

# Type words in alternation order ("Chương trình hành động" before "Chương trình").
_TYPE_RE = "|".join(re.escape(w) for w in CITED_WORDS)

_AFTER_SO = re.compile(rf"(?i)(?:{_TYPE_RE})[^;\n\d]{{0,40}}?\bsố\s*:?\s*$")
_YEAR_KEY = re.compile(r"^[^/]+/\d{4}/")
_TEMPLATE = re.compile(r"(?i)\bmẫu\s*(?:số)?\s*:?\s*$")
# The type word right before a number: "Kết luận số 01-KL/TW", "kế hoạch số: 122-KH/HU".
_BEFORE = re.compile(rf"(?i)({_TYPE_RE})(?:\s+(?:số|số hiệu))?\s*:?\s*$")
# A law names itself before its number: "Luật Bầu cử đại biểu Quốc hội … số 85/2015/QH13".
_LAW_BEFORE = re.compile(r"(Luật|Bộ luật|Nghị quyết)\b[^;.\n]{0,160}?\s+số\s*$")
_SHORT = re.compile(
    rf"(?i)\b({_TYPE_RE})\s+(?:số\s+)?0*(\d{{1,4}})(?![\d/\-–.,]?\d|\s*[-–/]\s*[A-ZĐ])")
_NAMED = re.compile(
    r"(?:Nghị quyết|Văn kiện)\s+(?:"
    r"Đại hội(?: đại biểu)?(?: toàn quốc)?(?: lần thứ)? [IVXLC]+\b(?: của Đảng)?"
    r"|Đại hội (?:đại biểu )?Đảng bộ (?:tỉnh|huyện|thành phố|xã) [^,;.()\n]{1,40}?"
    r"(?:lần thứ [IVXLC]+|nhiệm kỳ \d{4} ?[-–] ?\d{4})"
    r"|Hội nghị (?:lần thứ \w+ )?(?:Ban Chấp hành )?Trung ương (?:\d+ )?khóa [IVXLC]+"
    r"|Trung ương \d+ khóa [IVXLC]+)")

_DATE_NUM = re.compile(r"^\s*,?\s*(?:ban hành\s+)?(?:ngày\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})"
                       r"\s*[/.-]\s*(\d{4})")
_DATE_WORDS = re.compile(r"^\s*,?\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_ISSUER = re.compile(
    rf"^\s*(?:của|do)\s+(.+?)(?=\s*\(|\s+kh[oó]a\b|\s+khoá\b|\s+về\b|\s+“|\s+\"|[,;:.]|"
    rf"\s+và\s+(?:{_TYPE_RE})\b|"
    r"\s+(?:nhiệm kỳ|giai đoạn|năm|ban hành|quy định|hướng dẫn|thực hiện|tại)\b|$)")
_TERM = re.compile(r"^[^;\n]{0,20}?\(?\s*kh[oó]a\s+([IVXLC]+)\b"
                   r"|^[^;\n]{0,20}?\(?khoá\s+([IVXLC]+)\b")
# The subject opens with "về …" or, with no "về", with what the cited plan carries out
# (seed 000: "Kế hoạch số 509-KH/ĐUK, ngày 13/12/2021 của Đảng ủy Sở Y tế thực hiện Kết luận…").
_SUBJECT = re.compile(r"^\s*,?\s*(?=(?:tiếp tục\s+)?(?:thực hiện|triển khai)\b)"
                      r"|^[^;\n]{0,120}?\s(?:về|V/v)\s+(?:việc\s+)?")
# Central bodies whose name is complete as written: anything glued after them is not theirs
# (seed 000: "của Bộ Chính trị Các cấp ủy …", a heading run into its first sentence).
_BODIES = ("Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương Đảng", "Ban Chấp hành Trung "
           "ương", "Chính phủ", "Thủ tướng Chính phủ", "Quốc hội", "Ủy ban Thường vụ Quốc hội")
# Where a clause ends: a semicolon, a line end, a sentence end, or ", " before a capitalised
# word that does not open another reference ("…, Đảng uỷ Sở Y tế ban hành kế hoạch").
_CLAUSE_END = re.compile(
    rf";|\n|\.\s+(?=[{UPPER}])|:\s|,\s+(?=[{UPPER}])(?!(?:{_TYPE_RE})\b)")
# "… về việc kiểm tra … và Thông báo số 2948/TT-ĐKT": "và" then a numbered reference starts a
# new item (corpus BC 04 đơn vị), unless the subject lists what the cited plan carries out
# ("thực hiện Kết luận số 75-KL/TW … và Chương trình hành động số 31-CTr/TW", CV 2449).
_AND_NEXT = re.compile(rf"\s+và\s+(?=(?:{_TYPE_RE})(?:\s+\w+){{0,3}}\s+số\s*\d)")
_PREAMBLE_END = re.compile(
    r"(?m)^(?:[IVXLC]+\s*[.\-–)]|\d{1,2}\s*[.\-–)]\s|Điều \d|Chương [IVXLC\d])")
_IMPLEMENTS_LEAD = re.compile(r"(?i)^(?:\(?\s*)?(?:tiếp tục\s+)?(?:thực hiện|triển khai)\b")
_IMPLEMENTS_BEFORE = re.compile(r"(?i)\b(?:thực hiện|triển khai(?: thực hiện)?)\s*$")
_BASIS_LEAD = re.compile(r"(?i)^\s*[-–]?\s*căn cứ\b")
# The citing document changes the cited one (issue 16): "Quyết định này thay thế Quyết định
# số …", "Điều 2. Sửa đổi, bổ sung một số điều của Nghị định số …", "… bãi bỏ Thông tư số
# …". The verb's subject is the document itself ("này") or an article of it, and the cited
# number follows the verb closely; "căn cứ Luật sửa đổi, bổ sung …" is a basis.
_BY_ITSELF = (r"(?:\bnày\b[^.;\n]{0,80}?|ban hành\s+(?:Luật|Nghị định|Thông tư|Quyết định)\s+"
              r"|^\W*(?:Điều\s+\d+[a-z]?\.\s*|\d{1,2}\.\s*|[a-zđ]\)\s*)?)")
# "Luật … số 14/2017/QH14 … hết hiệu lực kể từ ngày Luật này có hiệu lực": the document
# takes the place of the one whose end it sets
_EXPIRES = re.compile(r"(?i)[^.;\n]{0,300}?hết hiệu lực[^.;\n]{0,80}?\bnày\b")
# nothing before it but a marker, or a law's name ("Luật Hóa chất số 06/2007/QH12")
_OPENS = re.compile(r"^\W*(?:\d{1,2}\.\s*|[a-zđ]\)\s*)?"
                    r"(?:(?:Luật|Bộ luật)[^.;\n]{0,160}?\s+số\s*)?$")

CHANGES = (
    ("replaces", re.compile(rf"(?i){_BY_ITSELF}thay thế(?:\s+cho)?[^.;\n]{{0,30}}$")),
    ("abolishes", re.compile(rf"(?i){_BY_ITSELF}bãi bỏ[^.;\n]{{0,60}}$")),
    ("amends", re.compile(rf"(?i){_BY_ITSELF}sửa đổi,?\s*bổ sung[^.;\n]{{0,60}}$")),
    # the enacting formula of an amending law: "Quốc hội ban hành Luật sửa đổi, bổ sung một
    # số điều của Luật Bầu cử … số 85/2015/QH13"
    ("amends", re.compile(r"(?i)ban hành\s+(?:Luật|Nghị định|Thông tư)\s+sửa đổi,?\s*bổ sung"
                          r"[^.;\n]{0,200}$")),
)


def _type_word(text: str, start: int) -> tuple[str, int]:
    """The type word written just before ``start`` and where it begins."""
    window = text[max(0, start - 40) : start]
    m = _BEFORE.search(window)
    if not m:
        return "", start
    word = m.group(1)
    canonical_word = next(w for w in CITED_WORDS if w.lower() == word.lower())
    return canonical_word, start - len(window) + m.start()


def _clause_end(text: str, start: int, *, at_and: bool = True) -> int:
    limit = min(len(text), start + 600)
    ends = [m.start() for m in (_CLAUSE_END.search(text, start, limit),
                                _AND_NEXT.search(text, start, limit) if at_and else None) if m]
    return min(ends, default=limit)


def _iso(day: str, month: str, year: str) -> str:
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _details(text: str, end: int, following: int) -> tuple[str, str, str, str, tuple[int, int]]:
    """(date, issuer, term, subject, subject span) written after a number ending at ``end``.

    Date, issuer and the start of the subject must come before ``following``, the start of
    the next citation; the subject itself may run over nested citations to the clause end.
    """
    rest_end = _clause_end(text, end)
    rest = text[end : min(rest_end, max(following, end))]
    date = ""
    cursor = 0
    if m := (_DATE_NUM.match(rest) or _DATE_WORDS.match(rest)):
        date = _iso(m.group(1), m.group(2), m.group(3))
        cursor = m.end()
    issuer = ""
    if m := _ISSUER.match(rest[cursor:]):
        issuer = re.sub(r"\s+và$", "", m.group(1).strip())
        body = next((b for b in _BODIES if issuer.startswith(b + " ")), "")
        if body and issuer[len(body) + 1 : len(body) + 2].isupper():
            issuer = body
        cursor += m.end()
    term = ""
    if m := _TERM.match(rest[cursor:]):
        term = m.group(1) or m.group(2)
    subject, span = "", (0, 0)
    if m := _SUBJECT.match(rest[cursor:]):
        s_start = end + cursor + m.end()
        if _IMPLEMENTS_LEAD.match(text[s_start : s_start + 30]):
            rest_end = _clause_end(text, end, at_and=False)
        rest_end = max(rest_end, s_start)
        subject = text[s_start:rest_end].strip(" ,“”\"")
        span = (s_start, rest_end)
    return date, issuer, term, subject, span


def _numbered(doc_id: str, text: str, own: str
              ) -> tuple[list[Citation], dict[int, tuple[int, int]]]:
    """Numbered citations, and the span of each one's subject phrase by citation start."""
    matches: list[tuple[re.Match[str], str, str, int]] = []  # (match, kind, type word, start)
    taken: list[tuple[int, int]] = []
    for kind, pattern in (("law", LAW_RE), ("state", STATE_RE), ("party", PARTY_RE),
                          ("generic", GENERIC_RE)):
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            before = text[max(0, m.start() - 60) : m.start()]
            if _TEMPLATE.search(before):
                continue  # "Mẫu số 01/BCĐBHĐND-MT" names a form, not a document
            if kind == "generic" and (not _AFTER_SO.search(before)
                                      or not re.search(r"[A-ZĐ]", m.group(2))):
                continue
            taken.append((m.start(), m.end()))
            word, start = _type_word(text, m.start())
            if kind == "law" and not word:
                law = _LAW_BEFORE.search(text[max(0, m.start() - 200) : m.start()])
                word = law.group(1) if law else "Luật"
            matches.append((m, kind, word, start))
    matches.sort(key=lambda item: item[3])
    found: list[Citation] = []
    subjects: dict[int, tuple[int, int]] = {}
    for i, (m, kind, word, start) in enumerate(matches):
        key = canonical(m.group(0))
        if not key or key == own:
            continue  # the document's own number is not a citation of itself
        if kind == "party":
            type_code, issuer_code = spell_code(m.group(2)), m.group(3).upper()
        elif kind == "law":
            type_code, issuer_code = "", m.group(3)
        elif kind == "generic":
            parts = re.split(r"[/-]", m.group(2))
            type_code, issuer_code = parts[0], parts[-1] if len(parts) > 1 else ""
        else:
            type_code, issuer_code = spell_code(m.group(3)), m.group(4)
        following = matches[i + 1][3] if i + 1 < len(matches) else len(text)
        date, issuer, term, subject, span = _details(text, m.end(), following)
        subjects[start] = span
        found.append(Citation(
            doc_id=doc_id, start=start, end=m.end(),
            # "27/NQ- TW" typed state-style keys as the Party's "27-NQ/TW" (numbers.py)
            kind="party" if kind == "party" or re.fullmatch(r"[^/]+-[^/]+/[^/]+", key)
            else "state",
            key=key, type_word=word, type_code=type_code, number=pad(m.group(1)),
            issuer_code=issuer_code, date=date, issuer=issuer, term=term, subject=subject))
    return found, subjects


def _word_key(word: str) -> str:
    return normalize_tones(word.lower())


def _short(doc_id: str, text: str, full: list[Citation]) -> list[Citation]:
    """Back-references ("Kết luận 01", "Chỉ thị 05") resolved to an earlier full mention."""
    out = []
    for m in _SHORT.finditer(text):
        if any(c.start <= m.start() < c.end for c in full):
            continue
        word, number = _word_key(m.group(1)), pad(m.group(2))
        earlier = [c for c in full if c.start < m.start() and c.number == number
                   and _word_key(c.type_word) == word]
        if not earlier:
            continue  # "Kế hoạch 2025" or a first mention without number: not a reference
        target = earlier[-1]
        canonical_word = next(w for w in CITED_WORDS if w.lower() == m.group(1).lower())
        out.append(Citation(
            doc_id=doc_id, start=m.start(), end=m.end(), kind="short", key=target.key,
            type_word=canonical_word, type_code=target.type_code, number=number,
            issuer_code=target.issuer_code))
    return out


def _named(doc_id: str, text: str) -> list[Citation]:
    return [Citation(doc_id=doc_id, start=m.start(), end=m.end(), kind="named",
                     key=" ".join(normalize_tones(m.group(0)).split()),
                     type_word=m.group(0).split(" ")[0] + " " + m.group(0).split(" ")[1])
            for m in _NAMED.finditer(text)]


def _relations(text: str, cites: list[Citation],
               spans: dict[int, tuple[int, int]]) -> list[Citation]:
    """implements / basis / replaces / abolishes / amends / mentions, and which citation's
    subject each one sits in."""
    subjects = [(spans[c.start], c.key) for c in cites
                if c.kind in ("party", "state") and c.start in spans
                and spans[c.start][1] > spans[c.start][0]]
    preamble = _PREAMBLE_END.search(text)
    preamble_end = preamble.start() if preamble else min(len(text), 3000)
    out = []
    for c in cites:
        holders = [key for (a, b), key in subjects if a <= c.start < b and key != c.key]
        inside = holders[-1] if holders else ""
        line_start = text.rfind("\n", 0, c.start) + 1
        line = text[line_start : c.start]
        relation = "mentions"
        cut = max(line.rfind(". "), line.rfind("; "))
        sentence = line[cut + 2 :] if cut >= 0 else line
        changes = next((name for name, pattern in CHANGES if pattern.search(sentence)), "")
        if not changes and _OPENS.match(sentence) and _EXPIRES.match(text, c.end):
            changes = "replaces"  # the sentence opens with it and sets its end
        if c.kind != "named" and _BASIS_LEAD.match(line):
            relation = "basis"  # a whole "Căn cứ" clause is the basis, nested mentions too
        elif c.kind != "named" and changes:
            relation = changes
        elif c.kind != "named" and not inside:
            if c.start < preamble_end and (
                    _IMPLEMENTS_LEAD.match(line.strip()) or _IMPLEMENTS_BEFORE.search(line)):
                relation = "implements"
        out.append(Citation(**{**c.__dict__, "relation": relation, "inside": inside}))
    return out


def _with_years(cites: list[Citation]) -> list[Citation]:
    """A state number cited once with its year and once without ("Nghị định số 88/NĐ-CP" and
    "88/2025/NĐ-CP", corpus CV 402) is one document: the yearless mention takes the key."""
    dated: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for c in cites:
        if c.kind == "state" and _YEAR_KEY.match(c.key):
            dated[(c.number, c.type_code, c.issuer_code)].add(c.key)
    out = []
    for c in cites:
        keys = dated.get((c.number, c.type_code, c.issuer_code), set())
        if c.kind == "state" and not _YEAR_KEY.match(c.key) and len(keys) == 1:
            c = Citation(**{**c.__dict__, "key": next(iter(keys))})
        out.append(c)
    return out


def extract_citations(doc_id: str, text: str, own_number: str = "") -> tuple[Citation, ...]:
    """Every citation in ``text`` (cleaned), in order; ``own_number`` is never one of them."""
    own = canonical(own_number) if own_number else ""
    numbered, spans = _numbered(doc_id, text, own)
    full = _with_years(numbered)
    cites = full + _short(doc_id, text, full) + _named(doc_id, text)
    cites.sort(key=lambda c: (c.start, c.end))
    return tuple(_relations(text, cites, spans))
