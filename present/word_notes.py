"""Word's own footnotes and restarted numbering for python-docx documents (issue 15).

python-docx 1.2 writes neither: a lecturer's outline needs its sources as real footnotes
(Word renumbers and moves them when the lecturer edits) and each section's points numbered
from 1 in the template's "List Number" style. The footnotes part is built from the
WordprocessingML schema (ECMA-376 §17.11): two separator notes, then one note per
reference, in the "Footnote Text" / "Footnote Reference" styles a lecturer's template may
restyle.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

_SEPARATORS = (
    f'<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    '</w:r></w:p></w:footnote></w:footnotes>'
)
TEXT_STYLE, REFERENCE_STYLE = "Footnote Text", "Footnote Reference"


class Footnotes:
    """The footnotes of one document being written."""

    def __init__(self, document) -> None:
        self._element = parse_xml(_SEPARATORS)
        part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES,
                       self._element, document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        styles = document.styles
        if TEXT_STYLE not in [s.name for s in styles]:
            text = styles.add_style(TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
            text.base_style = styles["Normal"]
            text.font.size = Pt(10)
            text.paragraph_format.space_after = Pt(0)
        if REFERENCE_STYLE not in [s.name for s in styles]:
            styles.add_style(REFERENCE_STYLE, WD_STYLE_TYPE.CHARACTER).font.superscript = True
        self._ids = {s.name: s.style_id for s in styles}
        self._next = 1

    def add(self, paragraph, text: str) -> int:
        """A footnote holding ``text``, referenced at the end of ``paragraph``; its id."""
        note_id, self._next = self._next, self._next + 1
        reference = self._ids[REFERENCE_STYLE]
        run = paragraph.add_run()
        run._r.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:rStyle w:val="{reference}"/>'
                                '</w:rPr>'))
        run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{note_id}"/>'))
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr><w:pStyle '
            f'w:val="{self._ids[TEXT_STYLE]}"/></w:pPr><w:r><w:rPr><w:rStyle '
            f'w:val="{reference}"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t '
            'xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        note.findall(qn("w:p"))[0].findall(qn("w:r"))[1].find(qn("w:t")).text = f" {text}"
        self._element.append(note)
        return note_id


def restart_numbering(document, paragraphs) -> None:
    """Number ``paragraphs`` (in the "List Number" style) from 1, whatever came before."""
    numbering = document.part.numbering_part.element
    style = document.styles["List Number"]
    style_num = style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for paragraph in paragraphs:
        numbered = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbered.get_or_add_ilvl().val = 0
        numbered.get_or_add_numId().val = num.numId
