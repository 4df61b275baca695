"""From what a reader returned to a structured ``Document``: clean, metadata, segment, tokens."""

from __future__ import annotations

import os
import time
from collections.abc import MutableMapping

from core.records import Document, RawText
from ingest.citations import extract_citations
from ingest.clean import clean
from ingest.metadata import extract
from ingest.segment import segment
from ingest.tokenize import tokenize


def build(raw: RawText, doc_id: str, *, timings: MutableMapping[str, float] | None = None
          ) -> Document:
    """Structure one document. ``timings`` (optional) accumulates seconds per stage."""
    clock = time.perf_counter()
    stages = timings if timings is not None else {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage] = stages.get(stage, 0.0) + now - clock
        clock = now

    text = clean(raw.text)
    lap("clean")
    # Metadata reads the reader's own lines: the header block's layout (issuer above the
    # motto, place-date beside the number) is clearer before paragraphs are re-flowed.
    metadata = extract(raw.text)
    lap("metadata")
    sections, passages = segment(doc_id, text)
    lap("segment")
    passages = tuple(p.__class__(**{**p.__dict__, "tokens": tokenize(p.text)}) for p in passages)
    lap("tokenize")
    citations = extract_citations(doc_id, text, metadata.number)
    lap("citations")
    return Document(
        doc_id=doc_id, source=os.path.basename(raw.path), path=os.path.abspath(raw.path),
        format=raw.format, text=text, metadata=metadata, sections=sections, passages=passages,
        page_count=len(raw.page_starts), ocr_pages=raw.ocr_pages, encoding=raw.encoding,
        notes=raw.notes, citations=citations,
    )
