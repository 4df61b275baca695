"""The CLI's commands, one module per group of verbs; ``cli.py`` holds the argument table.

Each command parses nothing itself (argparse did), calls the library and prints what
``present/`` renders. These helpers are what every command shares: opening the store with or
without the model, and the notices a user reads when something is missing.
"""

from __future__ import annotations

import argparse
import sys

from present.format import to_json
from query.cites import cites
from store.store import Store

MAX_QUERY_CHARS = 2000  # e5 reads 512 tokens; a pasted page says no more than its start


def show(lines, *, err: bool = False) -> None:
    for line in lines:
        print(line, file=sys.stderr if err else sys.stdout)


def show_json(value: object) -> None:
    sys.stdout.write(to_json(value) + "\n")


def encoder(quiet: bool):
    """The embedding model, or None with a notice: search still works on words alone."""
    from models.encoder import ModelMissingError, load_encoder

    try:
        found = load_encoder()
    except ModelMissingError as error:
        if not quiet:
            print(f"Lưu ý: {error}. Tạm thời chỉ tìm theo từ ngữ.", file=sys.stderr)
        return None
    if found.notice and not quiet:  # int8 asked for, torch used
        print(f"Lưu ý: {found.notice}", file=sys.stderr)
    return found


def open_store(args: argparse.Namespace, *, model: bool = False) -> Store:
    return Store(args.data, encoder=encoder(args.json) if model else None)


def stocked(args: argparse.Namespace, notices: list[str], *, model: bool = True
             ) -> Store | None:
    """The store (with the model), or None with a message when it holds no passage yet."""
    store = open_store(args)
    if store.empty:
        print(f"Chưa có văn bản nào trong {store.data_dir}. Nhập văn bản trước: "
              "python cli.py ingest THƯ_MỤC", file=sys.stderr)
        return None
    if model:
        store.encoder = encoder(args.json)
        if store.encoder is not None and not store.has_vectors:
            notices.append("chưa có chỉ mục vector (chỉ tìm theo từ ngữ); chạy lại "
                           "python cli.py ingest để tạo")
    return store


def citing(store: Store, ref: str) -> frozenset[str] | None:
    """The documents citing ``ref``, or None with a message (and suggestions) when ``ref``
    is unknown."""
    found = cites(store, ref, limit=None)
    if not found.refs:
        hint = ("; có phải: " + ", ".join(found.suggestions)) if found.suggestions else ""
        print(f"Không biết văn bản “{ref}”{hint}.", file=sys.stderr)
        return None
    return frozenset(c.doc_id for c in found.citing)


def tell(notes: list[str]) -> None:
    show(f"Lưu ý: {note}." for note in notes)


def rewrite(text: str):
    """(the LLM rewrite of ``text``, markers checked, exit code) for --rewrite. An LLM that
    is not configured is a refused rewrite, so the extractive text printed before it still
    stands, and exit code 2 tells a script the option could not be honoured."""
    from present.rewrite import LlmNotConfiguredError, Rewrite
    from present.rewrite import rewrite as _rewrite

    try:
        return _rewrite(text), 0
    except LlmNotConfiguredError as error:
        return Rewrite("", False, str(error), ""), 2
