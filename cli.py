"""Command line: ingest, search, eval, docs, show, cites, refs.

Parses input, calls the library, renders; nothing else.

Messages are Vietnamese; ``--json`` prints UTF-8 JSON (not ASCII-escaped) for scripts.
Exit codes: 0 success, 1 some files failed to ingest, 2 bad usage or lookup failure.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may be fetched from a model hub

from core import settings  # noqa: E402
from core.errors import VankienError  # noqa: E402
from query.cites import cites, refs  # noqa: E402
from query.lookup import resolve  # noqa: E402
from store.catalog import Catalog  # noqa: E402
from store.update import ingest  # noqa: E402


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _date(iso: str) -> str:
    """"2025-01-15" → "15/01/2025", as Vietnamese readers write dates."""
    return "/".join(reversed(iso.split("-"))) if iso else ""


def _catalog(args: argparse.Namespace) -> Catalog:
    return Catalog(args.data or settings.get("data"))


def _stocked(args: argparse.Namespace) -> Catalog | None:
    """The catalog, or None with a message when it holds no passage yet."""
    catalog = _catalog(args)
    if catalog.db.execute("SELECT 1 FROM passages LIMIT 1").fetchone():
        return catalog
    print(f"Chưa có văn bản nào trong {catalog.data_dir}. Nhập văn bản trước: "
          "python cli.py ingest THƯ_MỤC", file=sys.stderr)
    return None


def _citing(catalog: Catalog, ref: str) -> frozenset[str] | None:
    """The documents citing ``ref``, or None with a message (and suggestions) when ``ref``
    is unknown."""
    found = cites(catalog, ref, limit=None)
    if not found.refs:
        hint = ("; có phải: " + ", ".join(found.suggestions)) if found.suggestions else ""
        print(f"Không biết văn bản “{ref}”{hint}.", file=sys.stderr)
        return None
    return frozenset(c.doc_id for c in found.citing)


_MAX_QUERY_CHARS = 2000  # e5 reads 512 tokens; a pasted page says no more than its start


def _encoder(quiet: bool):
    """The embedding model, or None with a notice: search still works on words alone."""
    from models.encoder import Encoder, ModelMissingError

    try:
        return Encoder()
    except ModelMissingError as error:
        if not quiet:
            print(f"Lưu ý: {error}. Tạm thời chỉ tìm theo từ ngữ.", file=sys.stderr)
        return None


def _dense_leg(catalog: Catalog, quiet: bool, notices: list[str]):
    """(encoder, dense index) for search and eval; (None, None) with a notice when the model
    or the vector index is missing: the lexical leg still answers."""
    from store.dense import DenseIndex

    encoder = _encoder(quiet)
    if encoder is None:
        return None, None
    if not (catalog.data_dir / "dense" / "manifest.json").exists():
        notices.append("chưa có chỉ mục vector (chỉ tìm theo từ ngữ); chạy lại "
                       "python cli.py ingest để tạo")
        return None, None
    return encoder, DenseIndex(catalog.data_dir / "dense", encoder.model_id, encoder.dimension)


def cmd_ingest(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    encoder = None if args.no_embed else _encoder(args.json)
    report = ingest(args.paths, catalog, prune=args.prune, progress=not args.json,
                    encoder=encoder)
    if args.json:
        _print_json({
            "ingested": report.ingested, "unchanged": report.unchanged, "linked": report.linked,
            "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
            "failed": [{"path": p, "error": e, "reason": r} for p, e, r in report.failed],
            "pruned": report.pruned, "passages": report.passages,
            "embedded": report.embedded,
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        })
    else:
        print(f"Đã nhập {len(report.ingested)} văn bản ({report.passages} đoạn); "
              f"không đổi {len(report.unchanged)}; trùng nội dung {len(report.linked)}; "
              f"bỏ qua {len(report.skipped)}; lỗi {len(report.failed)}"
              + (f"; đã xóa {len(report.pruned)}" if args.prune else "") + ".")
        for path, reason in report.skipped:
            print(f"  bỏ qua  {path}: {reason}")
        for path, _error, reason in report.failed:
            print(f"  LỖI     {path}: {reason}", file=sys.stderr)
        for path in report.pruned:
            print(f"  đã xóa  {path}")
        print(f"Danh mục: {catalog.path}. Xem: python cli.py docs")
    return 1 if report.failed else 0


def cmd_search(args: argparse.Namespace) -> int:
    from query.search import Filters, search

    query = " ".join(args.query.split())
    if not query:
        print("Hãy nhập nội dung cần tìm, ví dụ: python cli.py search \"báo cáo viên\"")
        return 2
    notices = []
    if len(query) > _MAX_QUERY_CHARS:
        query = query[:_MAX_QUERY_CHARS]
        notices.append(f"câu tìm dài quá, chỉ dùng {_MAX_QUERY_CHARS} ký tự đầu")
    catalog = _stocked(args)
    if catalog is None:
        return 2
    encoder, dense = _dense_leg(catalog, args.json, notices)
    doc_ids = None
    if args.cites:
        doc_ids = _citing(catalog, args.cites)
        if doc_ids is None:
            return 2
        notices.append(f"chỉ tìm trong {len(doc_ids)} văn bản trích dẫn {args.cites}")
    filters = Filters(doc_type=args.type or "", issuer=args.issuer or "",
                      level=args.level or "", province=args.province or "",
                      year_from=args.year_from, year_to=args.year_to, doc_ids=doc_ids)
    hits = search(catalog.db, query, k=args.k, encoder=encoder.queries if encoder else None,
                  dense=dense, filters=filters)
    if args.json:
        _print_json({"query": query, "notices": notices, "hits": [{
            "doc_id": h.doc_id, "source": h.source, "number": h.number, "date": h.date,
            "issuer": h.issuer, "passage_id": h.passage_id, "text": h.text,
            "start": h.start, "end": h.end, "heading": h.heading, "score": h.score,
            "marks": [list(m) for m in h.marks], "duplicates": list(h.duplicates),
        } for h in hits]})
        return 0
    for notice in notices:
        print(f"Lưu ý: {notice}.")
    if not hits:
        print("Không tìm thấy đoạn nào. Thử ít từ hơn, bỏ bộ lọc, hoặc đặt cụm từ cần khớp "
              "đúng trong ngoặc kép.")
        return 0
    for rank, h in enumerate(hits, 1):
        text, shift = h.text, 0
        for a, b in h.marks:  # mark matched words as [[word]]
            text = text[: a + shift] + "[[" + text[a + shift : b + shift] + "]]" + text[b + shift:]
            shift += 4
        print(f"{rank}. {h.number or '—'}  {_date(h.date) or '—'}  {h.issuer or '—'}  "
              f"({h.source})  điểm {h.score:.4f}")
        if h.heading:
            print(f"   {h.heading}")
        print("   " + text.replace("\n", " ")[:600])
        if h.duplicates:
            print(f"   cũng có trong {len(h.duplicates)} văn bản khác")
    return 0


_LEG_NAMES = {"bm25": "BM25 (từ ngữ)", "dense": "vector (ngữ nghĩa)", "hybrid": "kết hợp"}


def cmd_eval(args: argparse.Namespace) -> int:
    from query.evaluate import evaluate, load_queries

    qrels = Path(args.qrels)
    if not qrels.is_file():
        print(f"Không thấy tệp câu hỏi có nhãn: {qrels}", file=sys.stderr)
        return 2
    catalog = _catalog(args)
    queries, total = load_queries(catalog.db, qrels)
    if not queries:
        print(f"Danh mục {catalog.data_dir} không chứa văn bản nào mà {qrels} nhắc tới. Nhập "
              "chúng trước, ví dụ: python cli.py ingest tests/data", file=sys.stderr)
        return 2
    notices: list[str] = []
    encoder, dense = _dense_leg(catalog, args.json, notices)
    results = evaluate(catalog.db, queries, encoder=encoder.queries if encoder else None,
                       dense=dense)
    if args.json:
        _print_json({"qrels": str(qrels), "queries": len(queries), "total": total,
                     "notices": notices,
                     "legs": {leg: {kind: asdict(score) for kind, score in kinds.items()}
                              for leg, kinds in results.items()}})
        return 0
    for notice in notices:
        print(f"Lưu ý: {notice}.")
    print(f"Đánh giá trên {len(queries)}/{total} câu hỏi có nhãn ({qrels}).")
    print(f"{'cách tìm':<20}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR@10':>8}{'nDCG@10':>9}")
    for leg, kinds in results.items():
        a = kinds["all"]
        print(f"{_LEG_NAMES[leg]:<20}{a.recall_1:>7.3f}{a.recall_5:>7.3f}{a.recall_10:>7.3f}"
              f"{a.mrr_10:>8.3f}{a.ndcg_10:>9.3f}")
    kinds = sorted(k for k in results["bm25"] if k != "all")
    print("\nMRR@10 theo loại câu hỏi:")
    print(f"{'loại':<14}{'số câu':>7}" + "".join(f"{_LEG_NAMES[leg]:>20}" for leg in results))
    for kind in kinds:
        print(f"{kind:<14}{results['bm25'][kind].queries:>7}"
              + "".join(f"{results[leg][kind].mrr_10:>20.3f}" for leg in results))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    entries = _catalog(args).entries()
    if args.json:
        _print_json([{
            "doc_id": e.doc_id, "source": e.source, "paths": list(e.paths), "format": e.format,
            "number": e.metadata.number, "doc_type": e.metadata.doc_type,
            "date": e.metadata.date, "issuer": e.metadata.issuer,
            "subject": e.metadata.subject, "pages": e.page_count,
            "passages": e.passage_count, "ocr_pages": list(e.ocr_pages),
        } for e in entries])
        return 0
    if not entries:
        print("Danh mục trống. Nhập văn bản: python cli.py ingest THƯ_MỤC")
        return 0
    for e in entries:
        m = e.metadata
        print(f"{e.doc_id}  {m.number or '—':<16} {m.doc_type or '—':<12} "
              f"{_date(m.date) or '—':<10}  "
              f"{(m.issuer or '—')[:32]:<32}  {e.source}  ({e.passage_count} đoạn)")
    print(f"Tổng: {len(entries)} văn bản.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    doc = catalog.get(resolve(catalog, args.doc))
    if args.json:
        _print_json({
            "doc_id": doc.doc_id, "source": doc.source, "path": doc.path, "format": doc.format,
            "pages": doc.page_count, "ocr_pages": list(doc.ocr_pages), "encoding": doc.encoding,
            "notes": list(doc.notes), "metadata": asdict(doc.metadata),
            "sections": [{k: v for k, v in asdict(s).items() if k != "doc_id"}
                         for s in doc.sections],
            "passages": [{"passage_id": p.passage_id, "start": p.start, "end": p.end,
                          "kind": p.kind, "heading": p.heading, "text": p.text}
                         for p in doc.passages],
            "text": doc.text,
        })
        return 0
    m = doc.metadata
    rows = [("Số hiệu", m.number), ("Loại", m.doc_type), ("Cơ quan ban hành", m.issuer),
            ("Cơ quan cấp trên", m.parent),
            ("Nơi, ngày", ", ".join(x for x in (m.place, _date(m.date)) if x)),
            ("Trích yếu", m.subject), ("Người ký", " / ".join(
                x for x in (m.signer.authority, m.signer.position, m.signer.name) if x)),
            ("Nơi nhận", "; ".join(m.recipients)), ("Cấp", m.level), ("Tỉnh", m.province),
            ("Tệp", doc.path), ("Mã", doc.doc_id),
            ("Trang", f"{doc.page_count}" + (f" (OCR {len(doc.ocr_pages)} trang)"
                                              if doc.ocr_pages else "") if doc.page_count else ""),
            ("Cấu trúc", f"{len(doc.sections)} mục, {len(doc.passages)} đoạn")]
    for label, value in rows:
        print(f"{label + ':':<18}{value or '—'}")
    for note in doc.notes:
        print(f"Ghi chú: {note}")
    return 0


_RELATIONS = {"implements": "thực hiện", "basis": "căn cứ", "mentions": "nhắc đến"}


def _ref_json(ref) -> dict:
    return {"ref_id": ref.ref_id, "key": ref.key, "date": ref.date, "type": ref.type_word,
            "issuer": ref.issuer, "subject": ref.subject, "scope": ref.scope,
            "ambiguous": ref.ambiguous, "doc_id": ref.doc_id}


def _ref_line(ref) -> str:
    parts = [f"{ref.type_word} {ref.key}".strip(), _date(ref.date), ref.issuer,
             f"về {ref.subject}" if ref.subject else "", f"({ref.scope})" if ref.scope else "",
             "— có trong kho" if ref.doc_id else "", "— chưa rõ ngày/khóa" if ref.ambiguous
             else ""]
    return ", ".join(p for p in parts[:4] if p) + " " + " ".join(p for p in parts[4:] if p)


def cmd_cites(args: argparse.Namespace) -> int:
    result = cites(_catalog(args), args.ref, relation=args.relation,
                   direct_only=args.direct_only, limit=args.limit or None, offset=args.offset)
    if args.json:
        _print_json({
            "query": args.ref, "refs": [_ref_json(r) for r in result.refs],
            "citing": [{
                "doc_id": c.doc_id, "source": c.source, "number": c.number, "date": c.date,
                "issuer": c.issuer, "relation": c.relation, "via": c.via, "ref_id": c.ref_id,
                "mentions": c.mentions,
                "contexts": [{"text": x.text, "start": x.start, "end": x.end,
                              "doc_start": x.doc_start} for x in c.contexts],
            } for c in result.citing],
            "total": result.total, "offset": args.offset,
            "suggestions": list(result.suggestions),
            "understood": result.query.usable or bool(result.refs),
        })
        return 0
    if not result.query.usable and not result.refs:
        print(f"Không nhận ra số hiệu văn bản trong “{args.ref}”. Ví dụ: 01-KL/TW, "
              "Kết luận 01-KL/TW, kl 01/tw, nd 146/2025, hoặc tên như “Nghị quyết Đại hội XIII”.")
        return 0
    if not result.refs:
        hint = f" Bạn có muốn tìm: {', '.join(result.suggestions)}?" if result.suggestions else ""
        print(f"Không có văn bản nào trích dẫn “{args.ref}”.{hint}")
        return 0
    for ref in result.refs:
        print("Văn bản được trích dẫn: " + _ref_line(ref))
    if not result.citing:
        print("Chưa có văn bản nào trong kho trích dẫn văn bản này.")
    for c in result.citing:
        how = _RELATIONS[c.relation] + (f" (qua {c.via})" if c.via else "")
        print(f"- {c.number or '—'}  {_date(c.date) or '—'}  {c.issuer or '—'}  [{how}, "
              f"{c.mentions} lần]  {c.source}")
        if c.contexts:
            x = c.contexts[0]
            print(f"    “{x.text[:200]}”")
    shown = args.offset + len(result.citing)
    more = (f" Đang xem {args.offset + 1}–{shown}; xem tiếp: --offset {shown}, hoặc --limit 0 "
            "để xem tất cả.") if shown < result.total else ""
    print(f"Tổng: {result.total} văn bản.{more}")
    return 0


def cmd_refs(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    doc_id = resolve(catalog, args.doc)
    cited = refs(catalog, doc_id)
    if args.json:
        _print_json({"doc_id": doc_id, "refs": [
            {**_ref_json(c.ref), "relation": c.relation, "mentions": c.mentions}
            for c in cited]})
        return 0
    for c in cited:
        print(f"[{_RELATIONS[c.relation]}, {c.mentions} lần] {_ref_line(c.ref)}")
    print(f"Tổng: {len(cited)} văn bản được trích dẫn.")
    return 0


def _marked(text: str, marks) -> str:
    """``text`` with each marked span wrapped as [[…]]."""
    shift = 0
    for a, b in marks:
        text = text[: a + shift] + "[[" + text[a + shift : b + shift] + "]]" + text[b + shift:]
        shift += 4
    return text


def cmd_similar(args: argparse.Namespace) -> int:
    from query.similar import similar

    text = " ".join((args.text or "").split())
    if not text and not args.passage:
        print("Hãy dán đoạn văn cần tra, ví dụ: python cli.py similar \"Nâng cao chất lượng "
              "học tập nghị quyết\", hoặc dùng --passage MÃ_ĐOẠN")
        return 2
    catalog = _stocked(args)
    if catalog is None:
        return 2
    notices: list[str] = []
    encoder, dense = _dense_leg(catalog, args.json, notices)
    result = similar(catalog.db, text, passage_id=args.passage or "", k=args.k,
                     encoder=encoder.queries if encoder else None, dense=dense,
                     since=args.since, until=args.until, all_kinds=args.all_kinds)
    if result.truncated:
        notices.append(f"văn bản dài quá, chỉ so sánh {result.words} từ đầu")
    if not result.letters:
        notices.append("văn bản không có chữ tiếng Việt: chỉ tìm được các đoạn gần nghĩa "
                       "(lân cận theo vector)")
    if not result.dense:
        notices.append("không có mô hình vector: chỉ tìm được các đoạn trùng lời")
    if args.json:
        _print_json({"notices": notices, "words": result.words, "groups": [{
            "label": g.label, "similarity": g.similarity, "first_date": g.first_date,
            "documents": g.documents, "passages": [{
                "doc_id": p.doc_id, "passage_id": p.passage_id, "source": p.source,
                "number": p.number, "date": p.date, "issuer": p.issuer, "kind": p.kind,
                "heading": p.heading, "text": p.text, "start": p.start, "end": p.end,
                "label": p.label, "wording": p.wording, "meaning": p.meaning,
                "marks": [list(m) for m in p.marks]} for p in g.passages],
        } for g in result.groups]})
        return 0
    for notice in notices:
        print(f"Lưu ý: {notice}.")
    if not result.groups:
        print("Không thấy đoạn nào trùng lời hay cùng ý. Thử dán một đoạn dài hơn, hoặc bỏ "
              "giới hạn năm.")
        return 0
    for rank, g in enumerate(result.groups, 1):
        first = g.passages[0]
        reuse = f", {g.documents - 1} văn bản dùng lại" if g.documents > 1 else ""
        since = f"xuất hiện lần đầu: {_date(g.first_date)}" if g.first_date else "không rõ ngày"
        print(f"{rank}. [{g.label}, {g.similarity:.0%}] {since}{reuse}")
        for p in g.passages[:5]:
            print(f"   - {p.number or '—'}  {_date(p.date) or '—'}  {p.issuer or '—'}  "
                  f"({p.source}, đoạn {p.passage_id})")
        if len(g.passages) > 5:
            print(f"   … và {len(g.passages) - 5} đoạn khác")
        print("   " + _marked(first.text, first.marks).replace("\n", " ")[:600])
    return 0


def cmd_lineage(args: argparse.Namespace) -> int:
    from query.lineage import lineage

    phrase = " ".join(args.phrase.split())
    if not phrase:
        print("Hãy nhập cụm từ, ví dụ: python cli.py lineage \"kỷ nguyên vươn mình của dân "
              "tộc\"")
        return 2
    found = lineage(_catalog(args).db, phrase, all_kinds=args.all_kinds)
    if args.json:
        _print_json({"phrase": found.phrase, "documents": len(found.uses),
                     "per_year": {str(y): n for y, n in found.per_year},
                     "undated": found.undated, "uses": [{
                         "doc_id": u.doc_id, "passage_id": u.passage_id, "source": u.source,
                         "number": u.number, "date": u.date, "issuer": u.issuer,
                         "start": u.start, "end": u.end, "excerpt": u.excerpt}
                         for u in found.uses]})
        return 0
    if not found.uses:
        print(f"Không văn bản nào có nguyên văn “{phrase}”. Thử bớt từ, hoặc dùng "
              "python cli.py similar để tìm cách viết gần giống.")
        return 0
    first = found.uses[0]
    if first.date:
        print(f"Dùng lần đầu: {first.number or first.source}, {_date(first.date)}, "
              f"{first.issuer or '—'}")
        print(f"   “…{first.excerpt}…”")
    print(f"{len(found.uses)} văn bản dùng cụm từ này. Theo năm:")
    for year, count in found.per_year:
        print(f"   {year}: {count} văn bản")
    if found.undated:
        print(f"   không rõ năm: {found.undated} văn bản")
    for u in found.uses:
        print(f"   - {_date(u.date) or '—'}  {u.number or '—'}  {u.issuer or '—'}  ({u.source})")
    return 0


_SUMMARY_PARTS = (("purpose", "Mục đích, yêu cầu"), ("tasks", "Nhiệm vụ chính"),
                  ("deadlines", "Thời hạn"), ("units", "Đơn vị thực hiện"),
                  ("implements", "Văn bản được thực hiện"),
                  ("sentences", "Tóm tắt (các câu tiêu biểu)"))


def _item_json(item) -> dict:
    return {"doc_id": item.doc_id, "start": item.start, "end": item.end, "text": item.text,
            **({"label": item.label} if item.label else {})}


def _rewritten(text: str) -> dict:
    """The LLM rewrite of ``text`` (markers checked), for --rewrite."""
    from present.rewrite import rewrite

    result = rewrite(text)
    return {"text": result.text, "accepted": result.accepted, "reason": result.reason,
            "model": result.model}


def _print_rewrite(found: dict) -> None:
    if found["accepted"]:
        print("\nBản viết lại (LLM, đã kiểm nguồn):\n" + found["text"])
    else:
        print(f"\nKhông dùng bản viết lại của LLM: {found['reason']}.")


def cmd_summarize(args: argparse.Namespace) -> int:
    from query.summarize import summarize

    catalog = _catalog(args)
    doc = catalog.get(resolve(catalog, args.doc))
    encoder = _encoder(args.json)
    summary = summarize(doc, db=catalog.db, sentences=args.sentences,
                        encoder=encoder.passages if encoder else None)
    m = summary.metadata
    lines = [f"{n}. {item.text}" + (f" — {item.label}" if part in ("deadlines", "units") else "")
             + f" [{n}]" for n, (part, item) in enumerate(
                 ((part, i) for part, _t in _SUMMARY_PARTS for i in getattr(summary, part)), 1)]
    rewritten = _rewritten("\n".join(lines)) if args.rewrite else None
    if args.json:
        _print_json({"doc_id": summary.doc_id, "source": summary.source, "number": m.number,
                     "type": m.doc_type, "date": m.date, "issuer": m.issuer,
                     "subject": m.subject, "notes": list(summary.notes),
                     **{part: [_item_json(i) for i in getattr(summary, part)]
                        for part, _t in _SUMMARY_PARTS},
                     **({"rewrite": rewritten} if rewritten else {})})
        return 0
    print(f"{m.doc_type or 'Văn bản'} {m.number or summary.source}"
          + (f", ngày {_date(m.date)}" if m.date else "") + (f", {m.issuer}" if m.issuer else ""))
    if m.subject:
        print(f"Trích yếu: {m.subject}")
    for note in summary.notes:
        print(f"Lưu ý: {note}.")
    for part, title in _SUMMARY_PARTS:
        items = getattr(summary, part)
        if not items:
            continue
        print(f"\n{title}:")
        for item in items:
            where = f"[{item.start}–{item.end}]"
            if part == "deadlines":
                print(f"  - {item.label}: {item.text} {where}")
            elif part == "units":
                print(f"  - {item.label}: {item.text} {where}")
            else:
                print(f"  - {' '.join(item.text.split())} {where}")
    if rewritten:
        _print_rewrite(rewritten)
    return 0


def cmd_outline(args: argparse.Namespace) -> int:
    from present.outline_export import docx, markdown, source_line
    from query.outline import outline

    topic = " ".join((args.topic or "").split())
    if not topic and not args.cites:
        print("Hãy nhập chủ đề, ví dụ: python cli.py outline \"học tập và làm theo Bác\", hoặc "
              "--cites 01-KL/TW")
        return 2
    catalog = _catalog(args)
    doc_ids = None
    if args.cites:
        doc_ids = _citing(catalog, args.cites)
        if doc_ids is None:
            return 2
    notices: list[str] = []
    encoder, dense = _dense_leg(catalog, args.json, notices)
    result = outline(catalog.db, topic or args.cites, doc_ids=doc_ids,
                     encoder=encoder.queries if encoder else None, dense=dense,
                     require_words=bool(topic))
    if not result.sections and not args.json:
        where = f" trong các văn bản trích dẫn {args.cites}" if args.cites else ""
        print(f"Không tìm thấy đoạn nào về “{topic or args.cites}”{where}. Thử chủ đề khác "
              "hoặc ít từ hơn.")
        return 0
    text = markdown(result)
    written = []
    if args.md:
        Path(args.md).write_text(text, encoding="utf-8")
        written.append(args.md)
    if args.docx:
        docx(result, args.docx)
        written.append(args.docx)
    rewritten = _rewritten(text) if args.rewrite else None
    if args.json:
        _print_json({"topic": result.topic, "passages": result.passages, "notices": notices,
                     "sections": [{"title": s.title, "points": [{
                         "doc_id": p.doc_id, "passage_id": p.passage_id, "start": p.start,
                         "end": p.end, "text": p.text, "sources": list(p.sources)}
                         for p in s.points]} for s in result.sections],
                     "sources": [{"number": s.number, "doc_id": s.doc_id, "source": s.source,
                                  "doc_number": s.doc_number, "date": s.date,
                                  "issuer": s.issuer, "line": source_line(s)}
                                 for s in result.sources],
                     "written": written, **({"rewrite": rewritten} if rewritten else {})})
        return 0
    for notice in notices:
        print(f"Lưu ý: {notice}.")
    print(text, end="")
    for path in written:
        print(f"Đã ghi {path}")
    if rewritten:
        _print_rewrite(rewritten)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cli.py", description="vankien: tra cứu văn bản")
    parser.add_argument("--data", help=f"thư mục dữ liệu (mặc định $VANKIEN_DATA hoặc "
                                       f"{settings.SETTINGS[0].default})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="nhập tệp hoặc thư mục (đệ quy)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--prune", action="store_true", help="xóa văn bản có tệp không còn tồn tại")
    p.add_argument("--no-embed", action="store_true", help="không mã hóa vector (chỉ tìm theo từ)")
    p.set_defaults(run=cmd_ingest)
    p = sub.add_parser("search", help="tìm đoạn văn bản (từ ngữ và ngữ nghĩa)")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10, help="số kết quả")
    p.add_argument("--type", help="loại văn bản, ví dụ “Kế hoạch”")
    p.add_argument("--issuer", help="cơ quan ban hành (một phần tên)")
    p.add_argument("--level", help="cấp ban hành: TW (trung ương), tỉnh, huyện, cơ sở")
    p.add_argument("--province", help="tỉnh, thành phố, ví dụ “Lào Cai”")
    p.add_argument("--year-from", type=int, help="từ năm")
    p.add_argument("--year-to", type=int, help="đến năm")
    p.add_argument("--cites", help="chỉ trong các văn bản trích dẫn văn bản này, ví dụ "
                                   "“01-KL/TW”")
    p.set_defaults(run=cmd_search)
    p = sub.add_parser("similar", help="đoạn đã viết trước đây: trùng nguyên văn, gần như "
                                       "trùng, cùng ý")
    p.add_argument("text", nargs="?", default="")
    p.add_argument("--passage", help="bắt đầu từ một đoạn đã nhập (mã đoạn, ví dụ abc123:4)")
    p.add_argument("-k", type=int, default=20, help="số nhóm cách viết")
    p.add_argument("--since", type=int, help="từ năm")
    p.add_argument("--until", type=int, help="đến năm")
    p.add_argument("--all-kinds", action="store_true", help="gồm cả chú thích và phần chữ ký")
    p.set_defaults(run=cmd_similar)
    p = sub.add_parser("lineage", help="văn bản đầu tiên dùng một cụm từ và số văn bản dùng "
                                       "lại theo năm")
    p.add_argument("phrase")
    p.add_argument("--all-kinds", action="store_true", help="gồm cả chú thích và phần chữ ký")
    p.set_defaults(run=cmd_lineage)
    p = sub.add_parser("summarize", help="tóm tắt một văn bản: mục đích, nhiệm vụ, thời hạn, "
                                         "đơn vị thực hiện và các câu tiêu biểu")
    p.add_argument("doc")
    p.add_argument("--sentences", type=int, default=5, help="số câu tóm tắt")
    p.add_argument("--rewrite", action="store_true", help="nhờ LLM (VANKIEN_LLM_URL) viết lại "
                                                            "thành văn xuôi, giữ nguồn")
    p.set_defaults(run=cmd_summarize)
    p = sub.add_parser("outline", help="đề cương bài giảng từ các văn bản về một chủ đề")
    p.add_argument("topic", nargs="?", default="")
    p.add_argument("--cites", help="chỉ từ các văn bản trích dẫn văn bản này, ví dụ “01-KL/TW”")
    p.add_argument("--docx", help="ghi ra tệp Word (.docx)")
    p.add_argument("--md", help="ghi ra tệp Markdown (.md)")
    p.add_argument("--rewrite", action="store_true", help="nhờ LLM (VANKIEN_LLM_URL) viết lại "
                                                            "thành văn xuôi, giữ nguồn")
    p.set_defaults(run=cmd_outline)
    p = sub.add_parser("eval", help="đo chất lượng tìm kiếm trên các câu hỏi có nhãn")
    p.add_argument("--qrels", default=str(Path(__file__).parent / "tests" / "data" / "qrels.tsv"),
                   help="tệp câu hỏi có nhãn (TSV: qid, kind, query, file, phrase)")
    p.set_defaults(run=cmd_eval)
    p = sub.add_parser("docs", help="liệt kê danh mục")
    p.set_defaults(run=cmd_docs)
    p = sub.add_parser("show", help="xem một văn bản (mã, tên tệp hoặc số hiệu)")
    p.add_argument("doc")
    p.set_defaults(run=cmd_show)
    p = sub.add_parser("cites", help="các văn bản trích dẫn một văn bản (số hiệu, mọi cách viết)")
    p.add_argument("ref")
    p.add_argument("--relation", choices=sorted(_RELATIONS), help="chỉ một loại quan hệ")
    p.add_argument("--direct-only", action="store_true", help="bỏ các văn bản thực hiện gián "
                                                               "tiếp (qua văn bản khác)")
    p.add_argument("--limit", type=int, default=100, help="số văn bản mỗi trang (0: tất cả)")
    p.add_argument("--offset", type=int, default=0, help="bỏ qua bấy nhiêu văn bản đầu")
    p.set_defaults(run=cmd_cites)
    p = sub.add_parser("refs", help="những văn bản một văn bản trích dẫn")
    p.add_argument("doc")
    p.set_defaults(run=cmd_refs)
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="in JSON (UTF-8)")
        p.add_argument("--data", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    args = parser.parse_args(argv)
    # pypdf logs every oddity of a PDF it can still read ("Multiple definitions in
    # dictionary"); the per-file summary is what users need to read.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except VankienError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
