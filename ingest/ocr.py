"""OCR of one PDF page: render it with ``pdftoppm``, read it with ``tesseract``.

Both are external programs (Debian packages ``poppler-utils``, ``tesseract-ocr`` and
``tesseract-ocr-vie``). The page image lives in a temporary directory that is removed
whatever happens. Language, resolution and time limit come from the settings table.

>>> ocr_pdf_page("cv-2265.pdf", 1)[:26]  # doctest: +SKIP
'2, loại 3, loại 4, loại 9 '
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import unicodedata

from core import settings
from core.errors import CorruptFileError, OcrError, ToolMissingError

# Which Debian package installs each program; the error message names it.
_PACKAGES = {"pdftoppm": "poppler-utils", "tesseract": "tesseract-ocr"}


def ocr_pdf_page(path: str | os.PathLike, page_index: int) -> str:
    """Text of page ``page_index`` (0-based) of the PDF at ``path``, read by OCR, NFC.

    Raises ToolMissingError when a program or the language data is missing, CorruptFileError
    when the page cannot be rendered, OcrError when OCR fails or runs past the time limit.
    """
    name = os.fspath(path)
    programs = {program: _find(name, program) for program in _PACKAGES}
    lang = str(settings.get("ocr_lang"))
    timeout = float(settings.get("ocr_timeout_s"))
    deadline = time.monotonic() + timeout  # one budget for render + OCR of the page
    page = page_index + 1
    with tempfile.TemporaryDirectory(prefix="vankien-ocr-") as tmp:
        stem = os.path.join(tmp, "page")
        # -gray: tesseract binarises anyway and a grey image is a third of the RGB size.
        render = [programs["pdftoppm"], "-r", str(settings.get("ocr_dpi")), "-f", str(page),
                  "-l", str(page), "-gray", "-singlefile", name, stem]
        done = _run(name, page, render, deadline, timeout)
        if done.returncode != 0 or not os.path.exists(stem + ".pgm"):
            raise CorruptFileError(name, f"trang {page}: pdftoppm không vẽ được trang "
                                         f"({_tail(done.stderr)})")
        done = _run(name, page, [programs["tesseract"], stem + ".pgm", "stdout", "-l", lang],
                    deadline, timeout)
    if done.returncode != 0:
        error = _tail(done.stderr)
        if "Failed loading language" in error:
            raise ToolMissingError(name, f"tesseract thiếu dữ liệu ngôn ngữ '{lang}' "
                                         f"(cài gói Debian tesseract-ocr-{lang})")
        raise OcrError(name, f"trang {page}: tesseract lỗi ({error})")
    # tesseract ends each page with a form feed; pages are joined with "\f" by the reader.
    text = done.stdout.decode("utf-8").replace("\f", "\n").strip()
    return unicodedata.normalize("NFC", text)


def _find(name: str, program: str) -> str:
    found = shutil.which(program)
    if found is None:
        package = _PACKAGES[program]
        if program == "tesseract":
            package += " và tesseract-ocr-vie"
        raise ToolMissingError(name, f"không tìm thấy chương trình {program} để OCR trang quét "
                                     f"(cài gói Debian {package})")
    return found


def _run(name: str, page: int, command: list[str], deadline: float, timeout: float
         ) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` within what is left of the page's time budget."""
    try:
        return subprocess.run(command, capture_output=True, check=False,
                              timeout=max(deadline - time.monotonic(), 0.001))
    except subprocess.TimeoutExpired as error:  # run() has already killed the program
        raise OcrError(name, f"trang {page}: OCR quá {timeout:g} giây, đã dừng (tăng "
                                f"VANKIEN_OCR_TIMEOUT_S nếu máy chậm)") from error
    except FileNotFoundError as error:  # removed between which() and run()
        raise ToolMissingError(name, f"không chạy được {command[0]} ({error.strerror})") from error


def _tail(stderr: bytes) -> str:
    """The last lines of a program's error output, enough to say what went wrong."""
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return " / ".join(lines[-3:]) or "không có thông báo lỗi"
