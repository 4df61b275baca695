"""Lecture outlines and the summarize/outline commands: spans, lecture order, sources,
exports (Markdown, Word), the optional LLM rewrite against a local fake server, bad input.
Plumbing with a fake encoder; the seeds are the documents."""

from __future__ import annotations

import json
import re
import threading

import pytest
from docx import Document as WordDocument
from lxml import etree

import cli
from present.outline_export import docx, markdown
from query.outline import SECTIONS, is_point, outline
from tests.seeds import seed_stores
from tests.test_rewrite import FakeLlm, _chat

TOPIC = "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return seed_stores(tmp_path_factory)


def _text(store, doc_id: str) -> str:
    return store.db.execute("SELECT text FROM documents WHERE doc_id = ?",
                            (doc_id,)).fetchone()[0]


def test_points_are_sentences_of_their_documents_in_lecture_order(corpus):
    found = outline(corpus.hybrid, TOPIC)
    titles = [s.title for s in found.sections]
    assert len(titles) >= 3 and titles == sorted(titles, key=SECTIONS.index)
    numbers = {s.number for s in found.sources}
    assert numbers == set(range(1, len(found.sources) + 1))
    for section in found.sections:
        assert 1 <= len(section.points) <= 5
        for point in section.points:
            assert _text(corpus.words, point.doc_id)[point.start : point.end] == point.text
            assert len(point.text.split()) >= 6 and not point.text.startswith(("- ", "+ "))
            assert set(point.sources) <= numbers
            own = next(s for s in found.sources if s.number == point.sources[0])
            assert own.doc_id == point.doc_id


def test_organisation_points_come_from_organisation_parts(corpus):
    # lexical only: the fake encoder's vectors are all alike, so every point would be a twin
    found = outline(corpus.words, "báo cáo kết quả thực hiện")
    last = {s.title: s for s in found.sections}.get(SECTIONS[3])
    assert last is not None and any(re.search(r"trước ngày \d", p.text) for p in last.points)


def test_cites_limits_the_documents(corpus):
    citing = frozenset(d for (d,) in corpus.words.db.execute(
        "SELECT DISTINCT doc_id FROM citations WHERE key = '01-KL/TW'"))
    found = outline(corpus.hybrid, "01-KL/TW", doc_ids=citing, require_words=False)
    assert found.sources and {s.doc_id for s in found.sources} <= citing


def test_a_topic_nothing_is_about_gives_no_outline(corpus):
    assert outline(corpus.hybrid, "xyzzy qwerty").sections == ()


def test_markdown_and_word_exports(corpus, tmp_path):
    found = outline(corpus.hybrid, TOPIC)
    text = markdown(found)
    assert text.startswith(f"# Đề cương: {TOPIC}\n")
    assert "## I. " in text and "## Nguồn" in text and re.search(r"\[\d+\]\n", text)
    # each section's points numbered from 1
    assert all(part.split("\n\n")[1].startswith("1. ") for part in text.split("\n## ")[1:-1])
    path = tmp_path / "de-cuong.docx"
    docx(found, path)
    word = WordDocument(str(path))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert styles[0] == ("Title", f"Đề cương: {TOPIC}")
    headings = [t for s, t in styles if s == "Heading 1"]
    assert headings[:-1] == [f"{r}. {s.title}" for r, s in zip(
        ("I", "II", "III", "IV"), found.sections, strict=False)] and headings[-1] == "Nguồn"
    points = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert len(points) == sum(len(s.points) for s in found.sections)
    # each section numbered from 1: its own numbering instance, restarted
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    nums = [p._p.pPr.numPr.numId.val for p in points]
    per_section = [len(s.points) for s in found.sections]
    firsts = [nums[sum(per_section[:n])] for n in range(len(per_section))]
    assert len(set(firsts)) == len(firsts)
    numbering = word.part.numbering_part.element
    assert all(numbering.num_having_numId(n).find(f"{w}lvlOverride/{w}startOverride")
               .get(f"{w}val") == "1" for n in firsts)
    # each point's sources are a Word footnote naming them by number, date and issuer
    notes = next(p for p in word.part.package.parts if p.partname == "/word/footnotes.xml")
    texts = {n.get(f"{w}id"): "".join(t.text for t in n.iter(f"{w}t"))
             for n in etree.fromstring(notes.blob).iter(f"{w}footnote")}
    refs = [p._p.find(f".//{w}footnoteReference").get(f"{w}id") for p in points]
    by_number = {s.number: s for s in found.sources}
    first = found.sections[0].points[0]
    assert by_number[first.sources[0]].doc_number in texts[refs[0]]
    assert len(set(refs)) == len(points)
    assert styles[-1][1].startswith(f"[{len(found.sources)}] ")


def test_cli_outline(corpus, tmp_path, capsys):
    data = str(corpus.words.data_dir)
    md, word = tmp_path / "o.md", tmp_path / "o.docx"
    assert cli.main(["--data", data, "outline", TOPIC, "--md", str(md), "--docx",
                     str(word)]) == 0
    out = capsys.readouterr().out
    assert "## Nguồn" in out and md.read_text(encoding="utf-8").startswith("# Đề cương")
    assert word.stat().st_size > 0 and f"Đã ghi {word}" in out
    assert cli.main(["--data", data, "outline", "xyzzy qwerty"]) == 0
    assert "Không tìm thấy đoạn nào về “xyzzy qwerty”" in capsys.readouterr().out
    assert cli.main(["--data", data, "outline"]) == 2
    assert cli.main(["--data", data, "outline", "--cites", "99-XX/YY"]) == 2
    assert "Hãy nhập chủ đề" in capsys.readouterr().out
    assert cli.main(["--data", data, "outline", "--cites", "01-KL/TW", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["sections"] and result["sources"]


def test_cli_summarize(corpus, capsys):
    data = str(corpus.words.data_dir)
    assert cli.main(["--data", data, "summarize", "45-KH/ĐU", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    text = _text(corpus.words, summary["doc_id"])
    items = [i for part in ("purpose", "tasks", "deadlines", "units", "implements",
                            "sentences") for i in summary[part]]
    assert items and all(text[i["start"] : i["end"]] == i["text"] for i in items)
    assert [d["label"] for d in summary["deadlines"]] == ["trước ngày 17/01/2026"] * 2
    assert cli.main(["--data", data, "summarize", "45-KH/ĐU"]) == 0
    out = capsys.readouterr().out
    assert "Thời hạn:" in out and "Đơn vị thực hiện:" in out and "Đảng ủy Sở Y tế:" in out
    assert cli.main(["--data", data, "summarize", "588-KH/XX"]) == 2
    assert "gần giống: 588-KH/ĐU" in capsys.readouterr().err


@pytest.fixture
def llm(monkeypatch):
    fake = FakeLlm()
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VANKIEN_LLM_URL", fake.base)
    yield fake
    fake.shutdown()
    fake.server_close()


def test_rewrite_keeps_its_markers_or_is_refused(corpus, llm, capsys):
    """The extractive text always comes first; a rewrite that loses a source is refused."""
    data = str(corpus.words.data_dir)
    llm.replies.append((200, _chat("Toàn bộ kế hoạch được tóm lại [1][2].")))
    assert cli.main(["--data", data, "summarize", "45-KH/ĐU", "--rewrite", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["purpose"] and not result["rewrite"]["accepted"]
    assert "bỏ mất nguồn" in result["rewrite"]["reason"]
    sent = llm.requests[0][1]["messages"][-1]["content"]
    markers = re.findall(r"\[\d+\]", sent)
    llm.replies.append((200, _chat("Văn xuôi giữ nguồn " + " ".join(markers) + ".")))
    assert cli.main(["--data", data, "summarize", "45-KH/ĐU", "--rewrite"]) == 0
    out = capsys.readouterr().out
    assert out.index("Mục đích, yêu cầu:") < out.index("Bản viết lại (LLM, đã kiểm nguồn)")
    llm.replies.append((500, b'{"error": "model not loaded"}'))
    assert cli.main(["--data", data, "outline", TOPIC, "--rewrite"]) == 0
    out = capsys.readouterr().out
    assert "## Nguồn" in out and "Không dùng bản viết lại của LLM" in out


def test_rewrite_without_an_llm_prints_the_summary_then_says_why(corpus, monkeypatch, capsys):
    """No llm_url: the extractive text stands, the refusal is explained, exit code 2."""
    monkeypatch.delenv("VANKIEN_LLM_URL", raising=False)
    data = str(corpus.words.data_dir)
    assert cli.main(["--data", data, "summarize", "45-KH/ĐU", "--rewrite"]) == 2
    out = capsys.readouterr().out
    assert out.index("Thời hạn:") < out.index("Không dùng bản viết lại của LLM")
    assert "VANKIEN_LLM_URL" in out


@pytest.mark.parametrize(("sentence", "point"), [
    ("Thực hiện Kế hoạch số 301-KH/TU, ngày 09/12/2024 của Ban Thường vụ Tỉnh uỷ, Đảng ủy "
     "Khối ban hành kế hoạch như sau:", False),
    ("Căn cứ Thông tri số 04/TT-MTTW-BTT ngày 04/11/2025 của Ủy ban MTTQ Việt Nam;", False),
    ("V/v xin ý kiến dự thảo báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW", False),
    ("(V/v giới thiệu người ứng cử đại biểu Quốc hội khóa XVI)", False),
    ("## Ban hành Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW", False),
    ("Ngày 22/12/2024, Bộ Chính trị đã ban hành Nghị quyết số 57-NQ/TW về đột phá phát triển",
     False),
    ("Trên đây là Kế hoạch của Ban Thường trực Ủy ban MTTQ Việt Nam xã về công tác bầu cử.",
     False),
    ("Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo cáo về Sở Y tế.",
     False),
    # a task that starts as a preamble does, without a document's number, is a point
    ("Thực hiện tốt vai trò phản biện xã hội, giám sát cộng đồng đối với các dự án.", True),
    ("Triển khai nghiêm túc, có hiệu quả công tác giáo dục lý luận chính trị tại Kết luận số "
     "224-KL/TU.", True),
])
def test_what_may_be_a_lecture_point(sentence, point):
    assert is_point(sentence) is point
