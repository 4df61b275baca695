"""Precedent wording: paste a passage → earlier passages grouped by wording, oldest first,
with the words shared with the pasted text marked."""

import streamlit as st

from core import settings
from core.errors import EmptyQueryError
from present.format import date_vn
from query.similar import similar
from views.common import from_url, html_block, link, marked, no_documents, notices, store

st.title("Đoạn tương tự")
st.caption("Dán một câu hoặc đoạn đang soạn: tìm mọi đoạn đã viết trước đây trùng nguyên "
           "văn, gần như trùng, hoặc cùng ý; nhóm theo cách viết, văn bản cũ nhất trước.")
text = st.text_area("Đoạn văn", key=from_url("text", ""), height=150)
a, b, c = st.columns(3)
since = a.number_input("Từ năm", min_value=1945, max_value=2100, step=1, value=None)
until = b.number_input("Đến năm", min_value=1945, max_value=2100, step=1, value=None)
all_kinds = c.checkbox("Gồm cả chú thích và phần chữ ký")
here = store()
if not no_documents(here) and text.strip():
    if len(text) <= 1500:  # a link can carry a sentence or a paragraph, not a page
        st.query_params["text"] = text
    try:
        with st.spinner("Đang so sánh…"):
            result = similar(here, text, since=since, until=until, all_kinds=all_kinds)
    except EmptyQueryError as error:
        st.warning(f"Không so sánh được: {error}.")
        st.stop()
    if result.truncated:
        st.info(f"Đoạn dán dài quá: chỉ so sánh {settings.get('similar_max_words')} từ đầu.")
    if not result.letters:
        st.info("Đoạn dán không có chữ tiếng Việt: chỉ tìm được các đoạn gần nghĩa.")
    if not result.groups:
        st.warning("Không thấy đoạn nào trùng lời hay cùng ý. Thử dán đoạn dài hơn, hoặc bỏ "
                   "giới hạn năm.")
    for n, group in enumerate(result.groups, 1):
        with st.container(border=True):
            first = group.passages[0]
            when = (f"xuất hiện lần đầu: {date_vn(group.first_date)}" if group.first_date
                    else "không rõ ngày")
            reuse = (f", {group.documents - 1} văn bản dùng lại" if group.documents > 1 else "")
            html_block(f"<b>{n}. {marked(group.label)}</b> ({group.similarity:.0%}) – "
                       f"{when}{reuse}")
            html_block(marked(first.text, first.marks))
            items = []
            for p in group.passages[:20]:
                label = " · ".join(x for x in (p.number or p.source, date_vn(p.date), p.issuer)
                                   if x)
                items.append(f"<li>{link('van-ban', label, doc=p.doc_id, passage=p.passage_id)}"
                             "</li>")
            html_block("<ul>" + "".join(items) + "</ul>")

notices(here)
