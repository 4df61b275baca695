"""DOCX with python-docx: paragraphs and tables in document order, zip bombs refused."""

from __future__ import annotations

import zipfile
import zlib

from core import settings
from core.errors import CorruptFileError, EncryptedFileError
from core.records import RawText
from ingest.normalize import normalize_text

_MB = 1024 * 1024
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # stream name in the OLE2 folder
_MAX_RATIO = 200  # corpus DOCX parts compress at most 51:1; deflate bombs reach ~1000:1
_SIDE_BY_SIDE_MAX = 100  # longest cell line still laid out beside its neighbour cell


def read_docx(name: str) -> RawText:
    """Body paragraphs and tables in document order; headers and footers left out."""
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
        lines = _blocks(document.element.body) + _footnotes(document)
    except (PackageNotFoundError, KeyError, ValueError, XMLSyntaxError, zipfile.BadZipFile,
            EOFError, zlib.error) as error:  # missing parts, bad XML, cut-off or bad CRC
        raise CorruptFileError(name, f"DOCX hỏng ({type(error).__name__}: {error})") from error
    text, encoding = normalize_text("\n".join(lines), "utf-8")
    return RawText(name, "docx", text, encoding=encoding)


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
_RUN_TEXT = ("./descendant::*[self::w:t or self::w:tab or self::w:br or self::w:cr"
             " or self::w:footnoteReference]"
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


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _footnotes(document) -> list[str]:
    """Footnotes (word/footnotes.xml) after a rule line, ``1 text`` per note.

    That is the layout of footnotes in a PDF text layer, so ``clean.move_footnotes`` moves
    them under ``CHÚ THÍCH`` the same way (7 corpus DOCX have footnotes). The body marks each
    reference with the note's number in superscript (``_run_text``).
    """
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == _FOOTNOTES_REL and not rel.is_external), None)
    if part is None:
        return []
    root = etree.fromstring(part.blob)
    texts = {}
    for note in root.iterchildren(_W + "footnote"):
        if note.get(_W + "type") in (None, "normal"):  # not the separator lines
            text = " ".join("".join(t.text or "" for t in p.iter(_W + "t"))
                            for p in note.iter(_W + "p"))
            texts[note.get(_W + "id")] = " ".join(text.split())
    cited = [ref.get(_W + "id") for ref in document.element.body.iter(_W + "footnoteReference")]
    lines = [f"{ident} {texts[ident]}" for ident in dict.fromkeys(cited)
             if texts.get(ident) and ident.isdigit()]
    return ["_" * 10, *lines] if lines else []


def _run_text(el) -> str:
    if el.tag == _W + "footnoteReference":
        return (el.get(_W + "id") or "").translate(_SUPERSCRIPT)
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
