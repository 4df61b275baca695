"""Readers on real Vietnamese content, and every way a file can be bad.

Fixtures in ``tests/data/readers`` are single pages / small files cut from the corpus (see
the README there); DOCX and TXT files are written at test time from a seed sentence.
"""

from __future__ import annotations

import builtins
import json
import lzma
import os
import unicodedata
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from core import errors
from ingest.pdf_reader import _garbled_score
from ingest.readers import SUPPORTED, read

DATA = Path(__file__).parent / "data" / "readers"
TEXT_PDF = DATA / "hiep-dinh-van-tai-trang-1-text.pdf"
SCAN_PDF = DATA / "cv-2265-bct-trang-2-scan.pdf"
GARBLED_PDF = DATA / "qd-26-xpvphc-trang-1-garbled.pdf"
DOC = DATA / "nq-99-2025-hdnd-quang-ninh.doc"

# Seed 000 (Kế hoạch 588-KH/ĐU), first sentence of the body.
SEED = ("Thực hiện Kế hoạch số 152-KH/ĐUK, ngày 09/01/2025 của Ban Thường vụ Đảng ủy Khối các "
        "cơ quan và doanh nghiệp tỉnh về công tác giáo dục lý luận chính trị năm 2025, Đảng uỷ "
        "Sở Y tế ban hành kế hoạch thực hiện như sau:")
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Bytes as Windows Vietnamese writes them: base letter, then a combining tone mark."""
    out = b""
    for ch in text:
        marks = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in marks if c not in TONES))
        out += base.encode("cp1258") + "".join(c for c in marks if c in TONES).encode("cp1258")
    return out


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def raises(kind, path):
    """Assert ``read(path)`` raises exactly ``kind`` and that the message names the file."""
    with pytest.raises(kind) as caught:
        read(path)
    assert type(caught.value) is kind
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


# --- TXT ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "text", "encoding"), [
    (SEED.encode("utf-8"), SEED, "utf-8"),
    (SEED.encode("utf-8-sig"), SEED, "utf-8-sig"),
    (SEED.encode("utf-16"), SEED, "utf-16-le"),  # Python writes a little-endian BOM
    (b"\xfe\xff" + SEED.encode("utf-16-be"), SEED, "utf-16-be"),
    (cp1258(SEED), SEED, "cp1258"),
    (unicodedata.normalize("NFD", SEED).encode("utf-8"), SEED, "utf-8"),  # Mac files: NFD
    (f"{MOTTO}\r\n{SEED}\r{MOTTO}\r\n".encode(), f"{MOTTO}\n{SEED}\n{MOTTO}\n", "utf-8"),
    # TCVN3 (.VnTime) glyph text: saved as 8-bit bytes, or pasted into a UTF-8 file.
    ("§éc lËp - Tù do - H¹nh phóc".encode("latin-1"), MOTTO, "tcvn3"),
    ("§éc lËp - Tù do - H¹nh phóc".encode(), MOTTO, "utf-8+tcvn3"),
], ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp1258", "nfd", "crlf", "tcvn3",
        "utf-8+tcvn3"])
def test_txt_encodings(tmp_path, data, text, encoding):
    raw = read(write(tmp_path / "ke-hoach.txt", data))
    assert (raw.format, raw.text, raw.encoding) == ("txt", text, encoding)
    assert raw.page_starts == () and raw.ocr_pages == ()


# --- DOCX -----------------------------------------------------------------------------------

def make_docx(path: Path) -> Path:
    """A Party plan: two-column header table, body, a data table with a nested table."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "ĐẦU TRANG KHÔNG ĐƯỢC ĐỌC"
    section.footer.paragraphs[0].text = "CHÂN TRANG KHÔNG ĐƯỢC ĐỌC"
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH LAI CHÂU"
    for line in ("ĐẢNG ỦY SỞ Y TẾ", "*", "Số 588-KH/ĐU"):
        left.add_paragraph(line)
    right.paragraphs[0].text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    for line in ("", "", "Lai Châu, ngày 15 tháng 01 năm 2025"):  # blank lines align it
        right.add_paragraph(line)
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Công tác giáo dục lý luận chính trị năm 2025")
    document.add_paragraph(SEED)
    table = document.add_table(rows=3, cols=2)
    rows = [("TT", "Nội dung"), ("1", "Học tập Nghị quyết"), ("2", SEED)]
    for row, (number, task) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = number, task
    table.rows[2].cells[1].add_paragraph("Báo cáo kết quả trước ngày 15/11/2025.")
    nested = table.rows[1].cells[1].add_table(rows=1, cols=2)
    nested.rows[0].cells[0].text, nested.rows[0].cells[1].text = "Quý I", "Quý II"
    document.add_paragraph("Nơi nhận:")
    document.save(path)
    return path


DOCX_TEXT = "\n".join([
    "ĐẢNG BỘ KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH LAI CHÂU | ĐẢNG CỘNG SẢN VIỆT NAM",
    "ĐẢNG ỦY SỞ Y TẾ",
    "*",
    "Số 588-KH/ĐU | Lai Châu, ngày 15 tháng 01 năm 2025",
    "KẾ HOẠCH",
    "Công tác giáo dục lý luận chính trị năm 2025",
    SEED,
    "TT | Nội dung",
    "1 | Học tập Nghị quyết",
    "Quý I | Quý II",  # the nested table, inside its cell
    # A cell holding a long paragraph is kept whole rather than interleaved line by line.
    f"2 | {SEED}\nBáo cáo kết quả trước ngày 15/11/2025.",
    "Nơi nhận:",
])


def test_docx_body_and_tables_in_order_without_header_footer(tmp_path):
    raw = read(make_docx(tmp_path / "ke-hoach-588.docx"))
    assert (raw.format, raw.encoding) == ("docx", "utf-8")
    assert raw.text == DOCX_TEXT
    assert "KHÔNG ĐƯỢC ĐỌC" not in raw.text


def test_extension_is_case_insensitive(tmp_path):
    raw = read(make_docx(tmp_path / "KE-HOACH-588.DOCX"))
    assert raw.text == DOCX_TEXT


# --- DOC ------------------------------------------------------------------------------------

def test_doc_with_antiword_table_borders_stripped():
    raw = read(DOC)
    assert (raw.format, raw.encoding) == ("doc", "utf-8")
    lines = raw.text.split("\n")
    assert "HỘI ĐỒNG NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Số: 99/2025/NQ-HĐND | Quảng Ninh, ngày 16 tháng 12 năm 2025" in lines
    assert "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;" in lines
    assert not any(line.lstrip().startswith("|") for line in lines)


# --- PDF ------------------------------------------------------------------------------------

def test_pdf_text_layer_kept_as_is():
    raw = read(TEXT_PDF)
    assert (raw.format, raw.page_starts, raw.ocr_pages, raw.notes) == ("pdf", (0,), (), ())
    assert raw.text.startswith("HIỆP ĐỊNH VẬN TẢI ĐƯỜNG Bộ")  # the layer's own "Bộ" stays
    assert "Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam" in raw.text


def test_pdf_pages_joined_with_form_feed(tmp_path):
    writer = pypdf.PdfWriter()
    for _ in range(2):
        writer.add_page(pypdf.PdfReader(TEXT_PDF).pages[0])
    writer.write(tmp_path / "hai-trang.pdf")
    raw = read(tmp_path / "hai-trang.pdf")
    first, second = raw.text.split("\f")
    assert first == second
    assert raw.page_starts == (0, len(first) + 1)


def test_pdf_owner_password_only_opens_with_empty_password(tmp_path):
    writer = pypdf.PdfWriter(clone_from=TEXT_PDF)
    writer.encrypt("", owner_password="chu-so-huu", algorithm="RC4-128")
    writer.write(tmp_path / "chi-khoa-in.pdf")
    assert read(tmp_path / "chi-khoa-in.pdf").text == read(TEXT_PDF).text


def test_pdf_scanned_page_is_ocred():
    raw = read(SCAN_PDF)
    assert raw.ocr_pages == (0,)
    assert raw.notes == ("trang 1: không có lớp chữ (trang quét), đã nhận dạng chữ bằng OCR",)
    for words in ("thủ tục hành chính", "Nơi nhận", "Trương Thanh Hoài"):
        assert words in raw.text


def test_pdf_garbled_text_layer_is_ocred():
    raw = read(GARBLED_PDF)
    assert raw.ocr_pages == (0,)
    assert raw.notes[0].startswith("trang 1: lớp chữ hỏng (")
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Xử phạt vi phạm hành chính"):
        assert words in raw.text
    assert "ceNG noa" not in raw.text


@pytest.mark.parametrize(("text", "garbled"), [
    ("ceNG noa xA Her cHU Ncuia vrET NAM DQc l6p - Tg'do - H4nh phtc", True),
    ("Cdn c* Ludt X} l! vi phqm hdnh chinh 2012 (duoc sua diji, bd sung ndm", True),
    # A font without a Unicode map (sct-laocai-qd-1050): capitals with stray marks are judged.
    ("&ăQ Fͱ /X̵W V͙ 42/2024/QH15 ngày 29/6/2024 Y͉ 4X̫Q lý, V͵ GͭQJ YǊ khí", True),
    ("Căn cứ Luật Xử lý vi phạm hành chính 2012 (được sửa đổi, bổ sung năm 2020, 2025)", False),
    ("Sở Công Thƣơng tỉnh Lào Cai về việc xin ý kiến hƣớng dẫn điều kiện", False),  # ƣ for ư
    ("UBND TỈNH LÀO CAI Số 1629/SCT-CN theo Nghị định số 71/2019/NĐ-CP", False),  # acronyms
])
def test_garbled_score_on_real_text_layers(text, garbled):
    score, judged = _garbled_score(text)
    assert judged > 0
    assert (score > 0.55) is garbled  # 0.55 is the garbled_max_ratio default


class _LayerPage:
    """A PDF page as read_pdf sees it, from the stored text layer."""

    def __init__(self, layer: str, image: bool) -> None:
        self.layer, self.image = layer, image

    def extract_text(self) -> str:
        return self.layer


def test_detector_against_corpus_labels(monkeypatch, tmp_path):
    """Pinned: all 48 corpus PDFs classified as labelled in SOURCES.tsv (23 OCR, 25 text).

    Runs without the corpus: ``corpus-pdf-text-layers.json.xz`` holds what read_pdf takes from
    each page of those PDFs (pypdf's text layer, whether the page paints an image) and each
    file's notes in ``corpus/SOURCES.tsv``; pypdf is replaced by a reader of those layers.
    """
    corpus = json.loads(lzma.decompress((DATA / "corpus-pdf-text-layers.json.xz").read_bytes()))
    pdfs = corpus["pdfs"]

    class LayerReader:
        is_encrypted = False

        def __init__(self, handle) -> None:
            self.pages = [_LayerPage(**page) for page in pdfs[Path(handle.name).name]["pages"]]

    monkeypatch.setattr(pypdf, "PdfReader", LayerReader)
    monkeypatch.setattr("ingest.pdf_reader._has_image", lambda page: page.image)
    monkeypatch.setattr("ingest.ocr.ocr_pdf_page", lambda path, index: "văn bản OCR")
    wrong = []
    for name, entry in sorted(pdfs.items()):
        raw = read(write(tmp_path / name, b"%PDF-1.4 stand-in"))
        needs_ocr = "OCR" in entry["notes"]
        expected = tuple(range(len(entry["pages"]))) if needs_ocr else ()
        if raw.ocr_pages != expected or len(raw.page_starts) != len(entry["pages"]):
            wrong.append((name, raw.ocr_pages))
    assert (len(pdfs), sum("OCR" in e["notes"] for e in pdfs.values())) == (48, 23)
    assert wrong == []


# --- Bad input ------------------------------------------------------------------------------

def test_truncated_pdf(tmp_path):
    data = TEXT_PDF.read_bytes()
    error = raises(errors.CorruptFileError, write(tmp_path / "cat-cut.pdf", data[:len(data) // 2]))
    assert "PDF hỏng" in error.reason


def test_not_a_pdf(tmp_path):
    raises(errors.CorruptFileError, write(tmp_path / "gia.pdf", SEED.encode()))


def test_encrypted_pdf(tmp_path):
    writer = pypdf.PdfWriter(clone_from=TEXT_PDF)
    writer.encrypt("mat-khau", algorithm="RC4-128")
    writer.write(tmp_path / "co-mat-khau.pdf")
    raises(errors.EncryptedFileError, tmp_path / "co-mat-khau.pdf")


@pytest.mark.parametrize(("user_password", "readable"), [("", True), ("mat-khau", False)])
def test_aes_pdf(tmp_path, user_password, readable):
    # Official PDFs are often AES-encrypted only to restrict printing: the empty user
    # password opens them (requirements.txt pins cryptography for this).
    writer = pypdf.PdfWriter(clone_from=TEXT_PDF)
    writer.encrypt(user_password, owner_password="chu-so-huu", algorithm="AES-256")
    path = writer.write(tmp_path / "aes.pdf")[1].name
    if readable:
        assert read(path).text.strip() == read(TEXT_PDF).text.strip()
    else:
        raises(errors.EncryptedFileError, tmp_path / "aes.pdf")


def test_aes_pdf_without_cryptography_names_the_fix(tmp_path, monkeypatch):
    # Without the cryptography package pypdf cannot decrypt AES: stand in for that failure.
    def decrypt(self, password):
        raise pypdf.errors.DependencyError("cryptography>=3.1 is required for AES algorithm")
    writer = pypdf.PdfWriter(clone_from=TEXT_PDF)
    writer.encrypt("mat-khau", algorithm="RC4-128")
    writer.write(tmp_path / "aes.pdf")
    monkeypatch.setattr(pypdf.PdfReader, "decrypt", decrypt)
    assert "cryptography" in raises(errors.EncryptedFileError, tmp_path / "aes.pdf").reason


def test_docx_that_is_not_a_zip(tmp_path):
    raises(errors.CorruptFileError, write(tmp_path / "gia.docx", SEED.encode()))


def test_docx_zip_without_a_document(tmp_path):
    with zipfile.ZipFile(tmp_path / "rong.docx", "w") as archive:
        archive.writestr("word/other.xml", "<x/>")
    raises(errors.CorruptFileError, tmp_path / "rong.docx")


def zip_bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * size)  # deflates ~1000:1
    return path


def test_docx_zip_bomb_over_unzipped_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("VANKIEN_MAX_UNZIPPED_MB", "1")
    error = raises(errors.CorruptFileError, zip_bomb(tmp_path / "bom.docx", 2 * 1024 * 1024))
    assert "quá giới hạn 1 MB" in error.reason


def test_docx_zip_bomb_by_compression_ratio(tmp_path):
    error = raises(errors.CorruptFileError, zip_bomb(tmp_path / "bom.docx", 4 * 1024 * 1024))
    assert "nén" in error.reason and "zip bomb" in error.reason


def test_encrypted_docx(tmp_path):
    # Stand-in: making a real one needs Word or msoffcrypto-tool (not installed). The reader
    # checks what such a file holds: the OLE2 signature and an "EncryptedPackage" stream.
    data = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000)
    raises(errors.EncryptedFileError, write(tmp_path / "mat-khau.docx", data))


def test_doc_renamed_to_docx(tmp_path):
    error = raises(errors.CorruptFileError, write(tmp_path / "nq-99.docx", DOC.read_bytes()))
    assert ".doc" in error.reason


def test_doc_that_is_not_word(tmp_path):
    error = raises(errors.CorruptFileError, write(tmp_path / "gia.doc", SEED.encode()))
    assert "not a Word Document" in error.reason


@pytest.mark.parametrize("name", ["trong.pdf", "trong.docx", "trong.doc", "trong.txt"])
def test_empty_file(tmp_path, name):
    raises(errors.EmptyDocumentError, write(tmp_path / name, b""))


@pytest.mark.parametrize("data", [b" \n\t\r\n", "1. 2. 3.\n— 15/11/2025 —".encode()])
def test_no_letters(tmp_path, data):
    raises(errors.EmptyDocumentError, write(tmp_path / "khong-chu.txt", data))


def test_docx_without_text(tmp_path):
    docx.Document().save(tmp_path / "trong.docx")
    raises(errors.EmptyDocumentError, tmp_path / "trong.docx")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # NUL bytes
    bytes(range(1, 32)) * 40 + SEED.encode(),  # mostly control characters, valid UTF-8
    b"\x81\x8d\x8f\x90\x9d\xff" * 100,  # invalid UTF-8, not TCVN3/VNI, undefined in cp1258
], ids=["nul", "controls", "no-encoding"])
def test_binary_garbage_txt(tmp_path, data):
    raises(errors.CorruptFileError, write(tmp_path / "rac.txt", data))


@pytest.mark.parametrize("name", ["bao-cao.xls", "bao-cao"])
def test_unsupported_extension(tmp_path, name):
    error = raises(errors.UnsupportedFormatError, write(tmp_path / name, SEED.encode()))
    assert "PDF, DOCX, DOC hoặc TXT" in error.reason
    assert SUPPORTED == (".pdf", ".docx", ".doc", ".txt")


def test_file_over_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("VANKIEN_MAX_FILE_MB", "1")
    path = tmp_path / "lon.txt"
    with open(path, "wb") as handle:
        handle.truncate(1024 * 1024 + 1)  # sparse: size is all that is checked
    assert "quá giới hạn 1 MB" in raises(errors.FileTooLargeError, path).reason


def test_missing_file(tmp_path):
    raises(errors.UnreadableFileError, tmp_path / "khong-co.pdf")


def test_dangling_symlink(tmp_path):
    (tmp_path / "lien-ket.txt").symlink_to(tmp_path / "da-xoa.txt")
    raises(errors.UnreadableFileError, tmp_path / "lien-ket.txt")


def test_directory_with_a_document_name(tmp_path):
    (tmp_path / "thu-muc.pdf").mkdir()
    raises(errors.UnreadableFileError, tmp_path / "thu-muc.pdf")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway; "
                    "test_permission_denied_on_open covers the same path")
def test_chmod_000(tmp_path):
    path = write(tmp_path / "khoa.txt", SEED.encode())
    path.chmod(0)
    try:
        raises(errors.UnreadableFileError, path)
    finally:
        path.chmod(0o644)


def test_permission_denied_on_open(tmp_path, monkeypatch):
    path = write(tmp_path / "khoa.txt", SEED.encode())
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    assert "Permission denied" in raises(errors.UnreadableFileError, path).reason


@pytest.mark.parametrize(("program", "package"), [
    ("pdftoppm", "poppler-utils"), ("tesseract", "tesseract-ocr"), ("antiword", "antiword")])
def test_missing_tool_names_the_debian_package(monkeypatch, program, package):
    import shutil
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda cmd: None if cmd == program else real_which(cmd))
    error = raises(errors.ToolMissingError, DOC if program == "antiword" else SCAN_PDF)
    assert program in error.reason and f"gói Debian {package}" in error.reason


def test_ocr_over_time_limit(monkeypatch):
    monkeypatch.setenv("VANKIEN_OCR_TIMEOUT_S", "0")
    assert "OCR quá 0 giây" in raises(errors.OcrError, SCAN_PDF).reason


def test_fixtures_stay_small():
    assert all(path.stat().st_size < 150 * 1024 for path in DATA.iterdir())


@pytest.mark.parametrize(("given", "encoding", "expected"), [
    ("Chỉ thị\r\nsố 05", "utf-8", ("Chỉ thị\nsố 05", "utf-8")),
    (unicodedata.normalize("NFD", "Đảng ủy"), "", ("Đảng ủy", "")),
    ("Công Thƣơng, tổ chức", "", ("Công Thương, tổ chức", "")),  # corpus: sct-laocai-1178
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "cp1252", ("Cộng hòa xã hội chủ nghĩa Việt Nam",
                                                       "cp1252+tcvn3")),
])
def test_normalize_text_at_the_edge(given, encoding, expected):
    from ingest.normalize import normalize_text

    assert normalize_text(given, encoding) == expected


def test_docx_footnotes_are_read_and_marked():
    from core.records import FOOTNOTES_HEADING
    from ingest.clean import clean

    raw = read(DATA / "kh-tieu-ban-tuyen-truyen-chu-thich.docx")
    assert "các cơ quan chức năng¹" in raw.text  # the reference, as a superscript
    body, notes = clean(raw.text).split(f"\n{FOOTNOTES_HEADING}\n")
    assert "Chỉ thị số 46-CT/TW" not in body.split("Hiến pháp 2013²")[0][-300:]
    assert notes.startswith("1 Chỉ thị số 46-CT/TW, ngày 16/5/2025 của Bộ Chính trị")
    assert [line.split(" ")[0] for line in notes.split("\n")] == ["1", "2"]
