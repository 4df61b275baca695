"""Lecture outline: a topic or a reference → sections in lecture order, each point a sourced
sentence; download as Word or Markdown."""

import io
import tempfile
from pathlib import Path

import streamlit as st

from present.format import ROMAN
from present.outline_export import docx, markdown, point_line, source_line
from query.cites import cites
from query.outline import outline
from views.common import from_url, html_block, marked, no_documents, notices, store

st.title("Đề cương bài giảng")
a, b = st.columns([2, 1])
topic = a.text_input("Chủ đề", key=from_url("topic", ""),
                     placeholder="ví dụ: học tập và làm theo tư tưởng Hồ Chí Minh")
ref = b.text_input("Chỉ từ các văn bản trích dẫn", key=from_url("cites", ""),
                   placeholder="ví dụ: 01-KL/TW")
topic, ref = " ".join(topic.split()), " ".join(ref.split())
here = store()
if not no_documents(here) and (topic or ref):
    st.query_params.update({k: v for k, v in {"topic": topic, "cites": ref}.items() if v})
    doc_ids = None
    if ref:
        found = cites(here, ref, limit=None)
        if not found.refs:
            st.warning(f"Không biết văn bản “{ref}”." + (
                " Có phải: " + ", ".join(found.suggestions) + "?" if found.suggestions else ""))
            st.stop()
        doc_ids = frozenset(c.doc_id for c in found.citing)
    with st.spinner("Đang soạn đề cương…"):
        result = outline(here, topic or ref, doc_ids=doc_ids, require_words=bool(topic))
    if not result.sections:
        st.warning(f"Không tìm thấy đoạn nào về “{topic or ref}”. Thử chủ đề khác hoặc ít từ "
                   "hơn.")
        st.stop()
    text = markdown(result)
    c, d = st.columns(2)
    c.download_button("Tải Markdown", text.encode("utf-8"), "de-cuong.md", "text/markdown")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "de-cuong.docx"
        docx(result, path)
        word = io.BytesIO(path.read_bytes())
    d.download_button("Tải Word (DOCX)", word.getvalue(), "de-cuong.docx",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    for n, section in enumerate(result.sections):
        st.subheader(f"{ROMAN[n]}. {section.title}")
        html_block("<ul>" + "".join(f"<li>{marked(point_line(result, p))}</li>"
                                    for p in section.points) + "</ul>")
    st.subheader("Nguồn")
    html_block("<ol>" + "".join(f"<li>{marked(source_line(s))}</li>" for s in result.sources)
               + "</ol>")

notices(here)
