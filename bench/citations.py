"""Citation lookup benchmark on a synthetic corpus (default 100,000 documents).

    .venv/bin/python bench/citations.py [--docs 100000] [--lookups 300]

Each synthetic plan has a header, an opening "Thực hiện …" clause and a few body mentions
drawn from a pool of Party and state numbers (popularity ~ Zipf, central numbers reused in
three terms, local numbers in 20 provinces). Citations are extracted with the real extractor,
stored in a real catalog, and the index is rebuilt; then ``cites`` is timed on random keys
and on the most cited ones. Figures go to stdout and ``bench/results/citations.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.citations import extract_citations  # noqa: E402
from query.cites import cites  # noqa: E402
from store.citation_index import rebuild  # noqa: E402
from store.store import Store  # noqa: E402

PROVINCES = ["Lai Châu", "Lào Cai", "Tuyên Quang", "Quảng Ninh", "Hà Giang", "Yên Bái",
             "Điện Biên", "Sơn La", "Cao Bằng", "Bắc Kạn", "Thái Nguyên", "Phú Thọ",
             "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Gia Lai", "Đắk Lắk", "Cà Mau", "An Giang",
             "Cần Thơ"]
TYPES = [("Kết luận", "KL"), ("Nghị quyết", "NQ"), ("Chỉ thị", "CT"), ("Quy định", "QĐ")]


def _pool(rng: random.Random) -> list[str]:
    """Phrases citing a document, most popular first."""
    pool = []
    for number in range(1, 301):
        word, code = TYPES[number % len(TYPES)]
        year = rng.choice([2016, 2021, 2026])
        pool.append(f"{word} số {number:02d}-{code}/TW, ngày {rng.randint(1, 28)}/"
                    f"{rng.randint(1, 12)}/{year} của Bộ Chính trị")
    for number in range(1, 201):
        pool.append(f"Kế hoạch số {number}-KH/TU, ngày {rng.randint(1, 28)}/"
                    f"{rng.randint(1, 12)}/2025 của Ban Thường vụ Tỉnh ủy")
        pool.append(f"Nghị định số {number}/2025/NĐ-CP ngày {rng.randint(1, 28)}/"
                    f"{rng.randint(1, 12)}/2025 của Chính phủ")
    return pool


def _document(i: int, rng: random.Random, pool: list[str], weights: list[float]) -> tuple:
    province = rng.choice(PROVINCES)
    cited = rng.choices(pool, weights=weights, k=6)
    text = (f"ĐẢNG ỦY SỞ {i}\nSố {i}-KH/ĐU\n{province}, ngày 15 tháng 01 năm 2025\nKẾ HOẠCH\n"
            f"Công tác năm 2025\nThực hiện {cited[0]}, Đảng ủy ban hành kế hoạch như sau:\n"
            f"I. NỘI DUNG\n1. Tiếp tục quán triệt {cited[1]}; {cited[2]}.\n"
            f"2. Gắn với {cited[3]} và {cited[4]}.\nCăn cứ {cited[5]}.\n")
    meta = {"number": f"{i}-KH/ĐU", "doc_type": "Kế hoạch", "issuer": f"Đảng ủy Sở {i}",
            "parent": "", "place": province, "date": "2025-01-15", "subject": "Công tác",
            "signer": {}, "recipients": [], "level": "cơ sở", "province": province}
    return f"d{i:07d}", text, meta


def build(store: Store, docs: int, seed: int = 7) -> float:
    rng = random.Random(seed)
    pool = _pool(rng)
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    db = store.db
    clock = time.perf_counter()
    with db:
        for i in range(docs):
            doc_id, text, meta = _document(i, rng, pool, weights)
            db.execute(
                "INSERT INTO documents (doc_id, source, path, format, text, metadata, number,"
                " doc_type, issuer, date, page_count, ocr_pages, encoding, notes, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, f"{doc_id}.txt", f"/synthetic/{doc_id}.txt", "txt", text,
                 json.dumps(meta, ensure_ascii=False), meta["number"], "Kế hoạch",
                 meta["issuer"], meta["date"], 0, "[]", "utf-8", "[]", "2026-11-23"))
            db.executemany(
                "INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(doc_id, n, c.start, c.end, c.kind, c.key, c.type_word, c.type_code, c.number,
                  c.issuer_code, c.date, c.issuer, c.term, c.subject, c.relation, c.inside)
                 for n, c in enumerate(extract_citations(doc_id, text, meta["number"]))])
    return time.perf_counter() - clock


def _ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"p50_ms": round(statistics.median(values) * 1000, 2),
            "p95_ms": round(values[int(0.95 * (len(values) - 1))] * 1000, 2),
            "max_ms": round(values[-1] * 1000, 2)}


def random_lookups(store: Store, count: int) -> dict[str, object]:
    """A first page of 100 citers (as the CLI and UI show) for ``count`` random cited keys."""
    keys = [k for (k,) in store.db.execute(  # cited keys: what drafters look up
        "SELECT DISTINCT r.key FROM refs r JOIN ref_mentions m ON m.ref_id = r.ref_id")]
    rng = random.Random(3)
    sample = rng.sample(keys, min(count, len(keys)))
    times, sizes = [], []
    for key in sample:
        clock = time.perf_counter()
        result = cites(store, key, limit=100)
        times.append(time.perf_counter() - clock)
        sizes.append(result.total)
    return {**_ms(times), "lookups": len(times),
            "median_citing_docs": statistics.median(sizes), "page": 100}


def most_cited(store: Store) -> list[dict[str, object]]:
    """The five most cited keys: their first page, and every citing row."""
    top = [k for (k,) in store.db.execute(
        "SELECT r.key FROM ref_mentions m JOIN refs r ON r.ref_id = m.ref_id "
        "GROUP BY r.key ORDER BY count(*) DESC LIMIT 5")]
    out = []
    for key in top:
        clock = time.perf_counter()
        result = cites(store, key, limit=100)
        page = time.perf_counter() - clock
        clock = time.perf_counter()
        everything = cites(store, key)
        out.append({"key": key, "first_page_ms": round(page * 1000, 1),
                    "all_rows_ms": round((time.perf_counter() - clock) * 1000, 1),
                    "citing_docs": result.total, "rows_listed": len(everything.citing)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        store = Store(data)
        load = build(store, args.docs)
        clock = time.perf_counter()
        stats = rebuild(store.db)
        index_s = time.perf_counter() - clock
        result = {
            "documents": args.docs, "mentions": stats.mentions, "refs": stats.refs,
            "edges": stats.edges, "load_and_extract_s": round(load, 1),
            "rebuild_index_s": round(index_s, 1),
            "random_lookups": random_lookups(store, args.lookups),
            "most_cited": most_cited(store),
        }
        store.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = Path(__file__).parent / "results" / "citations.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
