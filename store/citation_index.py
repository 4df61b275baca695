"""The citation index: who cites which document, settled across the whole corpus.

Rebuilt from the per-mention ``citations`` table after every ingest (one pass, seconds at
corpus scale). Party numbers restart every term, so a cited document is its key plus the
year any mention gives it; mentions without a date join the single dated candidate, or an
explicit ambiguous group when there are several. Local issuers (TU, HU, ĐU, UBND…) are
qualified by the citing document's province or parent body. Chains ("A implements 301-KH/TU,
which implements 01-KL/TW") are stored as ref-to-ref edges.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import astuple, dataclass, field, fields

from core.records import RELATION_STRENGTH
from core.tones import fold
from ingest.numbers import canonical
from store.catalog import mark_built

_DERIVED = """
DROP TABLE IF EXISTS refs;
DROP TABLE IF EXISTS ref_mentions;
DROP TABLE IF EXISTS ref_edges;
DROP TABLE IF EXISTS ref_docs;
CREATE TABLE refs (
    ref_id TEXT PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, type_code TEXT NOT NULL,
    type_fold TEXT NOT NULL, number TEXT NOT NULL, year TEXT NOT NULL, issuer_code TEXT NOT NULL,
    scope TEXT NOT NULL, ambiguous INTEGER NOT NULL, date TEXT NOT NULL, type_word TEXT NOT NULL,
    issuer TEXT NOT NULL, subject TEXT NOT NULL, doc_id TEXT);
CREATE INDEX refs_key ON refs(key);
CREATE INDEX refs_number ON refs(type_fold, number);
CREATE INDEX refs_doc ON refs(doc_id);
CREATE TABLE ref_mentions (
    doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, ref_id TEXT NOT NULL,
    PRIMARY KEY (doc_id, ordinal));
CREATE INDEX ref_mentions_ref ON ref_mentions(ref_id, doc_id);
CREATE TABLE ref_edges (from_ref TEXT NOT NULL, to_ref TEXT NOT NULL,
    PRIMARY KEY (from_ref, to_ref));
CREATE INDEX ref_edges_to ON ref_edges(to_ref);
-- One row per (cited ref, citing document): a page of "who cites X" is an index range scan.
CREATE TABLE ref_docs (
    ref_id TEXT NOT NULL, doc_id TEXT NOT NULL, relation TEXT NOT NULL,
    strength INTEGER NOT NULL, mentions INTEGER NOT NULL, PRIMARY KEY (ref_id, doc_id));
CREATE INDEX ref_docs_page ON ref_docs(ref_id, strength DESC, doc_id);
"""
_STRENGTH = RELATION_STRENGTH

# Issuers whose numbering is national; every other code is local and needs a scope.
_CENTRAL = re.compile(r"^(?:.*TW|BCĐ|CP|TTg|QH\d*|UBTVQH\d*|VPCP|B[A-ZĐ]{1,6}|TANDTC|VKSNDTC|"
                      r"KTNN|NHNN|HĐBCQG|MTTW|.*-CP.*)$")
_IMPLEMENTING_SUBJECT = re.compile(r"(?i)^(?:tiếp tục\s+)?(?:thực hiện|triển khai)\b")


@dataclass(frozen=True)
class Stats:
    refs: int
    mentions: int
    edges: int
    ambiguous: int


def _scope(issuer_code: str, metadata: dict) -> str:
    if not issuer_code or _CENTRAL.match(issuer_code):
        return ""
    return metadata.get("province") or metadata.get("parent") or ""


def _year_in_key(key: str) -> str:
    m = re.match(r"^\d+/(\d{4})/", key)
    return m.group(1) if m else ""


def _parts(key: str) -> tuple[str, str, str, str]:
    """(kind, number, type code, issuer code) of a canonical key."""
    if m := re.match(r"^([^-/]+)-([^/]+)/(.+)$", key):
        return "party", m.group(1), m.group(2), m.group(3)
    pieces = key.split("/")
    code, _, issuer = pieces[-1].partition("-")
    return "state", pieces[0], code if issuer else "", issuer or code


def _most_common(values: list[str]) -> str:
    values = [v for v in values if v]
    return Counter(values).most_common(1)[0][0] if values else ""


@dataclass(frozen=True)
class _Mention:
    """A row of the per-document ``citations`` table."""

    doc_id: str
    ordinal: int
    kind: str
    key: str
    type_word: str
    type_code: str
    number: str
    issuer_code: str
    date: str
    issuer: str
    subject: str
    relation: str
    inside: str


_MENTIONS = ("SELECT " + ", ".join(f.name for f in fields(_Mention))
             + " FROM citations ORDER BY doc_id, ordinal")


@dataclass(frozen=True)
class _Ref:
    """A row of ``refs``: one cited document (key, year, scope), and the corpus document it
    is, when the corpus has it."""

    ref_id: str
    key: str
    kind: str
    type_code: str
    type_fold: str
    number: str
    year: str
    issuer_code: str
    scope: str
    ambiguous: int
    date: str
    type_word: str
    issuer: str
    subject: str
    doc_id: str | None


@dataclass
class _Settled:
    """What the mentions of one ref say of it: its parts, and every value each mention gave
    for its date, type, issuer and subject (the most common one is kept)."""

    key: str
    kind: str
    type_code: str
    number: str
    year: str
    issuer_code: str
    scope: str
    ambiguous: bool
    said: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _ref_id(key: str, year: str, scope: str, ambiguous: bool = False) -> str:
    return key + ("@?" if ambiguous else f"@{year}" if year and not _year_in_key(key)
                  else "") + (f" [{scope}]" if scope else "")


def _settle(mentions: list[_Mention], docs: dict[str, dict]
            ) -> tuple[dict[tuple[str, int], str], dict[str, _Settled]]:
    """Step 1: the ref of each mention. Its group is (key, scope); a mention without a year
    takes its document's own dated mention of the key first, else the group's single year,
    else it is ambiguous."""
    scope_of: dict[tuple[str, int], str] = {}
    years: dict[tuple[str, str], set[str]] = defaultdict(set)
    doc_years: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for m in mentions:
        scope = "" if m.kind == "named" else _scope(m.issuer_code, docs.get(m.doc_id, {}))
        scope_of[(m.doc_id, m.ordinal)] = scope
        year = _year_in_key(m.key) or m.date[:4]
        if year and m.kind != "named":
            years[(m.key, scope)].add(year)
            doc_years[(m.doc_id, m.key, scope)].add(year)
    mention_ref: dict[tuple[str, int], str] = {}
    settled: dict[str, _Settled] = {}
    for m in mentions:
        scope = scope_of[(m.doc_id, m.ordinal)]
        year = _year_in_key(m.key) or m.date[:4]
        ambiguous = False
        if m.kind == "named":
            ref_id = f"named:{m.key}"
        else:
            if not year:
                own = doc_years.get((m.doc_id, m.key, scope), set())
                known = own if len(own) == 1 else years.get((m.key, scope), set())
                if len(known) == 1:
                    year = next(iter(known))
                elif len(known) > 1:
                    ambiguous = True
            ref_id = _ref_id(m.key, year, scope, ambiguous)
        mention_ref[(m.doc_id, m.ordinal)] = ref_id
        said = settled[ref_id].said if ref_id in settled else defaultdict(list)
        for name in ("date", "type_word", "issuer", "subject"):
            said[name].append(getattr(m, name))
        settled[ref_id] = _Settled(m.key, m.kind, m.type_code, m.number, year, m.issuer_code,
                                   scope, ambiguous, said)
    return mention_ref, settled


def _identify(settled: dict[str, _Settled], docs: dict[str, dict]) -> list[_Ref]:
    """Step 2: which corpus document each ref is (its own number, year and scope agree)."""
    by_number: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for doc_id, meta in docs.items():
        if meta.get("number"):
            by_number[canonical(meta["number"])].append((doc_id, meta))
    out = []
    for ref_id, r in settled.items():
        doc = next((d for d, m in by_number.get(r.key, [])
                    if (not r.year or m.get("date", "")[:4] in ("", r.year))
                    and (not r.scope or r.scope in (m.get("province"), m.get("parent")))), None)
        out.append(_Ref(ref_id, r.key, r.kind, r.type_code, fold(r.type_code), r.number, r.year,
                        r.issuer_code, r.scope, int(r.ambiguous),
                        *(_most_common(r.said[n]) for n in ("date", "type_word", "issuer",
                                                            "subject")), doc))
    return out


def _chains(mentions: list[_Mention], mention_ref: dict[tuple[str, int], str],
            refs: list[_Ref]) -> set[tuple[str, str]]:
    """Step 3: ref-to-ref edges. A document that is a cited ref implements what it says it
    implements; a cited plan whose subject says "về thực hiện Kết luận …" implements the
    first document named inside that subject."""
    doc_is: dict[str, set[str]] = defaultdict(set)
    for ref in refs:
        if ref.doc_id:
            doc_is[ref.doc_id].add(ref.ref_id)
    by_doc: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc_id].append(m)
    edges: set[tuple[str, str]] = set()
    for doc_id, found in by_doc.items():
        for i, m in enumerate(found):
            this = mention_ref[(doc_id, m.ordinal)]
            if m.relation == "implements":
                edges.update((own, this) for own in doc_is.get(doc_id, ()) if own != this)
            if not m.inside:
                continue
            # inside the subject of the nearest earlier mention with that key
            at = next((j for j in range(i - 1, -1, -1) if found[j].key == m.inside), None)
            if at is not None and _IMPLEMENTING_SUBJECT.match(found[at].subject):
                first = next(x for x in found[at + 1:] if x.inside == found[at].key)
                if first is m:
                    edges.add((mention_ref[(doc_id, found[at].ordinal)], this))
    return edges


def _uncited(docs: dict[str, dict], refs: list[_Ref], settled: dict[str, _Settled]
             ) -> list[_Ref]:
    """Refs of the corpus documents nobody cites: they still answer to their number."""
    known = {r.doc_id for r in refs if r.doc_id}
    out = []
    for doc_id, meta in docs.items():
        key = canonical(meta.get("number", ""))
        if not key or doc_id in known:
            continue
        year = _year_in_key(key) or meta.get("date", "")[:4]
        scope = _scope(re.split(r"[/-]", key)[-1], meta)
        ref_id = _ref_id(key, year, scope)
        if ref_id not in settled:
            kind, number, type_code, issuer_code = _parts(key)
            out.append(_Ref(ref_id, key, kind, type_code, fold(type_code), number, year,
                            issuer_code, scope, 0, meta.get("date", ""),
                            meta.get("doc_type", ""), meta.get("issuer", ""),
                            meta.get("subject", ""), doc_id))
    return out


def _citing_docs(mentions: list[_Mention], mention_ref: dict[tuple[str, int], str]
                 ) -> dict[tuple[str, str], list]:
    """(ref, citing document) → [strongest relation, mentions]."""
    per_doc: dict[tuple[str, str], list] = {}
    for m in mentions:
        slot = per_doc.setdefault((mention_ref[(m.doc_id, m.ordinal)], m.doc_id), [m.relation, 0])
        if _STRENGTH[m.relation] > _STRENGTH[slot[0]]:
            slot[0] = m.relation
        slot[1] += 1
    return per_doc


def rebuild(db) -> Stats:
    """Recompute refs, mention-to-ref links and chain edges from the stored citations."""
    docs = {doc_id: json.loads(meta) for doc_id, meta in
            db.execute("SELECT doc_id, metadata FROM documents")}
    mentions = [_Mention(*row) for row in db.execute(_MENTIONS)]
    mention_ref, settled = _settle(mentions, docs)
    refs = _identify(settled, docs)
    edges = _chains(mentions, mention_ref, refs)
    refs += _uncited(docs, refs, settled)
    per_doc = _citing_docs(mentions, mention_ref)
    with db:
        # One transaction from the first DROP to the last row: a reader on another
        # connection (the app) sees the old index or the new, never a missing table or a
        # half-filled one (executescript alone commits each statement).
        db.executescript("BEGIN IMMEDIATE;" + _DERIVED)
        db.executemany("INSERT INTO ref_docs VALUES (?,?,?,?,?)",
                       [(r, d, rel, _STRENGTH[rel], n) for (r, d), (rel, n) in per_doc.items()])
        db.executemany("INSERT OR REPLACE INTO refs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       [astuple(r) for r in refs])
        db.executemany("INSERT INTO ref_mentions VALUES (?,?,?)",
                       [(d, o, r) for (d, o), r in mention_ref.items()])
        db.executemany("INSERT INTO ref_edges VALUES (?,?)", sorted(edges))
        mark_built(db, "citation_index")
    return Stats(refs=len(refs), mentions=len(mention_ref), edges=len(edges),
                 ambiguous=sum(r.ambiguous for r in refs))
