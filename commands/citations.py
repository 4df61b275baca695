"""Who cites a document, and what a document cites."""

from __future__ import annotations

import argparse

from commands import open_store, show, show_json
from present import text as render
from query.cites import cites, refs
from query.lookup import resolve


def cmd_cites(args: argparse.Namespace) -> int:
    result = cites(open_store(args), args.ref, relation=args.relation,
                   direct_only=args.direct_only, limit=args.limit or None, offset=args.offset)
    if args.json:
        show_json({**vars(result), "offset": args.offset,
                     "understood": result.query.usable or bool(result.refs)})
    elif not result.query.usable and not result.refs:
        print(f"Không nhận ra số hiệu văn bản trong “{args.ref}”. Ví dụ: 01-KL/TW, "
              "Kết luận 01-KL/TW, kl 01/tw, nd 146/2025, hoặc tên như “Nghị quyết Đại hội XIII”.")
    elif not result.refs:
        hint = f" Bạn có muốn tìm: {', '.join(result.suggestions)}?" if result.suggestions else ""
        print(f"Không có văn bản nào trích dẫn “{args.ref}”.{hint}")
    else:
        show(render.citing(result, args.offset))
    return 0


def cmd_refs(args: argparse.Namespace) -> int:
    store = open_store(args)
    doc_id = resolve(store, args.doc)
    cited = refs(store, doc_id)
    if args.json:
        show_json({"doc_id": doc_id, "refs": cited})
    else:
        show(render.cited(cited))
    return 0
