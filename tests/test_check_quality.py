"""The draft checker against a reading (issue 16): 15 drafts made from real documents of
the labelled catalog with errors put in on purpose, and the same drafts unaltered
(tests/data/drafts, conventions in its README.md). Detection precision and recall per
kind, and what the checker says about the unaltered drafts beyond the catalog's genuine
gaps. The catalog is the quality catalog (tests/quality.py) with the two documents the
drafts' replacements need."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.readers import read
from query.check import check
from store.store import Store
from store.update import ingest
from tests.quality import encoder, quality_catalog
from tests.spans import quote_span

DRAFTS = Path("tests/data/drafts")
LABELS = json.loads((DRAFTS / "labels.json").read_text(encoding="utf-8"))
KINDS = ("wrong_date", "wrong_issuer", "term_ambiguous", "missing_facts", "replaced",
         "unknown")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    model = encoder()
    base = quality_catalog(model)
    data = tmp_path_factory.mktemp("drafts") / "data"
    shutil.copytree(base.data_dir, data, ignore=shutil.ignore_patterns("*.lock"))
    store = Store(data, encoder=model)
    report = ingest([DRAFTS / extra for extra in LABELS["catalog_extra"]], store,
                    progress=False)
    assert not report.failed, report.failed
    out = {}
    for n in LABELS["drafts"]:
        out[n] = {which: check(store, read(DRAFTS / f"{n}_{which}.txt"), precedent=False)
                  for which in ("draft", "clean")}
    return out


def _hits(report, labels: list[dict], quote: str) -> list[tuple[dict, object]]:
    """(label, finding) pairs of one kind-compatible finding overlapping its quote."""
    pairs = []
    for label in labels:
        a, b = quote_span(report.text, label[quote])
        kinds = {label["kind"], *label.get("also_acceptable", ())}
        pairs += [(label, f) for f in report.findings
                  if f.kind in kinds and f.start < b and a < f.end]
    return pairs


def _scores(reports) -> dict[str, tuple[float, float, int, int]]:
    """kind → (recall, precision, labelled, found) over the drafts with errors put in."""
    found = {k: 0 for k in KINDS}
    right = {k: 0 for k in KINDS}
    hit = {k: 0 for k in KINDS}
    total = {k: 0 for k in KINDS}
    for n, entry in LABELS["drafts"].items():
        report = reports[n]["draft"]
        errors = entry["errors"]
        pairs = _hits(report, errors, "draft_quote")
        genuine = _hits(report, entry.get("clean_genuine", []), "clean_quote")
        for label in errors:
            total[label["kind"]] += 1
            hit[label["kind"]] += any(lab is label for lab, _f in pairs)
        for f in (f for f in report.findings if f.kind in KINDS):
            found[f.kind] += 1
            right[f.kind] += any(g is f for _l, g in pairs + genuine)
    return {k: (hit[k] / max(total[k], 1), right[k] / max(found[k], 1), total[k], found[k])
            for k in KINDS}


def test_detection_per_kind(reports):
    scores = _scores(reports)
    for kind, (recall, precision, total, found) in scores.items():
        print(f"{kind}: recall {recall:.3f} of {total}, precision {precision:.3f} of {found}")
    for kind, (least_recall, least_precision) in PINNED.items():
        recall, precision, _total, _found = scores[kind]
        assert recall >= least_recall, (kind, recall)
        assert precision >= least_precision, (kind, precision)


def test_unaltered_drafts_get_only_the_catalogs_genuine_gaps(reports):
    extra = []
    for n, entry in LABELS["drafts"].items():
        report = reports[n]["clean"]
        genuine = _hits(report, entry.get("clean_genuine", []), "clean_quote")
        extra += [(n, f.kind, f.key) for f in report.findings if f.kind in KINDS
                  and not any(g is f for _l, g in genuine)]
    print(f"findings on the unaltered drafts beyond their genuine gaps: {len(extra)} {extra}")
    assert len(extra) <= PINNED_CLEAN, extra


# measured 2026-12-06, (recall, precision) per kind (README, "Checking a draft"); the
# issue's target is 0.9 / 0.95. term_ambiguous is not pinned: its 3 cases are one state
# number (16/KH-MTTQ-BTT) of two bodies that the citation index holds as one document, so
# 0 of 3 are found
PINNED = {"wrong_date": (1.0, 1.0), "wrong_issuer": (1.0, 0.92), "missing_facts": (0.88, 0.90),
          "replaced": (0.87, 1.0), "unknown": (1.0, 1.0)}
# measured 2026-12-06: 3 (a 01-KL/TW first mention the reading lets pass; 16/KH-MTTQ-BTT's
# date and issuer, which the index takes from the other body's document)
PINNED_CLEAN = 3
