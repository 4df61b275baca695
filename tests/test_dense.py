"""Dense index plumbing (a fake encoder: quality is measured with the real model elsewhere)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.folders import current
from store.dense import TEXT_FORMAT, DenseIndex, IndexMismatchError
from store.embed import embedding_texts, sync
from store.update import ingest
from tests.fakes import DIM, fake_encode
from tests.seeds import seed_store


@pytest.fixture()
def setup(tmp_path_factory):
    """(store, folder, dense directory): the seeds in words; each test makes the vectors."""
    store, folder = seed_store(tmp_path_factory)
    return store, folder, store.dense_dir


def test_sync_embeds_every_passage_worth_it_and_nothing_else(setup):
    store, _folder, path = setup
    index = DenseIndex(path, "fake", DIM)
    added, removed = sync(store.db, index, fake_encode)
    wanted = store.db.execute(
        "SELECT count(*) FROM passages WHERE kind != 'signature'").fetchone()[0]
    assert (added, removed) == (wanted, 0) and index.index.ntotal == wanted
    assert sync(store.db, DenseIndex(path, "fake", DIM), fake_encode) == (0, 0)


def test_sync_follows_removed_and_changed_documents(setup):
    store, folder, path = setup
    sync(store.db, DenseIndex(path, "fake", DIM), fake_encode)
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], store, prune=True, progress=False)
    index = DenseIndex(path, "fake", DIM)
    _added, removed = sync(store.db, index, fake_encode)
    assert removed > 0
    rowids = {r for (r,) in store.db.execute(
        "SELECT rowid FROM passages WHERE kind != 'signature'")}
    assert index.ids == rowids


def test_search_finds_a_passage_by_its_own_text(setup):
    store, _folder, path = setup
    index = DenseIndex(path, "fake", DIM)
    sync(store.db, index, fake_encode)
    (rowid,) = store.db.execute(
        "SELECT rowid FROM passages WHERE kind = 'body' LIMIT 1 OFFSET 5").fetchone()
    hits = index.search(fake_encode([embedding_texts(store.db)[rowid]]), 3)[0]
    assert hits[0][0] == rowid and hits[0][1] == pytest.approx(1.0, abs=1e-5)


def test_an_index_built_by_another_model_is_refused(setup):
    store, _folder, path = setup
    sync(store.db, DenseIndex(path, "fake", DIM), fake_encode)
    with pytest.raises(IndexMismatchError) as caught:
        DenseIndex(path, "multilingual-e5-small", 384)
    assert "python cli.py ingest" in str(caught.value)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model"] == "fake" and manifest["count"] > 0


def test_passage_ids_are_never_reused(setup):
    # the vectors are keyed by passage id: a replaced document must get fresh ids
    store, folder, _path = setup
    last = store.db.execute("SELECT max(id) FROM passages").fetchone()[0]
    newest = sorted(folder.iterdir())[-1]
    newest.write_text(newest.read_text(encoding="utf-8") + "\nBổ sung.", encoding="utf-8")
    ingest([folder], store, progress=False)
    (low,) = store.db.execute(
        "SELECT min(id) FROM passages p JOIN files f ON f.doc_id = p.doc_id WHERE f.path = ?",
        (str(newest.resolve()),)).fetchone()
    assert low > last


def test_a_large_index_becomes_ivf_and_keeps_working(setup, monkeypatch):
    """Past FLAT_MAX the index is rebuilt as IVF once, recorded in the manifest; replacing
    and removing documents, reloading, searching and filtering still work."""
    store, folder, path = setup
    monkeypatch.setattr("store.dense.FLAT_MAX", 50)
    index = DenseIndex(path, "fake", DIM)
    sync(store.db, index, fake_encode)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "ivf" and manifest["lists"] > 0
    assert manifest["trained_on"] == manifest["count"] == index.index.ntotal
    reloaded = DenseIndex(path, "fake", DIM)
    assert reloaded.kind == "ivf" and reloaded.ids == index.ids
    rowid, text = store.db.execute(
        "SELECT rowid, text FROM passages WHERE kind = 'body' LIMIT 1 OFFSET 5").fetchone()
    assert reloaded.search(fake_encode([text]), 3)[0][0][0] == rowid
    # a filter is searched exactly among the allowed passages
    allowed = [r for (r,) in store.db.execute(
        "SELECT rowid FROM passages WHERE kind = 'body' LIMIT 4")]
    hits = reloaded.search(fake_encode([text]), 10, allowed=[*allowed, rowid])[0]
    assert hits[0][0] == rowid and {r for r, _s in hits} <= {*allowed, rowid}
    # removing a document drops its vectors from the IVF lists
    (folder / "004_a0edec7e92b5a00b.txt").unlink()
    ingest([folder], store, prune=True, progress=False)
    _added, removed = sync(store.db, reloaded, fake_encode)
    assert removed > 0
    assert DenseIndex(path, "fake", DIM).ids == {r for (r,) in store.db.execute(
        "SELECT rowid FROM passages WHERE kind != 'signature'")}


def test_rebuilt_documents_keep_their_vectors_without_embedding_again(setup):
    """A pipeline change rebuilds every document under new passage ids; passages whose text
    did not change get their old vectors back instead of costing the encoder again."""
    store, folder, path = setup
    sync(store.db, DenseIndex(path, "fake", DIM), fake_encode)
    before = DenseIndex(path, "fake", DIM)
    text, old_id = store.db.execute(
        "SELECT text, rowid FROM passages WHERE kind = 'body' LIMIT 1").fetchone()
    old_vector = before.vectors([old_id])[0]
    with store.db:
        store.db.execute("UPDATE documents SET pipeline = pipeline - 1")
    ingest([folder], store, progress=False)  # every document rebuilt: new passage ids
    encoded: list[str] = []

    def counting(texts):
        encoded.extend(texts)
        return fake_encode(texts)

    index = DenseIndex(path, "fake", DIM)
    added, removed = sync(store.db, index, counting)
    assert added == removed > 0 and encoded == []
    (new_id,) = store.db.execute("SELECT rowid FROM passages WHERE text = ?",
                                   (text,)).fetchone()
    assert new_id != old_id
    assert np.allclose(DenseIndex(path, "fake", DIM).vectors([new_id])[0], old_vector)


class _Killed(Exception):
    """Stands for kill -9 in the middle of embedding: nothing after it runs."""


def _dies_after(batches: int, seen: list[str]):
    def encode(texts):
        if len(seen) >= batches * 8:
            raise _Killed
        seen.extend(texts)
        return fake_encode(texts)
    return encode


def test_a_crash_during_embedding_loses_at_most_one_batch(setup):
    store, _folder, path = setup
    first: list[str] = []
    with pytest.raises(_Killed):
        sync(store.db, DenseIndex(path, "fake", DIM), _dies_after(3, first), batch=8)
    assert len(first) == 24 and not (path / "manifest.json").exists()  # never saved
    again: list[str] = []
    index = DenseIndex(path, "fake", DIM)
    added, _removed = sync(store.db, index, _dies_after(10_000, again), batch=8)
    assert not set(first) & set(again) and len(again) == added - 24
    fresh = DenseIndex(path.with_name("fresh"), "fake", DIM)
    sync(store.db, fresh, fake_encode)
    rowids = sorted(fresh.ids)
    assert index.ids == fresh.ids
    assert np.allclose(index.vectors(rowids), fresh.vectors(rowids), atol=1e-6)
    assert not path.with_name("dense.journal").exists()  # emptied by the save


@pytest.mark.parametrize("damage", [
    "torn",  # killed while writing the last record
    "flipped",  # a bit flipped on disk: the record fails its checksum
    "other-model",  # a journal the fp32 model wrote, read by another model
])
def test_a_damaged_journal_loses_only_what_is_damaged(setup, damage):
    store, _folder, path = setup
    first: list[str] = []
    with pytest.raises(_Killed):
        sync(store.db, DenseIndex(path, "fake", DIM), _dies_after(2, first), batch=8)
    journal = path.with_name("dense.journal")
    data = bytearray(journal.read_bytes())
    if damage == "torn":
        data = data[:-10]
    elif damage == "flipped":
        data[-20] ^= 0x40
    else:
        data = data.replace(b'"fake"', b'"e5:fp32"', 1)
    journal.write_bytes(bytes(data))
    again: list[str] = []
    index = DenseIndex(path, "fake", DIM)
    sync(store.db, index, _dies_after(10_000, again), batch=8)
    lost = 16 if damage == "other-model" else 8  # every record, or the damaged last one
    assert len(set(first) & set(again)) == lost
    assert len(index.ids) == store.db.execute(
        "SELECT count(*) FROM passages WHERE kind != 'signature'").fetchone()[0]


def test_vectors_of_the_old_text_format_are_embedded_again_whole(tmp_path_factory):
    """An index from before TEXT_FORMAT 2 (passages embedded without their context) still
    answers searches; the next ingest embeds every passage anew, with a notice, and the
    one after embeds nothing."""
    from store.store import Store
    from tests.fakes import FakeEncoder

    store, folder = seed_store(tmp_path_factory, encoder=FakeEncoder())
    manifest = current(store.dense_dir) / "manifest.json"
    old = json.loads(manifest.read_text(encoding="utf-8"))
    del old["text_format"]  # as written before the format was recorded
    manifest.write_text(json.dumps(old), encoding="utf-8")
    encoder = FakeEncoder()
    reopened = Store(store.data_dir, encoder=encoder)
    assert reopened.dense().text_format == 1 and reopened.dense().index.ntotal == old["count"]
    ingest([folder], reopened, progress=False)
    assert any("nhúng lại toàn bộ" in n for n in reopened.notices), reopened.notices
    assert len(encoder.seen["passages"]) == old["count"]
    assert json.loads(manifest.read_text(encoding="utf-8"))["text_format"] == TEXT_FORMAT
    again = FakeEncoder()
    ingest([folder], Store(store.data_dir, encoder=again), progress=False)
    assert again.seen["passages"] == []
