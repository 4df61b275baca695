"""Precedent wording: earlier passages like a text, and the lineage of a phrase."""

from __future__ import annotations

import argparse

from commands import open_store, show, show_json, stocked, tell
from present import text as render


def cmd_similar(args: argparse.Namespace) -> int:
    from query.similar import similar

    text = " ".join((args.text or "").split())
    if not text and not args.passage:
        print("Hãy dán đoạn văn cần tra, ví dụ: python cli.py similar \"Nâng cao chất lượng "
              "học tập nghị quyết\", hoặc dùng --passage MÃ_ĐOẠN")
        return 2
    notices: list[str] = []
    store = stocked(args, notices)
    if store is None:
        return 2
    result = similar(store, text, passage_id=args.passage or "", k=args.k, since=args.since,
                     until=args.until, all_kinds=args.all_kinds)
    if result.truncated:
        notices.append(f"văn bản dài quá, chỉ so sánh {result.words} từ đầu")
    if not result.letters:
        notices.append("văn bản không có chữ tiếng Việt: chỉ tìm được các đoạn gần nghĩa "
                       "(lân cận theo vector)")
    if not result.dense:
        notices.append("không có mô hình vector: chỉ tìm được các đoạn trùng lời")
    notices += store.notices
    if args.json:
        show_json({"notices": notices, **vars(result)})
        return 0
    tell(notices)
    if not result.groups:
        print("Không thấy đoạn nào trùng lời hay cùng ý. Thử dán một đoạn dài hơn, hoặc bỏ "
              "giới hạn năm.")
    show(render.precedents(result))
    return 0


def cmd_lineage(args: argparse.Namespace) -> int:
    from query.lineage import lineage

    phrase = " ".join(args.phrase.split())
    if not phrase:
        print("Hãy nhập cụm từ, ví dụ: python cli.py lineage \"kỷ nguyên vươn mình của dân "
              "tộc\"")
        return 2
    found = lineage(open_store(args), phrase, all_kinds=args.all_kinds)
    if args.json:
        show_json(found)
    elif not found.uses:
        print(f"Không văn bản nào có nguyên văn “{phrase}”. Thử bớt từ, hoặc dùng "
              "python cli.py similar để tìm cách viết gần giống.")
    else:
        show(render.lineage(found))
    return 0
