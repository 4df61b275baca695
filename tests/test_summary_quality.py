"""Deadlines and responsible units on 15 plans beyond the seeds (issue 15), against a
reading: tests/data/summary_gold2.json (conventions, wider than the seeds', in
summary_gold2.md). A deadline is found when an item carries its time and holds its task;
a unit when an item names it at the spot the reading quotes. Neither uses the encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.tones import fold
from ingest.build import build
from ingest.readers import read
from query.summarize import summarize
from tests.spans import quote_span

DATA = Path("tests/data")
GOLD = json.loads((DATA / "summary_gold2.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def summaries():
    out = {}
    for n, key in enumerate(GOLD):
        doc = build(read(DATA / key), f"d{n}")
        out[key] = (doc.text, summarize(doc))
    return out


def _same(a: str, b: str) -> bool:
    a, b = " ".join(fold(a).lower().split()), " ".join(fold(b).lower().split())
    return bool(a and b) and (a in b or b in a)


def _matches(text: str, item, want: dict, key: str) -> bool:
    """The item names the reading's time or unit and overlaps the passage it quotes."""
    a, b = quote_span(text, want["quote"])
    return _same(want[key], item.label) and item.start < b and a < item.end


def _recall(summaries, part: str, key: str) -> tuple[float, list]:
    hits, missed = 0, []
    for name, gold in GOLD.items():
        text, summary = summaries[name]
        for want in gold[part]:
            ok = any(_matches(text, f, want, key) for f in getattr(summary, part))
            hits += ok
            missed += [] if ok else [(name[:40], want[key])]
    return hits / sum(len(g[part]) for g in GOLD.values()), missed


def _precision(summaries, part: str, key: str) -> tuple[float, list]:
    right = returned = 0
    extra = []
    for name, gold in GOLD.items():
        text, summary = summaries[name]
        for f in getattr(summary, part):
            returned += 1
            ok = any(_matches(text, f, w, key) for w in gold[part])
            right += ok
            extra += [] if ok else [(name[:40], f.label, f.text[:60])]
    return right / returned, extra


@pytest.mark.parametrize(("part", "key"), [("deadlines", "when"), ("units", "unit")])
def test_beyond_the_seeds(summaries, part, key):
    recall, missed = _recall(summaries, part, key)
    precision, extra = _precision(summaries, part, key)
    print(f"{part}: recall {recall:.3f}, precision {precision:.3f}; missed {missed}; "
          f"extra {extra}")
    assert recall >= PINNED[part][0], missed
    assert precision >= PINNED[part][1], extra


# measured 2026-12-06 (98 deadlines, 271 units): deadlines 0.980 / 0.926, units 0.845 /
# 0.833; the targets are recall 0.9 and 0.8
PINNED = {"deadlines": (0.97, 0.92), "units": (0.84, 0.83)}  # (recall, precision)
