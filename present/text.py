"""Results as terminal text, for ``cli.py``: each function takes a result record and returns
the lines to print. Dates, relation names and part titles come from ``present/format.py``,
which the app uses too."""

from __future__ import annotations

from present.format import (
    LABELLED_PARTS,
    RELATIONS,
    SUMMARY_PARTS,
    bracketed,
    date_vn,
    one_line,
)
from query.units import shown

LEG_NAMES = {"bm25": "BM25 (từ ngữ)", "dense": "vector (ngữ nghĩa)", "hybrid": "kết hợp"}


def ingest_report(report, *, pruning: bool, catalog_path) -> tuple[list[str], list[str]]:
    """(lines for stdout, lines for stderr) of an ingest ``Report``."""
    out = [f"Đã nhập {len(report.ingested)} văn bản ({report.passages} đoạn); "
           f"không đổi {len(report.unchanged)}; trùng nội dung {len(report.linked)}; "
           f"bỏ qua {len(report.skipped)}; lỗi {len(report.failed)}"
           + (f"; đã xóa {len(report.pruned)}" if pruning else "") + "."]
    out += [f"  bỏ qua  {s.path}: {s.reason}" for s in report.skipped]
    err = [f"  LỖI     {f.path}: {f.reason}" for f in report.failed]
    out += [f"  đã xóa  {path}" for path in report.pruned]
    err += [f"Lưu ý: {notice}." for notice in report.notices]
    out.append(f"Danh mục: {catalog_path}. Xem: python cli.py docs")
    return out, err


def hits(found) -> list[str]:
    """Search hits, ranked, the matched words marked [[…]]."""
    lines = []
    for rank, h in enumerate(found, 1):
        lines.append(f"{rank}. {h.number or '—'}  {date_vn(h.date) or '—'}  {h.issuer or '—'}  "
                     f"({h.source})  điểm {h.score:.4f}")
        if h.heading:
            lines.append(f"   {h.heading}")
        lines.append("   " + bracketed(h.text, h.marks).replace("\n", " ")[:600])
        if h.duplicates:
            lines.append(f"   cũng có trong {len(h.duplicates)} văn bản khác")
    return lines


def evaluation(results: dict, queries: int, total: int, qrels) -> list[str]:
    """The scores of each leg, then MRR@10 per kind of query."""
    lines = [f"Đánh giá trên {queries}/{total} câu hỏi có nhãn ({qrels}).",
             f"{'cách tìm':<20}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR@10':>8}{'nDCG@10':>9}"]
    for leg, kinds in results.items():
        a = kinds["all"]
        lines.append(f"{LEG_NAMES[leg]:<20}{a.recall_1:>7.3f}{a.recall_5:>7.3f}"
                     f"{a.recall_10:>7.3f}{a.mrr_10:>8.3f}{a.ndcg_10:>9.3f}")
    lines += ["", "MRR@10 theo loại câu hỏi:",
              f"{'loại':<14}{'số câu':>7}" + "".join(f"{LEG_NAMES[leg]:>20}" for leg in results)]
    for kind in sorted(k for k in results["bm25"] if k != "all"):
        lines.append(f"{kind:<14}{results['bm25'][kind].queries:>7}"
                     + "".join(f"{results[leg][kind].mrr_10:>20.3f}" for leg in results))
    return lines


def entries(found) -> list[str]:
    """The catalog's documents, one line each."""
    lines = []
    for e in found:
        m = e.metadata
        lines.append(f"{e.doc_id}  {m.number or '—':<16} {m.doc_type or '—':<12} "
                     f"{date_vn(m.date) or '—':<10}  "
                     f"{(m.issuer or '—')[:32]:<32}  {e.source}  ({e.passage_count} đoạn)")
    return lines + [f"Tổng: {len(found)} văn bản."]


def document(doc) -> list[str]:
    """A document's facts, one labelled line each, then its notes."""
    m = doc.metadata
    pages = ""
    if doc.page_count:
        pages = f"{doc.page_count}" + (f" (OCR {len(doc.ocr_pages)} trang)"
                                       if doc.ocr_pages else "")
    rows = [("Số hiệu", m.number), ("Loại", m.doc_type), ("Cơ quan ban hành", m.issuer),
            ("Cơ quan cấp trên", m.parent),
            ("Nơi, ngày", ", ".join(x for x in (m.place, date_vn(m.date)) if x)),
            ("Trích yếu", m.subject), ("Người ký", " / ".join(
                x for x in (m.signer.authority, m.signer.position, m.signer.name) if x)),
            ("Nơi nhận", "; ".join(m.recipients)), ("Cấp", m.level), ("Tỉnh", m.province),
            ("Tệp", doc.path), ("Mã", doc.doc_id), ("Trang", pages),
            ("Cấu trúc", f"{len(doc.sections)} mục, {len(doc.passages)} đoạn")]
    return ([f"{label + ':':<18}{value or '—'}" for label, value in rows]
            + [f"Ghi chú: {note}" for note in doc.notes])


def ref_line(ref) -> str:
    """What is known of a cited document: type and number, date, issuer, subject."""
    parts = [f"{ref.type_word} {ref.key}".strip(), date_vn(ref.date), ref.issuer,
             f"về {ref.subject}" if ref.subject else "", f"({ref.scope})" if ref.scope else "",
             "— có trong kho" if ref.doc_id else "",
             "— chưa rõ ngày/khóa" if ref.ambiguous else ""]
    return ", ".join(p for p in parts[:4] if p) + " " + " ".join(p for p in parts[4:] if p)


def citing(result, offset: int) -> list[str]:
    """A page of the documents citing a reference, then the total and how to page on."""
    lines = ["Văn bản được trích dẫn: " + ref_line(ref) for ref in result.refs]
    if not result.citing:
        lines.append("Chưa có văn bản nào trong kho trích dẫn văn bản này.")
    for c in result.citing:
        how = RELATIONS[c.relation] + (f" (qua {c.via})" if c.via else "")
        lines.append(f"- {c.number or '—'}  {date_vn(c.date) or '—'}  {c.issuer or '—'}  "
                     f"[{how}, {c.mentions} lần]  {c.source}")
        if c.contexts:
            lines.append(f"    “{c.contexts[0].text[:200]}”")
    shown = offset + len(result.citing)
    more = (f" Đang xem {offset + 1}–{shown}; xem tiếp: --offset {shown}, hoặc --limit 0 "
            "để xem tất cả.") if shown < result.total else ""
    return lines + [f"Tổng: {result.total} văn bản.{more}"]


def cited(found) -> list[str]:
    """What a document cites, with the relation and how often."""
    return ([f"[{RELATIONS[c.relation]}, {c.mentions} lần] {ref_line(c.ref)}" for c in found]
            + [f"Tổng: {len(found)} văn bản được trích dẫn."])


def precedents(result) -> list[str]:
    """Wording groups: label, first use, reuse, the documents, the first passage marked."""
    lines = []
    for rank, g in enumerate(result.groups, 1):
        first = g.passages[0]
        reuse = f", {g.documents - 1} văn bản dùng lại" if g.documents > 1 else ""
        since = (f"xuất hiện lần đầu: {date_vn(g.first_date)}" if g.first_date
                 else "không rõ ngày")
        lines.append(f"{rank}. [{g.label}, {g.similarity:.0%}] {since}{reuse}")
        lines += [f"   - {p.number or '—'}  {date_vn(p.date) or '—'}  {p.issuer or '—'}  "
                  f"({p.source}, đoạn {p.passage_id})" for p in g.passages[:5]]
        if len(g.passages) > 5:
            lines.append(f"   … và {len(g.passages) - 5} đoạn khác")
        lines.append("   " + bracketed(first.text, first.marks).replace("\n", " ")[:600])
    return lines


def lineage(found) -> list[str]:
    """The first use of a phrase, then the documents using it per year."""
    lines = []
    first = found.uses[0]
    if first.date:
        lines += [f"Dùng lần đầu: {first.number or first.source}, {date_vn(first.date)}, "
                  f"{first.issuer or '—'}", f"   “…{first.excerpt}…”"]
    lines.append(f"{len(found.uses)} văn bản dùng cụm từ này. Theo năm:")
    lines += [f"   {year}: {count} văn bản" for year, count in found.per_year]
    if found.undated:
        lines.append(f"   không rõ năm: {found.undated} văn bản")
    lines += [f"   - {date_vn(u.date) or '—'}  {u.number or '—'}  {u.issuer or '—'}  "
              f"({u.source})" for u in found.uses]
    return lines


def summary_markers(summary) -> str:
    """The summary's items numbered as sources ("1. … [1]"), for an LLM rewrite to keep."""
    items = ((part, i) for part, _title in SUMMARY_PARTS for i in getattr(summary, part))
    return "\n".join(f"{n}. {item.text}"
                     + (f" — {item.label}" if part in LABELLED_PARTS else "") + f" [{n}]"
                     for n, (part, item) in enumerate(items, 1))


def summary(found) -> list[str]:
    """A summary: the document's facts, then each part's items with their spans."""
    m = found.metadata
    lines = [f"{m.doc_type or 'Văn bản'} {m.number or found.source}"
             + (f", ngày {date_vn(m.date)}" if m.date else "")
             + (f", {m.issuer}" if m.issuer else "")]
    if m.subject:
        lines.append(f"Trích yếu: {m.subject}")
    lines += [f"Lưu ý: {note}." for note in found.notes]
    for part, title in SUMMARY_PARTS:
        items = getattr(found, part)
        if items:
            lines += ["", f"{title}:"]
        lines += _tasks(items) if part == "tasks" else _labelled(items, part)
    return lines


def _tasks(items) -> list[str]:
    """The tasks under the title they are grouped by, each group once."""
    lines, group = [], None
    for item in items:
        if item.label != group and item.label:
            lines.append(f"  {item.label}:")
        group = item.label
        indent = "    " if item.label else "  "
        lines.append(f"{indent}- {one_line(shown(item.text, item.shortened))} "
                     f"[{item.start}–{item.end}]")
    return lines


def _labelled(items, part: str) -> list[str]:
    out = []
    for item in items:
        label = f"{item.label}: " if part in LABELLED_PARTS else ""
        text = shown(item.text, item.shortened)
        out.append(f"  - {label}{one_line(text)} [{item.start}–{item.end}]")
    return out


def rewrite(found) -> list[str]:
    """The LLM's rewrite when it kept its sources, else why it was not used."""
    if found.accepted:
        return ["", "Bản viết lại (LLM, đã kiểm nguồn):", found.text]
    return ["", f"Không dùng bản viết lại của LLM: {found.reason}."]
