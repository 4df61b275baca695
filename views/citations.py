"""Citations: any spelling of a reference → what is known of it and every document citing it,
with the relation, direct or through another plan; CSV and XLSX export; the chain as a tree."""

import io

import pandas as pd
import streamlit as st

from present.format import RELATIONS, date_vn
from query.cites import cites
from views.common import from_url, html_block, link, no_documents, store

st.title("Văn bản trích dẫn")
ref = st.text_input("Số hiệu văn bản (mọi cách viết: 01-KL/TW, kết luận 01, kl 01/tw…)",
                    key=from_url("ref", ""))
ref = " ".join(ref.split())
here = store()
if not no_documents(here) and ref:
    st.query_params["ref"] = ref
    with st.spinner("Đang tra…"):
        found = cites(here, ref, limit=None)
    if not found.refs:
        hint = (" Có phải: " + ", ".join(f"**{s}**" for s in found.suggestions) + "?"
                if found.suggestions else "")
        st.warning(f"Không biết văn bản “{ref}” trong danh mục.{hint}")
    for known in found.refs:
        facts = " · ".join(x for x in (known.type_word, known.key,
                                       f"ngày {date_vn(known.date)}" if known.date else "",
                                       known.issuer) if x)
        st.subheader(facts)
        if known.subject:
            st.write(known.subject)
        if known.doc_id:
            html_block(link("van-ban", "Xem văn bản này", doc=known.doc_id))
        if known.ambiguous:
            st.caption("Số hiệu này dùng lại ở nhiệm kỳ khác: xem ngày của từng trích dẫn.")
    if found.refs and not found.citing:
        st.info("Chưa văn bản nào trong danh mục trích dẫn văn bản này.")
    if found.citing:
        rows = [{"Số hiệu": c.number or c.source, "Ngày": date_vn(c.date),
                 "Cơ quan ban hành": c.issuer, "Quan hệ": RELATIONS.get(c.relation, c.relation),
                 "Trực tiếp": "trực tiếp" if not c.via else f"qua {c.via}",
                 "Số lần nhắc": c.mentions,
                 "Câu trích dẫn": c.contexts[0].text if c.contexts else "",
                 "Tệp": c.source} for c in found.citing]
        table = pd.DataFrame(rows)
        st.write(f"**{found.total} văn bản** trích dẫn (trực tiếp và qua văn bản khác):")
        st.dataframe(table, hide_index=True)
        a, b = st.columns(2)
        name = "".join(ch if ch.isalnum() else "-" for ch in ref)
        a.download_button("Tải CSV", table.to_csv(index=False).encode("utf-8-sig"),
                          f"trich-dan-{name}.csv", "text/csv")
        workbook = io.BytesIO()
        table.to_excel(workbook, index=False, sheet_name="Trích dẫn")
        b.download_button("Tải XLSX", workbook.getvalue(), f"trich-dan-{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        st.subheader("Chuỗi thực hiện")
        children: dict[str, list] = {}
        for c in found.citing:
            if c.relation == "implements":
                children.setdefault(c.via or "", []).append(c)

        def branch(key: str, depth: int, seen: frozenset) -> str:
            items = []
            for c in children.get(key, []):
                label = " · ".join(x for x in (c.number or c.source, date_vn(c.date), c.issuer)
                                   if x)
                below = branch(c.number, depth + 1, seen | {c.number}) \
                    if c.number and c.number not in seen and depth < 4 else ""
                items.append(f"<li>{link('van-ban', label, doc=c.doc_id)}{below}</li>")
            return f"<ul>{''.join(items)}</ul>" if items else ""

        tree = branch("", 0, frozenset())
        html_block(f"<b>{found.refs[0].key}</b>{tree}" if tree else
                   "<i>Không văn bản nào ghi “thực hiện” văn bản này.</i>")
elif not ref:
    st.info("Gõ số hiệu văn bản, ví dụ 01-KL/TW, để xem mọi văn bản thực hiện, căn cứ hoặc "
            "nhắc đến nó.")
