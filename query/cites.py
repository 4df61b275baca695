"""Who cites a document (``cites``) and what a document cites (``refs``), from indexed tables.

Direct citing documents come from ``ref_mentions``; indirect ones follow ``ref_edges``
backwards: a plan implementing 301-KH/TU is listed under 01-KL/TW "via 301-KH/TU" when
301-KH/TU implements 01-KL/TW.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process

from core.records import CHANGING, RELATION_STRENGTH
from core.tones import fold
from query.refquery import RefQuery, parse_ref
from store.store import Store, snapshot

_STRENGTH = RELATION_STRENGTH
_NAMES = {strength: name for name, strength in RELATION_STRENGTH.items()}
_MAX_DEPTH = 4  # chains longer than Kết luận → Kế hoạch tỉnh → huyện → xã → chi bộ are rare


@dataclass(frozen=True)
class Ref:
    """What is known of a cited document, from the corpus or from its citations."""

    ref_id: str
    key: str
    date: str
    type_word: str
    issuer: str
    subject: str
    scope: str
    ambiguous: bool
    doc_id: str | None  # the document itself, when it is in the corpus


@dataclass(frozen=True)
class Context:
    text: str  # the sentence holding the mention
    start: int  # the mention's span within ``text``
    end: int
    doc_start: int  # where ``text`` starts in the document


@dataclass(frozen=True)
class Citing:
    doc_id: str
    source: str
    number: str
    date: str
    issuer: str
    relation: str
    via: str | None  # the ref the document implements on the way, for indirect rows
    mentions: int
    contexts: tuple[Context, ...] = ()
    ref_id: str = ""  # which cited document (key, year, scope) this row is about


@dataclass(frozen=True)
class CitesResult:
    query: RefQuery
    refs: tuple[Ref, ...]
    citing: tuple[Citing, ...]  # one page: strongest relation first
    suggestions: tuple[str, ...] = field(default=())
    total: int = 0  # citing documents in all (direct + indirect), beyond this page too


def _refs_for(store: Store, query: RefQuery) -> list[Ref]:
    cols = "ref_id, key, date, type_word, issuer, subject, scope, ambiguous, doc_id"
    if query.key:
        rows = store.db.execute(f"SELECT {cols} FROM refs WHERE key = ?", (query.key,))
    else:
        sql = f"SELECT {cols}, type_fold, year, issuer_code FROM refs WHERE number = ?"
        rows = [r[:9] for r in store.db.execute(sql, (query.number,))
                if (not query.type_code or r[9] == fold(query.type_code))
                and (not query.year or r[10] == query.year)
                and (not query.issuer_code or fold(r[11]) == fold(query.issuer_code))]
    return [Ref(*r[:7], ambiguous=bool(r[7]), doc_id=r[8]) for r in rows]


def known(store: Store, key: str) -> list[Ref]:
    """What the catalog knows of the documents numbered ``key`` (one per term or scope)."""
    return _refs_for(store, parse_ref(key))


def _named(store: Store, text: str) -> list[Ref]:
    """References without a number ("Nghị quyết Đại hội XIII của Đảng"), matched on their
    name without diacritics; kept apart from numbered ones."""
    wanted = " ".join(fold(text).split())
    if len(wanted) < 6:
        return []
    rows = store.db.execute(
        "SELECT ref_id, key, date, type_word, issuer, subject, scope, ambiguous, doc_id"
        " FROM refs WHERE kind = 'named'")
    return [Ref(*r[:7], ambiguous=bool(r[7]), doc_id=r[8]) for r in rows
            if wanted in fold(r[1])]


def _sentence(text: str, start: int, end: int, *, cut: bool = False) -> Context:
    """The sentence of ``text`` around ``[start, end)``. ``cut``: ``text`` is a window that
    may begin inside a word, so with no sentence start in it, begin at a word."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "; ")))
    if left < 0 and cut:
        left = text.find(" ", 0, start)
    left = left + 1 if left >= 0 else 0
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    sentence = text[left:right]
    stripped = len(sentence) - len(sentence.lstrip())
    return Context(text=sentence.strip(), start=start - left - stripped,
                   end=end - left - stripped, doc_start=left + stripped)


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


_WINDOW = 400  # characters read around a mention to find its sentence
_CHUNK = 500


@dataclass
class _Hits:
    source: str
    number: str
    date: str
    issuer: str
    relation: str = "mentions"
    contexts: list = field(default_factory=list)


# A citing document still in the catalog. During an ingest the citation index answers as of
# the previous one until its rebuild commits; a document removed meanwhile must drop out of
# rows and totals alike, not leave a row whose facts are gone.
_LIVE = "EXISTS (SELECT 1 FROM documents d WHERE d.doc_id = ref_docs.doc_id)"


def _direct(store: Store, ref_ids: list[str], doc_ids: list[str]) -> dict[str, _Hits]:
    """doc_id → what citing it looks like, for the mentions of ``ref_ids`` in ``doc_ids``.

    One query brings the document columns and only a window of text around each mention
    (hot path: a much-cited resolution has thousands of citing plans; benchmark before
    changing).
    """
    rows: list[tuple] = []
    for at in range(0, len(doc_ids), _CHUNK):  # SQLite caps the number of bound variables
        chunk = doc_ids[at : at + _CHUNK]
        rows += store.db.execute(
            "SELECT m.doc_id, c.relation, c.start, c.end, d.source, d.number, d.date,"
            " d.issuer, substr(d.text, max(1, c.start - ? + 1), c.end - max(0, c.start - ?) + ?)"
            " FROM ref_mentions m JOIN citations c ON c.doc_id = m.doc_id"
            " AND c.ordinal = m.ordinal JOIN documents d ON d.doc_id = m.doc_id"
            f" WHERE m.ref_id IN ({_marks(ref_ids)}) AND m.doc_id IN ({_marks(chunk)})"
            " ORDER BY m.doc_id, c.start",
            [_WINDOW, _WINDOW, _WINDOW, *ref_ids, *chunk]).fetchall()
    out: dict[str, _Hits] = {}
    for doc_id, relation, start, end, source, number, date, issuer, piece in rows:
        hits = out.setdefault(doc_id, _Hits(source, number, date, issuer))
        if _STRENGTH[relation] > _STRENGTH[hits.relation]:
            hits.relation = relation
        left = max(0, start - _WINDOW)
        context = _sentence(piece, start - left, end - left, cut=left > 0)
        hits.contexts.append(Context(context.text, context.start, context.end,
                                     context.doc_start + left))
    return out


@snapshot
def cites(store: Store, ref: str, *, relation: str | None = None,
          direct_only: bool = False, limit: int | None = None,
          offset: int = 0) -> CitesResult:
    """Documents citing ``ref`` (any spelling): for each cited document it may name (one per
    term), direct citers strongest relation first; then those implementing it through a
    chain. ``limit``/``offset`` page through them; ``total`` counts them all."""
    query = parse_ref(ref)
    refs = _refs_for(store, query) if query.usable else _named(store, ref)
    if not query.usable and not refs:
        return CitesResult(query=query, refs=(), citing=())
    if not refs:
        return CitesResult(query=query, refs=(), citing=(), suggestions=_suggest(store, ref))
    ref_ids = [r.ref_id for r in refs]
    own = [r.doc_id for r in refs if r.doc_id]
    # Per cited document (a number reused in another term is another document), an index
    # range scan: strongest relation first. No GROUP BY over all citers, so the first page
    # stays fast for a resolution cited by tens of thousands of plans (bench/citations.py).
    strength = _STRENGTH.get(relation or "")
    where = f"ref_id = ? AND doc_id NOT IN ({_marks(own)}) AND {_LIVE}" + (
        " AND strength = ?" if strength else "")
    counts = {ref.ref_id: store.db.execute(
        f"SELECT count(*) FROM ref_docs WHERE {where}",
        [ref.ref_id, *own, *([strength] if strength else [])]).fetchone()[0] for ref in refs}
    # the most cited document first, an ambiguous group ("01-KL/TW@?") last
    refs = sorted(refs, key=lambda r: (r.ambiguous, -counts[r.ref_id], r.ref_id))
    rows: list[Citing] = []
    total, skip = sum(counts.values()), offset
    room = -1 if limit is None else limit
    for ref in refs:
        params = [ref.ref_id, *own, *([strength] if strength else [])]
        count = counts[ref.ref_id]
        if skip >= count or room == 0:
            skip = max(0, skip - count)
            continue
        page = store.db.execute(
            f"SELECT doc_id, strength, mentions FROM ref_docs WHERE {where}"
            " ORDER BY strength DESC, doc_id LIMIT ? OFFSET ?", [*params, room, skip]).fetchall()
        skip = 0
        room = -1 if room < 0 else room - len(page)
        hits = _direct(store, [ref.ref_id], [d for d, _s, _n in page])
        rows += [Citing(d, hits[d].source, hits[d].number, hits[d].date, hits[d].issuer,
                        _NAMES[level], None, n, tuple(hits[d].contexts), ref.ref_id)
                 for d, level, n in page]
    if not direct_only and relation in (None, "implements"):
        indirect = _indirect(store, ref_ids, set(own))
        total += len(indirect)
        start = max(0, offset - (total - len(indirect)))
        rows += indirect[start:] if room < 0 else indirect[start : start + room]
    return CitesResult(query=query, refs=tuple(refs), citing=tuple(rows), total=total)


def _indirect(store: Store, targets: list[str], seen: set[str]) -> list[Citing]:
    """Documents implementing something that (through a chain) implements a target, and
    citing no target directly (those are listed as direct already)."""
    rows: list[Citing] = []
    direct = f"SELECT doc_id FROM ref_docs WHERE ref_id IN ({_marks(targets)})"
    frontier, visited = list(targets), set(targets)
    for _depth in range(_MAX_DEPTH):
        parents = [r for (r,) in store.db.execute(
            f"SELECT from_ref FROM ref_edges WHERE to_ref IN ({_marks(frontier)})",
            frontier) if r not in visited]
        if not parents:
            break
        visited.update(parents)
        for via in parents:
            via_key = store.db.execute("SELECT key FROM refs WHERE ref_id = ?",
                                         (via,)).fetchone()[0]
            docs = [d for (d,) in store.db.execute(
                "SELECT doc_id FROM ref_docs WHERE ref_id = ? AND relation = 'implements'"
                f" AND doc_id NOT IN ({direct}) AND {_LIVE} ORDER BY doc_id", (via, *targets))
                if d not in seen]
            hits = _direct(store, [via], docs)
            for doc_id in docs:
                seen.add(doc_id)
                h = hits[doc_id]
                rows.append(Citing(doc_id, h.source, h.number, h.date, h.issuer, "implements",
                                   via_key, len(h.contexts), tuple(h.contexts), via))
        frontier = parents
    return rows


def changed_by(store: Store, ref_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """(doc_id, number, date, relation) of the catalog's documents that replace, abolish or
    amend the cited documents ``ref_ids``, newest first."""
    if not ref_ids:
        return []
    return store.db.execute(
        "SELECT d.doc_id, d.number, d.date, r.relation FROM ref_docs r JOIN documents d"
        f" ON d.doc_id = r.doc_id WHERE r.ref_id IN ({_marks(ref_ids)})"
        f" AND r.relation IN ({_marks(list(CHANGING))}) ORDER BY d.date DESC",
        [*ref_ids, *CHANGING]).fetchall()


def suggest(store: Store, ref: str) -> tuple[str, ...]:
    """The known keys closest to ``ref``: what a mistyped or unknown number may be."""
    return _suggest(store, ref)


def _suggest(store: Store, ref: str) -> tuple[str, ...]:
    keys = [k for (k,) in store.db.execute("SELECT DISTINCT key FROM refs WHERE kind != 'named'")]
    wanted = re.sub(r"\s+", "", ref.upper())
    close = process.extract(wanted, keys, limit=5, score_cutoff=50)
    return tuple(k for k, _score, _i in close)


@dataclass(frozen=True)
class Cited:
    ref: Ref
    relation: str
    mentions: int


@snapshot
def refs(store: Store, doc_id: str) -> tuple[Cited, ...]:
    """Everything ``doc_id`` cites, in order of first mention, with its strongest relation."""
    rows = store.db.execute(
        "SELECT m.ref_id, c.relation FROM ref_mentions m JOIN citations c ON c.doc_id = m.doc_id"
        " AND c.ordinal = m.ordinal WHERE m.doc_id = ? ORDER BY m.ordinal", (doc_id,))
    order: dict[str, list] = {}
    for ref_id, relation in rows:
        best, count = order.get(ref_id, ("mentions", 0))
        order[ref_id] = [relation if _STRENGTH[relation] > _STRENGTH[best] else best, count + 1]
    out = []
    for ref_id, (best, count) in order.items():
        r = store.db.execute(
            "SELECT ref_id, key, date, type_word, issuer, subject, scope, ambiguous, doc_id"
            " FROM refs WHERE ref_id = ?", (ref_id,)).fetchone()
        out.append(Cited(Ref(*r[:7], ambiguous=bool(r[7]), doc_id=r[8]), best, count))
    return tuple(out)
