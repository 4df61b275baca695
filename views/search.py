"""Search: query box, filters, hits with the query's words marked; the query is in the URL."""

import time

import streamlit as st

from present.format import date_vn
from query.filters import Filters
from query.search import search
from views.common import from_url, html_block, link, marked, no_documents, notices, store

st.title("Tìm kiếm")
query = st.text_input("Nội dung cần tìm (có thể gõ không dấu)", key=from_url("q", ""),
                      placeholder="ví dụ: báo cáo viên chuẩn bị đề cương")
here = store()
facets = here.facets()
types = ["", *facets.doc_types]
provinces = ["", *facets.provinces]
levels = ["", "TW", "tỉnh", "huyện", "cơ sở"]
with st.expander("Bộ lọc", expanded=any(st.query_params.get(k) for k in (
        "type", "issuer", "level", "province", "from", "to"))):
    a, b, c = st.columns(3)
    doc_type = a.selectbox("Loại văn bản", types, format_func=lambda t: t or "(tất cả)",
                           key=from_url("type", "", choices=types))
    issuer = b.text_input("Cơ quan ban hành (một phần tên)", key=from_url("issuer", ""))
    level = c.selectbox("Cấp", levels, format_func=lambda t: t or "(tất cả)",
                        key=from_url("level", "", choices=levels))
    d, e, f = st.columns(3)
    province = d.selectbox("Tỉnh, thành phố", provinces, format_func=lambda t: t or "(tất cả)",
                           key=from_url("province", "", choices=provinces))
    year_from = e.number_input("Từ năm", min_value=1945, max_value=2100, step=1,
                               key=from_url("from", None, int))
    year_to = f.number_input("Đến năm", min_value=1945, max_value=2100, step=1,
                             key=from_url("to", None, int))
k = st.slider("Số kết quả", 5, 50, key=from_url("k", 10, int, choices=range(5, 51)))
query = " ".join(query.split())[:2000]
if not no_documents(here) and query:
    st.query_params.update({k2: v for k2, v in {
        "q": query, "type": doc_type, "issuer": issuer, "level": level, "province": province,
        "from": year_from, "to": year_to, "k": k}.items() if v not in (None, "")})
    clock = time.perf_counter()
    with st.spinner("Đang tìm…"):
        hits = search(here, query, k=k, filters=Filters(
            doc_type=doc_type, issuer=issuer, level=level, province=province,
            year_from=year_from, year_to=year_to))
    st.caption(f"{len(hits)} kết quả cho “{query}” ({time.perf_counter() - clock:.2f} giây)"
               + ("" if here.dense() else "; chưa có mô hình ngữ nghĩa: chỉ tìm theo từ ngữ"))
    if not hits:
        st.warning("Không tìm thấy đoạn nào. Thử ít từ hơn, bỏ bớt bộ lọc, hoặc đặt cụm từ "
                   "cần khớp đúng trong ngoặc kép.")
    for rank, hit in enumerate(hits, 1):
        with st.container(border=True):
            head = " · ".join(x for x in (hit.number, date_vn(hit.date), hit.issuer) if x)
            title = link("van-ban", head or hit.source, doc=hit.doc_id, passage=hit.passage_id)
            html_block(f"<b>{rank}. {title}</b>"
                       f" <small>({marked(hit.source)}, điểm {hit.score:.4f})</small>")
            if hit.heading:
                st.caption(hit.heading)
            html_block(marked(hit.text, hit.marks))
            if hit.duplicates:
                others = ", ".join(link("van-ban", d.split(":")[0], doc=d.split(":")[0],
                                        passage=d) for d in hit.duplicates[:10])
                html_block(f"<small>cũng có trong {len(hit.duplicates)} văn bản: "
                           f"{others}</small>")
elif not query:
    st.info("Gõ nội dung cần tìm. Có thể dùng ngoặc kép để tìm đúng cụm từ, ví dụ "
            "“kỷ nguyên vươn mình”.")

notices(here)
