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
from dataclasses import dataclass

from core.tones import fold
from ingest.citations import canonical

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
_STRENGTH = {"implements": 3, "basis": 2, "mentions": 1}

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


def rebuild(db) -> Stats:
    """Recompute refs, mention-to-ref links and chain edges from the stored citations."""
    docs = {doc_id: json.loads(meta) for doc_id, meta in
            db.execute("SELECT doc_id, metadata FROM documents")}
    rows = db.execute(
        "SELECT doc_id, ordinal, kind, key, type_word, type_code, number, issuer_code, date,"
        " issuer, subject, relation, inside FROM citations ORDER BY doc_id, ordinal").fetchall()
    # 1. Each mention's group (key, scope) and year, the document's own dated mentions first.
    group_of: dict[tuple[str, int], tuple[str, str]] = {}
    years: dict[tuple[str, str], set[str]] = defaultdict(set)
    doc_years: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for doc_id, ordinal, kind, key, *_rest in rows:
        issuer_code, date = _rest[3], _rest[4]
        scope = "" if kind == "named" else _scope(issuer_code, docs.get(doc_id, {}))
        group_of[(doc_id, ordinal)] = (key, scope)
        year = _year_in_key(key) or date[:4]
        if year and kind != "named":
            years[(key, scope)].add(year)
            doc_years[(doc_id, key, scope)].add(year)
    mention_ref: dict[tuple[str, int], str] = {}
    info: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    meta_of: dict[str, tuple] = {}
    for doc_id, ordinal, kind, key, type_word, type_code, number, issuer_code, date, issuer, \
            subject, _relation, _inside in rows:
        _key, scope = group_of[(doc_id, ordinal)]
        year = _year_in_key(key) or date[:4]
        ambiguous = False
        if kind == "named":
            ref_id = f"named:{key}"
        else:
            if not year:
                own = doc_years.get((doc_id, key, scope), set())
                known = own if len(own) == 1 else years.get((key, scope), set())
                if len(known) == 1:
                    year = next(iter(known))
                elif len(known) > 1:
                    ambiguous = True
            ref_id = key + ("@?" if ambiguous else f"@{year}" if year and not _year_in_key(key)
                            else "") + (f" [{scope}]" if scope else "")
        mention_ref[(doc_id, ordinal)] = ref_id
        bag = info[ref_id]
        bag["date"].append(date)
        bag["type_word"].append(type_word)
        bag["issuer"].append(issuer)
        bag["subject"].append(subject)
        meta_of[ref_id] = (key, kind, type_code, number, year, issuer_code, scope, ambiguous)
    # 2. Which corpus document each ref is (its own number, year and scope agree).
    by_number: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for doc_id, meta in docs.items():
        if meta.get("number"):
            by_number[canonical(meta["number"])].append((doc_id, meta))
    refs = []
    for ref_id, (key, kind, type_code, number, year, issuer_code, scope, amb) in meta_of.items():
        doc = next((d for d, m in by_number.get(key, [])
                    if (not year or m.get("date", "")[:4] in ("", year))
                    and (not scope or scope in (m.get("province"), m.get("parent")))), None)
        bag = info[ref_id]
        refs.append((ref_id, key, kind, type_code, fold(type_code), number, year, issuer_code,
                     scope, int(amb), _most_common(bag["date"]), _most_common(bag["type_word"]),
                     _most_common(bag["issuer"]), _most_common(bag["subject"]), doc))
    # 3. Chains: a cited plan's subject ("về thực hiện Kết luận …") or its own text says
    # what it implements.
    edges: set[tuple[str, str]] = set()
    by_doc: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_doc[row[0]].append(row)
    ref_doc = {r[0]: r[14] for r in refs if r[14]}
    doc_is = defaultdict(set)
    for ref_id, doc in ref_doc.items():
        doc_is[doc].add(ref_id)
    for doc_id, mentions in by_doc.items():
        for i, m in enumerate(mentions):
            this = mention_ref[(doc_id, m[1])]
            if m[11] == "implements":
                edges.update((own, this) for own in doc_is.get(doc_id, ()) if own != this)
            if m[12]:  # inside the subject of the nearest earlier mention with that key
                holder = next((h for h in reversed(mentions[:i]) if h[3] == m[12]), None)
                if holder and _IMPLEMENTING_SUBJECT.match(holder[10]):
                    first = next(x for x in mentions[mentions.index(holder) + 1:]
                                 if x[12] == holder[3])
                    if first is m:
                        edges.add((mention_ref[(doc_id, holder[1])], this))
    # Corpus documents nobody cites still answer to their number.
    known_docs = {r[14] for r in refs if r[14]}
    for doc_id, meta in docs.items():
        key = canonical(meta.get("number", ""))
        if key and doc_id not in known_docs:
            year = _year_in_key(key) or meta.get("date", "")[:4]
            scope = _scope(re.split(r"[/-]", key)[-1], meta)
            ref_id = key + (f"@{year}" if year and not _year_in_key(key) else "") + (
                f" [{scope}]" if scope else "")
            if ref_id not in meta_of:
                kind, number, type_code, issuer_code = _parts(key)
                refs.append((ref_id, key, kind, type_code, fold(type_code), number, year,
                             issuer_code, scope, 0, meta.get("date", ""),
                             meta.get("doc_type", ""), meta.get("issuer", ""),
                             meta.get("subject", ""), doc_id))
    per_doc: dict[tuple[str, str], list] = {}
    for doc_id, ordinal, *_rest in rows:
        relation = _rest[9]
        slot = per_doc.setdefault((mention_ref[(doc_id, ordinal)], doc_id), [relation, 0])
        if _STRENGTH[relation] > _STRENGTH[slot[0]]:
            slot[0] = relation
        slot[1] += 1
    with db:
        db.executescript(_DERIVED)
        db.executemany("INSERT INTO ref_docs VALUES (?,?,?,?,?)",
                       [(r, d, rel, _STRENGTH[rel], n) for (r, d), (rel, n) in per_doc.items()])
        db.executemany("INSERT OR REPLACE INTO refs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       refs)
        db.executemany("INSERT INTO ref_mentions VALUES (?,?,?)",
                       [(d, o, r) for (d, o), r in mention_ref.items()])
        db.executemany("INSERT INTO ref_edges VALUES (?,?)", sorted(edges))
    return Stats(refs=len(refs), mentions=len(mention_ref), edges=len(edges),
                 ambiguous=sum(r[9] for r in refs))
