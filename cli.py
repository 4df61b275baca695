"""Command line: ingest, docs, show. Parses input, calls the library, renders; nothing else.

Messages are Vietnamese; ``--json`` prints UTF-8 JSON (not ASCII-escaped) for scripts.
Exit codes: 0 success, 1 some files failed to ingest, 2 bad usage or lookup failure.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may be fetched from a model hub

from index.catalog import Catalog  # noqa: E402
from index.lookup import resolve  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.batch import ingest  # noqa: E402
from ingest.errors import VankienError  # noqa: E402


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _date(iso: str) -> str:
    """"2025-01-15" → "15/01/2025", as Vietnamese readers write dates."""
    return "/".join(reversed(iso.split("-"))) if iso else ""


def _catalog(args: argparse.Namespace) -> Catalog:
    return Catalog(args.data or settings.get("data"))


def cmd_ingest(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    report = ingest(args.paths, catalog, prune=args.prune, progress=not args.json)
    if args.json:
        _print_json({
            "ingested": report.ingested, "unchanged": report.unchanged, "linked": report.linked,
            "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
            "failed": [{"path": p, "error": e, "reason": r} for p, e, r in report.failed],
            "pruned": report.pruned, "passages": report.passages,
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        })
    else:
        print(f"Đã nhập {len(report.ingested)} văn bản ({report.passages} đoạn); "
              f"không đổi {len(report.unchanged)}; trùng nội dung {len(report.linked)}; "
              f"bỏ qua {len(report.skipped)}; lỗi {len(report.failed)}"
              + (f"; đã xóa {len(report.pruned)}" if args.prune else "") + ".")
        for path, reason in report.skipped:
            print(f"  bỏ qua  {path}: {reason}")
        for path, _error, reason in report.failed:
            print(f"  LỖI     {path}: {reason}", file=sys.stderr)
        for path in report.pruned:
            print(f"  đã xóa  {path}")
        print(f"Danh mục: {catalog.path}. Xem: python cli.py docs")
    return 1 if report.failed else 0


def cmd_docs(args: argparse.Namespace) -> int:
    entries = _catalog(args).entries()
    if args.json:
        _print_json([{
            "doc_id": e.doc_id, "source": e.source, "paths": list(e.paths), "format": e.format,
            "number": e.metadata.number, "doc_type": e.metadata.doc_type,
            "date": e.metadata.date, "issuer": e.metadata.issuer,
            "subject": e.metadata.subject, "pages": e.page_count,
            "passages": e.passage_count, "ocr_pages": list(e.ocr_pages),
        } for e in entries])
        return 0
    if not entries:
        print("Danh mục trống. Nhập văn bản: python cli.py ingest THƯ_MỤC")
        return 0
    for e in entries:
        m = e.metadata
        print(f"{e.doc_id}  {m.number or '—':<16} {m.doc_type or '—':<12} "
              f"{_date(m.date) or '—':<10}  "
              f"{(m.issuer or '—')[:32]:<32}  {e.source}  ({e.passage_count} đoạn)")
    print(f"Tổng: {len(entries)} văn bản.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    doc = catalog.get(resolve(catalog, args.doc))
    if args.json:
        _print_json({
            "doc_id": doc.doc_id, "source": doc.source, "path": doc.path, "format": doc.format,
            "pages": doc.page_count, "ocr_pages": list(doc.ocr_pages), "encoding": doc.encoding,
            "notes": list(doc.notes), "metadata": asdict(doc.metadata),
            "sections": [{k: v for k, v in asdict(s).items() if k != "doc_id"}
                         for s in doc.sections],
            "passages": [{"passage_id": p.passage_id, "start": p.start, "end": p.end,
                          "kind": p.kind, "heading": p.heading, "text": p.text}
                         for p in doc.passages],
            "text": doc.text,
        })
        return 0
    m = doc.metadata
    rows = [("Số hiệu", m.number), ("Loại", m.doc_type), ("Cơ quan ban hành", m.issuer),
            ("Cơ quan cấp trên", m.parent),
            ("Nơi, ngày", ", ".join(x for x in (m.place, _date(m.date)) if x)),
            ("Trích yếu", m.subject), ("Người ký", " / ".join(
                x for x in (m.signer.authority, m.signer.position, m.signer.name) if x)),
            ("Nơi nhận", "; ".join(m.recipients)), ("Cấp", m.level), ("Tỉnh", m.province),
            ("Tệp", doc.path), ("Mã", doc.doc_id),
            ("Trang", f"{doc.page_count}" + (f" (OCR {len(doc.ocr_pages)} trang)"
                                              if doc.ocr_pages else "") if doc.page_count else ""),
            ("Cấu trúc", f"{len(doc.sections)} mục, {len(doc.passages)} đoạn")]
    for label, value in rows:
        print(f"{label + ':':<18}{value or '—'}")
    for note in doc.notes:
        print(f"Ghi chú: {note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cli.py", description="vankien: tra cứu văn bản")
    parser.add_argument("--data", help=f"thư mục dữ liệu (mặc định $VANKIEN_DATA hoặc "
                                       f"{settings.SETTINGS[0].default})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="nhập tệp hoặc thư mục (đệ quy)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="xóa văn bản có tệp không còn tồn tại")
    p.set_defaults(run=cmd_ingest)
    p = sub.add_parser("docs", help="liệt kê danh mục")
    p.set_defaults(run=cmd_docs)
    p = sub.add_parser("show", help="xem một văn bản (mã, tên tệp hoặc số hiệu)")
    p.add_argument("doc")
    p.set_defaults(run=cmd_show)
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="in JSON (UTF-8)")
        p.add_argument("--data", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    args = parser.parse_args(argv)
    # pypdf logs every oddity of a PDF it can still read ("Multiple definitions in
    # dictionary"); the per-file summary is what users need to read.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except VankienError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
