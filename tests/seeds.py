"""Seeded stores for the plumbing tests: one factory instead of a copy in every file.

``seed_store`` copies the five seed documents (tests/data/seeds), and any extra files a test
needs, into a fresh folder and ingests them into a fresh store; the ``seeded`` fixture
(tests/conftest.py) is one such store shared read-only by a worker's tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from core.encoding import TextEncoder
from store.store import Store
from store.update import ingest

SEEDS = Path("tests/data/seeds")


class Seeded(NamedTuple):
    store: Store
    folder: Path  # the documents ingested: a test may change them and ingest again


def copy_seeds(folder: Path, *, extra_files: dict[str, str] | None = None,
               seeds: bool = True) -> Path:
    """``folder`` holding the five seed documents (unless not ``seeds``) and
    ``extra_files`` (name → text)."""
    folder.mkdir(parents=True, exist_ok=True)
    if seeds:
        for path in sorted(SEEDS.glob("*.txt")):
            shutil.copy(path, folder)
    for name, text in (extra_files or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def seed_store(tmp_path_factory: pytest.TempPathFactory, *,
               extra_files: dict[str, str] | None = None, seeds: bool = True,
               encoder: TextEncoder | None = None) -> Seeded:
    """A fresh store over a copy of the seeds (and ``extra_files``), ingested, with the
    ``encoder``'s vectors when one is given. Each call makes its own copy, so its caller may
    change it.

    >>> store, folder = seed_store(tmp_path_factory, encoder=FakeEncoder())  # doctest: +SKIP
    """
    folder = copy_seeds(tmp_path_factory.mktemp("docs"), extra_files=extra_files, seeds=seeds)
    store = Store(tmp_path_factory.mktemp("data"), encoder=encoder)
    report = ingest([folder], store, progress=False)
    assert not report.failed, report.failed
    return Seeded(store, folder)


class Stores(NamedTuple):
    words: Store  # no encoder: the lexical leg alone
    hybrid: Store  # the same data directory, with a fake encoder and its vectors
    folder: Path


def seed_stores(tmp_path_factory: pytest.TempPathFactory, *,
                extra_files: dict[str, str] | None = None, seeds: bool = True) -> Stores:
    """``seed_store`` with a ``tests.fakes.FakeEncoder``'s vectors, opened both ways."""
    from tests.fakes import FakeEncoder

    hybrid, folder = seed_store(tmp_path_factory, extra_files=extra_files, seeds=seeds,
                                encoder=FakeEncoder())
    return Stores(Store(hybrid.data_dir), hybrid, folder)
