"""OCR of PDF pages: render each with ``pdftoppm``, read it with ``tesseract``.

Both are external programs (Debian packages ``poppler-utils``, ``tesseract-ocr`` and
``tesseract-ocr-vie``). The page image lives in a temporary directory that is removed
whatever happens. Language, resolution and time limit come from the settings table.
``ocr_pdf_pages`` reads several pages of one file at once, in threads: the work is in the
subprocesses, so threads are enough (how many: ``ingest/parallel.py``, ``page_threads``).

>>> ocr_pdf_page("cv-2265.pdf", 1)[:26]  # doctest: +SKIP
'2, loại 3, loại 4, loại 9 '
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from core import settings
from core.errors import CorruptFileError, OcrError, ToolMissingError

# Which Debian package installs each program; the error message names it.
_PACKAGES = {"pdftoppm": "poppler-utils", "tesseract": "tesseract-ocr"}

# Tesseract's OpenMP threads make it slower, not faster, on this 2-core machine: one corpus
# page took 8.0 s wall (4.6 s user, 4.2 s system: threads spinning) with the default and
# 1.5 s with OMP_THREAD_LIMIT=1, the same text to the byte (issue 13). One thread each also
# keeps pages read in parallel from oversubscribing the cores. A value set by the user wins.
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}

_spent = [0.0]  # wall seconds this process spent in ocr_pdf_pages, for the stage timings
_spent_lock = threading.Lock()


def ocr_pdf_pages(path: str | os.PathLike, page_indexes: Sequence[int], *,
                  threads: int = 1) -> list[str]:
    """Text of each page in ``page_indexes`` (0-based), in that order, ``threads`` pages at
    a time. Raises what ``ocr_pdf_page`` raises for the first page in order that fails,
    as reading them one by one would; pages not started yet are then dropped.
    """
    clock = time.perf_counter()
    try:
        if threads <= 1 or len(page_indexes) <= 1:
            return [ocr_pdf_page(path, index) for index in page_indexes]
        pool = ThreadPoolExecutor(min(threads, len(page_indexes)), thread_name_prefix="ocr")
        try:
            pages = [pool.submit(ocr_pdf_page, path, index) for index in page_indexes]
            return [page.result() for page in pages]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    finally:
        with _spent_lock:
            _spent[0] += time.perf_counter() - clock


def seconds_spent() -> float:
    """Wall seconds this process has spent reading pages by OCR so far."""
    with _spent_lock:
        return _spent[0]


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
                    deadline, timeout, env={**_TESSERACT_ENV, **os.environ})
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


def _run(name: str, page: int, command: list[str], deadline: float, timeout: float, *,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` within what is left of the page's time budget."""
    try:
        return subprocess.run(command, capture_output=True, check=False, env=env,
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
