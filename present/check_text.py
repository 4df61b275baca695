"""The draft checker's report in words (``query/check.py`` finds; this says): one line per
finding with where it is in the draft (its paragraph and the words cited), what is wrong,
the fact or rule behind it and the correction to make."""

from __future__ import annotations

from core.results import DraftReport, Finding
from present.format import RELATIONS, date_vn, one_line

SEVERITY = {"wrong_date": "Lỗi", "wrong_issuer": "Lỗi", "replaced": "Lỗi",
            "term_ambiguous": "Cảnh báo",
            "missing_facts": "Cảnh báo", "unknown": "Thông tin", "precedent": "Thông tin",
            "peers": "Thông tin"}
_FACTS = {"date": "ngày ban hành", "issuer": "cơ quan ban hành"}


def message(finding: Finding) -> tuple[str, str]:
    """(what is wrong and why, the correction) for one finding, in Vietnamese."""
    f, key = finding, finding.key
    if f.kind == "wrong_date":
        return (f"{key} là ngày {date_vn(f.catalog)}, dự thảo ghi {date_vn(f.draft)}",
                f"sửa thành ngày {date_vn(f.catalog)}")
    if f.kind == "wrong_issuer":
        return (f"{key} do {f.catalog} ban hành, dự thảo ghi {f.draft}",
                f"sửa thành “{f.catalog}”")
    if f.kind == "term_ambiguous":
        return (f"{key} là số đánh lại theo nhiệm kỳ; kho có {len(f.candidates)} văn bản cùng "
                f"số ({'; '.join(f.candidates)})", "ghi rõ ngày ban hành để xác định văn bản")
    if f.kind == "missing_facts":
        missing = " và ".join(_FACTS[m] for m in f.missing)
        later = " (lần nhắc sau có đủ: chuyển lên lần đầu)" if f.candidates else ""
        return (f"lần nhắc đầu tiên của {key} thiếu {missing}{later}",
                f"ghi đầy đủ như kho biết: {f.catalog}")
    if f.kind == "replaced":
        how = RELATIONS[f.catalog]
        return (f"{key} đã bị {how} bởi {'; '.join(f.candidates)}",
                "trích dẫn văn bản còn hiệu lực, hoặc ghi rõ văn bản đã được "
                f"{how}" if f.catalog != "amends" else
                f"ghi cả văn bản sửa đổi, bổ sung ({f.candidates[0]})")
    if f.kind == "unknown":
        close = f"; số gần nhất trong kho: {', '.join(f.candidates)}" if f.candidates else ""
        return (f"kho chưa có văn bản số {key} (kho có thể chưa đủ){close}",
                "kiểm tra lại số, ký hiệu")
    if f.kind == "precedent":
        return (f"đoạn “{one_line(f.draft)}…” {f.catalog} "
                f"{', '.join(f.candidates[:3])}", "xem lại nếu cần diễn đạt riêng")
    return (f"các kế hoạch khác cũng thực hiện {key}, mới nhất trước: "
            f"{'; '.join(f.candidates[:5])}", "so sánh phạm vi và thời hạn")


def paragraph_of(text: str, at: int) -> int:
    """The draft's paragraph (1-based) holding offset ``at``: the cleaned text has one
    paragraph per line, its broken lines joined and its rules dropped."""
    return text.count("\n", 0, at) + 1


def report(found: DraftReport) -> list[str]:
    """The report: a summary line, then the findings by severity, each with its line."""
    counts = {s: sum(SEVERITY[f.kind] == s for f in found.findings)
              for s in ("Lỗi", "Cảnh báo", "Thông tin")}
    lines = [f"Kiểm tra dự thảo {found.name}: {found.citations} trích dẫn có số; "
             + ", ".join(f"{n} {s.lower()}" for s, n in counts.items())]
    if not found.findings:
        lines.append("Không thấy sai sót nào ở các trích dẫn.")
    for severity in ("Lỗi", "Cảnh báo", "Thông tin"):
        for f in (f for f in found.findings if SEVERITY[f.kind] == severity):
            what, fix = message(f)
            quoted = one_line(found.text[f.start : f.end])[:70]
            lines.append(f"- [{severity}] đoạn {paragraph_of(found.text, f.start)}, “{quoted}”: "
                         f"{what}. Đề nghị: {fix}.")
    return lines
