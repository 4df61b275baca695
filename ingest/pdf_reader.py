"""PDF: pypdf's text layer, and OCR for scanned pages or pages whose layer is garbled."""

from __future__ import annotations

import re
import unicodedata
import zlib

from core import settings
from core.errors import CorruptFileError, EncryptedFileError
from core.records import RawText
from core.syllables import TONE_MARKS, is_syllable
from ingest.normalize import normalize_text


def read_pdf(name: str) -> RawText:
    """Text layer of every page; pages without a usable one are OCR'd."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    from ingest.ocr import ocr_pdf_pages
    from ingest.parallel import page_threads

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
    # (text, legacy encoding) of each page, normalised before scoring: TCVN3 soup is not a
    # garbled layer.
    pages = [normalize_text(layer) for layer, _scanned in layers]
    whys = [_ocr_reason(text, scanned, min_letters)
            for (text, _legacy), (_layer, scanned) in zip(pages, layers, strict=True)]
    ocr_pages = [index for index, why in enumerate(whys) if why]
    # All the scans of the file at once: several pages in parallel when the file is not
    # already read in a pool worker (the rule is in ingest/parallel.py, page_threads).
    for index, text in zip(ocr_pages, ocr_pdf_pages(name, ocr_pages, threads=page_threads()),
                           strict=True):
        pages[index] = (normalize_text(text)[0], "")
    notes = [f"trang {index + 1}: {whys[index]}, đã nhận dạng chữ bằng OCR" for index in ocr_pages]
    legacies = {legacy for index, (_text, legacy) in enumerate(pages) if not whys[index]}
    texts, starts = [], []
    for text, _legacy in pages:
        starts.append(sum(len(t) + 1 for t in texts))
        texts.append(text.replace("\f", "\n"))  # "\f" only between pages
    return RawText(name, "pdf", "\f".join(texts), tuple(starts), tuple(ocr_pages),
                   "+".join(sorted(e for e in legacies if e)), tuple(notes))


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
        tones = sum(c in TONE_MARKS for c in decomposed)
        bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        syllable = word.isalpha() and is_syllable(word)  # isalpha: no stray combining mark
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
