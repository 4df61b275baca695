"""Legacy Word (.doc) through antiword (Debian package ``antiword``)."""

from __future__ import annotations

import shutil
import subprocess

from core.errors import CorruptFileError, EncryptedFileError, ToolMissingError
from core.records import RawText
from ingest.normalize import normalize_text

_ANTIWORD_TIMEOUT_S = 120  # antiword reads a 3 MB .doc in well under a second


def read_doc(name: str) -> RawText:
    """Text of a Word 97-2003 file through antiword, table borders turned into " | "."""
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
    text, encoding = normalize_text(
        "\n".join(_strip_borders(line) for line in output.split("\n")), "utf-8")
    return RawText(name, "doc", text, encoding=encoding)


def _strip_borders(line: str) -> str:
    """``|Số: 99/2025/NQ-HĐND     |Quảng Ninh, ngày …   |`` → ``Số: 99/2025/NQ-HĐND | Quảng …``.

    antiword draws each printed line of a table row between ``|`` borders, padded to the
    column width; the cells of that line are kept, joined like DOCX rows.
    """
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.count("|") >= 2):
        return line
    return " | ".join(cell.strip() for cell in stripped.split("|") if cell.strip())
