"""The BM25 index (tantivy, store/bm25.py) at scale: full build, adding one document, search.

    .venv/bin/python bench/lexical.py [--size 1000000] [--corpus ../shared/corpus]

The corpus texts are ingested once without an encoder (cached in ``bench/.cache/lexical``),
then the lexical rows are copied until the catalog holds ``--size`` of them (each copy a
passage of its own id; copies raise every term's document frequency alike, so IDFs keep
their order, and ties make top-k pruning harder, not easier). Measured, each in a fresh
process so peak memory is its own: the whole build, then 30 new rows brought in by
``bm25.sync`` (what an ingest of a 30-passage document adds to the lexical index, opening
included), then lexical search p50 with the index and with FTS5 on the evaluation queries.
Only the lexical index is scaled: the citation index and the spellings stay at corpus size,
and vectors are timed by bench/search.py. Figures go to stdout and bench/results/lexical.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.latency import queries  # noqa: E402

_COLUMNS = "words, syl, folded, context, context_folded"

# Run in a fresh interpreter: (seconds, result, peak RSS in MB) printed as one JSON line.
_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from store import bm25
from store.store import Store
store = Store({data!r})
clock = time.perf_counter()
result = {call}
seconds = time.perf_counter() - clock
print(json.dumps([seconds, result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def _child(data: Path, call: str) -> tuple[float, object, float]:
    code = _CHILD.format(root=str(ROOT), data=str(data), call=call)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    seconds, result, rss = json.loads(done.stdout.strip().splitlines()[-1])
    return round(seconds, 2), result, round(rss)


def corpus(cache: Path, texts: Path) -> Path:
    """A catalog of the corpus texts, no vectors; built once."""
    if (cache / "done").exists():
        return cache
    from store.store import Store
    from store.update import ingest

    shutil.rmtree(cache, ignore_errors=True)
    store = Store(cache)
    ingest(sorted(texts.glob("*.txt")), store, progress=True)
    store.close()
    (cache / "done").write_text("")
    return cache


def inflate(db: sqlite3.Connection, size: int) -> int:
    """Copy lexical rows until there are ``size``; the rows added."""
    (have, top) = db.execute("SELECT count(*), max(rowid) FROM passages_fts").fetchone()
    added = 0
    while have + added < size:
        step = min(have, size - have - added)
        offset = top * (added // have + 1)
        _copy(db, offset, f"WHERE rowid <= {int(top)}", step)
        added += step
    db.commit()
    return added


def _copy(db: sqlite3.Connection, offset: int, where: str, rows: int) -> None:
    """Copy ``rows`` lexical rows ``offset`` ids up, each with a passage row of its own (an
    empty one: only the lexical index is scaled, and it lists its passages from there)."""
    db.execute(f"INSERT INTO passages_fts(rowid, {_COLUMNS}) SELECT rowid + ?, {_COLUMNS}"
               f" FROM passages_fts {where} ORDER BY rowid LIMIT ?", (offset, rows))
    # the insert trigger counts the changes, as an ingest's inserts do
    db.execute("INSERT INTO passages(id, doc_id, ordinal, start, end, text, heading, kind,"
               " tokens) SELECT rowid + ?, 'bench-copy', rowid + ?, 0, 0, '', '', 'body', ''"
               f" FROM passages_fts {where} ORDER BY rowid LIMIT ?", (offset, offset, rows))


def add_document(db: sqlite3.Connection, passages: int = 30) -> None:
    """``passages`` new lexical rows above every id, as an ingested document adds them."""
    top = db.execute("SELECT max(rowid) FROM passages_fts").fetchone()[0]
    _copy(db, top, "", passages)
    db.commit()


_SEARCH = ("__import__('bench.lexical', fromlist=['x']).timed_queries(store, {asked!r}, {fts})")


def timed_queries(store, asked: list[str], fts: bool) -> dict[str, float]:
    """p50 and p90 ms of the lexical leg (top 200, as the hybrid asks) over ``asked``."""
    from query.lexical import search_lexical
    from store import bm25

    if fts:
        bm25.load = lambda _db, _directory: None
    search_lexical(store, asked[0], 200)  # opening the index is not a query's cost
    spent = []
    for text in asked:
        clock = time.perf_counter()
        search_lexical(store, text, 200)
        spent.append((time.perf_counter() - clock) * 1000)
    spent.sort()
    return {"p50_ms": round(spent[len(spent) // 2], 2),
            "p90_ms": round(spent[int(len(spent) * 0.9)], 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    base = corpus(ROOT / "bench" / ".cache" / "lexical", Path(args.corpus))
    data = ROOT / "bench" / ".cache" / f"lexical-{args.size}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(base, data, ignore=shutil.ignore_patterns("lexical"))
    db = sqlite3.connect(data / "catalog.sqlite")
    clock = time.perf_counter()
    rows = db.execute("SELECT count(*) FROM passages_fts").fetchone()[0] + inflate(db, args.size)
    result: dict[str, object] = {"rows": rows, "inflate_s": round(time.perf_counter() - clock)}
    seconds, count, rss = _child(data, "bm25.sync(store.db, store.bm25_dir)")
    result["full_build"] = {"seconds": seconds, "rows": count, "peak_rss_mb": rss}
    add_document(db)
    seconds, count, rss = _child(data, "bm25.sync(store.db, store.bm25_dir)")
    result["add_30_rows"] = {"seconds": seconds, "added_dropped": count, "peak_rss_mb": rss}
    asked = list(queries(args.queries))
    for leg, fts in (("tantivy", False), ("fts5", True)):
        _s, figures, _rss = _child(data, _SEARCH.format(asked=asked, fts=fts))
        result[f"search_{leg}"] = figures
    result["index_mb"] = round(sum(p.stat().st_size for p in (data / "lexical").rglob("*")
                                   if p.is_file()) / 1e6)
    print(json.dumps(result, indent=2), flush=True)
    out = ROOT / "bench" / "results" / "lexical.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
