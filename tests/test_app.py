"""Every page of the Streamlit app, run by Streamlit's AppTest over the five seeds (no
embedding model: the app falls back to words, as on a machine where it is not built)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store.store import Store
from tests.seeds import seed_store

VIEWS = Path(__file__).resolve().parent.parent / "views"
HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    # its own copy: the upload test adds a document
    # a document whose text carries HTML and Markdown: it must show as text
    hostile = (f"KẾ HOẠCH\nPhòng chống mã độc\n\nI. MỤC ĐÍCH, YÊU CẦU\n\nCảnh giác với đoạn mã "
               f"{HOSTILE} gửi qua thư điện tử giả danh cơ quan; - không mở tệp lạ, $x$ không "
               "phải công thức.\n")
    return seed_store(tmp_path_factory, extra_files={"hostile.txt": hostile}).store.data_dir


@pytest.fixture()
def app(data, monkeypatch):
    monkeypatch.setenv("VANKIEN_DATA", str(data))

    def run(page: str, **params) -> AppTest:
        test = AppTest.from_file(str(VIEWS / page), default_timeout=60)
        for key, value in params.items():
            test.query_params[key] = value
        return test.run()

    return run


def _raw(test: AppTest) -> str:
    """The page's Markdown/HTML as sent to the browser."""
    return "\n".join(m.value for m in test.markdown)


def _html(test: AppTest) -> str:
    """The same with entities read as the browser reads them."""
    return html.unescape(_raw(test))


def _ok(test: AppTest) -> AppTest:
    assert not test.exception, [e.value for e in test.exception]
    return test


def test_home_counts_the_catalog(app):
    test = _ok(app("overview.py"))
    assert [m.value for m in test.metric][:1] == ["6"]
    assert "01-KL/TW" in _html(test)  # the most cited document, linked


def test_search_finds_the_passage_and_marks_the_words(app):
    test = _ok(app("search.py"))
    test.text_input[0].input("bao cao vien chuan bi de cuong").run()
    page = _html(test)
    assert "45-KH/ĐU" in page and "<mark>đề</mark> <mark>cương</mark>" in page
    assert test.query_params["q"] == "bao cao vien chuan bi de cuong"  # a shareable link
    assert "van-ban?doc=" in page  # each hit links to the viewer
    # a second search typed after the first (the URL now holds the first) is the one run
    test.text_input[0].input("kỷ nguyên vươn mình").run()
    assert "kết quả cho “kỷ nguyên vươn mình”" in test.caption[0].value
    assert test.query_params["q"] == "kỷ nguyên vươn mình"


def test_search_with_nothing_found_says_so(app):
    test = _ok(app("search.py", q="xyzzy qwerty"))
    assert test.warning and "Không tìm thấy" in test.warning[0].value


def test_citations_list_the_implementing_plans(app):
    test = _ok(app("citations.py", ref="ket luan 01"))
    table = test.dataframe[0].value
    assert {"232-KH/HU", "588-KH/ĐU"} <= set(table["Số hiệu"])
    assert "thực hiện" in set(table["Quan hệ"])
    assert [b.label for b in test.get("download_button")] == ["Tải CSV", "Tải XLSX"]
    assert "Chuỗi thực hiện" in [s.value for s in test.subheader]


def test_an_unknown_reference_suggests(app):
    test = _ok(app("citations.py", ref="01-KL/TU"))
    assert test.warning and "Không biết văn bản" in test.warning[0].value


def test_viewer_shows_facts_text_citations_and_summary(app):
    test = _ok(app("document.py", doc="45-KH/ĐU"))
    page = _html(test)
    assert "Đảng ủy Sở Y tế" in page and "Thời hạn" in page and "17/01/2026" in page
    assert "trich-dan?ref=" in page  # its citations link to who else cites them
    missing = _ok(app("document.py", doc="45-KH/XX"))
    assert missing.error and "Gần giống" in missing.error[0].value


def test_document_text_is_never_markup(app):
    test = _ok(app("search.py", q="cảnh giác đoạn mã"))
    page = _raw(test)
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))  # what a reader sees
    assert f"đoạn mã {HOSTILE} gửi" in shown and "$x$ không phải" in shown
    assert HOSTILE not in page and "<script" not in page
    assert "&#60;script&#62;" in page and "&#36;x&#36;" in page


def test_similar_groups_the_copies(app):
    test = _ok(app("similar.py", text="Lấy kết quả quán triệt, học tập nghị quyết và hoạt "
                                       "động báo cáo viên làm căn cứ để đánh giá"))
    page = _html(test)
    assert "trùng nguyên văn" in page and "xuất hiện lần đầu: 15/01/2025" in page


def test_outline_offers_word_and_markdown(app):
    test = _ok(app("outline.py", topic="báo cáo kết quả thực hiện"))
    titles = [s.value for s in test.subheader]
    assert titles[-1] == "Nguồn" and any(t.startswith("I") for t in titles)
    assert [b.label for b in test.get("download_button")] == ["Tải Markdown",
                                                              "Tải Word (DOCX)"]
    nothing = _ok(app("outline.py", topic="xyzzy qwerty"))
    assert nothing.warning and "Không tìm thấy" in nothing.warning[0].value


def test_check_finds_a_wrong_date_in_a_pasted_draft(app):
    test = AppTest.from_file(str(VIEWS / "check.py"), default_timeout=60).run()
    test.text_area[0].input("ĐẢNG ỦY SỞ Y TẾ\nSố 600-KH/ĐU\nKẾ HOẠCH\nhọc tập\n-----\n"
                            "Thực hiện Kết luận số 01-KL/TW, ngày 18/6/2021 của Bộ Chính trị "
                            "về tiếp tục học tập và làm theo Bác.")
    test.checkbox[0].uncheck()
    test = _ok(test.run())
    assert [e.value for e in test.error] == [
        "Đoạn 5, “Kết luận số 01-KL/TW”: 01-KL/TW là ngày 18/05/2021, dự thảo ghi 18/06/2021. "
        "Đề nghị: sửa thành ngày 18/05/2021."]
    assert "1 lỗi" in test.subheader[0].value


def test_upload_reports_each_file_and_a_corrupt_one_does_not_stop_the_rest(app, data):
    test = _ok(app("upload.py"))
    test.get("file_uploader")[0].set_value([
        ("hong.pdf", b"%PDF-1.7 this is not really a pdf", "application/pdf"),
        ("moi.txt", "KẾ HOẠCH\nTổ chức hội thi báo cáo viên giỏi năm 2026\n\nI. MỤC ĐÍCH\n\n"
                    "Nâng cao kỹ năng truyền đạt của đội ngũ báo cáo viên cơ sở.\n".encode(),
         "text/plain")]).run()
    test.button[0].click().run()
    _ok(test)
    page = _html(test)
    assert "hong.pdf" in page and "⛔" in page and "moi.txt" in page and "✅" in page
    assert test.success and "Đã nhập 1 tệp" in test.success[0].value
    found = Store(data).db.execute(
        "SELECT count(*) FROM passages WHERE text LIKE '%hội thi báo cáo viên giỏi%'")
    assert found.fetchone()[0] == 1


def test_a_damaged_catalog_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    """app.py's error boundary: the library's CatalogError, raised by the first page as it
    opens the store, reaches the user as a Vietnamese st.error."""
    damaged = tmp_path / "hong"
    damaged.mkdir()
    (damaged / "catalog.sqlite").write_bytes(bytes(range(256)) * 32)  # not SQLite
    monkeypatch.setenv("VANKIEN_DATA", str(damaged))
    test = _ok(AppTest.from_file(str(VIEWS.parent / "app.py"), default_timeout=60).run())
    (shown,) = [e.value for e in test.error]
    assert shown.startswith(f"Lỗi: {damaged / 'catalog.sqlite'}: danh mục bị hỏng (file is not "
                            "a database)")
    assert "python cli.py ingest --rebuild" in shown and ".recover" in shown
