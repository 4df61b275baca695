"""Check a draft's references before it is signed (issue 16): the citation index turned
around on a text that is not in the catalog.

Each document the draft cites is compared with what the catalog knows of it (its own
header when it is in the catalog, else what the documents citing it write):

- ``wrong_date`` / ``wrong_issuer``: the draft gives another date or issuing body;
- ``term_ambiguous``: a number that restarts each term or year (a Party number, or a state
  one without its year: "16/KH-MTTQ-BTT"), cited without its date or term, while the
  catalog holds more than one document with that number;
- ``missing_facts``: the first mention of a document lacks its date or issuer (the
  presentation rules, Hướng dẫn 36-HD/VPTW and Nghị định 30/2020/NĐ-CP: a first mention
  carries type, number, date, issuer and subject; later ones may be short);
- ``replaced``: a later document of the catalog replaces, abolishes or amends it ("Quyết
  định này thay thế …", relations mined at ingest, ``ingest/citations.py``);
- ``unknown``: a number the catalog does not know (information: the archive may be
  incomplete), with the closest known keys;
- ``precedent``: a paragraph that repeats earlier wording (``query/similar.py``);
- ``peers``: other plans implementing the same directive, newest first.

The draft is read by the same pipeline as an ingest (``ingest/build.py``) but never added
to the catalog.
"""

from __future__ import annotations

import re

from core.records import Citation, Document, RawText
from core.results import DraftReport, Finding
from core.tones import fold
from ingest.build import build
from query.cites import Ref, changed_by, cites, known, suggest
from query.similar import similar
from store.store import Store, snapshot

# the draft says itself that the document was changed: nothing to warn of
_ACKNOWLEDGED = re.compile(r"(?i)(?:được|đã được)\s+sửa đổi|sửa đổi,?\s*bổ sung|thay thế|bãi bỏ|"
                           r"hết hiệu lực")
_ACK_WINDOW = 160  # characters after a mention where the draft may say it was changed
_YEAR_IN_KEY = re.compile(r"/\d{4}/")  # "146/2025/NĐ-CP" names its year: never ambiguous
_PRECEDENT_LABELS = ("trùng nguyên văn", "gần như trùng")
_PRECEDENT_WORDS = 25  # a paragraph shorter than this is a heading or a formula
_PRECEDENT_PARAGRAPHS = 20  # paragraphs compared at most: the opening parts of a draft
_PEERS = 10  # plans listed per implemented directive


_ABBREVIATIONS = (("BTV", "Ban Thường vụ"), ("BCH", "Ban Chấp hành"), ("UBND", "Ủy ban nhân dân"),
                  ("HĐND", "Hội đồng nhân dân"), ("MTTQ", "Mặt trận Tổ quốc"))
# where an issuer's name ends in running text: "… của Tỉnh ủy thành các chương trình"
_AFTER_NAME = re.compile(r"\s(?:thành|đến|về|tại|cho|để|với|trong|nhằm|và các|gồm)\s.*$")


def _issuer_words(name: str) -> str:
    for short, full in _ABBREVIATIONS:
        name = re.sub(rf"\b{short}\b", full, name)
    name = _AFTER_NAME.sub("", name)
    return " ".join(fold(name).lower().replace("dang", " ").split())


def _same_issuer(a: str, b: str) -> bool:
    """"Ban Chấp hành Trung ương Đảng" is "Ban Chấp hành Trung ương", "Tỉnh ủy" is "Tỉnh ủy
    Lào Cai", "BTV Tỉnh ủy" is "Ban Thường vụ Tỉnh ủy": one name starts the other, what
    follows only says where. But "Ủy ban Thường vụ Quốc hội" is not "Quốc hội", nor "Thủ
    tướng Chính phủ" "Chính phủ": words in front name another body, an organ of it."""
    fa, fb = _issuer_words(a), _issuer_words(b)
    return bool(fa and fb) and (fa.startswith(fb) or fb.startswith(fa))


def _documents(refs: list[Ref]) -> list[Ref]:
    """The distinct documents a key names (one per term, year or scope)."""
    return [r for r in refs if not r.ambiguous] or refs


def _vn(iso: str) -> str:
    return "/".join(reversed(iso.split("-"))) if iso else ""


def _label(ref: Ref) -> str:
    """"01-KL/TW, 18/05/2021, Bộ Chính trị": a cited document as a reader names it."""
    return ", ".join(x for x in (ref.key, _vn(ref.date), ref.issuer) if x)


# "Kế hoạch thực hiện Nghị quyết số 35-NQ/TW của Huyện ủy": the issuer is the plan's
_INSIDE_A_NAME = re.compile(r"(?i)(?:kế hoạch|chương trình(?: hành động)?|hướng dẫn|đề án|"
                            r"báo cáo)\s+(?:thực hiện|triển khai(?: thực hiện)?)\s*$")


def _mention(c: Citation, refs: list[Ref], text: str) -> list[Finding]:
    """Date and issuer of one mention against the documents its key names."""
    docs = _documents(refs)
    out = []
    dated = [r for r in docs if r.date]
    if c.date and dated and not any(r.date == c.date for r in dated):
        year = [r for r in dated if r.date[:4] == c.date[:4]] or dated
        out.append(Finding("wrong_date", c.start, c.end, c.key, c.date, year[0].date,
                           tuple(_label(r) for r in year)))
    same_date = [r for r in docs if r.date and r.date == c.date] or docs
    issued = [r for r in same_date if r.issuer]
    named_inside = _INSIDE_A_NAME.search(text[max(0, c.start - 60) : c.start])
    if c.issuer and issued and not named_inside and not any(
            _same_issuer(c.issuer, r.issuer) for r in issued):
        out.append(Finding("wrong_issuer", c.start, c.end, c.key, c.issuer, issued[0].issuer,
                           tuple(_label(r) for r in issued)))
    return out


def _clause_after(text: str, c: Citation) -> str:
    """What follows a mention in its clause: where a draft says the document was changed."""
    ends = [e for e in (text.find(";", c.end), text.find(". ", c.end), text.find("\n", c.end))
            if e >= 0]
    return text[c.end : min([*ends, c.end + _ACK_WINDOW])]


def _heading_names_issuer(draft: Document, at: int) -> bool:
    """"- Chỉ thị, kết luận, quy định của Bộ Chính trị" over a list of items: each item's
    issuer is given by it."""
    above = [s for s in draft.sections if s.end <= at]
    return bool(above) and " của " in draft.text[above[-1].start : above[-1].end]


def _first_mentions(store: Store, draft: Document, cited: list[Citation]) -> list[Finding]:
    """Per cited key: unknown, ambiguous across terms, or a first mention lacking facts."""
    out, seen = [], set()
    for c in cited:
        if c.key in seen:
            continue
        seen.add(c.key)
        refs = known(store, c.key)
        same = [m for m in cited if m.key == c.key]
        if not refs:
            out.append(Finding("unknown", c.start, c.end, c.key,
                               candidates=suggest(store, c.key)))
            continue
        docs = _documents(refs)
        dated = [r for r in docs if any(m.date == r.date for m in same)] or docs
        changes = changed_by(store, [r.ref_id for r in dated])
        after = _clause_after(draft.text, c)  # "…, được sửa đổi, bổ sung bởi Luật số …"
        if changes and not _ACKNOWLEDGED.search(after) and not any(
                n and n in after for _d, n, _w, _r in changes):
            out.append(Finding("replaced", c.start, c.end, c.key, catalog=changes[0][3],
                               candidates=tuple(f"{n or d}, {_vn(when)}" for d, n, when, _r
                                                in changes),
                               documents=tuple(d for d, *_rest in changes)))
        if not _YEAR_IN_KEY.search(c.key) and len(docs) > 1 and not any(
                m.date or m.term for m in same):  # numbered again each term or year
            out.append(Finding("term_ambiguous", c.start, c.end, c.key,
                               candidates=tuple(_label(r) for r in docs)))
        missing = tuple(f for f in ("date", "issuer") if not getattr(c, f)
                        and not (f == "issuer" and _heading_names_issuer(draft, c.start)))
        # the Party's rule (Hướng dẫn 36-HD/VPTW): its documents' first mention in full; a
        # mention inside another's subject ("… về tiếp tục thực hiện Chỉ thị số 05-CT/TW")
        # is that document's title, not the draft's mention
        if missing and c.kind == "party" and not c.inside:
            later = next((m for m in same[1:] if all(getattr(m, f) for f in missing)), None)
            # a later mention that has them is where the full citation was put
            out.append(Finding("missing_facts", c.start, c.end, c.key,
                               catalog=_label(docs[0]), missing=missing,
                               candidates=(later.key,) if later else ()))
    return out


def _named_docs(store: Store, doc_ids: list[str]) -> tuple[str, ...]:
    """"45-KH/ĐU (2025)": how a reader names a document of the catalog."""
    out = []
    for doc_id in doc_ids:
        row = store.db.execute("SELECT number, date, source FROM documents WHERE doc_id = ?",
                               (doc_id,)).fetchone()
        number, date, source = row or ("", "", doc_id)
        out.append(f"{number or source}" + (f" ({date[:4]})" if date else ""))
    return tuple(out)


def _precedents(store: Store, text: str) -> list[Finding]:
    """Paragraphs of the draft that repeat earlier wording, oldest document first."""
    out, offset, compared = [], 0, 0
    for paragraph in text.split("\n"):
        start, offset = offset, offset + len(paragraph) + 1
        if len(paragraph.split()) < _PRECEDENT_WORDS or compared >= _PRECEDENT_PARAGRAPHS:
            continue
        compared += 1
        groups = [g for g in similar(store, paragraph, k=3).groups
                  if g.label in _PRECEDENT_LABELS]
        if groups:
            docs = list(dict.fromkeys(p.doc_id for p in groups[0].passages))[:5]
            out.append(Finding("precedent", start, start + len(paragraph), "",
                               paragraph[:80], groups[0].label, _named_docs(store, docs),
                               tuple(docs)))
    return out


def _peers(store: Store, cited: list[Citation]) -> list[Finding]:
    """Per directive the draft implements, the catalog's plans implementing it too."""
    out = []
    for key in dict.fromkeys(c.key for c in cited if c.relation == "implements"):
        rows = sorted(cites(store, key, relation="implements").citing,
                      key=lambda r: r.date or "", reverse=True)[:_PEERS]
        if rows:
            first = next(c for c in cited if c.key == key)
            out.append(Finding("peers", first.start, first.end, key,
                               candidates=tuple(", ".join(x for x in (r.number or r.source,
                                                                       r.date, r.issuer) if x)
                                                for r in rows),
                               documents=tuple(r.doc_id for r in rows)))
    return out


@snapshot
def check(store: Store, raw: RawText, *, name: str = "", precedent: bool = True
          ) -> DraftReport:
    """The findings on the draft ``raw``, in the order of the draft."""
    draft = build(raw, "draft")
    header = [(p.start, p.end) for p in draft.passages if p.kind == "header"]
    # the subject line ("thực hiện Chương trình … số 104-CTr/TU của Tỉnh ủy") names what the
    # plan implements; the rules apply to the mentions of the body
    cited = [c for c in draft.citations if c.kind in ("party", "state")
             and not any(a <= c.start < b for a, b in header)]
    findings = _first_mentions(store, draft, cited)
    for c in cited:
        if refs := known(store, c.key):
            findings += _mention(c, refs, draft.text)
    findings += _peers(store, cited)
    if precedent:
        findings += _precedents(store, draft.text)
    findings.sort(key=lambda f: (f.start, f.kind))
    return DraftReport(name or raw.path, draft.text, len(cited), tuple(findings))
