"""Command line: ingest, search, eval, docs, show, cites, refs, similar, lineage, check, summarize,
outline. This file is the argument table; the commands are in ``commands/``.

Messages are Vietnamese; ``--json`` prints UTF-8 JSON of the result records (not
ASCII-escaped) for scripts. Exit codes: 0 success, 1 some files failed to ingest, 2 bad usage
or lookup failure.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from commands import catalog, check, citations, lecture, search, wording
from core import settings
from core.errors import VankienError
from present.format import RELATIONS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="vankien: tra cứu văn bản")
    parser.add_argument("--data", help=f"thư mục dữ liệu (mặc định $VANKIEN_DATA hoặc "
                                       f"{settings.SETTINGS[0].default})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="nhập tệp hoặc thư mục (đệ quy)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="xóa văn bản có tệp không còn tồn tại")
    p.add_argument("--no-embed", action="store_true", help="không mã hóa vector (chỉ tìm theo từ)")
    p.add_argument("--rebuild", action="store_true",
                   help="dựng lại danh mục hỏng từ các tệp gốc (bản cũ được giữ lại bên cạnh)")
    p.set_defaults(run=catalog.cmd_ingest)
    p = sub.add_parser("search", help="tìm đoạn văn bản (từ ngữ và ngữ nghĩa)")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="số kết quả")
    p.add_argument("--type", help="loại văn bản, ví dụ “Kế hoạch”")
    p.add_argument("--issuer", help="cơ quan ban hành (một phần tên)")
    p.add_argument("--level", help="cấp ban hành: TW (trung ương), tỉnh, huyện, cơ sở")
    p.add_argument("--province", help="tỉnh, thành phố, ví dụ “Lào Cai”")
    p.add_argument("--year-from", type=int, help="từ năm")
    p.add_argument("--year-to", type=int, help="đến năm")
    p.add_argument("--cites", help="chỉ trong các văn bản trích dẫn văn bản này, ví dụ "
                                   "“01-KL/TW”")
    p.set_defaults(run=search.cmd_search)
    p = sub.add_parser("similar", help="đoạn đã viết trước đây: trùng nguyên văn, gần như "
                                       "trùng, cùng ý")
    p.add_argument("text", nargs="?", default="")
    p.add_argument("--passage", help="bắt đầu từ một đoạn đã nhập (mã đoạn, ví dụ abc123:4)")
    p.add_argument("-k", type=int, default=20, help="số nhóm cách viết")
    p.add_argument("--since", type=int, help="từ năm")
    p.add_argument("--until", type=int, help="đến năm")
    p.add_argument("--all-kinds", action="store_true", help="gồm cả chú thích và phần chữ ký")
    p.set_defaults(run=wording.cmd_similar)
    p = sub.add_parser("lineage", help="văn bản đầu tiên dùng một cụm từ và số văn bản dùng "
                                       "lại theo năm")
    p.add_argument("phrase")
    p.add_argument("--all-kinds", action="store_true", help="gồm cả chú thích và phần chữ ký")
    p.set_defaults(run=wording.cmd_lineage)
    p = sub.add_parser("check", help="kiểm tra các trích dẫn của một dự thảo (không nhập vào "
                       "danh mục): ngày, cơ quan ban hành, số trùng qua các nhiệm kỳ, lần nhắc "
                       "đầu thiếu thông tin, số chưa có, đoạn trùng lời, kế hoạch cùng thực hiện")
    p.add_argument("file", help="tệp dự thảo (PDF, DOCX, DOC, TXT)")
    p.add_argument("--no-precedent", action="store_true",
                   help="không tìm đoạn trùng lời (nhanh hơn)")
    p.set_defaults(run=check.cmd_check)
    p = sub.add_parser("summarize", help="tóm tắt một văn bản: mục đích, nhiệm vụ, thời hạn, "
                                         "đơn vị thực hiện và các câu tiêu biểu")
    p.add_argument("doc")
    p.add_argument("--sentences", type=int, default=5, help="số câu tóm tắt")
    p.add_argument("--rewrite", action="store_true", help="nhờ LLM (VANKIEN_LLM_URL) viết lại "
                                                            "thành văn xuôi, giữ nguồn")
    p.set_defaults(run=lecture.cmd_summarize)
    p = sub.add_parser("outline", help="đề cương bài giảng từ các văn bản về một chủ đề")
    p.add_argument("topic", nargs="?", default="")
    p.add_argument("--cites", help="chỉ từ các văn bản trích dẫn văn bản này, ví dụ “01-KL/TW”")
    p.add_argument("--docx", help="ghi ra tệp Word (.docx)")
    p.add_argument("--md", help="ghi ra tệp Markdown (.md)")
    p.add_argument("--rewrite", action="store_true", help="nhờ LLM (VANKIEN_LLM_URL) viết lại "
                                                            "thành văn xuôi, giữ nguồn")
    p.set_defaults(run=lecture.cmd_outline)
    p = sub.add_parser("eval", help="đo chất lượng tìm kiếm trên các câu hỏi có nhãn")
    p.add_argument("--qrels", default=str(Path(__file__).parent / "tests" / "data" / "qrels.tsv"),
                   help="tệp câu hỏi có nhãn (TSV: qid, kind, query, file, phrase)")
    p.set_defaults(run=search.cmd_eval)
    p = sub.add_parser("docs", help="liệt kê danh mục")
    p.set_defaults(run=catalog.cmd_docs)
    p = sub.add_parser("show", help="xem một văn bản (mã, tên tệp hoặc số hiệu)")
    p.add_argument("doc")
    p.set_defaults(run=catalog.cmd_show)
    p = sub.add_parser("cites", help="các văn bản trích dẫn một văn bản (số hiệu, mọi cách viết)")
    p.add_argument("ref")
    p.add_argument("--relation", choices=sorted(RELATIONS), help="chỉ một loại quan hệ")
    p.add_argument("--direct-only", action="store_true", help="bỏ các văn bản thực hiện gián "
                                                               "tiếp (qua văn bản khác)")
    p.add_argument("--limit", type=int, default=100, help="số văn bản mỗi trang (0: tất cả)")
    p.add_argument("--offset", type=int, default=0, help="bỏ qua bấy nhiêu văn bản đầu")
    p.set_defaults(run=citations.cmd_cites)
    p = sub.add_parser("refs", help="những văn bản một văn bản trích dẫn")
    p.add_argument("doc")
    p.set_defaults(run=citations.cmd_refs)
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="in JSON (UTF-8)")
        p.add_argument("--data", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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
