"""Kiểm tra dự thảo: paste a draft or upload it → its references checked against the
catalog (dates, issuers, numbers of two terms, first mentions, unknown numbers, earlier
wording, other plans implementing the same directive). The draft is never added to the
catalog."""

import tempfile
from pathlib import Path

import streamlit as st

from core import settings
from core.errors import VankienError
from core.records import RawText
from ingest.readers import SUPPORTED, read
from present.check_text import SEVERITY, message, paragraph_of
from query.check import check
from views.common import html_block, link, marked, no_documents, notices, store

st.title("Kiểm tra dự thảo")
st.caption("Dán dự thảo hoặc tải tệp lên: mỗi văn bản được trích dẫn được so với những gì kho "
           "biết (ngày, cơ quan ban hành, số trùng qua các nhiệm kỳ, lần nhắc đầu thiếu thông "
           "tin). Dự thảo không được nhập vào kho.")
limit = int(settings.get("max_file_mb"))
kinds = sorted(s.lstrip(".") for s in SUPPORTED)
upload = st.file_uploader(f"Tệp dự thảo ({', '.join(kinds).upper()}; tối đa {limit} MB)",
                          type=kinds)
pasted = st.text_area("Hoặc dán nội dung dự thảo", height=220)
precedent = st.checkbox("Tìm cả các đoạn trùng lời văn bản đã có (chậm hơn)", value=True)
here = store()


def _draft() -> RawText | None:
    if upload is not None:
        if upload.size > limit * 1024 * 1024:
            st.error(f"{upload.name}: lớn hơn {limit} MB.")
            return None
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                raw = read(path)
            except (VankienError, OSError) as error:
                st.error(f"Không đọc được dự thảo {upload.name}: {error}")
                return None
        return RawText(upload.name, raw.format, raw.text, raw.page_starts)
    return RawText("văn bản dán vào", "txt", pasted) if pasted.strip() else None


if not no_documents(here) and (draft := _draft()) is not None:
    if not draft.text.strip():
        st.warning(f"{draft.path}: không có chữ nào (bản quét chưa nhận dạng được?).")
        st.stop()
    with st.spinner("Đang kiểm tra…"):
        found = check(here, draft, name=draft.path, precedent=precedent)
    counts = {s: sum(SEVERITY[f.kind] == s for f in found.findings)
              for s in ("Lỗi", "Cảnh báo", "Thông tin")}
    st.subheader(f"{found.citations} trích dẫn có số: "
                 + ", ".join(f"{n} {s.lower()}" for s, n in counts.items()))
    if not found.findings:
        st.success("Không thấy sai sót nào ở các trích dẫn.")
    for severity, show in (("Lỗi", st.error), ("Cảnh báo", st.warning), ("Thông tin", st.info)):
        for f in (f for f in found.findings if SEVERITY[f.kind] == severity):
            what, fix = message(f)
            quoted = " ".join(found.text[f.start : f.end].split())[:90]
            show(f"Đoạn {paragraph_of(found.text, f.start)}, “{quoted}”: {what}. "
                 f"Đề nghị: {fix}.")
            if f.documents:
                html_block("<ul>" + "".join(
                    f"<li>{link('van-ban', marked(label), doc=doc)}</li>"
                    for label, doc in zip(f.candidates, f.documents, strict=False)) + "</ul>")

notices(here)
