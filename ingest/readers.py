"""Read a PDF, DOCX, DOC or TXT file into a :class:`RawText`: NFC text, ``\\n`` line ends.

One public function, :func:`read`, dispatching on the file extension. Text is kept as the
file has it (cleaning happens in ``ingest/clean.py``) except that TCVN3/VNI glyph text is
converted to Unicode (``ingest/legacy.py``) and PDF pages without a usable text layer are
OCR'd (``ingest/ocr.py``).

>>> raw = read("tests/data/readers/hiep-dinh-van-tai-trang-1-text.pdf")  # doctest: +SKIP
>>> raw.format, raw.page_starts, raw.ocr_pages
('pdf', (0,), ())
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import unicodedata
import zipfile
import zlib

from ingest import settings
from ingest.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedFileError,
    FileTooLargeError,
    ToolMissingError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from ingest.records import RawText

SUPPORTED = (".pdf", ".docx", ".doc", ".txt")
_MB = 1024 * 1024


def read(path: str | os.PathLike) -> RawText:
    """Read one file. Every failure is an ``IngestError`` subclass naming the file.

    >>> read("bao-cao.xls")
    Traceback (most recent call last):
    ingest.errors.UnsupportedFormatError: bao-cao.xls: định dạng .xls không được hỗ trợ (dùng PDF, DOCX, DOC hoặc TXT)
    """  # noqa: E501
    name = os.fspath(path)
    ext = os.path.splitext(name)[1].lower()
    if ext not in SUPPORTED:
        raise UnsupportedFormatError(name, f"định dạng {ext or '(không có đuôi)'} không được hỗ "
                                           "trợ (dùng PDF, DOCX, DOC hoặc TXT)")
    try:
        _check_file(name)
        raw = _READERS[ext](name)
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


def _finish(text: str) -> tuple[str, str]:
    """Legacy glyph text to Unicode, then NFC and ``\\n`` line ends: (text, legacy encoding)."""
    from ingest.legacy import to_unicode  # lazily: written alongside this module

    text, legacy = to_unicode(text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text, legacy


def _encoding(*parts: str) -> str:
    return "+".join(p for p in parts if p)


# --- PDF ------------------------------------------------------------------------------------

def _read_pdf(name: str) -> RawText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    from ingest.ocr import ocr_pdf_page

    min_letters = int(settings.get("min_page_chars"))
    with open(name, "rb") as handle:
        try:
            reader = PdfReader(handle)
            # Most "encrypted" official PDFs only restrict printing: the empty password opens.
            if reader.is_encrypted and not reader.decrypt(""):
                raise EncryptedFileError(name, "PDF được đặt mật khẩu; gỡ mật khẩu rồi nhập lại")
            layers = []  # (text layer, whether a page with too few letters paints an image)
            for page in reader.pages:
                layer = page.extract_text() or ""
                few = sum(c.isalpha() for c in layer) < min_letters
                layers.append((layer, few and _has_image(page)))
        except DependencyError as error:
            raise EncryptedFileError(name, "PDF mã hóa AES; cài gói Python cryptography để mở "
                                           "(pip install cryptography)") from error
        # pypdf reports damage as its own errors, but broken structures deep in a file also
        # surface as plain lookup/value errors or zlib errors from a cut-off stream.
        except (PyPdfError, ValueError, KeyError, IndexError, TypeError, zlib.error) as error:
            raise CorruptFileError(name, f"PDF hỏng hoặc bị cắt cụt ({error})") from error
    texts, starts, ocr_pages, notes, legacies = [], [], [], [], set()
    for index, (layer, scanned) in enumerate(layers):
        text, legacy = _finish(layer)  # before scoring: TCVN3 soup is not a garbled layer
        why = _ocr_reason(text, scanned, min_letters)
        if why:
            text = _finish(ocr_pdf_page(name, index))[0]
            ocr_pages.append(index)
            notes.append(f"trang {index + 1}: {why}, đã nhận dạng chữ bằng OCR")
        else:
            legacies.add(legacy)
        starts.append(sum(len(t) + 1 for t in texts))
        texts.append(text.replace("\f", "\n"))  # "\f" only between pages
    return RawText(name, "pdf", "\f".join(texts), tuple(starts), tuple(ocr_pages),
                   _encoding(*sorted(legacies)), tuple(notes))


# Vietnamese orthography: onset, vowel nucleus (with glide), final. Tone marks are removed
# before matching; ă â ê ô ơ ư đ stay. Used only to score a text layer, so loans are omitted.
_SYLLABLE = re.compile(
    "(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    "(oai|oay|oao|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|iêu|yêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|iê|oa|oă"
    "|oe|oi|oo|ôi|ơi|ua|uâ|ue|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|[aăâeêioôơuưy])"
    "(ch|ng|nh|[cmnpt])?")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_MIN_JUDGED_WORDS = 20  # fewer say little: sct-laocai-danh-sach-un-numbers p1 has 15


def _garbled_score(text: str) -> tuple[float, int]:
    """(share of words that are not Vietnamese syllables with a diacritic, words judged).

    Real Vietnamese puts a mark on most syllables: pages of the 25 text-layer PDFs in the
    corpus score 0.14 (median) to 0.34 (a page of English and Russian references). Pages with
    a bad embedded OCR layer (``Cdn c* Ludt X} l! vi phqm``) or a font without a Unicode map
    (``&ăQ Fͱ /X̵W``) score 0.76 to 1. Not judged: ASCII acronyms (UBND, QH15), single
    letters, words in another script (Russian, Chinese).
    """
    judged = marked = 0
    # Some PDF fonts map ư to ƣ (U+01A3, corpus: sct-laocai-1178); it is still Vietnamese.
    for word in re.split(r"[\s\-/.]+", text.replace("ƣ", "ư").replace("Ƣ", "Ư")):
        word = word.strip("()[]{}\"'“”‘’,;:!?…–*")
        if len(word) < 2 or not any(c.isalpha() and "LATIN" in unicodedata.name(c, "")
                                    for c in word):
            continue
        decomposed = unicodedata.normalize("NFD", word.lower())
        tones = sum(c in _TONES for c in decomposed)
        bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        syllable = (word.isalpha() and tones <= 1 and _SYLLABLE.fullmatch(bare) is not None
                    and (word.islower() or word.isupper() or word.istitle()))
        if word.isupper() and not syllable and all(c.isascii() or c == "Đ" for c in word):
            continue  # an acronym or a symbol: UBND, QH15
        judged += 1
        marked += syllable and (tones > 0 or not bare.isascii())
    return (1 - marked / judged if judged else 0.0), judged


def _ocr_reason(text: str, scanned: bool, min_letters: int) -> str:
    """Why a page's text layer is not usable ("" when it is), in Vietnamese for the notes."""
    if sum(c.isalpha() for c in text) < min_letters:
        # A blank page (or one holding only a page number) has no image: nothing to OCR.
        return "không có lớp chữ (trang quét)" if scanned else ""
    score, judged = _garbled_score(text)
    if judged >= _MIN_JUDGED_WORDS and score > float(settings.get("garbled_max_ratio")):
        return f"lớp chữ hỏng ({score:.0%} từ không phải âm tiết tiếng Việt có dấu)"
    return ""


def _has_image(page, depth: int = 0) -> bool:
    """Whether a page (or a form it draws, a scanner's usual wrapper) paints an image."""
    resources = page["/Resources"] if "/Resources" in page else {}  # [] resolves references
    xobjects = resources["/XObject"] if "/XObject" in resources else {}
    for ref in xobjects.values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            return True
        if xobject.get("/Subtype") == "/Form" and depth < 3 and _has_image(xobject, depth + 1):
            return True
    return False


# --- DOCX -----------------------------------------------------------------------------------

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # stream name in the OLE2 folder
_MAX_RATIO = 200  # corpus DOCX parts compress at most 51:1; deflate bombs reach ~1000:1
_SIDE_BY_SIDE_MAX = 100  # longest cell line still laid out beside its neighbour cell


def _read_docx(name: str) -> RawText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    with open(name, "rb") as handle:
        head = handle.read(len(_OLE2_MAGIC))
        # Word saves a password-protected DOCX as an OLE2 container, not as a zip.
        if head == _OLE2_MAGIC:
            if _ENCRYPTED_PACKAGE in handle.read():
                raise EncryptedFileError(name, "DOCX được đặt mật khẩu; mở bằng Word, gỡ mật "
                                               "khẩu rồi lưu lại")
            raise CorruptFileError(name, "là tệp Word 97-2003 mang đuôi .docx; đổi đuôi "
                                         "thành .doc")
    try:
        with zipfile.ZipFile(name) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise CorruptFileError(name, f"không phải tệp DOCX (không phải tệp zip: {error})"
                               ) from error
    _refuse_zip_bomb(name, members)
    try:
        document = docx.Document(name)
        lines = _blocks(document.element.body)
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile,
            EOFError, zlib.error) as error:  # missing parts, bad XML, cut-off or bad CRC
        raise CorruptFileError(name, f"DOCX hỏng ({type(error).__name__}: {error})") from error
    text, legacy = _finish("\n".join(lines))
    return RawText(name, "docx", text, encoding=_encoding("utf-8", legacy))


def _refuse_zip_bomb(name: str, members: list[zipfile.ZipInfo]) -> None:
    """Check the sizes the zip directory declares before anything is unpacked.

    zipfile stops a part at its declared size (a lie then fails the CRC check), so the
    directory is a safe bound.
    """
    limit = float(settings.get("max_unzipped_mb"))
    total = sum(m.file_size for m in members)
    if total > limit * _MB:
        raise CorruptFileError(name, f"DOCX giải nén ra {total / _MB:.0f} MB, quá giới hạn "
                                     f"{limit:g} MB (nghi là zip bomb; đổi bằng "
                                     "VANKIEN_MAX_UNZIPPED_MB)")
    for m in members:
        if m.file_size > _MB and m.file_size > _MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            raise CorruptFileError(name, f"phần {m.filename} nén {ratio}:1, bất thường (nghi "
                                         "là zip bomb)")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Run text in document order; text boxes are drawn elsewhere (and Word stores them twice).
_RUN_TEXT = ("./descendant::*[self::w:t or self::w:tab or self::w:br or self::w:cr]"
             "[not(ancestor::w:txbxContent)]")


def _blocks(parent) -> list[str]:
    """Lines of the paragraphs and tables directly in ``parent`` (body, cell), in order."""
    lines = []
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            lines.append("".join(_run_text(el) for el in child.xpath(_RUN_TEXT)))
        elif child.tag == _W + "tbl":
            for row in child.iterchildren(_W + "tr"):
                lines.extend(_row_lines(row))
        elif child.tag == _W + "sdt":  # content control: its paragraphs are body text
            for content in child.iterchildren(_W + "sdtContent"):
                lines.extend(_blocks(content))
    return lines


def _run_text(el) -> str:
    return el.text or "" if el.tag == _W + "t" else "\t" if el.tag == _W + "tab" else "\n"


def _row_lines(row) -> list[str]:
    """A table row as lines, cells separated by " | ".

    Short cells go side by side, line by line, as printed: the two-column header reads
    ``ĐẢNG BỘ TỈNH … | ĐẢNG CỘNG SẢN VIỆT NAM`` then ``Số 588-KH/ĐU | Lai Châu, ngày …``.
    Cells holding long paragraphs stay whole, one after the other, so no paragraph is
    interleaved with its neighbour's.
    """
    cells = []
    for cell in row.iterchildren(_W + "tc"):  # merged cells appear once, as in the XML
        cell_lines = [s.strip() for line in _blocks(cell) for s in line.split("\n")]
        while cell_lines and not cell_lines[-1]:
            cell_lines.pop()
        if cell_lines:  # blank lines inside a cell stay: they align it with its neighbour
            cells.append(cell_lines)
    if all(len(s) <= _SIDE_BY_SIDE_MAX for cell in cells for s in cell):
        depth = max((len(cell) for cell in cells), default=0)
        lines = (" | ".join(c[i] for c in cells if i < len(c) and c[i]) for i in range(depth))
        return [line for line in lines if line]
    return [" | ".join("\n".join(s for s in cell if s) for cell in cells)]


# --- DOC (Word 97-2003) ---------------------------------------------------------------------

_ANTIWORD_TIMEOUT_S = 120  # antiword reads a 3 MB .doc in well under a second


def _read_doc(name: str) -> RawText:
    program = shutil.which("antiword")
    if program is None:
        raise ToolMissingError(name, "không tìm thấy chương trình antiword để đọc tệp .doc "
                                     "(cài gói Debian antiword)")
    # -w 0: no hard wrapping, one paragraph per line. -m UTF-8.txt: UTF-8 output.
    try:
        done = subprocess.run([program, "-m", "UTF-8.txt", "-w", "0", name],
                              capture_output=True, check=False, timeout=_ANTIWORD_TIMEOUT_S)
    except subprocess.TimeoutExpired as error:
        raise CorruptFileError(name, f"antiword quá {_ANTIWORD_TIMEOUT_S} giây, đã dừng"
                               ) from error
    error = done.stderr.decode("utf-8", "replace").strip()  # shown to the user as is
    if done.returncode != 0:
        if "ncrypted" in error:  # "Encrypted files are not supported"
            raise EncryptedFileError(name, "tệp .doc được đặt mật khẩu; gỡ mật khẩu rồi nhập lại")
        raise CorruptFileError(name, f"antiword không đọc được: {error or done.returncode}")
    output = done.stdout.decode("utf-8")  # the UTF-8.txt map writes nothing else
    text, legacy = _finish("\n".join(_strip_borders(line) for line in output.split("\n")))
    return RawText(name, "doc", text, encoding=_encoding("utf-8", legacy))


def _strip_borders(line: str) -> str:
    """``|Số: 99/2025/NQ-HĐND     |Quảng Ninh, ngày …   |`` → ``Số: 99/2025/NQ-HĐND | Quảng …``.

    antiword draws each printed line of a table row between ``|`` borders, padded to the
    column width; the cells of that line are kept, joined like DOCX rows.
    """
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.count("|") >= 2):
        return line
    return " | ".join(cell.strip() for cell in stripped.split("|") if cell.strip())


# --- TXT ------------------------------------------------------------------------------------

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
    text, legacy = _finish(text)
    return RawText(name, "txt", text, encoding=_encoding(encoding, legacy))


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
        return "cp1258", data.decode("cp1258")  # combining tone marks: NFC in _finish


_READERS = {".pdf": _read_pdf, ".docx": _read_docx, ".doc": _read_doc, ".txt": _read_txt}
