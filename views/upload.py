"""Ingest: upload files (size and type limits from settings) or give a server folder; a
progress bar, then the result of every file. One bad file never stops the others."""

import time
from pathlib import Path

import streamlit as st

from core import settings
from ingest.readers import SUPPORTED
from store.update import ingest
from views.common import html_block, marked, store

st.title("Nhập văn bản")
limit = int(settings.get("max_file_mb"))
kinds = sorted(s.lstrip(".") for s in SUPPORTED)
uploads = st.file_uploader(f"Tải lên tệp ({', '.join(kinds).upper()}; tối đa {limit} MB mỗi tệp)",
                           type=kinds, accept_multiple_files=True)
folder = st.text_input("Hoặc đường dẫn một thư mục trên máy chủ")
if st.button("Nhập", type="primary", disabled=not uploads and not folder.strip()):
    bar = st.progress(0.0, text="Bắt đầu…")
    # Uploads are kept under the data directory: the catalog refers to files by path, and
    # `ingest --prune` forgets documents whose file is gone.
    here = store()
    batch = here.data_dir / "uploads" / time.strftime("%Y%m%d-%H%M%S")
    paths = []
    too_big = []
    for n, upload in enumerate(uploads or []):
        if upload.size > limit * 1024 * 1024:
            too_big.append(upload.name)
            continue
        target = batch / str(n) / Path(upload.name).name  # two uploads may share a name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(upload.getvalue())
        paths.append(target)
    if folder.strip():
        where = Path(folder.strip()).expanduser()
        if where.is_dir():
            paths.append(where)
        else:
            st.error(f"{where}: không phải thư mục trên máy chủ.")
    report = ingest(paths, here, progress=False,
                    on_progress=lambda share, what: bar.progress(
                        share, text=f"Đang xử lý: {what}"))
    bar.progress(1.0, text="Xong.")
    upload_root = str(batch.resolve())

    def name(path: str) -> str:  # an upload is shown by its own name, not the scratch path
        return Path(path).name if path.startswith(upload_root) else path

    st.success(f"Đã nhập {len(report.ingested)} tệp ({report.passages} đoạn); "
               f"{len(report.unchanged)} không đổi; {len(report.linked)} trùng nội dung tệp đã "
               f"có; {len(report.failed) + len(too_big)} lỗi.")
    rows = [("✅", name(p), "đã nhập") for p in report.ingested]
    rows += [("➖", name(p), "không đổi") for p in report.unchanged]
    rows += [("🔗", name(p), "trùng nội dung tệp đã có") for p in report.linked]
    rows += [("⛔", n, f"lớn hơn {limit} MB") for n in too_big]
    rows += [("⛔", name(p), reason) for p, _error, reason in report.failed]
    rows += [("➖", name(p), reason) for p, reason in report.skipped]
    html_block("<table>" + "".join(f"<tr><td>{i}</td><td>{marked(n)}</td><td>{marked(r)}</td>"
                                   "</tr>" for i, n, r in rows) + "</table>")
