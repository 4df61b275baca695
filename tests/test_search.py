"""Hybrid search plumbing: fusion, filters, duplicate collapse, marks (fake encoder; quality
is measured with the real model in the evaluation)."""

from __future__ import annotations

import pytest

from query.analyze import analyze
from query.filters import Filters
from query.search import fusion_for, search
from store.store import Store
from tests.fakes import FakeEncoder
from tests.seeds import SEEDS, seed_stores


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # the same boilerplate paragraph copied into another plan, with its own number
    seed = (SEEDS / "000_2eff75776fabfddb.txt").read_text(encoding="utf-8")
    copy = seed.replace("588-KH/ĐU", "612-KH/ĐU").replace("15 tháng 01 năm 2025",
                                                           "20 tháng 3 năm 2025")
    return seed_stores(tmp_path_factory, extra_files={"ban-sao-588.txt": copy})


def test_hits_carry_spans_into_their_document(corpus):
    hits = search(corpus.hybrid, "báo cáo viên chuẩn bị đề cương")
    assert any("đề cương" in h.text for h in hits)  # the fake encoder adds noise, not sense
    for hit in hits:
        (text,) = corpus.words.db.execute("SELECT text FROM documents WHERE doc_id = ?",
                                          (hit.doc_id,)).fetchone()
        assert text[hit.start : hit.end] == hit.text


@pytest.mark.parametrize("method", ["rrf", "minmax", "zscore"])
def test_with_no_dense_weight_the_lexical_order_stands(corpus, monkeypatch, method):
    monkeypatch.setenv("VANKIEN_FUSION", method)
    monkeypatch.setenv("VANKIEN_FUSION_DENSE_WEIGHT", "0")
    fused = search(corpus.hybrid, "báo cáo viên chuẩn bị đề cương")
    assert [h.passage_id for h in fused] == [
        h.passage_id for h in search(corpus.words, "báo cáo viên chuẩn bị đề cương")]


@pytest.mark.parametrize(("setting", "query", "weight"), [
    ("", "Tỉnh ủy giao ai chủ trì?", None),
    ("question=0.6 numbers=0.1", "Tỉnh ủy giao ai chủ trì?", 0.6),
    ("question=0.6 numbers=0.1", "Kết luận 01-KL/TW giao ai chủ trì?", 0.1),
    ("question=0.6", "Hãy liệt kê nhiệm vụ của Sở Nội vụ", None),
])
def test_the_dense_share_follows_the_query_shape(monkeypatch, setting, query, weight):
    """None: the shape has no weight of its own and takes ``fusion_dense_weight``."""
    monkeypatch.setenv("VANKIEN_FUSION_DENSE_BY_SHAPE", setting)
    monkeypatch.setenv("VANKIEN_FUSION_DENSE_WEIGHT", "0.35")
    assert fusion_for(analyze(query)).dense == (0.35 if weight is None else weight)


def test_copied_boilerplate_collapses_into_one_hit(corpus):
    hits = search(corpus.hybrid, "bảo vệ nền tảng tư tưởng của Đảng đấu tranh phản bác", k=5)
    top = hits[0]
    assert len(top.duplicates) >= 1
    assert len({h.passage_id for h in hits} & set(top.duplicates)) == 0


def test_marks_words_even_when_typed_without_diacritics(corpus):
    hit = search(corpus.words, "bao cao vien", k=1)[0]
    marked = {hit.text[a:b].lower() for a, b in hit.marks}
    assert {"báo", "cáo", "viên"} <= marked


@pytest.mark.parametrize(("filters", "check"), [
    (Filters(year_from=2025), lambda d: d >= "2025"),
    (Filters(year_to=2024), lambda d: "" < d < "2025"),
])
def test_year_filters(corpus, filters, check):
    hits = search(corpus.hybrid, "học tập và làm theo tư tưởng Hồ Chí Minh", filters=filters)
    assert hits and all(check(h.date) for h in hits)


def test_issuer_filter(corpus):
    hits = search(corpus.words, "kế hoạch", filters=Filters(issuer="Sở Y tế"))
    assert hits and all("Sở Y tế" in h.issuer for h in hits)


def test_dense_leg_answers_when_no_word_matches(corpus):
    assert search(corpus.words, "zzyzx qwvb") == []
    assert search(corpus.hybrid, "zzyzx qwvb")


@pytest.mark.parametrize(("filters", "field", "expected"), [
    # typed without diacritics or case, as people type them
    (Filters(issuer="so y te"), "issuer", "Sở Y tế"),
    (Filters(doc_type="ke hoach"), "doc_type", "Kế hoạch"),
    (Filters(province="LAI CHÂU"), "province", "Lai Châu"),
    (Filters(level="tinh"), "level", "tỉnh"),
])
def test_filters_ignore_case_and_tone_marks(corpus, filters, field, expected):
    hits = search(corpus.words, "học tập nghị quyết", filters=filters)
    assert hits
    for hit in hits:
        meta = corpus.words.catalog.get(hit.doc_id).metadata
        assert expected in getattr(meta, field), (hit.doc_id, getattr(meta, field))


def test_central_level_has_a_vietnamese_name():
    assert Filters(level="Trung ương").sql()[1] == Filters(level="TW").sql()[1] == ["tw"]


def test_a_narrow_filter_still_gets_its_best_passages(corpus, monkeypatch):
    """Filters apply inside each leg: with one candidate per leg, a post-filter would
    return nothing for a document outside the global top."""
    monkeypatch.setattr("query.search.CANDIDATES", 1)
    (doc_id,) = corpus.words.db.execute(
        "SELECT doc_id FROM documents WHERE number = '45-KH/ĐU'").fetchone()
    only = Filters(doc_ids=frozenset({doc_id}))
    hits = search(corpus.hybrid, "học tập nghị quyết", filters=only)
    assert hits and {h.doc_id for h in hits} == {doc_id}


def test_no_allowed_documents_means_no_hits(corpus):
    assert search(corpus.hybrid, "học tập nghị quyết",
                  filters=Filters(doc_ids=frozenset())) == []


def test_the_dense_leg_reads_the_restored_query(corpus):
    recording = FakeEncoder()
    store = Store(corpus.hybrid.data_dir, encoder=recording)
    search(store, "bao cao vien chuan bi de cuong")
    search(store, "Báo cáo viên")
    assert recording.seen["queries"] == ["báo cáo viên chuẩn bị đề cương", "Báo cáo viên"]
