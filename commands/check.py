"""Check a draft's references: `cli.py check FILE`."""

from __future__ import annotations

import argparse
import sys

from commands import show, show_json, stocked, tell
from core.errors import VankienError


def cmd_check(args: argparse.Namespace) -> int:
    """Findings are not failures: exit 0 whatever they are, 2 for an unreadable draft."""
    from ingest.readers import read
    from present.check_text import report
    from query.check import check

    try:
        raw = read(args.file)
    except (VankienError, OSError) as error:
        print(f"Không đọc được dự thảo {args.file}: {error}", file=sys.stderr)
        return 2
    if not raw.text.strip():
        print(f"Dự thảo {args.file} không có chữ nào (bản quét chưa nhận dạng được?).",
              file=sys.stderr)
        return 2
    notices: list[str] = []
    store = stocked(args, notices)
    if store is None:
        return 2
    found = check(store, raw, name=args.file, precedent=not args.no_precedent)
    notices += store.notices
    if args.json:
        show_json({"notices": notices, **vars(found)})
        return 0
    tell(notices)
    show(report(found))
    return 0
