"""What every page shares: the model loaded once per process, the store of this run, and
safe rendering (document text is escaped before anything is marked in it).

No search, citation or summary logic lives here or in the pages: they call ``query/``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from anywhere
    sys.path.insert(0, str(ROOT))

from store.store import Store  # noqa: E402


def store() -> Store:
    """This run's store, with the model when it is built: SQLite connections stay in the
    thread that made them, and Streamlit runs each session's script in a thread of its
    own. The vector index is loaded once per process (``store/dense.py``)."""
    return Store(encoder=encoder())


@st.cache_resource(show_spinner="Đang nạp mô hình ngữ nghĩa…")
def encoder():
    """The embedding model, loaded once per process; None when it is not built (search then
    works on words alone)."""
    from models.encoder import ModelMissingError, load_encoder

    try:
        return load_encoder()
    except ModelMissingError:
        return None


# Characters st.markdown would read as Markdown or LaTeX ("- " starts a list, "$" maths):
# written as entities, a document's text shows as it is.
# One pass with HTML's own escapes, so no entity is escaped twice.
_PLAIN = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'-+*#_`[]|~$\\!{}()=:"})


def _plain(text: str) -> str:
    return text.translate(_PLAIN)


def marked(text: str, marks=()) -> str:
    """``text`` as HTML: escaped (a document holding <script> shows it as text, and nothing
    in it is read as Markdown), with the ``marks`` spans wrapped in <mark> and line breaks
    kept."""
    out, cursor = [], 0
    for start, end in sorted(marks):
        if start < cursor:
            continue
        out += [_plain(text[cursor:start]), "<mark>", _plain(text[start:end]), "</mark>"]
        cursor = end
    out.append(_plain(text[cursor:]))
    return "".join(out).replace("\n", "<br>")


def link(page: str, label: str, **params) -> str:
    """An HTML link to another page of the app with its state in the URL."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return (f'<a href="./{page}{"?" + query if query else ""}" target="_self">'
            f"{_plain(label)}</a>")


def from_url(key: str, default=None, cast=str, choices=None) -> str:
    """``key`` as a widget key, its first value taken from the URL (a shared link). Passing
    the URL's value as the widget's ``value`` instead would make a new widget whenever the
    URL changes, and what the user just typed would be lost on the next run."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        try:
            value = cast(raw) if raw not in (None, "") else default
        except ValueError:
            value = default
        st.session_state[key] = value if choices is None or value in choices else default
    return key


def html_block(content: str) -> None:
    st.markdown(content, unsafe_allow_html=True)


def no_documents(here: Store) -> bool:
    """True, with a message, when the catalog is empty."""
    if not here.empty:
        return False
    st.info("Chưa có văn bản nào. Vào trang **Nhập văn bản** để tải lên tệp PDF, DOCX, DOC "
            "hoặc TXT.")
    return True


def notices(here: Store) -> None:
    """What the store found on the way (an index damaged and skipped), under the answer."""
    for notice in here.notices:
        st.warning(f"Lưu ý: {notice}.")
