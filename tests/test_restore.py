"""Restoring diacritics on queries typed without them, from the corpus's own words."""

from __future__ import annotations

import pytest

from query.restore import restore_diacritics
from store import spellings
from store.store import Store
from store.update import ingest
from tests.seeds import SEEDS


@pytest.fixture(scope="module")
def store(seeded):
    return seeded.store


@pytest.mark.parametrize(("typed", "restored"), [
    ("ke hoach hoc tap va lam theo tu tuong dao duc phong cach Ho Chi Minh",
     "kế hoạch học tập và làm theo tư tưởng đạo đức phong cách Hồ Chí Minh"),
    ("bao ve nen tang tu tuong cua Dang", "bảo vệ nền tảng tư tưởng của Đảng"),
    ("ky nguyen vuon minh cua dan toc", "kỷ nguyên vươn mình của dân tộc"),
    ("bao cao vien", "báo cáo viên"),
    # document numbers and acronyms stay as typed; digits are left alone
    ("tong ket 10 nam thuc hien Chi thi 05-CT/TW", "tổng kết 10 năm thực hiện Chỉ thị 05-CT/TW"),
    ("chuyen doi so GDP", "chuyển đổi số GDP"),
])
def test_restores_from_the_corpus(store, typed, restored):
    assert restore_diacritics(store, typed) == restored


@pytest.mark.parametrize("typed", [
    "Kế hoạch học tập",  # the user typed diacritics: theirs stand
    "ke hoạch hoc tap",  # even one diacritic means the user chose the spelling
    "", "   ", "2025 / 2026",
    "xyzzy qwrtp",  # nothing the corpus knows: unchanged
])
def test_leaves_alone(store, typed):
    assert restore_diacritics(store, typed) == typed


def test_without_spellings_table_the_query_is_unchanged(tmp_path):
    assert restore_diacritics(Store(tmp_path), "ke hoach hoc tap") == "ke hoach hoc tap"


def test_spellings_follow_the_catalog(tmp_path):
    """Rebuilt after each ingest: a word the corpus gains becomes restorable."""
    catalog = Store(tmp_path / "data")
    ingest([SEEDS / "000_2eff75776fabfddb.txt"], catalog, progress=False)
    before = catalog.db.execute("SELECT count(*) FROM spellings").fetchone()[0]
    assert before > 100
    ingest([SEEDS], catalog, progress=False)
    after = catalog.db.execute("SELECT count(*) FROM spellings").fetchone()[0]
    assert after > before
    assert spellings.rebuild(catalog.db) == after
    (word,) = catalog.db.execute(
        "SELECT word FROM spellings WHERE folded = 'ke_hoach' ORDER BY n DESC").fetchone()
    assert word == "kế_hoạch"
