"""Search, and the measure of its quality on labelled queries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands import MAX_QUERY_CHARS, citing, open_store, show, show_json, stocked, tell
from present import text as render


def cmd_search(args: argparse.Namespace) -> int:
    from query.filters import Filters
    from query.search import search

    query = " ".join(args.query.split())
    if not query:
        print("Hãy nhập nội dung cần tìm, ví dụ: python cli.py search \"báo cáo viên\"")
        return 2
    notices = []
    if len(query) > MAX_QUERY_CHARS:
        query = query[:MAX_QUERY_CHARS]
        notices.append(f"câu tìm dài quá, chỉ dùng {MAX_QUERY_CHARS} ký tự đầu")
    store = stocked(args, notices)
    if store is None:
        return 2
    doc_ids = None
    if args.cites:
        if (doc_ids := citing(store, args.cites)) is None:
            return 2
        notices.append(f"chỉ tìm trong {len(doc_ids)} văn bản trích dẫn {args.cites}")
    filters = Filters(doc_type=args.type or "", issuer=args.issuer or "",
                      level=args.level or "", province=args.province or "",
                      year_from=args.year_from, year_to=args.year_to, doc_ids=doc_ids)
    hits = search(store, query, k=args.k, filters=filters)
    notices += store.notices  # an index found damaged: the answer is without it
    if args.json:
        show_json({"query": query, "notices": notices, "hits": hits})
        return 0
    tell(notices)
    if not hits:
        print("Không tìm thấy đoạn nào. Thử ít từ hơn, bỏ bộ lọc, hoặc đặt cụm từ cần khớp "
              "đúng trong ngoặc kép.")
    show(render.hits(hits))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from query.evaluate import evaluate, load_queries

    qrels = Path(args.qrels)
    if not qrels.is_file():
        print(f"Không thấy tệp câu hỏi có nhãn: {qrels}", file=sys.stderr)
        return 2
    store = open_store(args)
    queries, total = load_queries(store, qrels)
    if not queries:
        print(f"Danh mục {store.data_dir} không chứa văn bản nào mà {qrels} nhắc tới. Nhập "
              "chúng trước, ví dụ: python cli.py ingest tests/data", file=sys.stderr)
        return 2
    notices: list[str] = []
    store = stocked(args, notices)
    results = evaluate(store, queries)
    notices += store.notices
    if args.json:
        show_json({"qrels": str(qrels), "queries": len(queries), "total": total,
                     "notices": notices, "legs": results})
        return 0
    tell(notices)
    show(render.evaluation(results, len(queries), total, qrels))
    return 0
