"""For lecturers: a document's summary, and an outline on a topic."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands import citing, open_store, rewrite, show, show_json, stocked, tell
from present import text as render
from query.lookup import resolve

EXAMPLE_TOPIC = "python cli.py outline \"học tập và làm theo Bác\", hoặc --cites 01-KL/TW"


def cmd_summarize(args: argparse.Namespace) -> int:
    from query.summarize import summarize

    store = open_store(args, model=True)
    summary = summarize(store.catalog.get(resolve(store, args.doc)), store=store,
                        sentences=args.sentences)
    if not args.json:
        show(render.summary(summary))
    rewritten, code = rewrite(render.summary_markers(summary)) if args.rewrite else (None, 0)
    if args.json:
        show_json({**vars(summary), **({"rewrite": rewritten} if rewritten else {})})
    elif rewritten:
        show(render.rewrite(rewritten))
    return code


def cmd_outline(args: argparse.Namespace) -> int:
    from present.outline_export import docx, markdown
    from query.outline import directive_in, outline

    topic = " ".join((args.topic or "").split())
    if not topic and not args.cites:
        print(f"Hãy nhập chủ đề, ví dụ: {EXAMPLE_TOPIC}")
        return 2
    notices: list[str] = []
    store = stocked(args, notices)
    if store is None:
        return 2
    doc_ids = None
    if args.cites and (doc_ids := citing(store, args.cites)) is None:
        return 2
    result = outline(store, topic or args.cites, doc_ids=doc_ids,
                     directive=directive_in(store, args.cites) if args.cites else None,
                     require_words=bool(topic))
    notices += store.notices
    if not result.sections and not args.json:
        where = f" trong các văn bản trích dẫn {args.cites}" if args.cites else ""
        print(f"Không tìm thấy đoạn nào về “{topic or args.cites}”{where}. Thử chủ đề khác "
              "hoặc ít từ hơn.")
        return 0
    text = markdown(result)
    written = []
    if args.md:
        Path(args.md).write_text(text, encoding="utf-8")
        written.append(args.md)
    if args.docx:
        docx(result, args.docx)
        written.append(args.docx)
    if not args.json:
        tell(notices)
        print(text, end="")
        show(f"Đã ghi {path}" for path in written)
    rewritten, code = rewrite(text) if args.rewrite else (None, 0)
    if args.json:
        show_json({**vars(result), "notices": notices, "written": written,
                   **({"rewrite": rewritten} if rewritten else {})})
    elif rewritten:
        show(render.rewrite(rewritten))
    return code
