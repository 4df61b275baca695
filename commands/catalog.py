"""Commands on the catalog itself: ingest files, list documents, show one."""

from __future__ import annotations

import argparse

from commands import open_store, show, show_json
from present import text as render
from query.lookup import resolve
from store.update import ingest, set_aside


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.rebuild and (aside := set_aside(args.data)) is not None:
        print(f"Đã chuyển danh mục cũ sang {aside}; dựng lại từ các tệp gốc.")
    store = open_store(args, model=not args.no_embed)
    report = ingest(args.paths, store, prune=args.prune, progress=not args.json)
    if args.json:
        show_json(report)
    else:
        out, err = render.ingest_report(report, pruning=args.prune,
                                        catalog_path=store.catalog.path)
        show(out)
        show(err, err=True)
    return 1 if report.failed else 0


def cmd_docs(args: argparse.Namespace) -> int:
    entries = open_store(args).catalog.entries()
    if args.json:
        show_json(entries)
    elif not entries:
        print("Danh mục trống. Nhập văn bản: python cli.py ingest THƯ_MỤC")
    else:
        show(render.entries(entries))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    store = open_store(args)
    doc = store.catalog.get(resolve(store, args.doc))
    if args.json:
        show_json(doc)
    else:
        show(render.document(doc))
    return 0
