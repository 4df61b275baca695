"""The precomputed BM25 index: rebuilt with the catalog, never used when stale, and ranking
as FTS5 does (it replaces FTS5's ranking only for speed)."""

from __future__ import annotations

import shutil

import pytest

import query.lexical as lexical
from query.lexical import search_lexical
from store import bm25
from store.update import ingest
from tests.seeds import seed_store


@pytest.fixture()
def catalog(tmp_path_factory):
    """(store, folder): each test its own, as most change it."""
    return seed_store(tmp_path_factory)


def _fts_only(store, query, k, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(bm25, "load", lambda _db, _directory: None)
        return search_lexical(store, query, k)


@pytest.mark.parametrize("query", [
    "báo cáo viên chuẩn bị đề cương bài giảng",
    "bao cao vien chuan bi de cuong",
    "Đề án 06-ĐA/TU",
    "tổng kết 10 năm thực hiện Chỉ thị 05",
])
def test_ranks_as_fts5_does(catalog, query, monkeypatch):
    store = catalog[0]
    fast = [r for r, _s in search_lexical(store, query, 5)]
    slow = [r for r, _s in _fts_only(store, query, 5, monkeypatch)]
    assert fast[0] == slow[0] and len(set(fast) & set(slow)) >= 3, (fast, slow)


def test_quoted_phrases_and_filters_still_hold(catalog):
    store = catalog[0]
    db = store.db
    for rowid, _s in search_lexical(store, '"kỷ nguyên vươn mình" dân tộc', 20):
        (text,) = db.execute("SELECT text FROM passages WHERE id = ?", (rowid,)).fetchone()
        assert "kỷ nguyên vươn mình" in text.lower()
    (doc_id,) = db.execute("SELECT doc_id FROM documents WHERE number = '45-KH/ĐU'").fetchone()
    within = ("SELECT id FROM passages WHERE doc_id = ?", [doc_id])
    hits = search_lexical(store, "học tập nghị quyết", 20, within=within)
    assert hits and {db.execute("SELECT doc_id FROM passages WHERE id = ?", (r,)).fetchone()[0]
                     for r, _s in hits} == {doc_id}


def test_a_stale_index_is_not_used(catalog, monkeypatch):
    """Passages changed without a rebuild (a crash, an older build): FTS5 ranks instead, so
    a removed passage is never returned and a new one is never missed."""
    cat, folder = catalog
    assert cat.bm25() is not None
    # the next ingest "forgets" to rebuild
    monkeypatch.setattr(bm25, "rebuild", lambda _db, _target: 0)
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], cat, prune=True, progress=False)
    assert cat.bm25() is None
    alive = {r for (r,) in cat.db.execute("SELECT id FROM passages")}
    assert {r for r, _s in search_lexical(cat, "Đề án 06-ĐA/TU", 50)} <= alive


def test_rebuild_follows_the_catalog(catalog):
    cat, folder = catalog
    before = len(cat.bm25().rowids)
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], cat, prune=True, progress=False)
    index = cat.bm25()
    assert index is not None and len(index.rowids) < before
    assert set(index.rowids.tolist()) == {r for (r,) in cat.db.execute("SELECT id FROM passages")}


def test_module_uses_the_index_when_present(catalog, monkeypatch):
    calls = []
    monkeypatch.setattr(lexical.bm25, "rank", lambda *a, **k: calls.append(a) or [])
    search_lexical(catalog[0], "kế hoạch", 5)
    assert calls


def test_an_unchanged_ingest_builds_a_missing_index(catalog):
    """A catalog from before the index existed gets it at its next ingest, even when no
    file changed."""
    cat, folder = catalog
    shutil.rmtree(cat.bm25_dir)
    assert cat.bm25() is None
    report = ingest([folder], cat, progress=False)
    assert not report.ingested and cat.bm25() is not None


def test_terms_in_half_the_passages_are_skipped(catalog):
    """Their IDF is zero (clamped, as in FTS5): skipping them changes no score."""
    index = catalog[0].bm25()
    model = index.models["accented"]
    indptr, count = model.scores["indptr"], model.scores["num_docs"]
    common = "và"
    assert indptr[model.vocab_dict[common] + 1] - indptr[model.vocab_dict[common]] >= count / 2
    alone = bm25.rank(index, ["báo_cáo_viên"], folded=False, k=10)
    assert bm25.rank(index, ["báo_cáo_viên", common], folded=False, k=10) == alone
    assert bm25.rank(index, [common], folded=False, k=10) == []  # it scores 0 everywhere
