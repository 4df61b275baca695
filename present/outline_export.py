"""Lecture outlines as files: Markdown, and Word (python-docx) with real headings, so the
outline shows in Word's navigation pane and can be restyled by the lecturer's template.

In Markdown each point ends with its source markers ([1], [2]); in Word its sources are a
real footnote (``present/word_notes.py``) and each section's points are numbered from 1.
The sources are listed at the end with number, date, issuer and subject, as a lecturer
cites them.
"""

from __future__ import annotations

from pathlib import Path

from core.results import Outline, OutlineSource
from query.units import shown

_ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _date(iso: str) -> str:
    return "/".join(reversed(iso.split("-"))) if iso else ""


def source_line(source: OutlineSource) -> str:
    """"588-KH/ĐU, ngày 15/01/2025, Đảng ủy Sở Y tế: <subject> (file)"."""
    parts = [source.doc_number or source.source]
    if source.date:
        parts.append(f"ngày {_date(source.date)}")
    if source.issuer:
        parts.append(source.issuer)
    line = ", ".join(parts)
    if source.subject:
        line += f": {source.subject}"
    return line + (f" ({source.source})" if source.doc_number else "")


def short_source(source: OutlineSource) -> str:
    """"588-KH/ĐU, 15/01/2025, Đảng ủy Sở Y tế": how a point names where it comes from."""
    return ", ".join(x for x in (source.doc_number or source.source, _date(source.date),
                                 source.issuer) if x)


def point_line(outline: Outline, point) -> str:
    """A point's text, then its sources by number, date and issuer, then the markers."""
    by_number = {s.number: s for s in outline.sources}
    named = "; ".join(short_source(by_number[n]) for n in point.sources)
    marks = "".join(f"[{n}]" for n in point.sources)
    return f"{' '.join(shown(point.text, point.shortened).split())} ({named}) {marks}" + (
        f" — {carried(point)}" if outline.directive else "")


def carried(point) -> str:
    """"có trong 7 kế hoạch": how many of the plans implementing the directive carry it."""
    return f"có trong {point.plans} kế hoạch" if point.plans else "chưa có kế hoạch nào nêu"


def _title(outline: Outline) -> str:
    return f"Đề cương: {outline.topic}"


def markdown(outline: Outline) -> str:
    lines = [f"# {_title(outline)}", ""]
    for n, section in enumerate(outline.sections):
        lines += [f"## {_ROMAN[n]}. {section.title}", ""]
        for k, point in enumerate(section.points, 1):  # numbered from 1 in each section
            lines.append(f"{k}. {point_line(outline, point)}")
        lines.append("")
    lines += ["## Nguồn", ""]
    lines += [f"{s.number}. {source_line(s)}" for s in outline.sources]
    return "\n".join(lines) + "\n"


def docx(outline: Outline, path: str | Path) -> None:
    """Write the outline as a Word document at ``path``: Title and Heading 1 for the
    sections, each section's points numbered from 1 ("List Number"), each point's sources
    as a Word footnote, and the sources listed at the end."""
    from docx import Document  # python-docx; imported on use: only exports need it

    from present.word_notes import Footnotes, restart_numbering

    document = Document()
    notes = Footnotes(document)
    by_number = {s.number: s for s in outline.sources}
    document.add_heading(_title(outline), level=0)
    for n, section in enumerate(outline.sections):
        document.add_heading(f"{_ROMAN[n]}. {section.title}", level=1)
        numbered = []
        for point in section.points:
            paragraph = document.add_paragraph(
                " ".join(shown(point.text, point.shortened).split()), style="List Number")
            if outline.directive:
                paragraph.add_run(f" ({carried(point)})").italic = True
            notes.add(paragraph, "; ".join(source_line(by_number[s]) for s in point.sources))
            numbered.append(paragraph)
        restart_numbering(document, numbered)
    document.add_heading("Nguồn", level=1)
    for source in outline.sources:
        document.add_paragraph(f"[{source.number}] {source_line(source)}")
    document.save(str(path))
