"""The spellings table kept in step by each document written, equal to a full rebuild."""

from __future__ import annotations

import pytest

from store import spellings
from store.update import ingest
from tests.seeds import seed_store

NEW = ("ke-hoach-moi.txt", "KẾ HOẠCH\nTriển khai chuyển đổi số trong các cơ quan đảng, "
       "đoàn thể tỉnh Lào Cai năm 2026; bồi dưỡng kỹ năng số cho cán bộ, đảng viên.\n")


def _table(db) -> list[tuple]:
    return db.execute("SELECT folded, word, n FROM spellings ORDER BY folded, word").fetchall()


def _change(folder, step: str) -> None:
    first = sorted(folder.glob("*.txt"))[0]
    if step == "add":
        folder.joinpath(NEW[0]).write_text(NEW[1], encoding="utf-8")
    elif step == "edit":
        first.write_text(first.read_text(encoding="utf-8") + "\nBổ sung: học tập lý luận "
                         "chính trị trực tuyến cho đảng viên trẻ.\n", encoding="utf-8")
    else:
        first.unlink()


@pytest.mark.parametrize("step", ["add", "edit", "remove"])
def test_a_document_written_patches_the_table_as_a_rebuild_would(tmp_path_factory, step):
    store, folder = seed_store(tmp_path_factory)
    _change(folder, step)
    report = ingest([folder], store, prune=True, progress=False)
    assert "spellings" not in report.seconds  # patched, not rebuilt
    patched = _table(store.db)
    spellings.rebuild(store.db)
    assert patched == _table(store.db)
    if step == "add":
        assert ("chuyen_doi", "chuyển_đổi") in {(f, w) for f, w, _n in patched}
