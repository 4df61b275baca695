"""Home: what the catalog holds and which documents the others cite most."""

import pandas as pd
import streamlit as st

from present.format import date_vn
from query.overview import overview
from views.common import html_block, link, no_documents, store

st.title("vankien – tra cứu văn bản Đảng và Nhà nước")
st.caption("Tìm đoạn văn, xem văn bản nào thực hiện văn bản nào, tìm cách viết đã dùng trước "
           "đây, và soạn đề cương bài giảng có nguồn.")
here = store()
if not no_documents(here):
    found = overview(here)
    left, right = st.columns(2)
    left.metric("Văn bản", f"{found.documents:,}".replace(",", "."))
    right.metric("Đoạn văn", f"{found.passages:,}".replace(",", "."))
    a, b, c = st.columns(3)
    a.subheader("Theo loại")
    a.dataframe(pd.DataFrame([(t or "(không rõ)", n) for t, n in found.by_type],
                             columns=["Loại văn bản", "Số văn bản"]), hide_index=True)
    b.subheader("Theo năm")
    b.dataframe(pd.DataFrame([(y or "(không rõ)", n) for y, n in found.by_year],
                             columns=["Năm", "Số văn bản"]), hide_index=True)
    c.subheader("Theo cơ quan ban hành")
    c.dataframe(pd.DataFrame(found.by_issuer, columns=["Cơ quan", "Số văn bản"]),
                hide_index=True)
    st.subheader("Được trích dẫn nhiều nhất")
    if not found.most_cited:
        st.info("Chưa có chỉ mục trích dẫn: nhập văn bản để tạo.")
    rows = [f"<li>{link('trich-dan', m.key, ref=m.key)} – {m.type_word} "
            f"{'ngày ' + date_vn(m.date) + ' ' if m.date else ''}{m.issuer}: "
            f"được {m.citing} văn bản trích dẫn</li>" for m in found.most_cited]
    html_block("<ol>" + "".join(rows) + "</ol>")
