"""Fusion study: every leg's candidates for the labelled queries of both sets, dumped once,
then fusion functions and their parameters chosen by cross-validation (issue 14).

    .venv/bin/python bench/fusion.py [--dump bench/.cache/fusion.pkl] [--folds 5] [--repeats 4]

The catalog is the quality tests' (tests/quality.py: seeds, corpus and corpus2 with the real
model). For each query of tests/data/qrels.tsv (set 1) and tests/data/qrels2.tsv (set 2):
the lexical leg's top 200 on the query as typed and on its content words
(``query/analyze.py``), the dense leg's top 200 with cosines, the relevant passages and the
duplicate keys of every candidate, so that a fused list is scored exactly as ``search``
scores it (near-identical passages collapsed into one hit). Then, per fusion function:

* **held out**: k-fold cross-validation, folds stratified by set and query kind, repeated
  with shuffled folds; parameters are chosen on the training folds only, and the figure is
  the mean over the held-out folds;
* **across sets**: parameters chosen on one set, measured on the other.

Figures go to stdout and to ``bench/results/fusion.json``. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.fusion_grid import FAMILIES, choose, mrr_and_recall  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "fusion.json"
SETS = {"set1": "qrels.tsv", "set2": "qrels2.tsv"}
DEPTH = 200


def dump(path: Path) -> list[dict]:
    """Each labelled query's candidates from both legs (see the module's docstring)."""
    from query.analyze import analyze
    from query.evaluate import load_queries
    from query.lexical import search_lexical
    from query.restore import restore_diacritics
    from query.search import _key
    from tests.quality import DATA, encoder, quality_catalog

    store = quality_catalog(encoder())
    dense = store.dense()
    out = []
    for name, file in SETS.items():
        queries, total = load_queries(store, DATA / file)
        print(f"{name}: {len(queries)} of {total} queries")
        for query in queries:
            shape = analyze(query.text)
            vector = store.encoder.queries([restore_diacritics(store, query.text)])
            entry = {
                "set": name, "qid": query.qid, "kind": query.kind, "text": query.text,
                "shape": shape.shape, "numbers": shape.numbers, "relevant": set(query.relevant),
                "lexical": search_lexical(store, query.text, DEPTH),
                "content": search_lexical(store, shape.content, DEPTH),
                "dense": [(r, float(s)) for r, s in dense.search(vector, DEPTH)[0]],
            }
            ids = {r for leg in ("lexical", "content", "dense") for r, _s in entry[leg]}
            entry["keys"] = {r: _key(row.text) for r, row in store.passage_rows(ids).items()}
            out.append(entry)
    store.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def _folds(entries: list[dict], folds: int, seed: int) -> list[int]:
    """A fold per query, stratified by set and kind."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(entries)
    groups: dict[tuple, list[int]] = {}
    for i, e in enumerate(entries):
        groups.setdefault((e["set"], e["kind"]), []).append(i)
    offset = 0
    for members in groups.values():
        for j, i in enumerate(rng.permutation(members)):
            fold[i] = (offset + j) % folds
        offset += len(members)
    return fold


def held_out(entries: list[dict], family: str, folds: int, repeats: int) -> dict:
    """Per set, MRR@10 and R@10 of ``family`` with parameters chosen on the other folds."""
    sums: dict[str, list] = {}
    for repeat in range(repeats):
        fold = _folds(entries, folds, repeat)
        scored: list[tuple[dict, tuple]] = []
        for f in range(folds):
            train = [e for e, g in zip(entries, fold, strict=True) if g != f]
            test = [e for e, g in zip(entries, fold, strict=True) if g == f]
            params = choose(family, train)
            scored += [(e, mrr_and_recall(family, params, e)) for e in test]
        for e, s in scored:
            for key in (e["set"], f'{e["set"]}:{e["kind"]}'):
                sums.setdefault(key, {}).setdefault(repeat, []).append(s)
    return {key: dict(zip(("mrr_10", "recall_10"), np.round(np.mean(
        [np.mean(rows, axis=0) for rows in by_repeat.values()], axis=0), 4).tolist(), strict=True))
        for key, by_repeat in sorted(sums.items())}


def by_kind(entries: list[dict], family: str, params) -> dict:
    out: dict[str, dict] = {}
    for key in ("set1", "set2"):
        kinds: dict[str, list] = {}
        for e in entries:
            if e["set"] == key:
                kinds.setdefault(e["kind"], []).append(mrr_and_recall(family, params, e)[0])
        out[key] = {kind: round(float(np.mean(v)), 4) for kind, v in sorted(kinds.items())}
    return out


def across(entries: list[dict], family: str) -> dict:
    out = {}
    for train, test in (("set1", "set2"), ("set2", "set1")):
        params = choose(family, [e for e in entries if e["set"] == train])
        rows = [mrr_and_recall(family, params, e) for e in entries if e["set"] == test]
        out[f"{train}->{test}"] = np.round(np.mean(rows, axis=0), 4).tolist()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", type=Path, default=ROOT / "bench/.cache/fusion.pkl")
    parser.add_argument("--redump", action="store_true", help="dump anew even if cached")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--families", default=",".join(FAMILIES))
    args = parser.parse_args()
    entries = (pickle.loads(args.dump.read_bytes()) if args.dump.exists() and not args.redump
               else dump(args.dump))
    results = {}
    for family in args.families.split(","):
        params = choose(family, entries)
        results[family] = {"held_out": held_out(entries, family, args.folds, args.repeats),
                           "across_sets": across(entries, family),
                           "chosen_on_all": params, "by_kind_on_all": by_kind(entries, family,
                                                                                params)}
        print(family, json.dumps(results[family], ensure_ascii=False, default=str))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str),
                       encoding="utf-8")


if __name__ == "__main__":
    main()
