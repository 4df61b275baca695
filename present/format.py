"""How results read, the same in the CLI and the app: dates as Vietnamese readers write them,
relation names, the titles of a summary's parts, matched words marked, JSON.

>>> date_vn("2025-01-15")
'15/01/2025'
"""

from __future__ import annotations

import dataclasses
import json

RELATIONS = {"replaces": "thay thế", "abolishes": "bãi bỏ", "amends": "sửa đổi, bổ sung",
             "implements": "thực hiện", "basis": "căn cứ", "mentions": "nhắc đến"}
# The parts of a summary (``core.results.Summary``) in the order they are shown.
SUMMARY_PARTS = (("purpose", "Mục đích, yêu cầu"), ("tasks", "Nhiệm vụ chính"),
                 ("deadlines", "Thời hạn"), ("units", "Đơn vị thực hiện"),
                 ("implements", "Văn bản được thực hiện"),
                 ("sentences", "Tóm tắt (các câu tiêu biểu)"))
LABELLED_PARTS = ("deadlines", "units")  # items shown after their label (the time, the unit)
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def date_vn(iso: str) -> str:
    """"2025-01-15" → "15/01/2025"; "" stays ""."""
    return "/".join(reversed(iso.split("-"))) if iso else ""


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())


def bracketed(text: str, marks) -> str:
    """``text`` with each marked span wrapped as [[…]], for a terminal."""
    out, cursor = [], 0
    for start, end in sorted(marks):
        if start < cursor:
            continue
        out += [text[cursor:start], "[[", text[start:end], "]]"]
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def to_json(value: object) -> str:
    """UTF-8 JSON of a result: dataclasses as objects (their fields and, where a record
    names one, ``passage_id``), tuples as lists."""
    return json.dumps(_plain(value), ensure_ascii=False, indent=2)


def _plain(value: object) -> object:
    if hasattr(value, "_asdict"):  # a NamedTuple row
        return {k: _plain(v) for k, v in value._asdict().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(getattr(type(value), "passage_id", None), property):
            out["passage_id"] = value.passage_id
        return out
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_plain(v) for v in items]
    return value
