"""Exceptions raised by the library. Only cli.py / app.py turn them into messages.

Every message names the file and the problem, and where possible the fix. Reasons are
written in Vietnamese because users read them as they are (CLI summary, UI), e.g.
``bao-cao.xls: định dạng .xls không được hỗ trợ (dùng PDF, DOCX, DOC hoặc TXT)``.
"""

from __future__ import annotations


class VankienError(Exception):
    """Base class of every error the library raises on purpose."""


class IngestError(VankienError):
    """A file could not be read or ingested. ``path`` names the file."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(IngestError):
    """The file extension is not one we read."""


class FileTooLargeError(IngestError):
    """The file is larger than the ``max_file_mb`` setting."""


class EmptyDocumentError(IngestError):
    """The file holds no usable text (empty, blank, or nothing after OCR)."""


class CorruptFileError(IngestError):
    """Truncated, malformed or not what its extension says (a .docx that is no zip...)."""


class EncryptedFileError(IngestError):
    """A password-protected PDF or DOCX."""


class UnreadableFileError(IngestError):
    """The operating system refused to open the file (permissions, vanished)."""


class OcrError(IngestError):
    """Tesseract failed on a page or ran past ``ocr_timeout_s``."""


class ToolMissingError(IngestError):
    """An external program (tesseract, pdftoppm, antiword) is not installed."""


class CatalogError(VankienError):
    """The catalog database is missing, from another schema version, or damaged."""


class IndexDamagedError(VankienError):
    """A derived index's files cannot be read back as they were written (truncated, garbage,
    counts that disagree). The catalog holds what rebuilds it."""

    def __init__(self, path, detail: str):
        self.path = path
        self.detail = detail
        super().__init__(f"{path}: chỉ mục bị hỏng ({detail})")


class StoreBusyError(VankienError):
    """Another process is writing to the same data directory (an ingest under way)."""


class DocumentNotFoundError(VankienError):
    """``show DOC`` named nothing in the catalog. ``candidates`` holds close matches."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        hint = f"; gần giống: {', '.join(candidates)}" if candidates else ""
        super().__init__(f"{query}: không có trong danh mục{hint}")


class EmptyQueryError(VankienError):
    """A search, a precedent lookup or a phrase holds no word to look for."""
