"""Per-document summaries on the five seeds: every item is a span of its document, and the
deadlines and responsible units match the ones found by reading (tests/data/summary_gold.json,
conventions in tests/data/summary_gold.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from core.tones import fold
from query.summarize import summarize
from store.store import Store
from store.update import ingest
from tests.fakes import FakeEncoder

GOLD = json.loads(Path("tests/data/summary_gold.json").read_text(encoding="utf-8"))
PARTS = ("purpose", "tasks", "deadlines", "units", "implements", "sentences")


@pytest.fixture(scope="module")
def seeds(seeded):
    # words only: the summaries pinned are those of a store without an encoder
    docs = {}
    for (doc_id, path) in seeded.store.db.execute("SELECT doc_id, path FROM files"):
        doc = seeded.store.catalog.get(doc_id)
        docs[Path(path).name] = (doc, summarize(doc, store=seeded.store))
    return seeded.store, docs


def _matches(found: str, quote: str) -> bool:
    return fuzz.partial_ratio(" ".join(found.split()), " ".join(quote.split())) >= 85


@pytest.mark.parametrize("name", sorted(GOLD))
def test_every_item_is_a_span_of_its_document(seeds, name):
    doc, summary = seeds[1][name]
    items = [i for part in PARTS for i in getattr(summary, part)]
    assert items
    for item in items:
        assert item.doc_id == doc.doc_id
        assert doc.text[item.start : item.end] == item.text, item


def _organisation_start(doc) -> int:
    return next(s.start for s in doc.sections  # the part's heading: "III. TỔ CHỨC THỰC HIỆN"
                if "to chuc thuc hien" in fold(s.title).lower() and s.title.upper() == s.title)


def _scores(docs, part: str, key: str) -> tuple[float, float, list]:
    hits = total = right = returned = 0
    missed = []
    for name, gold in GOLD.items():
        doc, summary = docs[name]
        found = getattr(summary, part)
        if part == "units":  # the seeds' reading labels the "Tổ chức thực hiện" part only;
            # units named in the tasks are scored on tests/data/summary_gold2.json
            found = [f for f in found if f.start >= _organisation_start(doc)]
        returned += len(found)
        for want in gold[part]:
            total += 1
            ok = any(fold(want[key]) in fold(f.label) or fold(f.label) in fold(want[key])
                     for f in found if _matches(f.text, want["quote"]) or part == "units")
            hits += ok
            if not ok:
                missed.append((name, want[key]))
        right += sum(1 for f in found if any(
            _matches(f.text, want["quote"]) for want in gold[part]))
    return hits / total, right / max(returned, 1), missed


def test_deadlines_match_the_reading(seeds):
    recall, precision, missed = _scores(seeds[1], "deadlines", "when")
    # measured 2026-12-06: recall 0.955 (21 of 22: the one missed is National Day, "2/9",
    # named as an occasion), precision 0.913 (21 of 23)
    assert recall >= 0.95, missed
    assert precision >= 0.9, precision


def test_units_match_the_reading(seeds):
    recall, precision, missed = _scores(seeds[1], "units", "unit")
    assert recall == 1.0, missed  # measured 2026-12-06: 13 of 13
    # 17 of 18: the one extra is "Đồng chí bí thư chi bộ trực tiếp" inside seed 004's item 1,
    # a title with its own duty: a unit by summary_gold2.md's wider reading, not by the seeds'
    assert precision >= 0.94, precision



def test_sentences_are_central_distinct_and_in_document_order(seeds):
    words, docs = seeds
    doc, _ = docs["002_5ddcff0f46c04188.txt"]
    store = Store(words.data_dir, encoder=FakeEncoder())
    summary = summarize(doc, store=store, sentences=4)
    starts = [s.start for s in summary.sentences]
    assert len(starts) == 4 and starts == sorted(starts)
    assert len({s.text for s in summary.sentences}) == 4
    assert not any(s.text.startswith(("I.", "II.", "III.")) for s in summary.sentences)
    assert not summary.notes


def test_boilerplate_shared_by_many_plans_is_not_summary(tmp_path):
    """A sentence copied into four other plans says nothing about this one."""
    shared = ("Các cấp ủy, tổ chức đảng tăng cường công tác kiểm tra, giám sát việc học tập, "
              "quán triệt và thực hiện nghị quyết của Đảng trong toàn Đảng bộ.")
    folder = tmp_path / "docs"
    folder.mkdir()
    topics = ["phát triển du lịch cộng đồng gắn với bảo tồn bản sắc văn hóa dân tộc",
              "nâng cao chất lượng giáo dục mầm non ở vùng đặc biệt khó khăn",
              "bảo vệ rừng đầu nguồn và phòng chống cháy rừng mùa khô",
              "xây dựng nông thôn mới kiểu mẫu tại các xã biên giới",
              "chuyển đổi số trong thanh toán học phí và viện phí"]
    for n, topic in enumerate(topics):
        own = f"Kế hoạch số {n + 1} tập trung {topic} trong giai đoạn tới."
        (folder / f"plan{n}.txt").write_text(
            f"KẾ HOẠCH\nThực hiện nhiệm vụ năm {2020 + n}\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n{own}\n\n"
            f"II. NỘI DUNG\n\n{shared}\n", encoding="utf-8")
    store = Store(tmp_path / "data")
    ingest([folder], store, progress=False)
    (doc_id,) = store.db.execute(
        "SELECT doc_id FROM files WHERE path LIKE '%plan0.txt'").fetchone()
    summary = summarize(store.catalog.get(doc_id), store=store, sentences=3)
    assert summary.sentences and all("kiểm tra, giám sát" not in s.text
                                     for s in summary.sentences)
    assert [i.text for i in summary.purpose][0].startswith("Kế hoạch số 1 tập trung")


def test_a_document_without_sections_gets_sentences_and_a_note(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "thu.txt").write_text(
        "Kính gửi các đồng chí. Đề nghị các cơ quan, đơn vị rà soát danh sách cán bộ tham gia "
        "lớp bồi dưỡng lý luận chính trị năm 2025. Danh sách gửi về Văn phòng trước ngày "
        "20/02/2025 để tổng hợp báo cáo Thường trực Huyện ủy.\n", encoding="utf-8")
    store = Store(tmp_path / "data")
    ingest([folder], store, progress=False)
    (doc_id,) = store.db.execute("SELECT doc_id FROM documents").fetchone()
    summary = summarize(store.catalog.get(doc_id), store=store)
    assert summary.notes and "không nhận ra" in summary.notes[0]
    assert summary.sentences and not summary.tasks
    assert [d.label for d in summary.deadlines] == ["trước ngày 20/02/2025"]
