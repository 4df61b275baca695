"""The one settings table. The CLI, the UI and the README read it; a test checks that every
setting is documented in the README.

A setting is overridden by the environment variable ``VANKIEN_<NAME>`` (upper case), e.g.
``VANKIEN_DATA=/srv/vankien`` or ``VANKIEN_MAX_FILE_MB=20``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the project folder


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data", "./data", "Data directory holding the catalog (catalog.sqlite) and indexes."),
    Setting("model", "models/cache/multilingual-e5-small", "Sentence-transformers folder of "
            "the embedding model (relative to the project, or absolute); built by make."),
    Setting("encoder_variant", "fp32", "How the embedding model runs: fp32: the full-precision "
            "torch model; int8: its int8 ONNX export on onnxruntime (2.2-3x faster, cosine "
            "0.997 to fp32; torch is used, with a notice, when the export is missing). The two "
            "have different model ids: an index built with one is refused for the other."),
    Setting("max_file_mb", 100, "Files larger than this many megabytes are refused."),
    Setting("max_unzipped_mb", 300, "A DOCX whose parts unpack to more than this is refused "
            "as a zip bomb."),
    Setting("workers", 0, "Processes that read and build files during an ingest, and OCR "
            "pages of one file read at a time; 0: one per core, 1: one file and one page "
            "after the other."),
    Setting("ingest_wait_s", 600, "Seconds an ingest waits for another one writing to the "
            "same data directory before refusing (one writer at a time)."),
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
    # Chosen by bench/fusion.py on both labelled sets (tests/data/qrels.tsv, qrels2.tsv) by
    # 5-fold cross-validation, held out (README, "Search quality"): z-scores at a dense share
    # of 0.3 gave MRR@10 0.886 and 0.711 (BM25 0.861 and 0.664; weighted RRF 0.847 and 0.668)
    # with no kind of query below today's. Weights per query shape overfitted (held out
    # 0.870 and 0.713) and are left to the office to set.
    Setting("fusion", "zscore", "How the two legs are fused: zscore or minmax (a weighted sum "
            "of each leg's scores normalised per query) or rrf (weighted reciprocal rank)."),
    Setting("fusion_dense_weight", 0.3, "Share of the dense (embedding) leg in the fusion, "
            "0-1 (rrf: its weight against the lexical leg's 1)."),
    Setting("fusion_dense_by_shape", "", "The dense leg's share by query shape, overriding "
            "fusion_dense_weight: 'shape=weight' pairs separated by spaces; shapes: choice, "
            "truefalse, question, request, long, plain, numbers (names a document number)."),
    Setting("fusion_k_lexical", 30, "rrf only: rank constant of the lexical leg (smaller: its "
            "top hits weigh more)."),
    Setting("fusion_k_dense", 60, "rrf only: rank constant of the dense leg."),
    Setting("duplicate_similarity", 0.9, "Passages this similar (0-1, after removing digits "
            "and tone marks) are shown as one hit listing the others."),
    # Thresholds of the precedent labels (python cli.py similar), from tests/data/similar.tsv
    # with the real model (tests/test_similar_quality.py): edited and reordered copies share
    # 0.82-0.98 of their word triples with their source, paraphrases 0.04-0.38, so 0.6 sits
    # between. e5-small's cosines are bunched: with passages embedded in their context
    # (store/embed.py, TEXT_FORMAT 2) paraphrase targets score 0.855-0.916 and the best
    # unrelated passage of an input 0.859-0.902; 0.85 keeps every target and the ranking
    # (targets first in 10 of 14) does the rest (README, "Precedent wording"). Embedded
    # alone, the targets scored 0.884-0.966 and the threshold was 0.89.
    Setting("similar_near", 0.6, "Share (0-1) of word triples two texts must have in common, "
            "of the shorter, to be labelled “gần như trùng” (near-identical)."),
    Setting("similar_meaning", 0.85, "Cosine of the embeddings above which a passage is "
            "labelled “cùng ý” (same meaning)."),
    Setting("similar_max_words", 5000, "Words of a pasted text compared; the rest is ignored "
            "with a notice."),
    Setting("similar_dense_words", 200, "Words of a pasted text that are embedded to find "
            "passages with the same meaning (the encoder reads 512 tokens at most)."),
    Setting("llm_url", "", "OpenAI-compatible chat endpoint (Ollama, llama.cpp server, vLLM) "
            "that may rewrite a summary or outline into prose; empty: no rewrite."),
    Setting("llm_model", "default", "Model name sent to the LLM endpoint."),
    Setting("llm_timeout_s", 120.0, "Seconds allowed for one LLM rewrite."),
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


def project_path(value: str | os.PathLike) -> Path:
    """A path from a setting: absolute as it is, relative to the project folder otherwise,
    so the CLI, the app and the tests find the same folder from any working directory."""
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


def data_dir(given: str | os.PathLike | None = None) -> Path:
    """The data directory: ``given`` (a command-line argument, relative to the working
    directory as any path typed in a shell), else the ``data`` setting (project-relative)."""
    if given:
        return Path(given).absolute()
    return project_path(str(get("data")))
