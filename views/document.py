"""One document: its facts, its text with the chosen passage highlighted and scrolled to, its
citations (each linking to the documents that cite the same), and its summary."""

import streamlit as st

from core.errors import DocumentNotFoundError
from present.format import LABELLED_PARTS, RELATIONS, SUMMARY_PARTS, date_vn, one_line
from query.cites import refs
from query.lookup import resolve
from query.summarize import summarize
from query.units import shown
from views.common import from_url, html_block, link, marked, no_documents, store


def _tasks_html(items) -> str:
    """The tasks under the titles they are grouped by, each title once."""
    out, group = ["<ul>"], None
    for item in items:
        if item.label != group:
            out.append(("</ul></li>" if group else "")
                       + (f"<li><b>{marked(item.label)}</b><ul>" if item.label else ""))
            group = item.label
        out.append(f"<li>{marked(one_line(shown(item.text, item.shortened)))}</li>")
    return "".join(out) + ("</ul></li>" if group else "") + "</ul>"


@st.cache_data(show_spinner=False, max_entries=256)
def _summary(data: str, doc_id: str, changes: int):  # noqa: ARG001 (cache key only)
    """A document's summary, made once per catalog state: ``data`` and ``changes`` (the
    catalog's passage change counter) are only in the arguments so that Streamlit's cache
    key holds them."""
    here = store()
    return summarize(here.catalog.get(doc_id), store=here)


st.title("Văn bản")
asked = st.text_input("Mã, tên tệp hoặc số hiệu văn bản", key=from_url("doc", ""))
here = store()
if not no_documents(here) and asked.strip():
    try:
        doc = here.catalog.get(resolve(here, asked))
    except DocumentNotFoundError as error:
        st.error(f"Không thấy văn bản “{asked}”." + (
            " Gần giống: " + ", ".join(error.candidates) if error.candidates else ""))
        st.stop()
    st.query_params["doc"] = doc.doc_id
    m = doc.metadata
    st.subheader(" ".join(x for x in (m.doc_type, m.number) if x) or doc.source)
    facts = [("Cơ quan ban hành", m.issuer), ("Nơi, ngày", ", ".join(
        x for x in (m.place, date_vn(m.date)) if x)), ("Trích yếu", m.subject),
        ("Người ký", " / ".join(x for x in (m.signer.position, m.signer.name) if x)),
        ("Cấp", m.level), ("Tỉnh", m.province), ("Tệp", doc.source)]
    html_block("<table>" + "".join(f"<tr><td><b>{k}</b></td><td>{marked(v)}</td></tr>"
                                   for k, v in facts if v) + "</table>")
    text_tab, cites_tab, summary_tab = st.tabs(["Toàn văn", "Trích dẫn", "Tóm tắt"])
    with text_tab:
        wanted = st.query_params.get("passage", "")
        chosen = next((p for p in doc.passages if p.passage_id == wanted), None)
        marks = [(chosen.start, chosen.end)] if chosen else []
        body = marked(doc.text, marks).replace("<mark>", '<mark id="chon">', 1)
        # the text in a frame of its own, which can scroll itself to the chosen passage; the
        # document's text is escaped (marked), only our own script runs there
        st.iframe(
            "<div style='font-family:serif;font-size:15px;line-height:1.5'>" + body +
            "</div><script>var e=document.getElementById('chon');"
            "if(e){e.scrollIntoView({block:'center'});}</script>", height=520)
    with cites_tab:
        found = refs(here, doc.doc_id) if here.has_citation_index() else ()
        if not found:
            st.info("Văn bản này không trích dẫn văn bản nào (hoặc chưa có chỉ mục trích dẫn).")
        items = [f"<li>[{RELATIONS.get(c.relation, c.relation)}, {c.mentions} lần] "
                 f"{link('trich-dan', c.ref.key, ref=c.ref.key)} {marked(c.ref.type_word)}"
                 f"{' ngày ' + date_vn(c.ref.date) if c.ref.date else ''} "
                 f"{marked(c.ref.issuer)}</li>" for c in found]
        html_block("<ul>" + "".join(items) + "</ul>")
    with summary_tab:
        with st.spinner("Đang tóm tắt…"):
            summary = _summary(str(here.data_dir), doc.doc_id, here.state())
        for note in summary.notes:
            st.caption(note)
        for part, title in SUMMARY_PARTS:
            items = getattr(summary, part)
            if items:
                st.markdown(f"**{title}**")
                html_block(_tasks_html(items) if part == "tasks" else "<ul>" + "".join(
                    f"<li>{'<b>' + marked(i.label) + ':</b> ' if part in LABELLED_PARTS else ''}"
                    f"{marked(one_line(shown(i.text, i.shortened)))}</li>"
                    for i in items) + "</ul>")
elif not asked.strip():
    st.info("Gõ số hiệu (ví dụ 588-KH/ĐU) hoặc chọn một văn bản từ trang Tìm kiếm.")
