"""Check a draft's references before it is signed (issue 16): the citation index turned
around on a text that is not in the catalog.

Each document the draft cites is compared with what the catalog knows of it (its own
header when it is in the catalog, else what the documents citing it write):

- ``wrong_date`` / ``wrong_issuer``: the draft gives another date or issuing body;
- ``term_ambiguous``: a Party number that restarts each term, cited without its date or
  term, while the catalog holds more than one document with that number;
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

from core.records import Citation, RawText
from core.results import DraftReport, Finding
from core.tones import fold
from ingest.build import build
from query.cites import Ref, changed_by, cites, known, suggest
from query.similar import similar
from store.store import Store, snapshot

_LAW_KEY = re.compile(r"^\d+/\d{4}/(?:QH|UBTVQH)")  # laws are cited by name and number
_PRECEDENT_LABELS = ("trùng nguyên văn", "gần như trùng")
_PRECEDENT_WORDS = 25  # a paragraph shorter than this is a heading or a formula
_PRECEDENT_PARAGRAPHS = 20  # paragraphs compared at most: the opening parts of a draft
_PEERS = 10  # plans listed per implemented directive


def _same_issuer(a: str, b: str) -> bool:
    """"Ban Chấp hành Trung ương Đảng" is "Ban Chấp hành Trung ương"; "Ban Bí thư" is not
    "Bộ Chính trị"."""
    fa, fb = (" ".join(fold(x).lower().replace("dang", " ").split()) for x in (a, b))
    return fa in fb or fb in fa


def _documents(refs: list[Ref]) -> list[Ref]:
    """The distinct documents a key names (one per term, year or scope)."""
    return [r for r in refs if not r.ambiguous] or refs


def _vn(iso: str) -> str:
    return "/".join(reversed(iso.split("-"))) if iso else ""


def _label(ref: Ref) -> str:
    """"01-KL/TW, 18/05/2021, Bộ Chính trị": a cited document as a reader names it."""
    return ", ".join(x for x in (ref.key, _vn(ref.date), ref.issuer) if x)


def _mention(c: Citation, refs: list[Ref]) -> list[Finding]:
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
    if c.issuer and issued and not any(_same_issuer(c.issuer, r.issuer) for r in issued):
        out.append(Finding("wrong_issuer", c.start, c.end, c.key, c.issuer, issued[0].issuer,
                           tuple(_label(r) for r in issued)))
    return out


def _first_mentions(store: Store, cited: list[Citation]) -> list[Finding]:
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
        if changes := changed_by(store, [r.ref_id for r in dated]):
            out.append(Finding("replaced", c.start, c.end, c.key, catalog=changes[0][3],
                               candidates=tuple(f"{n or d}, {_vn(when)}" for d, n, when, _r
                                                in changes),
                               documents=tuple(d for d, *_rest in changes)))
        if c.kind == "party" and len(docs) > 1 and not any(m.date or m.term for m in same):
            out.append(Finding("term_ambiguous", c.start, c.end, c.key,
                               candidates=tuple(_label(r) for r in docs)))
        missing = tuple(f for f in ("date", "issuer") if not getattr(c, f))
        if missing and not _LAW_KEY.match(c.key):
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
    findings = _first_mentions(store, cited)
    for c in cited:
        if refs := known(store, c.key):
            findings += _mention(c, refs)
    findings += _peers(store, cited)
    if precedent:
        findings += _precedents(store, draft.text)
    findings.sort(key=lambda f: (f.start, f.kind))
    return DraftReport(name or raw.path, draft.text, len(cited), tuple(findings))
