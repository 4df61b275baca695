"""Lecture outlines measured against a reading (issue 15): for 14 topics over the labelled
catalog (tests/quality.py; seeds, corpus, corpus2), the passages a lecturer's outline must
hold per section (tests/data/outline_gold.json, conventions in outline_gold.md). With the
real model: points in the section the reading puts them, coverage of the labelled
passages, no point cut inside a clause, no preamble / "Căn cứ" / subject line, no two
points saying the same in one section."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from query.cites import cites
from query.outline import SECTIONS, directive_in, is_point, outline
from store.shingles import folded_text, folded_words
from tests.quality import encoder, quality_catalog
from tests.spans import quote_span

GOLD = json.loads(Path("tests/data/outline_gold.json").read_text(encoding="utf-8"))
ROMAN = ("I", "II", "III", "IV")


@pytest.fixture(scope="module")
def outlines():
    store = quality_catalog(encoder())
    ids = {Path(path).parent.name + "/" + Path(path).name: doc_id
           for doc_id, path in store.db.execute("SELECT doc_id, path FROM files")}
    out = []
    for topic in GOLD:
        ref = topic["cites"]
        doc_ids = frozenset(c.doc_id for c in cites(store, ref).citing) if ref else None
        made = outline(store, topic["topic"], doc_ids=doc_ids,
                       directive=directive_in(store, ref) if ref else None)
        out.append((topic, made))
    return store, ids, out


_SPANS: dict[tuple[str, str], tuple[int, int]] = {}


def _same(store, point, doc_id: str, quote: str) -> bool:
    """The point is (part of) the labelled passage: same document, overlapping spans."""
    if point.doc_id != doc_id:
        return False
    if (doc_id, quote) not in _SPANS:
        _SPANS[doc_id, quote] = quote_span(_doc_text(store, doc_id), quote)
    a, b = _SPANS[doc_id, quote]
    return point.start < b and a < point.end


def _placed(outlines):
    """(labelled in section, placed in section) for each point matching a label, and the
    labels any point covers."""
    store, ids, made = outlines
    placed, covered, labels = [], 0, 0
    for topic, found in made:
        points = [(ROMAN[SECTIONS.index(s.title)], p) for s in found.sections for p in s.points]
        for roman, wanted in topic["sections"].items():
            for label in wanted:
                labels += 1
                matching = [r for r, p in points
                            if _same(store, p, ids[label["doc"]], label["quote"])]
                covered += bool(matching)
                placed += [(roman, r) for r in matching]
    return placed, covered / labels


def test_points_sit_in_the_section_the_reading_puts_them(outlines):
    placed, coverage = _placed(outlines)
    precision = sum(want == got for want, got in placed) / len(placed)
    print(f"section precision {precision:.3f} over {len(placed)} points; "
          f"coverage {coverage:.3f}")
    assert precision >= PINNED["precision"]
    assert coverage >= PINNED["coverage"]


def _doc_text(store, doc_id: str) -> str:
    return store.db.execute("SELECT text FROM documents WHERE doc_id = ?",
                            (doc_id,)).fetchone()[0]


_ENDS = re.compile(r"[.;:!?…)\]”\"'»]$")


def test_no_point_is_cut_inside_a_clause_or_is_a_preamble(outlines):
    store, ids, made = outlines
    cut, preambles, never = [], [], []
    for topic, found in made:
        for section in found.sections:
            for point in section.points:
                text = _doc_text(store, point.doc_id)
                after = text[point.end : point.end + 2]
                # a sentence's or an item's end, a table cell's, or the next sentence
                whole = (_ENDS.search(point.text) or after.strip()[:1] in ("", "|")
                         or after[:1] == "\n" or after.strip()[:1].isupper())
                if point.shortened:  # trailing clauses dropped at a clause boundary
                    whole = text[point.end : point.end + 1] in ",;"
                if not whole:
                    cut.append(point.text[-60:])
                if not is_point(point.text):
                    preambles.append(point.text[:80])
                never += [n["quote"][:60] for n in topic["never"]
                          if _same(store, point, ids[n["doc"]], n["quote"])]
    assert cut == []
    assert preambles == []
    assert never == []


def test_no_two_points_of_a_section_say_the_same(outlines):
    _store, _ids, made = outlines
    twins = []
    for _topic, found in made:
        for section in found.sections:
            words = [set(folded_words(folded_text(p.text))) for p in section.points]
            for i, a in enumerate(words):
                for b in words[i + 1 :]:
                    if len(a & b) >= 0.8 * min(len(a), len(b)):
                        twins.append(section.title)
    assert twins == []


def test_a_directive_in_the_catalog_speaks_first(outlines):
    _store, _ids, made = outlines
    spoke = []
    for _topic, found in made:
        if not found.directive:
            continue
        first = [p.doc_id for s in found.sections[:2] for p in s.points
                 if s.title in SECTIONS[:2]]
        spoke.append(bool(first) and all(d == found.directive for d in first))
        for section in (s for s in found.sections if s.title in SECTIONS[2:]):
            # III-IV are the plans'; the directive fills one only where no plan speaks
            own = {p.doc_id == found.directive for p in section.points}
            assert len(own) == 1, section.title
            if own == {False}:  # a plan's point is in that plan at least
                assert all(p.plans >= 1 for p in section.points)
    assert len(spoke) >= 3 and all(spoke), spoke


# measured 2026-12-06 (README, "Summaries and lecture outlines"): 35 of 45 points that are
# labelled passages sit in the labelled section (0.778); 45 of 290 labelled passages are
# points (0.155: an outline holds at most 20 points, the reading lists about 20 passages
# per topic, and often picks another plan's copy of the same item)
PINNED = {"precision": 0.77, "coverage": 0.15}
