"""The BM25 index (tantivy): kept in step with the catalog by diff, never used when stale,
ranking as FTS5 does (it replaces FTS5's ranking only for speed)."""

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


def test_a_large_filter_reads_more_hits_and_keeps_the_allowed(catalog, monkeypatch):
    """Past a few thousand allowed passages the filter is applied to the hits, not as a
    term set: the answer must be the same."""
    store, db = catalog[0], catalog[0].db
    within = ("SELECT id FROM passages WHERE doc_id IN (SELECT doc_id FROM documents"
              " WHERE doc_type = 'Kế hoạch')", [])
    as_set = search_lexical(store, "học tập quán triệt nghị quyết", 10, within=within)
    monkeypatch.setattr(bm25, "_SET_MAX", 0)
    as_hits = search_lexical(store, "học tập quán triệt nghị quyết", 10, within=within)
    assert len(as_set) == 10 and [r for r, _s in as_hits] == [r for r, _s in as_set]
    types = {db.execute("SELECT doc_type FROM documents JOIN passages USING (doc_id)"
                        " WHERE id = ?", (r,)).fetchone()[0] for r, _s in as_hits}
    assert types == {"Kế hoạch"}


def test_a_stale_index_is_not_used(catalog, monkeypatch):
    """Passages changed without the index following (a crash, an older build): FTS5 ranks
    instead, so a removed passage is never returned and a new one is never missed."""
    cat, folder = catalog
    assert cat.bm25() is not None
    monkeypatch.setattr(bm25, "sync", lambda _db, _target: (0, 0))  # "forgets" to follow
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], cat, prune=True, progress=False)
    assert cat.bm25() is None
    alive = {r for (r,) in cat.db.execute("SELECT id FROM passages")}
    assert {r for r, _s in search_lexical(cat, "Đề án 06-ĐA/TU", 50)} <= alive


def _indexed(store) -> set[int]:
    return set(bm25._rowids(store.bm25().searcher).tolist())


def _no_rebuild(_db, _target):
    raise AssertionError("rebuilt whole: only the difference should be written")


def test_only_the_difference_is_written(catalog, monkeypatch, tmp_path):
    cat, folder = catalog
    before = _indexed(cat)
    monkeypatch.setattr(bm25, "rebuild", _no_rebuild)
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], cat, prune=True, progress=False)
    after = _indexed(cat)
    assert after < before
    assert after == {r for (r,) in cat.db.execute("SELECT id FROM passages")}
    (folder / "moi.txt").write_text("KẾ HOẠCH\nTriển khai học tập chuyên đề về báo cáo viên "
                                   "cơ sở năm 2026.\n", encoding="utf-8")
    ingest([folder], cat, progress=False)
    added = _indexed(cat) - after
    assert added and [r for r, _s in search_lexical(cat, "báo cáo viên cơ sở 2026", 1)][0] in added
    assert cat.bm25().count == len(_indexed(cat))


def test_adding_reads_only_the_new_rows_and_a_changed_file_swaps_its_own(catalog,
                                                                         monkeypatch):
    """Only new documents: the rows above the marker's rowid are added, no list of every
    rowid is read (4 s at 1M). A changed file drops its old rows and adds its new ones in
    one sync, whichever path finds them."""
    cat, folder = catalog
    (folder / "moi.txt").write_text("KẾ HOẠCH\nSố hóa hồ sơ đảng viên năm 2026.\n",
                                   encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(bm25, "_rowids", lambda _s: (_ for _ in ()).throw(AssertionError()))
        patch.setattr(bm25, "rebuild", _no_rebuild)
        ingest([folder], cat, progress=False)
    assert _indexed(cat) == {r for (r,) in cat.db.execute("SELECT id FROM passages")}
    path = folder / "004_a0edec7e92b5a00b.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nBổ sung: kiểm tra chuyển đổi số.\n",
                    encoding="utf-8")
    monkeypatch.setattr(bm25, "rebuild", _no_rebuild)
    before = _indexed(cat)
    ingest([folder], cat, progress=False)
    after = _indexed(cat)
    assert after == {r for (r,) in cat.db.execute("SELECT id FROM passages")}
    assert before - after and after - before
    assert cat.bm25().count == len(after)


def test_a_writer_killed_before_its_commit_leaves_the_previous_index(catalog, monkeypatch):
    cat, folder = catalog
    before = _indexed(cat)

    def dies(_row):
        raise KeyboardInterrupt  # as a kill would, part way through the rows to add

    (folder / "moi.txt").write_text("Văn bản mới về chuyển đổi số.\n", encoding="utf-8")
    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(bm25, "_document", dies)
        ingest([folder], cat, progress=False)
    assert cat.bm25() is None  # the catalog moved on; the index did not, so it is not used
    assert set(bm25._rowids(bm25._open(cat.bm25_dir).searcher()).tolist()) == before
    monkeypatch.setattr(bm25, "rebuild", _no_rebuild)
    ingest([folder], cat, progress=False)
    assert _indexed(cat) == {r for (r,) in cat.db.execute("SELECT id FROM passages")}


def test_an_unchanged_ingest_builds_a_missing_index(catalog):
    """A catalog from before the index existed gets it at its next ingest, even when no
    file changed."""
    cat, folder = catalog
    shutil.rmtree(cat.bm25_dir)
    assert cat.bm25() is None
    report = ingest([folder], cat, progress=False)
    assert not report.ingested and cat.bm25() is not None


@pytest.mark.parametrize("left", ["bm25s folder from before tantivy", "another layout"])
def test_an_index_of_another_kind_is_rebuilt(catalog, monkeypatch, left):
    cat, folder = catalog
    legacy = cat.data_dir / "bm25"
    if left == "another layout":
        monkeypatch.setattr(bm25, "LAYOUT", bm25.LAYOUT + 1)
    else:
        shutil.rmtree(cat.bm25_dir)
        (legacy / "accented").mkdir(parents=True)
        (legacy / "accented" / "params.index.json").write_text("{}")
    assert cat.bm25() is None
    ingest([folder], cat, progress=False)
    assert cat.bm25() is not None and not legacy.exists()
    assert _indexed(cat) == {r for (r,) in cat.db.execute("SELECT id FROM passages")}


def test_terms_in_half_the_passages_are_skipped(catalog):
    """Their IDF is zero in FTS5 (clamped): skipping them keeps FTS5's ranking."""
    index = catalog[0].bm25()
    common = "và"
    assert index.searcher.doc_freq("accented", common) >= index.count / 2
    alone = bm25.rank(index, ["báo_cáo_viên"], folded=False, k=10)
    assert alone and bm25.rank(index, ["báo_cáo_viên", common], folded=False, k=10) == alone
    assert bm25.rank(index, [common], folded=False, k=10) == []


def test_module_uses_the_index_when_present(catalog, monkeypatch):
    calls = []
    monkeypatch.setattr(lexical.bm25, "rank", lambda *a, **k: calls.append(a) or [])
    search_lexical(catalog[0], "kế hoạch", 5)
    assert calls


def test_equal_scores_rank_in_rowid_order_whatever_the_segments(tmp_path):
    """Tantivy orders ties by segment, and a two-thread build spreads rows over segments as
    the threads happen to run: ties are put in rowid order so one catalog ranks one way."""
    from store.store import Store
    store = Store(tmp_path / "data")
    db = store.db
    text = "quán triệt nghị quyết đại hội đảng bộ tỉnh lần thứ xvi"
    rows = [(r, text, text, "quan triet nghi quyet", "", "") for r in range(3, 3000, 7)]
    other = "báo cáo tổng kết công tác năm"  # the rest: the terms asked are not common
    rest = [(r, other, other, "bao cao", "", "") for r in range(3000, 4000)]
    db.executemany("INSERT INTO passages_fts(rowid, words, syl, folded, context,"
                   " context_folded) VALUES (?, ?, ?, ?, ?, ?)", rows + rest)
    db.commit()
    assert bm25.rebuild(db, store.bm25_dir) == len(rows + rest)
    index = bm25.load(db, store.bm25_dir)
    for k in (1, 5, 40):
        hits = bm25.rank(index, ["nghị_quyết", "quán"], folded=False, k=k)
        assert [r for r, _s in hits] == [r for r, *_ in rows[:k]]
        assert len({s for _r, s in hits}) == 1
    assert bm25.rank(index, ["quán"], folded=False, k=0) == []
    store.close()
