"""vankien: the Streamlit app. `make run` starts it on the sample documents.

Pages live in views/, named after what they show; their Vietnamese titles and URLs are here.
Each page only calls query/ and store/ and renders; views/common.py holds what they share.
Every error the library raises on purpose reaches the user as a Vietnamese message, never a
traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import streamlit as st  # noqa: E402

from core.errors import VankienError  # noqa: E402

st.set_page_config(page_title="vankien – tra cứu văn bản", page_icon="📚", layout="wide")
PAGES = [
    st.Page("views/overview.py", title="Tổng quan", url_path="tong-quan", default=True),
    st.Page("views/search.py", title="Tìm kiếm", url_path="tim-kiem"),
    st.Page("views/citations.py", title="Văn bản trích dẫn", url_path="trich-dan"),
    st.Page("views/document.py", title="Văn bản", url_path="van-ban"),
    st.Page("views/similar.py", title="Đoạn tương tự", url_path="tuong-tu"),
    st.Page("views/outline.py", title="Đề cương", url_path="de-cuong"),
    st.Page("views/check.py", title="Kiểm tra dự thảo", url_path="kiem-tra"),
    st.Page("views/upload.py", title="Nhập văn bản", url_path="nhap"),
]
try:
    st.navigation(PAGES).run()
except VankienError as error:  # a damaged catalog, vectors from another model…
    st.error(f"Lỗi: {error}")
