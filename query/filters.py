"""Filters by document facts, shared by every verb that narrows its passages: type, issuer,
level, province, years, and a set of documents (e.g. those citing a reference)."""

from __future__ import annotations

from dataclasses import dataclass

from core.tones import fold


@dataclass(frozen=True)
class Filters:
    doc_type: str = ""
    issuer: str = ""
    level: str = ""
    province: str = ""
    year_from: int | None = None
    year_to: int | None = None
    # Documents allowed, e.g. those citing a reference (``query.cites.cites``); None: all.
    doc_ids: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        return self != Filters()

    def sql(self) -> tuple[str, list]:
        """A WHERE fragment on ``documents d`` and its parameters."""
        parts, params = [], []
        if self.doc_ids is not None:
            parts.append(f"d.doc_id IN ({','.join('?' * len(self.doc_ids))})")
            params += sorted(self.doc_ids)
        # compared without case or tone marks ("ke hoach" is "Kế hoạch"); ``fold`` is the
        # SQL function the catalog registers
        for column, value in (("doc_type", self.doc_type), ("level", self.level),
                              ("province", self.province)):
            if value:
                value = fold(value.strip())
                parts.append(f"fold(json_extract(d.metadata, '$.{column}')) = ?")
                params.append("tw" if column == "level" and value == "trung uong" else value)
        if self.issuer:
            parts.append("instr(fold(d.issuer), ?) > 0")
            params.append(fold(self.issuer.strip()))
        if self.year_from is not None:
            parts.append("d.date != '' AND CAST(substr(d.date, 1, 4) AS INTEGER) >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            parts.append("d.date != '' AND CAST(substr(d.date, 1, 4) AS INTEGER) <= ?")
            params.append(self.year_to)
        return " AND ".join(parts) or "1", params

    def within(self) -> tuple[str, list] | None:
        """An SQL query giving the ids of the passages allowed, and its parameters; None
        when nothing is filtered."""
        if not self.active:
            return None
        where, params = self.sql()
        return (f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id"
                f" WHERE {where}", params)


NONE = Filters()  # every document
