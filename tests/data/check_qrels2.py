#!/usr/bin/env python3
"""Check tests/data/qrels2.tsv (standard library only).

Checks: header, qid format (r001...), allowed kinds, one kind/query per qid,
file exists under tests/data/, phrase length 10-80, phrase has no newline or tab,
phrase occurs verbatim in the file (and on one line), text is Unicode NFC.
Prints the counts of queries and rows per kind, and how often each phrase occurs
in its file (a phrase found more than once is reported as a note, not an error).

Usage: python3 tests/data/check_qrels2.py [path/to/qrels2.tsv]
"""
import collections
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["qid", "kind", "query", "file", "phrase"]
KINDS = {"question", "truefalse", "choice", "request"}
QID_RE = re.compile(r"^r\d{3}$")


def main(path):
    errors, notes = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        raw = fh.read()
    if "\r" in raw:
        errors.append("file contains CR characters")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append("bad header: %r" % (lines[0] if lines else ""))
    texts = {}
    per_qid = {}
    rows_per_kind = collections.Counter()
    seen_rows = set()
    for n, line in enumerate(lines[1:], start=2):
        where = "line %d" % n
        if line != unicodedata.normalize("NFC", line):
            errors.append("%s: not NFC" % where)
        cols = line.split("\t")
        if len(cols) != 5:
            errors.append("%s: %d columns, expected 5" % (where, len(cols)))
            continue
        qid, kind, query, fname, phrase = cols
        if not QID_RE.match(qid):
            errors.append("%s: bad qid %r" % (where, qid))
        if kind not in KINDS:
            errors.append("%s: bad kind %r" % (where, kind))
        if not query.strip():
            errors.append("%s: empty query" % where)
        prev = per_qid.setdefault(qid, (kind, query))
        if prev != (kind, query):
            errors.append("%s: qid %s has a different kind/query than its first row" % (where, qid))
        if (qid, fname, phrase) in seen_rows:
            errors.append("%s: duplicate row" % where)
        seen_rows.add((qid, fname, phrase))
        rows_per_kind[kind] += 1
        if not 10 <= len(phrase) <= 80:
            errors.append("%s: phrase length %d not in 10-80" % (where, len(phrase)))
        if "\n" in phrase or "\t" in phrase or "\r" in phrase:
            errors.append("%s: phrase contains a line break or tab" % where)
        if phrase != phrase.strip():
            errors.append("%s: phrase has leading/trailing space" % where)
        fpath = os.path.join(HERE, fname)
        if not os.path.isfile(fpath):
            errors.append("%s: file not found: %s" % (where, fname))
            continue
        if fpath not in texts:
            with open(fpath, encoding="utf-8") as fh:
                texts[fpath] = fh.read()
        text = texts[fpath]
        count = text.count(phrase)
        if count == 0:
            errors.append("%s: phrase not found in %s: %r" % (where, fname, phrase))
        elif not any(phrase in l for l in text.split("\n")):
            errors.append("%s: phrase not on a single line of %s" % (where, fname))
        elif count > 1:
            notes.append("%s (%s): phrase occurs %d times in its file" % (where, qid, count))

    qids = list(per_qid)
    expected = ["r%03d" % i for i in range(1, len(qids) + 1)]
    if sorted(qids) != expected:
        errors.append("qids are not consecutive r001..r%03d" % len(qids))
    queries_per_kind = collections.Counter(k for k, _ in per_qid.values())
    multi = sum(1 for q in qids if sum(1 for r in seen_rows if r[0] == q) > 1)
    files = {r[1] for r in seen_rows}

    print("%-10s %8s %6s" % ("kind", "queries", "rows"))
    for k in sorted(KINDS):
        print("%-10s %8d %6d" % (k, queries_per_kind[k], rows_per_kind[k]))
    print("%-10s %8d %6d" % ("total", len(qids), sum(rows_per_kind.values())))
    print("queries with more than one answer row: %d" % multi)
    print("distinct files: %d" % len(files))
    for note in notes:
        print("note:", note)
    for err in errors:
        print("ERROR:", err)
    print("OK" if not errors else "FAILED (%d errors)" % len(errors))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "qrels2.tsv")))
