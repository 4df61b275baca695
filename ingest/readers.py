"""Read a PDF, DOCX, DOC or TXT file into a :class:`RawText`: NFC text, ``\\n`` line ends.

One public function, :func:`read`, dispatching on the file extension to
``ingest/pdf_reader.py``, ``docx_reader.py``, ``doc_reader.py``, or the TXT reader here. Text
is kept as the file has it (cleaning happens in ``ingest/clean.py``) except that TCVN3/VNI
glyph text is converted to Unicode (``ingest/normalize.py``) and PDF pages without a usable
text layer are OCR'd (``ingest/ocr.py``).

>>> raw = read("tests/data/readers/hiep-dinh-van-tai-trang-1-text.pdf")  # doctest: +SKIP
>>> raw.format, raw.page_starts, raw.ocr_pages
('pdf', (0,), ())
"""

from __future__ import annotations

import os
import stat
import unicodedata

from core import settings
from core.errors import (
    CorruptFileError,
    EmptyDocumentError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from core.records import RawText
from ingest.normalize import normalize_text

SUPPORTED = (".pdf", ".docx", ".doc", ".txt")
_MB = 1024 * 1024


def read(path: str | os.PathLike) -> RawText:
    """Read one file. Every failure is an ``IngestError`` subclass naming the file.

    >>> read("bao-cao.xls")
    Traceback (most recent call last):
    core.errors.UnsupportedFormatError: bao-cao.xls: định dạng .xls không được hỗ trợ (dùng PDF, DOCX, DOC hoặc TXT)
    """  # noqa: E501
    name = os.fspath(path)
    ext = os.path.splitext(name)[1].lower()
    if ext not in SUPPORTED:
        raise UnsupportedFormatError(name, f"định dạng {ext or '(không có đuôi)'} không được hỗ "
                                           "trợ (dùng PDF, DOCX, DOC hoặc TXT)")
    try:
        _check_file(name)
        raw = _reader(ext)(name)
    except OSError as error:  # permissions, vanished between stat and open, I/O errors
        raise UnreadableFileError(name, f"không đọc được tệp ({error.strerror or error})"
                                  ) from error
    if not any(c.isalpha() for c in raw.text):
        after = " kể cả sau khi OCR" if raw.ocr_pages else ""
        raise EmptyDocumentError(name, f"không có chữ nào{after}")
    return raw


def _check_file(name: str) -> None:
    """Refuse what is not a readable regular file, or too big, before parsing anything."""
    try:
        info = os.stat(name)  # follows symlinks: a dangling one is "not found"
    except FileNotFoundError as error:
        raise UnreadableFileError(name, "không tìm thấy tệp") from error
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError(name, "không phải là tệp (thư mục hoặc thiết bị)")
    limit = float(settings.get("max_file_mb"))
    if info.st_size > limit * _MB:
        raise FileTooLargeError(name, f"tệp {info.st_size / _MB:.1f} MB, quá giới hạn {limit:g} "
                                      "MB (đổi bằng VANKIEN_MAX_FILE_MB)")
    if info.st_size == 0:
        raise EmptyDocumentError(name, "tệp rỗng (0 byte)")
    with open(name, "rb") as handle:  # stat needs no read permission; opening does
        handle.read(1)


def _reader(ext: str):
    # Imported on use: a batch of TXT files never loads pypdf or python-docx.
    if ext == ".pdf":
        from ingest.pdf_reader import read_pdf
        return read_pdf
    if ext == ".docx":
        from ingest.docx_reader import read_docx
        return read_docx
    if ext == ".doc":
        from ingest.doc_reader import read_doc
        return read_doc
    return _read_txt


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_MAX_CONTROL_SHARE = 0.01  # text has tabs and line ends, not other control characters


def _read_txt(name: str) -> RawText:
    with open(name, "rb") as handle:
        data = handle.read()
    bom, encoding = next(((b, c) for b, c in _BOMS if data.startswith(b)), (b"", ""))
    if not bom and b"\x00" in data:  # UTF-16 without a BOM is not accepted either
        raise CorruptFileError(name, "có byte NUL: tệp nhị phân, không phải văn bản")
    try:
        if bom:
            text = data[len(bom):].decode(encoding)
        else:
            encoding, text = _decode_8bit(data)
    except UnicodeDecodeError as error:
        raise CorruptFileError(name, f"không giải mã được theo {encoding or 'Windows-1258'} "
                                     f"({error.reason} ở byte {error.start}); lưu lại tệp "
                                     "dưới dạng UTF-8") from error
    controls = sum(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v" for c in text)
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise CorruptFileError(name, f"có {controls} ký tự điều khiển: tệp nhị phân, không "
                                     "phải văn bản")
    text, encoding = normalize_text(text, encoding)
    return RawText(name, "txt", text, encoding=encoding)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """(encoding, text) of bytes without a BOM: UTF-8, else TCVN3/VNI, else Windows-1258."""
    from ingest.legacy import to_unicode

    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        # Legacy 8-bit text. TCVN3 and VNI fonts put letters at Latin-1 code points, so
        # legacy.to_unicode reads a Latin-1 decoding; Windows-1258 would already have turned
        # some of those bytes into ă, ư, ơ and combining tone marks.
        text, legacy = to_unicode(data.decode("latin-1"))
        if legacy:
            return legacy, text
        return "cp1258", data.decode("cp1258")  # combining tone marks: NFC in normalize_text
