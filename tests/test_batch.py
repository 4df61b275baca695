"""Batch ingest into the catalog: incremental, one transaction per document, bad files
reported by name while the rest of the batch goes on."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ingest import parallel
from store.store import Store
from store.update import ingest
from tests.seeds import SEEDS, copy_seeds


@pytest.fixture()
def folder(tmp_path):
    return copy_seeds(tmp_path / "docs")


@pytest.fixture()
def store(tmp_path):
    store = Store(tmp_path / "data")
    yield store
    store.close()


def test_ingest_then_nothing_to_do(folder, store):
    first = ingest([folder], store, progress=False)
    assert len(first.ingested) == 5 and not first.failed
    assert first.passages == sum(e.passage_count for e in store.catalog.entries()) > 50
    second = ingest([folder], store, progress=False)
    assert second.ingested == [] and len(second.unchanged) == 5


def test_same_file_under_two_names_is_stored_once(folder, store):
    ingest([folder], store, progress=False)
    copy = folder / "ban-sao.txt"
    shutil.copy(folder / "000_2eff75776fabfddb.txt", copy)
    report = ingest([folder], store, progress=False)
    assert report.linked == [str(copy.resolve())]
    entries = store.catalog.entries()
    assert len(entries) == 5
    assert any(str(copy.resolve()) in e.paths and len(e.paths) == 2 for e in entries)


def test_changed_file_replaces_its_document(folder, store):
    ingest([folder], store, progress=False)
    target = folder / "004_a0edec7e92b5a00b.txt"
    old_ids = {e.doc_id for e in store.catalog.entries()}
    target.write_text(target.read_text(encoding="utf-8") + "\nBổ sung: họp ngày 20/11/2024.",
                      encoding="utf-8")
    report = ingest([folder], store, progress=False)
    assert report.ingested == [str(target.resolve())]
    new_ids = {e.doc_id for e in store.catalog.entries()}
    assert len(new_ids) == 5 and len(old_ids - new_ids) == 1


def test_prune_removes_documents_whose_file_is_gone(folder, store):
    ingest([folder], store, progress=False)
    (folder / "003_2f731f111e68ef86.txt").unlink()
    report = ingest([folder], store, prune=True, progress=False)
    assert [Path(p).name for p in report.pruned] == ["003_2f731f111e68ef86.txt"]
    assert len(store.catalog.entries()) == 4


def _bad_files(root: Path) -> dict[str, str]:
    """Bad inputs of every listed kind, with a word their reason must contain."""
    (root / "rong.txt").write_bytes(b"")
    (root / "rac.txt").write_bytes(bytes(range(256)) * 40)
    (root / "hong.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    (root / "khong-phai-zip.docx").write_bytes(b"Day khong phai la tep Word")
    with zipfile.ZipFile(root / "bom.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("word/document.xml", b"\0" * (400 * 1024 * 1024))
    (root / "bang.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    return {"rong.txt": "rong", "rac.txt": "rac", "hong.pdf": "hong", "bom.docx": "bom",
            "khong-phai-zip.docx": "khong-phai-zip", "bang.xls": "bang"}


def test_bad_files_are_reported_and_the_batch_goes_on(folder, store, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    names = _bad_files(bad)
    paths = [folder] + sorted(bad.iterdir())  # named one by one: .xls too must be reported
    report = ingest(paths, store, progress=False)
    assert len(report.ingested) == 5
    failed = {Path(p).name: reason for p, _error, reason in report.failed}
    assert set(failed) == set(names)
    assert all(reason.strip() for reason in failed.values())
    assert {Path(p).name for p, _e, _r in store.catalog.errors()} == set(names)


def test_unsupported_files_in_a_folder_are_skipped_not_failed(folder, store):
    (folder / "SOURCES.tsv").write_text("file\tsource\n", encoding="utf-8")
    (folder / "~$khoa.docx").write_bytes(b"lock")
    report = ingest([folder], store, progress=False)
    assert [Path(p).name for p, _r in report.skipped] == ["SOURCES.tsv"]
    assert not report.failed


def test_a_failure_while_writing_leaves_no_half_document(folder, store, monkeypatch):
    real_build = parallel.build

    def broken(raw, doc_id, **kw):
        doc = real_build(raw, doc_id, **kw)
        if raw.path.endswith("002_5ddcff0f46c04188.txt"):
            # an unbindable value makes the passages INSERT fail after the document row
            bad = replace(doc.passages[-1], start=object())
            return replace(doc, passages=doc.passages[:-1] + (bad,))
        return doc

    monkeypatch.setenv("VANKIEN_WORKERS", "1")  # read here, where the patch is
    monkeypatch.setattr(parallel, "build", broken)
    report = ingest([folder], store, progress=False)
    assert [Path(p).name for p, _e, _r in report.failed] == ["002_5ddcff0f46c04188.txt"]
    db = sqlite3.connect(store.catalog.path)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    orphans = db.execute("SELECT count(*) FROM passages WHERE doc_id NOT IN "
                         "(SELECT doc_id FROM documents)").fetchone()[0]
    assert orphans == 0


CRASH = """
import os, sys
import store.update as batch
from ingest import parallel
from store.store import Store
real = batch.read
seen = []
def reader(path):
    seen.append(path)
    if len(seen) == 3:
        os._exit(9)  # the process dies mid-batch, as on a power cut
    return real(path)
batch.ingest([sys.argv[1]], Store(sys.argv[2]), progress=False, reader=reader)
"""


def test_a_crash_mid_batch_keeps_every_earlier_document(folder, tmp_path):
    data = tmp_path / "crash"
    result = subprocess.run([sys.executable, "-c", CRASH, str(folder), str(data)],
                            capture_output=True, text=True, cwd=Path.cwd())
    assert result.returncode == 9, result.stderr
    store = Store(data)
    assert len(store.catalog.entries()) == 2
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = ingest([folder], store, progress=False)  # the next run finishes the job
    assert len(report.unchanged) == 2 and len(report.ingested) == 3


def test_documents_from_an_older_pipeline_are_rebuilt(tmp_path):
    """Unchanged files are skipped, unless the code that builds documents changed since."""
    seed = SEEDS / "000_2eff75776fabfddb.txt"
    store = Store(tmp_path)
    assert len(ingest([seed], store, progress=False).ingested) == 1
    assert len(ingest([seed], store, progress=False).unchanged) == 1
    with store.db:
        store.db.execute("UPDATE documents SET pipeline = pipeline - 1")
    again = ingest([seed], store, progress=False)
    assert len(again.ingested) == 1 and not again.unchanged
    assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
