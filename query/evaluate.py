"""Retrieval evaluation on the labelled queries (tests/data/qrels.tsv).

A hit is relevant when it is a passage of the labelled document that contains the labelled
verbatim phrase. Recall@1/5/10, MRR@10 and nDCG@10 for each leg alone and for the hybrid,
in one run, per query kind too.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from query.lexical import search_lexical
from query.restore import restore_diacritics
from query.search import search
from store.store import Store


@dataclass(frozen=True)
class Query:
    qid: str
    kind: str
    text: str
    relevant: frozenset[int]  # passage ids


@dataclass(frozen=True)
class Scores:
    recall_1: float
    recall_5: float
    recall_10: float
    mrr_10: float
    ndcg_10: float
    queries: int


def load_queries(store: Store, qrels: Path) -> tuple[list[Query], int]:
    """The labelled queries whose documents the catalog holds, with the ids of their relevant
    passages, and how many queries the file has. A row names its document by file name
    (``corpus/x.txt`` matches ``x.txt`` wherever it was ingested from)."""
    by_qid: dict[str, dict] = {}
    with qrels.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            entry = by_qid.setdefault(row["qid"], {"kind": row["kind"], "text": row["query"],
                                                   "relevant": set()})
            name = row["file"].replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            found = store.db.execute(
                "SELECT p.id FROM passages p WHERE p.doc_id IN (SELECT doc_id FROM files"
                " WHERE path = ? OR path LIKE ? ESCAPE '!') AND instr(p.text, ?) > 0",
                (name, "%/" + name.replace("!", "!!").replace("%", "!%").replace("_", "!_"),
                 row["phrase"])).fetchall()
            entry["relevant"].update(r[0] for r in found)
    queries = [Query(q, e["kind"], e["text"], frozenset(e["relevant"]))
               for q, e in sorted(by_qid.items()) if e["relevant"]]
    return queries, len(by_qid)


def _score(ranked: list[set[int]], relevant: frozenset[int]) -> tuple[float, ...]:
    """Each ranked item is a hit's passage and the near-identical ones collapsed into it."""
    first = next((i for i, r in enumerate(ranked[:10]) if r & relevant), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:10]) if r & relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return (float(first == 0), float(first is not None and first < 5),
            float(first is not None), 1 / (first + 1) if first is not None else 0.0,
            dcg / ideal if ideal else 0.0)


def _mean(rows: list[tuple[float, ...]]) -> Scores:
    values = np.mean(np.array(rows), axis=0) if rows else np.zeros(5)
    return Scores(*(round(float(v), 4) for v in values), queries=len(rows))


def _legs(store: Store) -> dict[str, Callable[[str], list[set[int]]]]:
    """Each leg as query → ranked passage ids, a hit holding those collapsed into it."""
    legs: dict[str, Callable[[str], list[set[int]]]] = {
        "bm25": lambda q: [{r} for r, _s in search_lexical(store, q, 10)],
    }
    dense = store.dense()
    if dense is not None:
        legs["dense"] = lambda q: [{r} for r, _s in dense.search(
            store.encoder.queries([restore_diacritics(store, q)]), 10)[0]]

    def hybrid(q: str) -> list[set[int]]:
        hits = search(store, q, k=10)
        found = store.resolve_passages(
            [p for h in hits for p in (h.passage_id, *h.duplicates)])
        return [{found[p][0] for p in (h.passage_id, *h.duplicates)} for h in hits]

    legs["hybrid"] = hybrid
    return legs


def evaluate(store: Store, queries: list[Query]) -> dict[str, dict[str, Scores]]:
    """{leg: {"all" | kind: Scores}} for "bm25", "dense" (when the store has an encoder and
    vectors) and "hybrid"."""
    out: dict[str, dict[str, Scores]] = {}
    for leg, run in _legs(store).items():
        rows: dict[str, list] = defaultdict(list)
        for query in queries:
            score = _score(run(query.text), query.relevant)
            rows["all"].append(score)
            rows[query.kind].append(score)
        out[leg] = {kind: _mean(values) for kind, values in rows.items()}
    return out
